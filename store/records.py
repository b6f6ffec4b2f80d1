"""Plain records that cross the store's boundary, named by the direction they flow.

`*Row`/`*View` come from storage; `New*`/`*Update` go to storage. No ORM object or SQLAlchemy
type ever leaves `store/`; callers see only these frozen dataclasses.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

# --- feeds -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedRow:
    """A feed as stored, with its polling state (from storage)."""

    id: int
    url: str
    title: str | None
    etag: str | None  # validators for the next conditional GET
    last_modified: str | None
    body_hash: str | None  # hash of the last body parsed: an unchanged body is not parsed again
    next_poll_at: datetime
    last_polled_at: datetime | None
    last_success_at: datetime | None
    failures: int  # consecutive failures; 0 when the last poll worked
    last_error: str | None
    failing_since: datetime | None
    interval_seconds: int | None  # adaptive interval; None means the configured default
    item_count: int
    created_at: datetime
    first_polled: bool  # True once the first poll stored its items (backfill rule)
    alerted_failing: bool  # admins were told this feed is failing
    note: str | None = None  # from the last good poll: items over the cap, odd markup
    entry_digests: str | None = None  # fingerprints of the stored version's entries (watchers)
    full_text: bool = True  # thin matched items get their article fetched (feeds fulltext)
    alert_after: datetime | None = None  # a first poll alerts nothing published before
    # Watched again by /undo: prints of the items it had (`key_print`); a first poll alerts
    # only entries not among them. None: not watched again, or its first poll is stored.
    known_keys: frozenset[str] | None = None


# The newest items of a removed feed whose keys /undo remembers: 5,000 prints are ~85 KB in the
# audit log, and a feed serves at most MAX_ENTRIES (500) at once.
KNOWN_KEYS_CAP = 5000


def key_print(key: str) -> str:
    """An item key's fingerprint: 64 bits, enough to tell one feed's items apart."""
    return hashlib.blake2b(key.encode("utf-8", "replace"), digest_size=8).hexdigest()


@dataclass(frozen=True)
class RemovedFeed:
    """What a removal leaves for /undo: the prints of the feed's newest stored items, and
    when there were more than KNOWN_KEYS_CAP, the oldest of them (older entries are not
    known either way, so a feed watched again does not alert them)."""

    known: tuple[str, ...]
    known_since: datetime | None


@dataclass(frozen=True)
class FeedPollOutcome:
    """What a poll of one feed changes in the feed's state (to storage)."""

    polled_at: datetime
    next_poll_at: datetime
    ok: bool
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    title: str | None = None
    new_url: str | None = None  # permanent redirect
    interval_seconds: int | None = None
    note: str | None = None  # replaces the feed's note when the poll parsed the feed
    parsed: bool = False  # the body was parsed (not a 304): the note is current
    # With `parsed`: fingerprints of the entries now stored, so the next poll skips them.
    entry_digests: str | None = None
    # The feed was watched again with the keys it had (`FeedRow.known_keys`): forget them.
    forget_known_keys: bool = False


# --- items, matches, events ---------------------------------------------------------------


@dataclass(frozen=True)
class NewItem:
    """An item parsed from a feed, on its way to storage."""

    key: str  # stable per feed: guid, else link, else a hash
    title: str
    summary: str
    link: str | None
    published_at: datetime  # aware UTC
    dated: bool  # False when the feed gave no date and published_at is the fetch time
    author: str | None = None


@dataclass(frozen=True)
class ItemRow:
    """A stored item (from storage)."""

    id: int
    feed_id: int
    key: str
    title: str
    summary: str
    link: str | None
    published_at: datetime
    fetched_at: datetime
    source: str  # the feed's title, else its URL


@dataclass(frozen=True)
class NewMatch:
    """A theme's verdict on an item, on its way to storage."""

    theme_slug: str
    score: int
    reasons: list[dict[str, Any]]
    brief: str  # short reasons for alerts


class StatementLike(Protocol):
    """The statement an item reports, as the matcher extracted it (to storage).

    The matcher's `Statement` is stored as it is: the store reads these fields and imports
    nothing of the matcher.
    """

    @property
    def speaker(self) -> str | None: ...
    @property
    def office(self) -> str | None: ...
    @property
    def actor(self) -> str | None: ...
    @property
    def quote(self) -> str | None: ...
    @property
    def stance(self) -> str:  # opposes | supports | unclear
        ...
    @property
    def said_on(self) -> date | None: ...
    @property
    def day(self) -> date | None:
        """The day to show: said_on, else the publication day (None: not worked out)."""
        ...

    @property
    def day_basis(self) -> str:  # stated | approximate | published | none
        ...

    @property
    def role(self) -> str:  # official | commentator
        ...

    @property
    def direct(self) -> bool:  # the quote is in the speaker's own words
        ...

    @property
    def lang(self) -> str:  # en | ar | tr: the language the statement was read in
        ...


