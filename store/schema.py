"""The database schema as SQLAlchemy Core tables; Alembic migrations create exactly this.

Does not run queries (see the query modules) and does not know what a theme or a feed means.
Times are stored as aware UTC timestamps; the unique keys are what decide "new" and "once".
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
    true,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend: SQLite keeps naive text, so naive reads are UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given to the store; pass aware UTC times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


TS = UTCDateTime()

feeds = Table(
    "feeds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("title", Text),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("body_hash", String(80)),
    Column("next_poll_at", TS, nullable=False),
    Column("last_polled_at", TS),
    Column("last_success_at", TS),
    Column("failures", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("note", Text),  # from the last good poll: items over the cap, odd markup (0003)
    # Fingerprints of the entries of the last stored version, so they are not parsed again
    # (watchers/parse/entrydelta.py); written with the items, in the same transaction (0005).
    Column("entry_digests", Text),
    Column("failing_since", TS),
    Column("alerted_failing", Boolean, nullable=False, default=False),
    Column("interval_seconds", Integer),
    Column("first_polled", Boolean, nullable=False, default=False),
    # A first poll alerts nothing published before this (0018): set when /undo watches a
    # removed feed again, whose archive was alerted already. NULL: the backfill rule alone.
    Column("alert_after", TS),
    # With it (0022): prints of the keys of the items the feed had when it was removed
    # (store.records.key_print), space-separated; that first poll alerts the others only.
    Column("known_keys", Text),
    # A lease lets several watcher processes share feeds without polling one twice.
    Column("lease_owner", String(64)),
    Column("lease_until", TS),
    Column("created_at", TS, nullable=False),
    # Thin matched items of this feed get their article fetched (0012; watchers/poll/fulltext.py).
    Column("full_text", Boolean, nullable=False, default=True, server_default=true()),
    Index("ix_feeds_next_poll_at", "next_poll_at"),
)

items = Table(
    "items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("feed_id", Integer, ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
    Column("key", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=False),
    Column("link", Text),
    Column("author", Text),
    Column("published_at", TS, nullable=False),
    Column("dated", Boolean, nullable=False, default=True),
    Column("fetched_at", TS, nullable=False),
    # The article of a thin matched item, fetched once after its poll (0012): the status is
    # NULL (not wanted), wanted, fetching, fetched or failed (watchers/poll/fulltext.py).
    # A wanted item with full_text_at set waits for that time: a try failed for a passing
    # reason, full_text_tries times so far (0013).
    Column("full_text", Text),
    Column("full_text_status", String(16)),
    Column("full_text_at", TS),
    Column("full_text_error", Text),
    Column("full_text_tries", Integer, nullable=False, server_default=text("0")),
    UniqueConstraint("feed_id", "key", name="uq_items_feed_key"),
    Index("ix_items_published_at", "published_at"),
    Index("ix_items_full_text_status", "full_text_status", "id"),
    # The search index is not described here: on SQLite an FTS5 table `items_fts` and the
    # queue `search_pending` of items not yet in it, kept by triggers (migrations 0006 and
    # 0014, store/search_index.py); a generated tsvector column `search` on PostgreSQL (0006).
)

themes = Table(
    "themes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(64), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("threshold", Integer, nullable=False),
    Column("options", JSON, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    # The version whose background re-match of the archive has not finished (0015).
    Column("rematch_pending", Integer, nullable=True),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
)

theme_groups = Table(
    "theme_groups",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("theme_id", Integer, ForeignKey("themes.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("name", String(64), nullable=False),
    Column("weight", Float, nullable=False),
    Column("required", Boolean, nullable=False),
    UniqueConstraint("theme_id", "name", name="uq_theme_groups_theme_name"),
)

theme_terms = Table(
    "theme_terms",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("theme_id", Integer, ForeignKey("themes.id", ondelete="CASCADE"), nullable=False),
    # NULL group: an excluded context rather than a term of a group.
    Column("group_id", Integer, ForeignKey("theme_groups.id", ondelete="CASCADE")),
    Column("kind", String(16), nullable=False),  # include | exclude
    Column("position", Integer, nullable=False),
    Column("phrase", Text, nullable=False),
)

theme_exemplars = Table(
    "theme_exemplars",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("theme_id", Integer, ForeignKey("themes.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("text", Text, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("theme_id", Integer, ForeignKey("themes.id", ondelete="CASCADE"), nullable=False),
    Column("day", Date, nullable=False),
    Column("speaker", Text),
    Column("office", Text),
    Column("actor", Text),
    Column("quote", Text),
    Column("stance", String(16), nullable=False, default="unclear"),
    Column("headline", Text, nullable=False),
    Column("link", Text),
    Column("source_count", Integer, nullable=False, default=1),
    Column("first_published", TS, nullable=False),
    Column("created_at", TS, nullable=False),
    # official | commentator (migration 0016): analysts quoted for analysis are kept, marked.
    Column("role", String(16), nullable=False, default="official", server_default="official"),
    # The quote is the speaker's own words (True) or reported speech (False); None: stored
    # before 0016, not known.
    Column("direct", Boolean),
    # The quote's language, en, ar or tr (0024): an English quote is preferred to another's.
    Column("quote_lang", String(8)),
    Index("ix_events_theme_day_id", "theme_id", "day", "id"),
)

matches = Table(
    "matches",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
    Column("theme_id", Integer, ForeignKey("themes.id", ondelete="CASCADE"), nullable=False),
    Column("event_id", Integer, ForeignKey("events.id", ondelete="SET NULL")),
    Column("score", Integer, nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("brief", Text, nullable=False, default=""),
    Column("speaker", Text),
    Column("office", Text),
    Column("quote", Text),
    Column("stance", String(16)),
    Column("theme_version", Integer, nullable=False, default=1),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("item_id", "theme_id", name="uq_matches_item_theme"),
    Index("ix_matches_theme_created", "theme_id", "created_at"),
    Index("ix_matches_event", "event_id"),
)

# Which events each match reports (migration 0011): an item may report several statements,
# each an event; `matches.event_id` keeps the key statement's event (the alert's).
event_reports = Table(
    "event_reports",
    metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("match_id", Integer, ForeignKey("matches.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_event_reports_match", "match_id"),
)

chats = Table(
    "chats",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),  # Telegram chat id
    Column("type", String(16), nullable=False),
    Column("title", Text),
    Column("active", Boolean, nullable=False, default=True),
    Column("inactive_reason", Text),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("chat_id", BigInteger, ForeignKey("chats.id", ondelete="CASCADE"), nullable=False),
    Column("theme_id", Integer, ForeignKey("themes.id", ondelete="CASCADE"), nullable=False),
    # The forum topic (message_thread_id) that follows the theme; 0: the whole chat (0009).
    Column("thread_id", BigInteger, nullable=False, default=0, server_default="0"),
    # False once Telegram said the topic is closed or deleted; the chat's other ones go on.
    Column("active", Boolean, nullable=False, default=True, server_default=true()),
    Column("inactive_reason", Text),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("chat_id", "thread_id", "theme_id", name="uq_subscriptions_chat_thread_theme"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("chat_id", BigInteger, ForeignKey("chats.id", ondelete="CASCADE"), nullable=False),
    # The forum topic the row goes to (message_thread_id); 0: the chat itself (0009).
    Column("thread_id", BigInteger, nullable=False, default=0, server_default="0"),
    # alert: one event (event_id, match_id); digest: the alerts folded into it (0009).
    Column("kind", String(8), nullable=False, default="alert", server_default="alert"),
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE")),
    Column("match_id", Integer, ForeignKey("matches.id", ondelete="CASCADE")),
    # pending|sent|failed|dropped, or folded: an alert held for the chat's digest.
    Column("status", String(16), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", TS, nullable=False),
    Column("first_attempt_at", TS),
    Column("last_error", Text),
    Column("message_id", BigInteger),
    Column("created_at", TS, nullable=False),
    Column("sent_at", TS),
    # A folded alert: the digest row that carried it (NULL until its digest is made).
    Column("digest_id", Integer),
    # A digest: the period it covers; period_end is its scheduled time.
    Column("period_start", TS),
    Column("period_end", TS),
    # The delivery guarantee: one alert per chat, topic and event, and one digest per chat,
    # topic and scheduled time, whatever retries or restarts do. (NULLs are distinct, so
    # alerts never collide with digests.)
    UniqueConstraint("chat_id", "thread_id", "event_id", name="uq_outbox_chat_thread_event"),
    UniqueConstraint("chat_id", "thread_id", "period_end", name="uq_outbox_chat_thread_period"),
    Index("ix_outbox_status_next", "status", "next_attempt_at"),
    # Pending rows in id order: a delivery pass reads the oldest due ones without a sort (0006).
    Index(
        "ix_outbox_pending_id",
        "id",
        sqlite_where=text("status = 'pending'"),
        postgresql_where=text("status = 'pending'"),
    ),
    Index("ix_outbox_digest", "chat_id", "thread_id", "status"),
)

digest_schedules = Table(
    "digest_schedules",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("chat_id", BigInteger, ForeignKey("chats.id", ondelete="CASCADE"), nullable=False),
    Column("thread_id", BigInteger, nullable=False, default=0),
    Column("every", String(8), nullable=False),  # daily | weekly
    Column("weekday", Integer),  # weekly: 0 = Monday
    Column("minute_of_day", Integer, nullable=False),  # local time of day, in minutes
    Column("tz", String(64), nullable=False, default="UTC"),  # IANA name
    Column("since", TS, nullable=False),  # set then: the first digest covers from here
    Column("last_due_at", TS),  # the scheduled time of the last digest made
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    UniqueConstraint("chat_id", "thread_id", name="uq_digest_schedules_chat_thread"),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("match_id", Integer, ForeignKey("matches.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("chat_id", BigInteger, nullable=False),
    Column("relevant", Boolean, nullable=False),
    Column("created_at", TS, nullable=False),
    UniqueConstraint("match_id", "user_id", name="uq_feedback_match_user"),
)

# Alerts and votes of a match that a theme change took away (migration 0017), kept until the
# item matches the theme again (an /undo, a later edit), when they come back with it: a
# digest still owes the statement, a sent alert's buttons still vote (store/withdrawn.py).
withdrawn_matches = Table(
    "withdrawn_matches",
    metadata,
    Column("match_id", Integer, primary_key=True, autoincrement=False),  # the match's id
    Column("theme_id", Integer, ForeignKey("themes.id", ondelete="CASCADE"), nullable=False),
    Column("item_id", Integer, ForeignKey("items.id", ondelete="CASCADE"), nullable=False),
    Column("alerts", JSON, nullable=False),  # its outbox rows, as they were
    Column("votes", JSON, nullable=False),  # its feedback rows
    Column("withdrawn_at", TS, nullable=False),
    # the event it reported (0019; no key: the event is usually gone): a report of that
    # event matching again takes back the alerts kept with its siblings
    Column("event_id", Integer),
    # that event as it was then (0021): a new report of the statement, once the event is gone,
    # is recognised as the same statement and takes its alerts back instead of alerting again
    Column("event", JSON),
    Index("ix_withdrawn_matches_theme_item", "theme_id", "item_id"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", TS, nullable=False),
    Column("actor_id", BigInteger),
    Column("actor_name", Text),
    Column("action", String(64), nullable=False),
    Column("target", Text, nullable=False),
    Column("before", JSON),
    Column("after", JSON),
    Column("snapshot", JSON(none_as_null=True)),  # what undoing this change needs (migration 0002)
    Column("undone_by", Integer),  # the audit entry that undid it
)

# One row per role that only one process may hold: "sender:<bot id>" or "sender:console"
# (migration 0008). The holder renews `until`; another process takes over once it has passed.
role_leases = Table(
    "role_leases",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("owner", String(200), nullable=False),
    Column("until", TS, nullable=False),
)

# Items labelled relevant / not relevant for a theme by `themes teach` or /example (migration
# 0010); feedback buttons stay in `feedback`. The text is kept: a taught item need not be stored.
theme_labels = Table(
    "theme_labels",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("theme_id", Integer, ForeignKey("themes.id", ondelete="CASCADE"), nullable=False),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=False),
    Column("published", TS),
    Column("source", Text, nullable=False),
    Column("link", Text, nullable=False),
    Column("relevant", Boolean, nullable=False),
    Column("origin", String(16), nullable=False),  # teach | example
    Column("added_at", TS, nullable=False),
    Column("added_by", Text),
    Index("ix_theme_labels_theme", "theme_id"),
)

# Running totals that outlive the rows they count (migration 0020). "alerts_sent": every outbox
# row Telegram accepted, counted when it is marked sent; a sent alert whose row goes later (its
# feed removed, its theme deleted, its statement re-formed under another report) stays counted
# in `/stats` (QA rounds 15 and 16).
tallies = Table(
    "tallies",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", BigInteger, nullable=False, default=0),
)

# The addresses a feed had before a permanent redirect moved it (migration 0023): adding one
# again is the feed already watched, not a second copy of it polling the same document (QA
# round 17: a feed that had moved, imported again from an older OPML file).
feed_aliases = Table(
    "feed_aliases",
    metadata,
    Column("url", Text, primary_key=True),
    Column("feed_id", Integer, ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
    Column("moved_at", TS, nullable=False),
    Index("ix_feed_aliases_feed_id", "feed_id"),
)
