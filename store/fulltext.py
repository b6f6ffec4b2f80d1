"""Full text: the queue of thin matched items whose article is wanted, and what fetching gave.

An item is queued by its poll (`items.full_text_status = 'wanted'`, written by `commit_poll`
with the item). `claim_full_text` hands a batch to one process ('fetching'), `save_full_text`
stores the article (or why there is none) and places the statements read from it into the
theme's events, as `commit_poll` does, without alerts. Each link is fetched once when it
works; a failure the caller dates a retry for goes back to 'wanted' until then (its tries
counted), any other is stored as final; a claim left by a process that died is taken again
after `stale`. `article_trouble` sums the failures per feed for /feeds.

Does not fetch, extract or read statements (watchers/poll/fulltext.py does), nor decide which
event a statement joins (the caller's `Decide`, the matcher's `choose_event`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update

from store.base import StoreBase, dialect_insert
from store.events import EVENT_COLUMNS, EventBook, event_row
from store.polls import new_event
from store.records import (
    ArticleTrouble,
    Decide,
    FullTextJob,
    FullTextOutcome,
    FullTextSaved,
    StatementLike,
)
from store.schema import event_reports, events, feeds, items, matches, themes

DONE = ("fetched", "failed")


class FullTextQueries(StoreBase):
    async def claim_full_text(
        self, now: datetime, limit: int, stale: timedelta
    ) -> list[FullTextJob]:
        """Up to `limit` wanted items of feeds with full text on, oldest first, now 'fetching'.

        A claim older than `stale` (its process died mid-fetch) is claimed again.
        """
        wanted = or_(
            and_(
                items.c.full_text_status == "wanted",
                or_(items.c.full_text_at.is_(None), items.c.full_text_at <= now),
            ),
            and_(items.c.full_text_status == "fetching", items.c.full_text_at < now - stale),
        )
        query = (
            select(
                items.c.id,
                items.c.link,
                items.c.title,
                items.c.published_at,
                items.c.full_text_tries,
            )
            .join(feeds, feeds.c.id == items.c.feed_id)
            .where(wanted, feeds.c.full_text.is_(True), items.c.link.is_not(None))
            .order_by(items.c.id)
            .limit(limit)
        )
        if self.dialect == "postgresql":
            query = query.with_for_update(of=items, skip_locked=True)
        async with self.writing() as conn:
            rows = (await conn.execute(query)).all()
            if rows:
                await conn.execute(
                    update(items)
                    .where(items.c.id.in_([r.id for r in rows]))
                    .values(full_text_status="fetching", full_text_at=now)
                )
        return [FullTextJob(r.id, r.link, r.title, r.published_at, r.full_text_tries) for r in rows]

    async def known_full_text(self, link: str, item_id: int) -> FullTextOutcome | None:
        """What an earlier fetch of `link` (for another item) gave: a link is fetched once."""
        query = (
            select(
                items.c.full_text_status,
                items.c.full_text,
                items.c.full_text_error,
                items.c.full_text_at,
            )
            .where(
                items.c.link == link,
                items.c.id != item_id,
                items.c.full_text_status.in_(DONE),
            )
            .order_by(items.c.id)
            .limit(1)
        )
        async with self.engine.connect() as conn:
            row = (await conn.execute(query)).first()
        if row is None:
            return None
        return FullTextOutcome(
            row.full_text_status, row.full_text, row.full_text_error, row.full_text_at
        )

    async def fetched_full_texts(self, item_ids: Sequence[int]) -> dict[int, str]:
        """The stored article text of those of `item_ids` whose article was fetched."""
        out: dict[int, str] = {}
        async with self.engine.connect() as conn:
            for start in range(0, len(item_ids), 500):
                chunk = list(item_ids[start : start + 500])
                query = select(items.c.id, items.c.full_text).where(
                    items.c.id.in_(chunk),
                    items.c.full_text_status == "fetched",
                    items.c.full_text.is_not(None),
                )
                out.update({r.id: r.full_text for r in await conn.execute(query)})
        return out

    async def full_text_of(self, item_id: int) -> tuple[str | None, str | None, str | None]:
        """An item's (status, full text, error); status None when its article is not wanted."""
        query = select(items.c.full_text_status, items.c.full_text, items.c.full_text_error).where(
            items.c.id == item_id
        )
        async with self.engine.connect() as conn:
            row = (await conn.execute(query)).first()
        if row is None:
            return (None, None, None)
        return (row.full_text_status, row.full_text, row.full_text_error)

    async def article_trouble(self, since: datetime) -> dict[int, ArticleTrouble]:
        """Per feed: articles given up on since `since`, those waiting to be tried again, and
        the newest failure's message. Feeds without trouble are left out."""
        failed = items.c.full_text_status == "failed"
        retrying = and_(
            items.c.full_text_status.in_(("wanted", "fetching")), items.c.full_text_tries > 0
        )
        query = (
            select(
                items.c.feed_id,
                items.c.full_text_status,
                items.c.full_text_error,
            )
            .where(or_(and_(failed, items.c.full_text_at >= since), retrying))
            .order_by(items.c.id)
        )
        out: dict[int, ArticleTrouble] = {}
        async with self.engine.connect() as conn:
            for row in await conn.execute(query):
                seen = out.get(row.feed_id, ArticleTrouble(0, 0, None))
                gave_up = row.full_text_status == "failed"
                out[row.feed_id] = ArticleTrouble(
                    seen.failed + gave_up,
                    seen.retrying + (not gave_up),
                    row.full_text_error or seen.last_error,
                )
        return out

    async def set_feed_full_text(self, feed_id: int, on: bool) -> bool:
        """Turn fetching thin items' articles on or off for a feed; False if no such feed."""
        async with self.writing() as conn:
            result = await conn.execute(
                update(feeds).where(feeds.c.id == feed_id).values(full_text=on)
            )
        return bool(result.rowcount)

    async def save_full_text(
        self,
        item_id: int,
        outcome: FullTextOutcome,
        statements: Sequence[StatementLike],
        decide: Decide,
    ) -> FullTextSaved:
        """Store the article (or the failure) and place its statements, in one transaction.

        For each match of the item, a statement that one of the match's own events already
        reports (`decide` says it would join it) is skipped; every other is placed into the
        theme's events under the placement lock, as a poll's are, and reported by the match
        (`event_reports`). The match's key statement and event stay as they were, and nothing
        is queued for delivery: these statements enrich the timeline.
        """
        new = joined = 0
        retry = outcome.status == "failed" and outcome.retry_at is not None
        async with self.writing() as conn:
            await conn.execute(
                update(items)
                .where(items.c.id == item_id)
                .values(
                    full_text=outcome.text,
                    full_text_status="wanted" if retry else outcome.status,
                    full_text_at=outcome.retry_at if retry else outcome.at,
                    full_text_error=outcome.error,
                    full_text_tries=items.c.full_text_tries + int(outcome.status == "failed"),
                )
            )
            if not statements:
                return FullTextSaved(0, 0)
            query = (
                select(
                    matches.c.id,
                    matches.c.theme_id,
                    themes.c.slug,
                    items.c.title,
                    items.c.link,
                    items.c.published_at,
                )
                .join(themes, themes.c.id == matches.c.theme_id)
                .join(items, items.c.id == matches.c.item_id)
                .where(matches.c.item_id == item_id)
                .order_by(matches.c.id)
            )
            found = (await conn.execute(query)).all()
            book = EventBook(conn, self.dialect, decide)
            await book.lock(m.theme_id for m in found)
            placed: list[tuple[int, int]] = []  # (match id, event key)
            for m in found:
                own = [
                    event_row(r)
                    for r in await conn.execute(
                        select(*EVENT_COLUMNS)
                        .join(themes, themes.c.id == events.c.theme_id)
                        .join(event_reports, event_reports.c.event_id == events.c.id)
                        .where(event_reports.c.match_id == m.id)
                    )
                ]
                for st in statements:
                    candidate = new_event(st, m.title, m.link, m.published_at)
                    if decide(candidate, own) is not None:
                        continue  # the feed's text already reported this statement
                    key, created = await book.place(m.theme_id, m.slug, candidate)
                    placed.append((m.id, key))
                    new += created
                    joined += not created
            await book.flush(outcome.at)
            rows = list(
                {
                    (book.event_id(key), match_id): {
                        "event_id": book.event_id(key),
                        "match_id": match_id,
                    }
                    for match_id, key in placed
                }.values()
            )
            if rows:
                stmt: Any = dialect_insert(conn.dialect.name, event_reports)
                await conn.execute(
                    stmt.on_conflict_do_nothing(index_elements=["event_id", "match_id"]), rows
                )
        return FullTextSaved(new, joined)
