"""Polls that finish together are written together on SQLite (one transaction for the feeds
waiting to write), yet each feed's poll is still all or nothing, its counts are its own, and
one feed's failure costs the others nothing; on PostgreSQL each poll keeps its own transaction.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import event

from store import Store
from store.records import EventRow, FeedPollOutcome, NewEvent
from tests.conftest import NOW
from tests.databases import BOTH
from tests.storing import same_quote
from tests.test_store_bulk import THEME, entry

OK = FeedPollOutcome(polled_at=NOW, next_poll_at=NOW + timedelta(minutes=5), ok=True)


async def feeds_with_theme(store: Store, count: int) -> list[int]:
    await store.save_theme(THEME, NOW)
    await store.upsert_chat(100, "private", None, NOW)
    await store.subscribe(100, THEME.slug, NOW)
    return [(await store.add_feed(f"https://example.org/{n}.xml", NOW)).id for n in range(count)]


def batch(feed: int, items: int = 3) -> list[Any]:
    """A feed's items, the first matching into an event of its own."""
    return [entry(f"f{feed}-{n}", event=feed * 100 if n == 0 else None) for n in range(items)]


@contextmanager
def transactions_begun(store: Store) -> Iterator[list[str]]:
    """Every write transaction SQLite begins meanwhile (the store begins them IMMEDIATE)."""
    seen: list[str] = []

    def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.strip().upper().startswith("BEGIN IMMEDIATE"):
            seen.append(statement)

    event.listen(store.engine.sync_engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(store.engine.sync_engine, "before_cursor_execute", note)


@BOTH
async def test_feeds_finishing_together_are_stored_with_their_own_counts(store: Store) -> None:
    feeds = await feeds_with_theme(store, 12)

    with transactions_begun(store) as begun:
        commits = await asyncio.gather(
            *(store.commit_poll(f, OK, batch(f, items=f % 4 + 1), NOW, same_quote) for f in feeds)
        )

    assert [c.new_items for c in commits] == [f % 4 + 1 for f in feeds]
    assert [(c.new_matches, c.new_events, c.alerts_enqueued) for c in commits] == [(1, 1, 1)] * 12
    assert (await store.counts())["items"] == sum(f % 4 + 1 for f in feeds)
    assert len(await store.due_alerts(NOW, limit=100)) == 12
    if store.dialect == "sqlite":  # queued while one is written: they share the next
        assert 1 <= len(begun) < len(feeds)


@BOTH
async def test_one_statement_reported_by_feeds_written_together_is_one_event(
    store: Store,
) -> None:
    feeds = await feeds_with_theme(store, 8)
    same = [[entry(f"f{f}", event=7)] for f in feeds]  # every feed reports statement 7

    commits = await asyncio.gather(
        *(store.commit_poll(f, OK, b, NOW, same_quote) for f, b in zip(feeds, same, strict=True))
    )

    assert sum(c.new_events for c in commits) == 1
    assert sum(c.alerts_enqueued for c in commits) == 1
    (only,) = await store.events_near(THEME.slug, NOW.date() - timedelta(days=400), NOW.date())
    assert only.source_count == 8


@BOTH
async def test_a_feed_whose_write_fails_loses_only_its_own_poll(store: Store) -> None:
    feeds = await feeds_with_theme(store, 6)
    broken = feeds[3]

    def decide_or_fail(new: NewEvent, nearby: Sequence[EventRow]) -> int | None:
        if new.headline.startswith(f"title f{broken}-"):
            raise ValueError("a bug in deciding this feed's event")
        return same_quote(new, nearby)

    results = await asyncio.gather(
        *(store.commit_poll(f, OK, batch(f), NOW, decide_or_fail) for f in feeds),
        return_exceptions=True,
    )

    assert isinstance(results[3], ValueError)
    assert all(not isinstance(r, BaseException) for n, r in enumerate(results) if n != 3)
    stored = {r.key for r in await store.recent_items(limit=100)}
    assert stored == {f"f{f}-{n}" for f in feeds if f != broken for n in range(3)}
    state = {f.id: f for f in await store.list_feeds()}
    assert state[broken].last_polled_at is None  # none of its poll was written
    assert all(state[f].last_polled_at is not None for f in feeds if f != broken)


@BOTH
async def test_a_poll_whose_caller_gave_up_waiting_is_written_whole_or_not_at_all(
    store: Store,
) -> None:
    feeds = await feeds_with_theme(store, 4)
    tasks = [
        asyncio.create_task(store.commit_poll(f, OK, batch(f), NOW, same_quote)) for f in feeds
    ]
    await asyncio.sleep(0)  # all four queued
    tasks[2].cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await store.close()  # waits for what was queued, then closes

    reopened = Store(store.engine)
    stored = {r.key for r in await reopened.recent_items(limit=100)}
    await reopened.close()
    others = {f"f{f}-{n}" for f in feeds if f != feeds[2] for n in range(3)}
    gave_up = {f"f{feeds[2]}-{n}" for n in range(3)}
    # SQLite writes a queued poll anyway; PostgreSQL rolls the caller's own transaction back.
    assert stored in (others, others | gave_up)


@BOTH
async def test_a_group_stops_short_of_the_row_bound(store: Store) -> None:
    from store.grouped import MAX_ROWS

    feeds = await feeds_with_theme(store, 3)
    size = MAX_ROWS // 2 + 1  # two such polls are more than one transaction takes

    with transactions_begun(store) as begun:
        commits = await asyncio.gather(
            *(store.commit_poll(f, OK, batch(f, items=size), NOW, same_quote) for f in feeds)
        )

    assert [c.new_items for c in commits] == [size] * 3
    if store.dialect == "sqlite":
        assert len(begun) == 3
