"""events: the speaker's role (official or commentator) and whether the quote is their own words

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30

The extractor marks researchers, analysts and columnists quoted for analysis as commentators
and tells a quotation from reported speech, but events kept neither: the timeline showed an
analyst among the officials with no way to leave them out, and put a desk's summary of what
was said in quotation marks. Two plain ADD COLUMNs: existing events are officials (the
extractor made the key statement an official's whenever it had one) and their quotes'
kind is not known (NULL), shown as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTERs, not a batch: SQLite's batch mode copies and drops `events`, and dropping
    # it would cascade to the alerts that name its rows.
    op.add_column(
        "events",
        sa.Column("role", sa.String(length=16), nullable=False, server_default="official"),
    )
    op.add_column("events", sa.Column("direct", sa.Boolean(), nullable=True))


def downgrade() -> None:
    op.drop_column("events", "direct")
    op.drop_column("events", "role")
