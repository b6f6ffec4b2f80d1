"""Polls: writing one poll's results atomically: items, matches, events and the alerts they owe.

Storage says what is new: `unique(feed_id, key)` decides, and only an item that was really
inserted gets its matches, events and outbox rows. An entry the feed has edited (same key, a
new title or summary: outlets rewrite headlines as a story firms up) updates its stored item,
and gets the matches its new text makes for themes it did not match before, with their
events and alerts, as a new item would; the matches it had are kept as they were.
Everything for one feed is in one transaction (on SQLite perhaps shared with the feeds queued
beside it: store/grouped.py), so a process killed mid-cycle leaves either all of a feed's poll
or none of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, case, literal, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from store.base import StoreBase, dialect_insert
from store.events import EventBook, event_row, events_between
from store.feeds import write_poll_state
from store.records import (
    Decide,
    EventRow,
    FeedPollOutcome,
    ItemToStore,
    MatchToStore,
    NewEvent,
    PollCommit,
    StatementLike,
    StoredStatement,
    restated,
)
from store.schema import (
    chats,
    digest_schedules,
    event_reports,
    events,
    items,
    matches,
    outbox,
    subscriptions,
    themes,
)
from store.shrunk import drop_matches
from store.withdrawn import gone_statements, revive

# Bound variables per INSERT: under old SQLite's 999 (3.32+ allows 32766, PostgreSQL 32767),
# so 111 items or 83 matches a statement; a 35-item poll (315 variables) is one statement.
MAX_VARIABLES = 999


def _chunks(rows: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    """Rows in runs that keep one multi-row INSERT under MAX_VARIABLES."""
    size = max(1, MAX_VARIABLES // len(rows[0])) if rows else 1
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def match_row(
    item_id: int, theme: tuple[int, int], event_id: int, m: MatchToStore, now: datetime
) -> dict[str, Any]:
    """A matches row for a match made under `theme` = (id, version)."""
    theme_id, version = theme
    st = m.statement
    return {
        "item_id": item_id,
        "theme_id": theme_id,
        "event_id": event_id,
        "score": m.match.score,
        "reasons": m.match.reasons,
        "brief": m.match.brief,
        "speaker": st.speaker,
        "office": st.office,
        "quote": st.quote,
        "stance": st.stance,
        "theme_version": version,
        "created_at": now,
    }


def new_event(st: StatementLike, title: str, link: str | None, published: datetime) -> NewEvent:
    """The event a statement would start: its day is the statement's, when the text gives it."""
    return NewEvent(
        speaker=st.speaker,
        office=st.office,
        actor=st.actor,
        quote=st.quote,
        stance=st.stance,
        headline=title,
        link=link,
        day=st.day or st.said_on or published.date(),
        dated=st.day_basis == "stated" or (st.day_basis == "none" and st.said_on is not None),
        first_published=published,
        role=st.role,
        direct=st.direct if st.quote else None,
        lang=st.lang,
    )


async def place_statements(
    book: EventBook, theme: tuple[int, int], slug: str, m: MatchToStore, item: Any
) -> list[tuple[int, bool]]:
    """Each statement of a match placed into an event: (event key, created), key one first."""
    placed = []
    for st in m.statements:
        placed.append(
            await book.place(
                theme[0], slug, new_event(st, item.title, item.link, item.published_at)
            )
        )
    return placed


async def gone_reported(
    conn: AsyncConnection, book: EventBook, ids: Mapping[str, tuple[int, int]]
) -> dict[int, int]:
    """The batch's new events that report a statement a theme change took every report of
    (store/withdrawn.py `gone_statements`): provisional key -> the gone event's id."""
    slugs = {theme_id: slug for slug, (theme_id, _) in ids.items()}
    started: dict[int, list[tuple[int, NewEvent]]] = {}
    for key, (theme_id, new) in book.started().items():
        started.setdefault(theme_id, []).append((key, new))
    found: dict[int, int] = {}
    for theme_id, news in started.items():
        gone = await gone_statements(conn, theme_id, slugs[theme_id])
        for key, new in sorted(news, reverse=True):  # in the order they were started
            chosen = book.decide(new, gone) if gone else None
            if chosen is not None:
                found[key] = chosen
                gone = [g for g in gone if g.id != chosen]  # one new event takes it back
    return found


def report_rows(
    book: EventBook, placed: Sequence[tuple[int, bool]], match_id: int
) -> list[dict[str, int]]:
    """The event_reports rows of one match: every event its statements report, once."""
    events = dict.fromkeys(book.event_id(key) for key, _ in placed)
    return [{"event_id": e, "match_id": match_id} for e in events]


