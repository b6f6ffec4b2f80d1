"""item full text: the article of a thin matched item, fetched once; a per-feed switch

Revision ID: 0012
Revises: 0010
Create Date: 2026-11-30

Plain ADD COLUMNs (no batch rebuild of `items`): on SQLite a rebuild would drop the FTS5
triggers of migration 0006 with the old table. The new columns are not in the search index.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("items", sa.Column("full_text", sa.Text(), nullable=True))
    # NULL: not wanted; wanted, fetching, fetched, failed (watchers/poll/fulltext.py).
    op.add_column("items", sa.Column("full_text_status", sa.String(16), nullable=True))
    op.add_column("items", sa.Column("full_text_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("items", sa.Column("full_text_error", sa.Text(), nullable=True))
    op.create_index("ix_items_full_text_status", "items", ["full_text_status", "id"])
    op.add_column(
        "feeds",
        sa.Column("full_text", sa.Boolean(), nullable=False, server_default=sa.true()),
    )


def downgrade() -> None:
    op.drop_index("ix_items_full_text_status", "items")
    for name in ("full_text_error", "full_text_at", "full_text_status", "full_text"):
        op.drop_column("items", name)
    op.drop_column("feeds", "full_text")
