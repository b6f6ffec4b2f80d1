"""withdrawn_matches: the alerts and votes of matches a theme change took away

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30

A theme edit that stopped matching an item deleted its match, and with it (by cascade) the
item's outbox rows and the feedback votes on it; undoing the edit matched the item again but
brought back neither: a digest chat lost a statement, a sent alert's buttons answered that it
was not sent there, /stats undercounted. The rows are now kept here until the item matches
again (store/withdrawn.py). A new table: nothing existing changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

TS = sa.DateTime(timezone=True)

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "withdrawn_matches",
        sa.Column("match_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("alerts", sa.JSON(), nullable=False),
        sa.Column("votes", sa.JSON(), nullable=False),
        sa.Column("withdrawn_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["themes.id"],
            name="fk_withdrawn_matches_theme_id_themes",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["items.id"],
            name="fk_withdrawn_matches_item_id_items",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("match_id", name="pk_withdrawn_matches"),
    )
    op.create_index("ix_withdrawn_matches_theme_item", "withdrawn_matches", ["theme_id", "item_id"])


def downgrade() -> None:
    op.drop_index("ix_withdrawn_matches_theme_item", table_name="withdrawn_matches")
    op.drop_table("withdrawn_matches")