async def theme_ids(conn: AsyncConnection, slugs: Iterable[str]) -> dict[str, tuple[int, int]]:
    """slug -> (id, version) for these themes (a poll names only the themes it matched)."""
    wanted = sorted(set(slugs))
    if not wanted:
        return {}
    rows = await conn.execute(
        select(themes.c.slug, themes.c.id, themes.c.version).where(themes.c.slug.in_(wanted))
    )
    return {r.slug: (r.id, r.version) for r in rows}


class PollQueries(StoreBase):
    async def events_near(self, theme_slug: str, first: date, last: date) -> list[EventRow]:
        """A theme's events dated between `first` and `last`."""
        async with self.engine.connect() as conn:
            return [
                event_row(r) for r in await conn.execute(events_between(theme_slug, first, last))
            ]

    async def commit_poll(
        self,
        feed_id: int,
        outcome: FeedPollOutcome,
        batch: Sequence[ItemToStore],
        fetched_at: datetime,
        decide: Decide,
    ) -> PollCommit:
        """Store a successful poll: the feed's new state and every new item with its matches.

        Items and matches go in as multi-row statements (a first poll of 1,000 feeds is 35,000
        items). Only items the insert really added (the unique key says so) get matches,
        events and alerts. Each match's event is decided by `decide` here, inside this
        transaction and under the theme's placement lock (store/events.py), so polls running
        side by side cannot both start an event for one statement. On SQLite the feeds waiting
        to write meanwhile share one transaction (store/grouped.py).
        """
        rows = len(batch) or 1
        return await self.write_grouped(
            lambda conn: self._write_poll(conn, feed_id, outcome, batch, fetched_at, decide), rows
        )

    async def _write_poll(
        self,
        conn: AsyncConnection,
        feed_id: int,
        outcome: FeedPollOutcome,
        batch: Sequence[ItemToStore],
        fetched_at: datetime,
        decide: Decide,
    ) -> PollCommit:
        """commit_poll's writes, in the caller's transaction (perhaps shared with other feeds')."""
        new_items = new_events = alerts = 0
        await write_poll_state(conn, feed_id, outcome)
        inserted = await self._insert_items(conn, feed_id, batch, fetched_at)
        edited = await _update_edited(conn, feed_id, batch, inserted)
        # An item the insert added, once: a key repeated in the batch keeps its first entry.
        fresh = [(inserted.pop(e.item.key), e) for e in batch if e.item.key in inserted]
        new_items = len(fresh)
        fresh += edited
        await queue_full_text(conn, [item_id for item_id, e in fresh if e.wants_full_text])
        ids = await theme_ids(conn, (m.match.theme_slug for _, e in fresh for m in e.matches))
        book = EventBook(conn, self.dialect, decide)
        await book.lock(theme_id for theme_id, _ in ids.values())
        placed: list[tuple[int, tuple[int, int], MatchToStore, list[tuple[int, bool]], bool]]
        placed = []
        for item_id, entry in fresh:
            for m in entry.matches:
                theme = ids.get(m.match.theme_slug)
                if theme is None:
                    continue  # removed since the poll began
                keys = await place_statements(book, theme, m.match.theme_slug, m, entry.item)
                placed.append((item_id, theme, m, keys, entry.alertable))
                new_events += sum(created for _, created in keys)
        reported = await gone_reported(conn, book, ids) if new_events else {}
        await book.flush(fetched_at)
        rows = [
            match_row(item_id, theme, book.event_id(keys[0][0]), m, fetched_at)
            for item_id, theme, m, keys, _ in placed
        ]
        match_ids = await self._insert_matches(conn, rows)
        reports: list[dict[str, int]] = []
        for (_, theme, _, keys, alertable), match_id in zip(placed, match_ids, strict=True):
            reports += report_rows(book, keys, match_id)
            for key, created in keys:
                if created and key in reported:  # its alerts back first: none sent twice
                    await revive(conn, theme[0], reported[key], match_id, book.event_id(key))
                if created and alertable:  # each new statement is one alert per chat
                    alerts += await enqueue(
                        conn, theme[0], book.event_id(key), match_id, fetched_at
                    )
        if reports:
            await conn.execute(event_reports.insert(), reports)
        return PollCommit(new_items, len(rows), new_events, alerts)

    async def _insert_items(
        self,
        conn: AsyncConnection,
        feed_id: int,
        batch: Sequence[ItemToStore],
        fetched_at: datetime,
    ) -> dict[str, int]:
        """Insert the batch's items, a chunk per statement: key -> id of those really inserted.

        An executemany with RETURNING, which SQLAlchemy sends as one multi-row INSERT per chunk
        from a statement compiled once (`.values([...])` is compiled anew each time, which cost
        more than the per-item inserts it replaced). A key repeated in the batch keeps its
        first item, as per-item inserts did (the later one conflicted). A conflict returns no
        row, so a key missing from the result was already stored.
        """
        first: dict[str, ItemToStore] = {}
        for entry in batch:
            first.setdefault(entry.item.key, entry)
        # Oldest first, so that ids grow with publication within a poll as across polls:
        # `/search` ranks the highest ids, and a feed lists its newest item first (QA round
        # 17: a first poll of 500 matching items left its 400 newest out of every search).
        # On a tie, the feed's own order: the item it lists first is taken as the newer.
        order = sorted(
            enumerate(first.values()), key=lambda pair: (pair[1].item.published_at, -pair[0])
        )
        rows = [
            {
                "feed_id": feed_id,
                "key": it.key,
                "title": it.title,
                "summary": it.summary,
                "link": it.link,
                "author": it.author,
                "published_at": it.published_at,
                "dated": it.dated,
                "fetched_at": fetched_at,
            }
            for it in (entry.item for _, entry in order)
        ]
        stmt = _items_insert(self.dialect)
        inserted: dict[str, int] = {}
        for chunk in _chunks(rows):
            result = await conn.execute(stmt, chunk)
            inserted.update((r.key, r.id) for r in result)
        return inserted

    async def _insert_matches(
        self, conn: AsyncConnection, rows: Sequence[dict[str, Any]]
    ) -> list[int]:
        """Insert matches with one executemany (sent as multi-row INSERTs); ids in rows' order.

        Ids are paired back by (item, theme), unique per match: asking SQLAlchemy to keep the
        parameter order instead makes it send one row per statement on SQLite.
        """
        stmt = _MATCHES_INSERT
        ids: dict[tuple[int, int], int] = {}
        for chunk in _chunks(rows):
            ids.update(
                ((r.item_id, r.theme_id), int(r.id)) for r in await conn.execute(stmt, chunk)
            )
        return [ids[(row["item_id"], row["theme_id"])] for row in rows]


