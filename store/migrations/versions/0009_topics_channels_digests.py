"""forum topics in subscriptions and the outbox; digests as outbox rows; digest schedules

Subscriptions and outbox rows get a thread_id (0: the whole chat), and the unique keys take it
in: one subscription per (chat, topic, theme), one alert per (chat, topic, event). A
subscription can be deactivated alone (a closed or deleted topic). Outbox rows get a kind:
an alert names its event and match; a digest names none and covers a period, unique per
(chat, topic, scheduled time); alerts held for a digest are 'folded' and point to it. Existing
rows keep their meaning: thread 0, kind alert, active.

Revision ID: 0009
Revises: 0011
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("subscriptions") as batch:
        batch.add_column(
            sa.Column("thread_id", sa.BigInteger(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch.add_column(sa.Column("inactive_reason", sa.Text(), nullable=True))
        batch.drop_constraint("uq_subscriptions_chat_theme", type_="unique")
        batch.create_unique_constraint(
            "uq_subscriptions_chat_thread_theme", ["chat_id", "thread_id", "theme_id"]
        )
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(
            sa.Column("thread_id", sa.BigInteger(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column("kind", sa.String(length=8), nullable=False, server_default="alert")
        )
        batch.add_column(sa.Column("digest_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("period_start", TS, nullable=True))
        batch.add_column(sa.Column("period_end", TS, nullable=True))
        batch.alter_column("event_id", existing_type=sa.Integer(), nullable=True)
        batch.alter_column("match_id", existing_type=sa.Integer(), nullable=True)
        batch.drop_constraint("uq_outbox_chat_event", type_="unique")
        batch.create_unique_constraint(
            "uq_outbox_chat_thread_event", ["chat_id", "thread_id", "event_id"]
        )
        batch.create_unique_constraint(
            "uq_outbox_chat_thread_period", ["chat_id", "thread_id", "period_end"]
        )
        batch.create_index("ix_outbox_digest", ["chat_id", "thread_id", "status"])
    op.create_table(
        "digest_schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("thread_id", sa.BigInteger(), nullable=False),
        sa.Column("every", sa.String(length=8), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=True),
        sa.Column("minute_of_day", sa.Integer(), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=False),
        sa.Column("since", TS, nullable=False),
        sa.Column("last_due_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["chats.id"],
            name=op.f("fk_digest_schedules_chat_id_chats"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_digest_schedules")),
        sa.UniqueConstraint("chat_id", "thread_id", name="uq_digest_schedules_chat_thread"),
    )


def downgrade() -> None:
    op.drop_table("digest_schedules")
    op.execute("DELETE FROM outbox WHERE kind <> 'alert' OR thread_id <> 0")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_digest")
        batch.drop_constraint("uq_outbox_chat_thread_period", type_="unique")
        batch.drop_constraint("uq_outbox_chat_thread_event", type_="unique")
        batch.create_unique_constraint("uq_outbox_chat_event", ["chat_id", "event_id"])
        batch.alter_column("match_id", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("event_id", existing_type=sa.Integer(), nullable=False)
        for column in ("period_end", "period_start", "digest_id", "kind", "thread_id"):
            batch.drop_column(column)
    op.execute("DELETE FROM subscriptions WHERE thread_id <> 0")
    with op.batch_alter_table("subscriptions") as batch:
        batch.drop_constraint("uq_subscriptions_chat_thread_theme", type_="unique")
        batch.create_unique_constraint("uq_subscriptions_chat_theme", ["chat_id", "theme_id"])
        for column in ("inactive_reason", "active", "thread_id"):
            batch.drop_column(column)
