"""event reports: an item's match may report several statements, each its own event

Revision ID: 0011
Revises: 0008
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event_reports",
        sa.Column(
            "event_id",
            sa.Integer(),
            sa.ForeignKey("events.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "match_id",
            sa.Integer(),
            sa.ForeignKey("matches.id", ondelete="CASCADE"),
            primary_key=True,
        ),
    )
    op.create_index("ix_event_reports_match", "event_reports", ["match_id"])
    # Every stored match reported one event: carry that link over.
    op.execute(
        "INSERT INTO event_reports (event_id, match_id) "
        "SELECT event_id, id FROM matches WHERE event_id IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_index("ix_event_reports_match", "event_reports")
    op.drop_table("event_reports")