@lru_cache(maxsize=2)
def _items_insert(dialect: str) -> Any:
    """The items INSERT, built once per backend: rebuilt per feed it cost more CPU to build,
    cache-key and look up than SQLite took to run it."""
    return (
        dialect_insert(dialect, items)
        .on_conflict_do_nothing(index_elements=["feed_id", "key"])
        .returning(items.c.id, items.c.key)
    )


_MATCHES_INSERT = matches.insert().returning(matches.c.id, matches.c.item_id, matches.c.theme_id)


async def _update_edited(
    conn: AsyncConnection, feed_id: int, batch: Sequence[ItemToStore], inserted: dict[str, int]
) -> list[tuple[int, ItemToStore]]:
    """Entries already stored whose text or link the feed has changed: their items get the
    new title, summary and link, and come back (item id, entry) with only the matches of
    themes the item had not matched, for the caller to store as it stores a new item's.

    An unchanged entry (re-read when the feed's fingerprints were lost) costs one SELECT per
    batch and changes nothing. Publication date, link and existing matches are kept.
    """
    first: dict[str, ItemToStore] = {}
    for entry in batch:
        if entry.item.key not in inserted:
            first.setdefault(entry.item.key, entry)
    if not first:
        return []
    keys = list(first)
    stored: dict[str, tuple[int, str, str, str | None]] = {}
    for start in range(0, len(keys), MAX_VARIABLES - 1):
        rows = await conn.execute(
            select(items.c.id, items.c.key, items.c.title, items.c.summary, items.c.link).where(
                items.c.feed_id == feed_id, items.c.key.in_(keys[start : start + MAX_VARIABLES - 1])
            )
        )
        stored.update((r.key, (r.id, r.title, r.summary, r.link)) for r in rows)
    changed = [
        (stored[k][0], e)
        for k, e in first.items()
        if k in stored
        and stored[k][1:] != (e.item.title, e.item.summary, e.item.link or stored[k][3])
    ]
    if not changed:
        return []
    for item_id, e in changed:
        values: dict[str, Any] = {"title": e.item.title, "summary": e.item.summary}
        if e.item.link:
            values["link"] = e.item.link  # an article moved to another address (QA)
        await conn.execute(update(items).where(items.c.id == item_id).values(**values))
    had = {
        (r.item_id, r.slug)
        for r in await conn.execute(
            select(matches.c.item_id, themes.c.slug)
            .join(themes, themes.c.id == matches.c.theme_id)
            .where(matches.c.item_id.in_([item_id for item_id, _ in changed]))
        )
    }
    matched_before = {item_id for item_id, _ in had}
    # A rewrite that changes what the item says (another speaker, the other side) replaces
    # its statements: the old match leaves its events, and the entry's match is placed anew.
    said = await _stored_statements(conn, [item_id for item_id, _ in changed])
    restate: dict[int, list[int]] = {}  # theme id -> items whose match is placed anew
    for item_id, e in changed:
        for m in e.matches:
            key = (item_id, m.match.theme_slug)
            if key in had and key in said and restated(said[key][1], m.statements):
                restate.setdefault(said[key][0], []).append(item_id)
    for theme_id, item_ids in restate.items():
        await drop_matches(conn, theme_id, item_ids)
    again = {(i, t) for t, ids in restate.items() for i in ids}
    theme_of = {slug: theme_id for (_, slug), (theme_id, _) in said.items()}
    out = []
    for item_id, e in changed:
        new = tuple(
            m
            for m in e.matches
            if (item_id, m.match.theme_slug) not in had
            or (item_id, theme_of.get(m.match.theme_slug)) in again
        )
        # its article is wanted only if it was never matched (so never queued): once per link
        wants = e.wants_full_text and bool(new) and item_id not in matched_before
        out.append((item_id, replace(e, matches=new, wants_full_text=wants)))
    return out


