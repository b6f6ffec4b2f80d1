"""Poll cycles with real parse worker processes: a non-feed, or a worker killed mid-cycle,
breaks only itself; the good feeds keep being parsed and stored cycle after cycle, and the
non-feed backs off like any failing feed (issue 11)."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import web

from store import Store
from tests.feeds import Entry, rss
from tests.feedserver import FeedServer, feed_server  # noqa: F401  (fixture)
from tests.pipeline import POLICY, SETTINGS
from watchers.fetch.client import make_client
from watchers.poll.cycle import CycleReport, PollCycle
from watchers.poll.workerpool import ParsePool

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
GOOD = 4
NOT_FEEDS = {
    "/page.html": (b"<!doctype html><html><body><p>our news</p></body></html>", "text/html"),
    "/empty.xml": (b"", "application/rss+xml"),
    "/logo.png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "image/png"),
}


def good_feed(n: int, items: int) -> bytes:
    entries = [
        Entry(f"f{n}-{k}", f"Outlet {n} report {k}", "Ministers met in Amman.", NOW)
        for k in range(items)
    ]
    return rss(entries, title=f"Outlet {n}")


@pytest.fixture
def pool() -> Iterator[ParsePool]:
    pool = ParsePool(2)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


async def cycle(store: Store, pool: ParsePool, now: datetime) -> CycleReport:
    await store.poll_feeds_now(now)
    async with make_client(POLICY) as client:
        return await PollCycle(store, POLICY, SETTINGS, client, lambda: now, pool).run()


async def test_non_feeds_among_good_feeds_fail_alone_cycle_after_cycle(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
    pool: ParsePool,
) -> None:
    good = [feed_server.feed(f"/good{n}.xml", good_feed(n, 3)) for n in range(GOOD)]
    bad = [feed_server.feed(p, body, content_type=ct) for p, (body, ct) in NOT_FEEDS.items()]
    for url in [*bad, *good]:
        await store.add_feed(url, NOW)
    waits: dict[str, list[timedelta]] = {url: [] for url in bad}

    for k in range(1, 4):
        now = NOW + timedelta(hours=k)
        for n in range(GOOD):
            feed_server.set_body(f"/good{n}.xml", good_feed(n, 3 + k))
        report = await cycle(store, pool, now)

        assert report.feeds_polled == GOOD and report.feeds_failed == len(bad), report.errors
        feeds = {f.url: f for f in await store.list_feeds()}
        assert [feeds[u].item_count for u in good] == [3 + k] * GOOD
        assert all(feeds[u].failures == 0 for u in good)
        for url in bad:
            assert feeds[url].failures == k
            error = feeds[url].last_error or ""
            assert url in error and "BrokenProcessPool" not in error
            waits[url].append(feeds[url].next_poll_at - now)
    assert "HTML page" in (feeds[bad[0]].last_error or "")
    assert "empty body" in (feeds[bad[1]].last_error or "")
    for url, seen in waits.items():
        assert seen[0] < seen[1] < seen[2], f"{url} backs off: {seen}"
    assert pool.replaced == 0  # no error broke the pool


async def test_workers_killed_in_the_middle_of_a_cycle_are_replaced(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
    pool: ParsePool,
) -> None:
    good = [feed_server.feed(f"/good{n}.xml", good_feed(n, 3)) for n in range(GOOD)]
    killed: list[int] = []

    async def kill_the_workers(request: web.Request) -> web.StreamResponse:
        # Serving this feed kills every parse worker, as the OOM killer might.
        for pid in pool.worker_pids():
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        return web.Response(body=good_feed(99, 2), content_type="application/rss+xml")

    trigger = feed_server.route("/trigger.xml", kill_the_workers)
    for url in good:
        await store.add_feed(url, NOW)
    first = await cycle(store, pool, NOW)
    assert first.feeds_polled == GOOD
    await store.add_feed(trigger, NOW)

    for k in range(1, 3):
        for n in range(GOOD):
            feed_server.set_body(f"/good{n}.xml", good_feed(n, 3 + k))
        report = await cycle(store, pool, NOW + timedelta(hours=k))
        assert report.feeds_failed == 0, report.errors
        feeds = {f.url: f for f in await store.list_feeds()}
        assert [feeds[u].item_count for u in good] == [3 + k] * GOOD
        assert feeds[trigger].item_count == 2
    assert killed and pool.replaced >= 1


async def test_the_cycle_counts_feeds_feedparser_had_to_read(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
    pool: ParsePool,
) -> None:
    old_style = (
        b'<?xml version="1.0"?><rss version="0.91"><channel><title>Old&nbsp;Wire</title>'
        b"<item><title>Caf&eacute; talks</title><link>https://old.example.org/1</link></item>"
        b"</channel></rss>"
    )
    await store.add_feed(feed_server.feed("/old.xml", old_style), NOW)
    await store.add_feed(feed_server.feed("/good.xml", good_feed(1, 3)), NOW)
    report = await cycle(store, pool, NOW)
    assert report.feeds_polled == 2 and report.parse_fallbacks == 1
    assert report.new_items == 4
