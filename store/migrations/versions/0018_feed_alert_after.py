"""feeds.alert_after: a feed whose first poll must alert nothing published before a moment

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01

Undoing /removefeed watched the feed again as a new one, so its first poll alerted the items
of the last BACKFILL_HOURS again: a statement already sent was sent twice (QA round 15). The
undo now sets this column to the feed's last good poll before its removal; a first poll
alerts only items published after it. NULL (every feed so far): the backfill rule alone, as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("feeds", sa.Column("alert_after", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # a plain DROP COLUMN (SQLite 3.35+): a batch rebuild would drop and copy the feeds table
    op.drop_column("feeds", "alert_after")
