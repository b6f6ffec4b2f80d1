"""withdrawn_matches.event: the statement a match kept aside reported, as it was then

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01

A theme change took the only report of a statement that had been alerted; its event went and
its alerts were kept aside. When another outlet then reported the same statement, nothing was
left to recognise it by: a new event began and every chat was alerted again (QA round 15). The
record now keeps the event's speaker, office, state, quote, stance and day, so a new report
of it is placed against it as against any event, and takes back its alerts. NULL for rows kept
before (they behave as before).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("withdrawn_matches", sa.Column("event", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("withdrawn_matches", "event")
