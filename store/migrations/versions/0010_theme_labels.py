"""theme labels: items taught to a theme (relevant or not) by `themes teach` and /example

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "theme_labels",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column(
            "theme_id",
            sa.Integer,
            sa.ForeignKey("themes.id", ondelete="CASCADE", name="fk_theme_labels_theme_id_themes"),
            nullable=False,
        ),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("published", sa.DateTime(timezone=True)),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("link", sa.Text, nullable=False),
        sa.Column("relevant", sa.Boolean, nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_theme_labels"),
    )
    op.create_index("ix_theme_labels_theme", "theme_labels", ["theme_id"])


def downgrade() -> None:
    op.drop_index("ix_theme_labels_theme", "theme_labels")
    op.drop_table("theme_labels")
