"""feed_aliases: the addresses a feed had before a permanent redirect moved it

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01

A feed that answered 301 had its address changed to the new one; importing an older OPML file
(or typing the old address with --no-check) then added the old address as a second feed, which
polled the same document and listed it twice on /feeds (QA round 17). A move now keeps the old
address here, and adding it again answers that the feed is watched already. Empty at first:
moves made before are not known.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feed_aliases",
        sa.Column("url", sa.Text, nullable=False),
        sa.Column(
            "feed_id",
            sa.Integer,
            sa.ForeignKey("feeds.id", ondelete="CASCADE", name="fk_feed_aliases_feed_id_feeds"),
            nullable=False,
        ),
        sa.Column("moved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("url", name="pk_feed_aliases"),
    )
    op.create_index("ix_feed_aliases_feed_id", "feed_aliases", ["feed_id"])


def downgrade() -> None:
    op.drop_index("ix_feed_aliases_feed_id", "feed_aliases")
    op.drop_table("feed_aliases")
