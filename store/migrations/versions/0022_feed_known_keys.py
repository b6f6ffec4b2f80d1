"""feeds.known_keys: the items a removed feed had, so /undo alerts only what is new

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01

/undo of /removefeed watched the feed again with `alert_after` (0018) set to its last good
poll: an item that appeared while the feed was gone, dated before that poll (a late or
backdated entry), was never alerted (QA round 19). The removal now keeps a print of each
stored item's key (the newest KNOWN_KEYS_CAP); the first poll after /undo alerts the recent
entries whose key is not among them. NULL: no such list (every feed so far, and every feed
once its first poll is stored).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("feeds", sa.Column("known_keys", sa.Text(), nullable=True))


def downgrade() -> None:
    # a plain DROP COLUMN (SQLite 3.35+), as 0018's
    op.drop_column("feeds", "known_keys")
