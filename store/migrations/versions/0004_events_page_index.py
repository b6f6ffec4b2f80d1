"""an index that serves a timeline page in order: events by theme, day and id

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_events_theme_day_id", "events", ["theme_id", "day", "id"])
    op.drop_index("ix_events_theme_day", table_name="events")


def downgrade() -> None:
    op.create_index("ix_events_theme_day", "events", ["theme_id", "day"])
    op.drop_index("ix_events_theme_day_id", table_name="events")
