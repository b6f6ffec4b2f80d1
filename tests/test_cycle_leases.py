"""A poll cycle that outlasts a feed's interval: the feed, due again before the cycle ends,
is left for the next cycle and not held by a lease nobody will use (it used to wait out the
whole lease, ten minutes, unpolled). Real HTTP from the local feed server, SQLite and
PostgreSQL.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.app.firstrun import once_summary
from store import Store
from tests.databases import BOTH
from tests.feeds import Entry, rss
from tests.feedserver import FeedServer, feed_server  # noqa: F401  (fixture)
from tests.pipeline import POLICY, SETTINGS
from watchers.fetch.client import make_client
from watchers.poll.cycle import CycleReport, PollCycle

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class SlowClock:
    """Each reading is a day after the last: a cycle much longer than any poll interval."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        self.now += timedelta(days=1)
        return self.now


@BOTH
async def test_a_feed_due_again_during_a_long_cycle_is_not_left_leased(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    for name in ("north", "south"):
        body = rss([Entry(name, f"Weather in the {name}", "Rain", START)])
        await store.add_feed(feed_server.feed(f"/{name}.xml", body), START)
    # One feed a batch: the second batch is leased while the first is polled, and the third
    # lease comes after the first feed's interval has run out (but long before any lease's).
    settings = replace(SETTINGS, owner="host:1", batch_size=1, lease_seconds=365 * 86400.0)
    clock = SlowClock()

    async with make_client(POLICY) as client:
        first = await PollCycle(store, POLICY, settings, client, clock).run()
        assert first.feeds_polled == 2
        assert await store.feed_lease_owners(START) == []  # nothing held for nobody

        after = clock.now + timedelta(minutes=1)
        await store.poll_feeds_now(after)
        second = await PollCycle(store, POLICY, settings, client, lambda: after).run()
    assert second.feeds_polled + second.feeds_unchanged == 2  # both polled again at once


@BOTH
async def test_feeds_another_process_is_polling_are_counted_and_said_by_run_once(
    store: Store,
) -> None:
    for n in range(3):
        await store.add_feed(f"https://news{n}.example/rss.xml", START)
    taken = await store.lease_due_feeds(START, "vm:111", 2, 600)
    assert len(taken) == 2
    assert await store.feeds_leased_by_others(START, "vm:222") == 2
    assert await store.feeds_leased_by_others(START, "vm:111") == 0
    assert await store.feeds_leased_by_others(START + timedelta(hours=1), "vm:222") == 0

    report = CycleReport(feeds_polled=1, feeds_elsewhere=2)
    assert once_summary(report, 0) == (
        "polled 1 feed: 0 new items, 0 alerts sent; 2 feeds left to the policywatch process "
        "polling them now (it stores and alerts them)"
    )


@BOTH
async def test_feeds_leased_by_a_killed_process_of_this_host_are_polled_at_the_next_cycle(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    # A watcher killed with kill -9 leaves its leases behind; a live process on the same host
    # sees its PID is gone and polls the feeds at once (QA: they waited ten minutes).
    import asyncio
    import socket
    import sys

    from tests.pipeline import poll

    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "import os; print(os.getpid())", stdout=asyncio.subprocess.PIPE
    )
    out, _ = await child.communicate()
    gone = int(out)  # a process of this host that has exited
    dead_owner = f"{socket.gethostname()}:{gone}"
    entry = Entry("l-1", "Lease test", "Nothing on any theme.", START - timedelta(hours=1))
    await store.add_feed(feed_server.feed("/leased.xml", rss([entry])), START)
    assert len(await store.lease_due_feeds(START, dead_owner, 10, 600)) == 1

    report = await poll(store, START + timedelta(seconds=30))

    assert report.feeds_polled == 1 and report.new_items == 1
    assert await store.feed_lease_owners(START + timedelta(seconds=30)) == []
