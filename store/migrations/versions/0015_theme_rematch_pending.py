"""themes: the version whose re-match of the archive has not finished

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30

A theme change re-matches the stored items in the background; a process stopped or killed
meanwhile left part of the archive scored under the old terms, for good. The re-match now
writes the version it works for here first and clears it when done; a process that starts
finds it and runs the re-match again (store/themes.py, bot/app/rematching.py). A plain ADD
COLUMN, nullable: existing themes have nothing pending.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("themes", sa.Column("rematch_pending", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("themes", "rematch_pending")
