"""tallies: running totals that outlive the rows they count ("alerts_sent" for /stats)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01

`/stats` counted sent alerts from the outbox rows left: a removed feed, a deleted theme or a
statement re-formed under another report took rows with it, and the count of alerts sent went
down (QA rounds 15 and 16). The total now counts each row when it is marked sent and is never
lowered. It starts from the sent rows present and those kept aside with withdrawn matches.
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _kept_sent(bind: sa.engine.Connection) -> int:
    """Sent alerts kept aside with withdrawn matches (a JSON list of outbox rows each)."""
    total = 0
    for (alerts,) in bind.execute(sa.text("SELECT alerts FROM withdrawn_matches")):
        rows = json.loads(alerts) if isinstance(alerts, str) else alerts
        total += sum(1 for row in rows or () if row.get("status") == "sent")
    return total


def upgrade() -> None:
    tallies = op.create_table(
        "tallies",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("value", sa.BigInteger(), nullable=False),
    )
    bind = op.get_bind()
    sent = bind.execute(sa.text("SELECT count(*) FROM outbox WHERE status = 'sent'")).scalar()
    op.bulk_insert(tallies, [{"name": "alerts_sent", "value": int(sent or 0) + _kept_sent(bind)}])


def downgrade() -> None:
    op.drop_table("tallies")