@dataclass(frozen=True)
class EventRow:
    """One statement covered by one or more items (from storage)."""

    id: int
    theme_slug: str
    day: date  # the statement date when known, else the earliest publication
    speaker: str | None
    office: str | None
    actor: str | None
    quote: str | None
    stance: str
    headline: str
    link: str | None
    source_count: int
    first_published: datetime
    created_at: datetime
    role: str = "official"  # or "commentator": quoted for analysis, not speaking for a state
    direct: bool | None = None  # the quote is the speaker's own words; None: not known

    @property
    def dated(self) -> bool:
        """True when `day` is a statement day read from the text, before its first report."""
        return self.day < self.first_published.date()


@dataclass(frozen=True)
class EventSource:
    """One item that reports an event (from storage)."""

    item_id: int
    title: str
    source: str
    link: str | None
    published_at: datetime


@dataclass(frozen=True)
class MatchView:
    """A stored match with its item, for /latest and /preview (from storage)."""

    item: ItemRow
    theme_slug: str
    score: int
    brief: str
    event_id: int | None
    matched_at: datetime


# --- themes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupSpec:
    name: str
    weight: float
    required: bool
    terms: tuple[str, ...]


@dataclass(frozen=True)
class ThemeSpec:
    """A theme's definition as the store keeps it: mirrors matcher.Theme without importing it."""

    slug: str
    name: str
    description: str
    threshold: int
    groups: tuple[GroupSpec, ...]
    exclude: tuple[str, ...]
    exemplars: tuple[str, ...]
    options: dict[str, Any] = field(default_factory=dict)
    version: int = 1  # bumped on every change: matches made under an older version are stale

    def to_json(self) -> dict[str, Any]:
        """A plain dict (for the audit log's undo snapshots)."""
        return {
            "slug": self.slug,
            "name": self.name,
            "description": self.description,
            "threshold": self.threshold,
            "groups": [
                {"name": g.name, "weight": g.weight, "required": g.required, "terms": list(g.terms)}
                for g in self.groups
            ],
            "exclude": list(self.exclude),
            "exemplars": list(self.exemplars),
            "options": dict(self.options),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ThemeSpec:
        return cls(
            slug=data["slug"],
            name=data["name"],
            description=data.get("description", ""),
            threshold=int(data["threshold"]),
            groups=tuple(
                GroupSpec(g["name"], float(g["weight"]), bool(g["required"]), tuple(g["terms"]))
                for g in data.get("groups", [])
            ),
            exclude=tuple(data.get("exclude", [])),
            exemplars=tuple(data.get("exemplars", [])),
            options=dict(data.get("options", {})),
        )


# --- chats and delivery ---------------------------------------------------------------------


@dataclass(frozen=True)
class ChatRow:
    id: int
    type: str  # private | group | supergroup | channel | console
    title: str | None
    active: bool
    inactive_reason: str | None


@dataclass(frozen=True)
class AlertView:
    """Everything an alert message shows, joined from event, item, feed and match."""

    theme_slug: str
    theme_name: str
    event_id: int
    item_id: int
    match_id: int  # feedback buttons refer to it
    title: str
    link: str | None
    source: str
    published_at: datetime
    day: date
    speaker: str | None
    office: str | None
    quote: str | None
    stance: str
    brief: str
    score: int
    actor: str | None = None  # the state or body that spoke
    role: str = "official"  # or "commentator"
    direct: bool | None = None  # the quote is the speaker's own words; None: not known
    item_quote: str | None = None  # the alerted item's own quote of the statement, if any


@dataclass(frozen=True)
class OutboxRow:
    """One alert waiting for delivery to one chat (from storage)."""

    id: int
    chat_id: int
    chat_type: str
    attempts: int
    first_attempt_at: datetime | None
    alert: AlertView
    thread_id: int = 0  # the forum topic (message_thread_id); 0: the chat itself


@dataclass(frozen=True)
class DigestScheduleRow:
    """When a chat (or forum topic) gets its digest instead of single alerts (from storage)."""

    chat_id: int
    thread_id: int  # 0: the chat itself
    every: str  # daily | weekly
    weekday: int | None  # weekly: 0 = Monday
    minute_of_day: int  # local time of day, in minutes after midnight
    tz: str  # IANA time zone name of the time of day
    since: datetime  # when the schedule was set
    last_due_at: datetime | None  # the scheduled time of the last digest made


@dataclass(frozen=True)
class DigestRow:
    """One digest waiting for delivery: the alerts folded into it (from storage)."""

    id: int  # an outbox row: marked sent, retried or failed like an alert
    chat_id: int
    chat_type: str
    thread_id: int
    attempts: int
    first_attempt_at: datetime | None
    period_start: datetime
    period_end: datetime
    alerts: tuple[AlertView, ...]  # oldest first


@dataclass(frozen=True)
class OutboxStats:
    pending: int
    sent: int
    failed: int
    dropped: int


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str | None
    action: str
    target: str
    before: Any
    after: Any
    snapshot: Any = None  # what undoing needs; None: cannot be undone
    undone_by: int | None = None


# --- a poll's results, written in one transaction -------------------------------------------


@dataclass(frozen=True)
class MatchToStore:
    match: NewMatch
    # What the item says on the theme, the key statement first; each is an event, decided on
    # write (the key statement's event is the match's, and the one an alert names).
    statements: tuple[StatementLike, ...]

    @property
    def statement(self) -> StatementLike:
        return self.statements[0]


StoredStatement = tuple[str | None, str | None, str | None, str]  # speaker, office, actor, stance


def _who(speaker: str | None, office: str | None, actor: str | None) -> str:
    # The state first: a rewrite that drops the minister's name ("Safadi said" -> "the foreign
    # minister says") still reports Jordan's statement.
    if actor:
        return actor.casefold()
    if speaker:
        return speaker.split()[-1].casefold()
    return (office or "").casefold()


def restated(stored: Sequence[StoredStatement], new: Sequence[StatementLike]) -> bool:
    """Whether a rewritten entry now reports other statements than its stored events: a state
    (or, without one, a speaker) or a side is no longer the same ("Arland says ties will be
    restored" rewritten as "... will not be restored"). A rewording by the same states on
    the same sides is not: its events stay as they are. Pure; the store applies it
    (store/polls.py).
    """
    before = {(_who(sp, of, ac), stance) for sp, of, ac, stance in stored}
    after = {(_who(st.speaker, st.office, st.actor), st.stance) for st in new}
    return before != after


@dataclass(frozen=True)
class NewEvent:
    """A statement as an event would store it, built from a match and its item (to storage).

    It is also what the event decision reads of a new statement (the matcher's `EventLike`).
    """

    speaker: str | None
    office: str | None
    actor: str | None
    quote: str | None
    stance: str
    headline: str
    link: str | None
    day: date  # the statement's day when the text gives it, else the publication day
    dated: bool  # the text gave the day
    first_published: datetime
    sources: int = 1
    role: str = "official"  # or "commentator"
    direct: bool | None = None  # the quote is the speaker's own words (None: no quote)
    lang: str = "en"  # the quote's language (en, ar, tr)


# Which stored (or same-batch) event a new statement reports, or None for a new event: the
# matcher's `choose_event`, passed in by the caller so the store stays free of the matcher.
Decide = Callable[[NewEvent, Sequence[EventRow]], int | None]


@dataclass(frozen=True)
class ItemToStore:
    item: NewItem
    matches: tuple[MatchToStore, ...]
    alertable: bool  # False for a first poll's archive beyond BACKFILL_HOURS
    wants_full_text: bool = False  # queue its article for fetching (watchers/poll/fulltext.py)


@dataclass(frozen=True)
class PollCommit:
    """What a committed poll added (from storage)."""

    new_items: int
    new_matches: int
    new_events: int
    alerts_enqueued: int


# --- roles ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleLease:
    """Who holds a one-holder role, and until when (from storage)."""

    name: str
    owner: str  # "host:pid"
    until: datetime


# --- full text ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FullTextJob:
    """A thin matched item whose article is to be fetched, claimed by one process (from
    storage)."""

    item_id: int
    link: str
    title: str
    published_at: datetime
    tries: int = 0  # failed tries so far (each for a passing reason)


@dataclass(frozen=True)
class FullTextOutcome:
    """What fetching an item's article gave (to storage): the text, or why there is none."""

    status: str  # fetched | failed
    text: str | None
    error: str | None
    at: datetime
    retry_at: datetime | None = None  # failed for a passing reason: fetch again then


@dataclass(frozen=True)
class ArticleTrouble:
    """A feed's articles that could not be fetched lately (from storage, for /feeds)."""

    failed: int  # given up on
    retrying: int  # failed, to be tried again
    last_error: str | None  # the newest failure's message


@dataclass(frozen=True)
class FullTextSaved:
    """What storing an article's statements added (from storage); none of it is alerted."""

    new_events: int  # statements no stored event reported
    joined_events: int  # statements that joined another report's event
