"""withdrawn_matches.event_id: the event a match kept aside reported

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01

Outlets A, B and C reported one statement; a theme change took each in turn, and the
statement's alerts moved from A's match to B's to C's, and were kept aside with C's. When A
matched again while C did not, nothing linked A to the alerts kept with C: a chat that was
still owed the statement never got it (QA round 16). Each match kept aside now records its
event, so a report of that event matching again takes back the alerts its siblings keep. No
foreign key: the event itself is usually gone by then. NULL for rows kept before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("withdrawn_matches", sa.Column("event_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("withdrawn_matches", "event_id")
