"""Writing one poll's results atomically: items, matches, events and the alerts they owe.

Storage says what is new: `unique(feed_id, key)` decides, and only an item that was really
inserted gets its matches, events and outbox rows. Everything for one feed is one transaction,
so a process killed mid-cycle leaves either all of a feed's poll or none of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from store.feeds import FeedQueries
from store.records import EventRow, FeedPollOutcome, ItemToStore, MatchToStore, PollCommit
from store.schema import chats, events, items, matches, outbox, subscriptions, themes


def event_row(r: object) -> EventRow:
    m = r._mapping  # type: ignore[attr-defined]
    return EventRow(
        id=m["id"],
        theme_slug=m["slug"],
        day=m["day"],
        speaker=m["speaker"],
        office=m["office"],
        actor=m["actor"],
        quote=m["quote"],
        stance=m["stance"],
        headline=m["headline"],
        link=m["link"],
        source_count=m["source_count"],
        first_published=m["first_published"],
        created_at=m["created_at"],
    )


EVENT_COLUMNS = (*events.c, themes.c.slug)

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
    st = m.event.statement
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


class PollQueries(FeedQueries):
    async def known_keys(self, feed_id: int, keys: Iterable[str]) -> set[str]:
        """Which of these item keys the feed already has (so they skip matching)."""
        wanted = list(dict.fromkeys(keys))
        found: set[str] = set()
        async with self.engine.connect() as conn:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                rows = await conn.execute(
                    select(items.c.key).where(items.c.feed_id == feed_id, items.c.key.in_(chunk))
                )
                found.update(r[0] for r in rows)
        return found

    async def events_near(self, theme_slug: str, first: date, last: date) -> list[EventRow]:
        """A theme's events dated between `first` and `last`: candidates for a new item."""
        query = (
            select(*EVENT_COLUMNS)
            .join(themes, themes.c.id == events.c.theme_id)
            .where(themes.c.slug == theme_slug, events.c.day >= first, events.c.day <= last)
            .order_by(events.c.day)
        )
        async with self.engine.connect() as conn:
            return [event_row(r) for r in await conn.execute(query)]

    async def commit_poll(
        self,
        feed_id: int,
        outcome: FeedPollOutcome,
        batch: Sequence[ItemToStore],
        fetched_at: datetime,
    ) -> PollCommit:
        """Store a successful poll: the feed's new state and every new item with its matches.

        Items and matches go in as multi-row statements (a first poll of 1,000 feeds is 35,000
        items: one statement each cost seconds of the event loop). Events are still placed one
        match at a time in batch order, since a match may join an event created just before;
        matches and alerts follow once all are placed (placing an event reads no matches).
        """
        new_items = new_events = alerts = 0
        async with self.writing() as conn:
            await self._record_poll(conn, feed_id, outcome)
            theme_ids = {
                r.slug: (r.id, r.version)
                for r in await conn.execute(select(themes.c.slug, themes.c.id, themes.c.version))
            }
            inserted = await self._insert_items(conn, feed_id, batch, fetched_at)
            batch_events: dict[int, int] = {}
            match_rows: list[dict[str, Any]] = []
            to_enqueue: list[tuple[int, int, int]] = []  # (theme id, event id, match row index)
            for entry in batch:
                item_id = inserted.pop(entry.item.key, None)
                if item_id is None:
                    continue  # stored before (or earlier in this batch): not ours to alert
                new_items += 1
                for m in entry.matches:
                    theme = theme_ids.get(m.match.theme_slug)
                    if theme is None:
                        continue
                    theme_id = theme[0]
                    event_id, created = await self._place_event(
                        conn, theme_id, m, entry, batch_events, fetched_at
                    )
                    match_rows.append(match_row(item_id, theme, event_id, m, fetched_at))
                    if created:
                        new_events += 1
                        if entry.alertable:
                            to_enqueue.append((theme_id, event_id, len(match_rows) - 1))
            match_ids = await self._insert_matches(conn, match_rows)
            for theme_id, event_id, index in to_enqueue:
                alerts += await self._enqueue(
                    conn, theme_id, event_id, match_ids[index], fetched_at
                )
        return PollCommit(new_items, len(match_rows), new_events, alerts)

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
            for it in (entry.item for entry in first.values())
        ]
        stmt = (
            self.insert(items)
            .on_conflict_do_nothing(index_elements=["feed_id", "key"])
            .returning(items.c.id, items.c.key)
        )
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
        stmt = matches.insert().returning(matches.c.id, matches.c.item_id, matches.c.theme_id)
        ids: dict[tuple[int, int], int] = {}
        for chunk in _chunks(rows):
            ids.update(
                ((r.item_id, r.theme_id), int(r.id)) for r in await conn.execute(stmt, chunk)
            )
        return [ids[(row["item_id"], row["theme_id"])] for row in rows]

    async def _place_event(
        self,
        conn: AsyncConnection,
        theme_id: int,
        m: MatchToStore,
        entry: ItemToStore,
        batch_events: dict[int, int],
        now: datetime,
    ) -> tuple[int, bool]:
        """Join the decided event (growing its sources) or create it; True when created."""
        return await self._place(
            conn,
            theme_id,
            m,
            entry.item.title,
            entry.item.link,
            entry.item.published_at,
            batch_events,
            now,
        )

    async def _place(
        self,
        conn: AsyncConnection,
        theme_id: int,
        m: MatchToStore,
        title: str,
        link: str | None,
        published: datetime,
        batch_events: dict[int, int],
        now: datetime,
    ) -> tuple[int, bool]:
        decision = m.event
        st = decision.statement
        existing = decision.join_event_id
        if existing is None and decision.batch_key is not None:
            existing = batch_events.get(decision.batch_key)
        if existing is not None:
            await conn.execute(
                update(events)
                .where(events.c.id == existing)
                .values(
                    source_count=events.c.source_count + 1,
                    day=self._least(events.c.day, decision.day),
                    speaker=func.coalesce(events.c.speaker, st.speaker),
                    office=func.coalesce(events.c.office, st.office),
                    actor=func.coalesce(events.c.actor, st.actor),
                    quote=func.coalesce(events.c.quote, st.quote),
                    first_published=self._least(events.c.first_published, published),
                )
            )
            if st.stance != "unclear":
                await conn.execute(
                    update(events)
                    .where(events.c.id == existing, events.c.stance == "unclear")
                    .values(stance=st.stance)
                )
            return existing, False
        created = (
            await conn.execute(
                events.insert()
                .values(
                    theme_id=theme_id,
                    day=decision.day,
                    speaker=st.speaker,
                    office=st.office,
                    actor=st.actor,
                    quote=st.quote,
                    stance=st.stance,
                    headline=title,
                    link=link,
                    source_count=1,
                    first_published=published,
                    created_at=now,
                )
                .returning(events.c.id)
            )
        ).scalar_one()
        if decision.batch_key is not None:
            batch_events[decision.batch_key] = created
        return created, True

    async def _enqueue(
        self, conn: AsyncConnection, theme_id: int, event_id: int, match_id: int, now: datetime
    ) -> int:
        """One outbox row per active subscribed chat; the unique key makes this idempotent."""
        source = (
            select(
                subscriptions.c.chat_id,
                literal(event_id).label("event_id"),
                literal(match_id).label("match_id"),
                literal("pending").label("status"),
                literal(0).label("attempts"),
                literal(now, type_=outbox.c.next_attempt_at.type).label("next_attempt_at"),
                literal(now, type_=outbox.c.created_at.type).label("created_at"),
            )
            .join(chats, chats.c.id == subscriptions.c.chat_id)
            .where(and_(subscriptions.c.theme_id == theme_id, chats.c.active.is_(True)))
        )
        stmt = (
            self.insert(outbox)
            .from_select(
                [
                    "chat_id",
                    "event_id",
                    "match_id",
                    "status",
                    "attempts",
                    "next_attempt_at",
                    "created_at",
                ],
                source,
            )
            .on_conflict_do_nothing(index_elements=["chat_id", "event_id"])
        )
        result = await conn.execute(stmt)
        return max(result.rowcount or 0, 0)
