"""item full text: failed tries counted, so a passing failure is tried again a few times

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30

A plain ADD COLUMN (no batch rebuild of `items`, which on SQLite would drop the FTS5
triggers of migration 0006 with the old table). Items that failed before this migration stay
failed: their error was stored as final.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "items",
        sa.Column("full_text_tries", sa.Integer(), nullable=False, server_default=sa.text("0")),
    )


def downgrade() -> None:
    op.drop_column("items", "full_text_tries")
