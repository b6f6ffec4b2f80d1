"""A poll cycle that outlasts a feed's interval: the feed, due again before the cycle ends,
is left for the next cycle and not held by a lease nobody will use (it used to wait out the
whole lease, ten minutes, unpolled). Real HTTP from the local feed server, SQLite and
PostgreSQL.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

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


@BOTH
async def test_while_a_feeds_store_waits_its_turn_the_next_batches_are_polled_but_not_endlessly(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    # SQLite writes one store at a time; a cycle that waited for a batch's last write before
    # leasing the next left the network and the parse workers idle. Batches of one feed, one
    # slot: the first feed's store is held back; two more batches go on meanwhile (three
    # unfinished at most), and the rest once it is written.
    import asyncio

    from watchers.poll.cycle import BATCHES_IN_FLIGHT

    paths = [f"/batch{n}.xml" for n in range(6)]
    for n, path in enumerate(paths):
        body = rss([Entry(f"b-{n}", f"Harbour news {n}", "Boats came in.", START)])
        await store.add_feed(feed_server.feed(path, body), START + timedelta(seconds=n))
    first_id = min(f.id for f in await store.list_feeds())
    held = asyncio.Event()
    store_commit = store.commit_poll

    async def commit_poll(feed_id: int, *args: Any, **kwargs: Any) -> Any:
        if feed_id == first_id:
            await held.wait()
        return await store_commit(feed_id, *args, **kwargs)

    store.commit_poll = commit_poll  # type: ignore[method-assign]
    settings = replace(SETTINGS, batch_size=1, concurrency=1)
    later = START + timedelta(minutes=1)
    async with make_client(POLICY) as client:
        cycle = asyncio.create_task(PollCycle(store, POLICY, settings, client, lambda: later).run())
        ahead = paths[1:BATCHES_IN_FLIGHT]
        for _ in range(200):  # up to 10 s for the feeds behind the held one
            stored = (await store.counts())["items"]
            if all(feed_server.hits[p] == 1 for p in ahead) and stored == len(ahead):
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)  # time enough for a feed fetched too early to show
        went = BATCHES_IN_FLIGHT
        assert [feed_server.hits[p] for p in paths] == [1] * went + [0] * (len(paths) - went)
        assert not cycle.done()

        held.set()
        report = await asyncio.wait_for(cycle, 20)
    assert report.feeds_polled == 6 and report.new_items == 6
    assert [feed_server.hits[p] for p in paths] == [1] * 6
    assert await store.feed_lease_owners(later) == []
