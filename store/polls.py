"""Writing one poll's results atomically: items, matches, events and the alerts they owe.

Storage says what is new: `unique(feed_id, key)` decides, and only an item that was really
inserted gets its matches, events and outbox rows. Everything for one feed is one transaction,
so a process killed mid-cycle leaves either all of a feed's poll or none of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

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
        """Store a successful poll: the feed's new state and every new item with its matches."""
        new_items = new_matches = new_events = alerts = 0
        async with self.engine.begin() as conn:
            await self._record_poll(conn, feed_id, outcome)
            theme_ids = {
                r.slug: (r.id, r.version)
                for r in await conn.execute(select(themes.c.slug, themes.c.id, themes.c.version))
            }
            batch_events: dict[int, int] = {}
            for entry in batch:
                item_id = await self._insert_item(conn, feed_id, entry, fetched_at)
                if item_id is None:
                    continue  # another process stored it first: it is not ours to alert
                new_items += 1
                for m in entry.matches:
                    theme = theme_ids.get(m.match.theme_slug)
                    if theme is None:
                        continue
                    theme_id = theme[0]
                    event_id, created = await self._place_event(
                        conn, theme_id, m, entry, batch_events, fetched_at
                    )
                    match_id = await self._insert_match(
                        conn, item_id, theme, event_id, m, fetched_at
                    )
                    new_matches += 1
                    if created:
                        new_events += 1
                        if entry.alertable:
                            alerts += await self._enqueue(
                                conn, theme_id, event_id, match_id, fetched_at
                            )
        return PollCommit(new_items, new_matches, new_events, alerts)

    async def _insert_item(
        self, conn: AsyncConnection, feed_id: int, entry: ItemToStore, fetched_at: datetime
    ) -> int | None:
        it = entry.item
        stmt = (
            self.insert(items)
            .values(
                feed_id=feed_id,
                key=it.key,
                title=it.title,
                summary=it.summary,
                link=it.link,
                author=it.author,
                published_at=it.published_at,
                dated=it.dated,
                fetched_at=fetched_at,
            )
            .on_conflict_do_nothing(index_elements=["feed_id", "key"])
            .returning(items.c.id)
        )
        return (await conn.execute(stmt)).scalar_one_or_none()

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

    async def _insert_match(
        self,
        conn: AsyncConnection,
        item_id: int,
        theme: tuple[int, int],
        event_id: int,
        m: MatchToStore,
        now: datetime,
    ) -> int:
        """Insert a match made under `theme` = (id, version)."""
        theme_id, version = theme
        st = m.event.statement
        match_id = (
            await conn.execute(
                matches.insert()
                .values(
                    item_id=item_id,
                    theme_id=theme_id,
                    event_id=event_id,
                    score=m.match.score,
                    reasons=m.match.reasons,
                    brief=m.match.brief,
                    speaker=st.speaker,
                    office=st.office,
                    quote=st.quote,
                    stance=st.stance,
                    theme_version=version,
                    created_at=now,
                )
                .returning(matches.c.id)
            )
        ).scalar_one()
        return int(match_id)

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