async def _stored_statements(
    conn: AsyncConnection, item_ids: Sequence[int]
) -> dict[tuple[int, str], tuple[int, list[StoredStatement]]]:
    """(item, theme slug) -> (theme id, the statements its match's events hold)."""
    out: dict[tuple[int, str], tuple[int, list[StoredStatement]]] = {}
    if not item_ids:
        return out
    rows = await conn.execute(
        select(
            matches.c.item_id,
            themes.c.slug,
            themes.c.id,
            events.c.speaker,
            events.c.office,
            events.c.actor,
            events.c.stance,
        )
        .join(themes, themes.c.id == matches.c.theme_id)
        .join(event_reports, event_reports.c.match_id == matches.c.id)
        .join(events, events.c.id == event_reports.c.event_id)
        .where(matches.c.item_id.in_(list(item_ids)))
    )
    for r in rows:
        entry = out.setdefault((r.item_id, r.slug), (r.id, []))
        entry[1].append((r.speaker, r.office, r.actor, r.stance))
    return out


async def queue_full_text(conn: AsyncConnection, item_ids: Sequence[int]) -> None:
    """Mark new thin matched items as wanting their article (store/fulltext.py claims them).

    A separate UPDATE rather than a column of the items' INSERT: the items' rows keep the
    columns every schema since 0001 has, and a poll without such items sends nothing more.
    """
    for start in range(0, len(item_ids), MAX_VARIABLES):
        chunk = item_ids[start : start + MAX_VARIABLES]
        await conn.execute(
            update(items).where(items.c.id.in_(chunk)).values(full_text_status="wanted")
        )


async def enqueue(
    conn: AsyncConnection, theme_id: int, event_id: int, match_id: int, now: datetime
) -> int:
    """One outbox row per active subscription (chat or forum topic) of an active chat.

    The unique key (chat, topic, event) makes this idempotent. A chat or topic with a digest
    schedule gets its row 'folded': kept for the digest, not sent alone (store/digests.py).
    """
    status = case((digest_schedules.c.id.is_(None), "pending"), else_="folded")
    source = (
        select(
            subscriptions.c.chat_id,
            subscriptions.c.thread_id,
            literal(event_id).label("event_id"),
            literal(match_id).label("match_id"),
            status.label("status"),
            literal(0).label("attempts"),
            literal(now, type_=outbox.c.next_attempt_at.type).label("next_attempt_at"),
            literal(now, type_=outbox.c.created_at.type).label("created_at"),
        )
        .join(chats, chats.c.id == subscriptions.c.chat_id)
        .outerjoin(
            digest_schedules,
            and_(
                digest_schedules.c.chat_id == subscriptions.c.chat_id,
                digest_schedules.c.thread_id == subscriptions.c.thread_id,
            ),
        )
        .where(
            and_(
                subscriptions.c.theme_id == theme_id,
                subscriptions.c.active.is_(True),
                chats.c.active.is_(True),
            )
        )
    )
    stmt = (
        dialect_insert(conn.dialect.name, outbox)
        .from_select(
            [
                "chat_id",
                "thread_id",
                "event_id",
                "match_id",
                "status",
                "attempts",
                "next_attempt_at",
                "created_at",
            ],
            source,
        )
        .on_conflict_do_nothing(index_elements=["chat_id", "thread_id", "event_id"])
    )
    result = await conn.execute(stmt)
    return max(result.rowcount or 0, 0)
