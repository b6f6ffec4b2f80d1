"""One statement, one alert, however the reports arrive: many outlets in one cycle polled side
by side with real worker processes, two pollers on one database at once, and an outlet that
gives the weekday beside one that gives no day. Real HTTP, real matcher, SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from store import Store
from tests.databases import BOTH
from tests.feeds import Entry, rss, seed_entries, split_seeds
from tests.feedserver import FeedServer, feed_server  # noqa: F401  (fixture)
from tests.pipeline import POLICY, SETTINGS, follow_everything, load_shipped_themes
from watchers.fetch.client import make_client
from watchers.poll.cycle import PollCycle
from watchers.poll.workerpool import make_parse_pool

NOW = datetime(2023, 1, 5, 12, 0, tzinfo=UTC)  # the day after the briefing was reported
OUTLETS = 16
HEADLINES = (
    "US says it opposes countries normalizing with Assad",
    "Washington warns allies against upgrading ties with Damascus",
    "State Department: now is not the time to normalize with Syria's Assad",
    "US rejects Turkey's rapprochement with Assad",
)


def briefing_reports() -> list[Entry]:
    """The 2023-01-03 briefing as sixteen outlets ran it: two texts, many headlines."""
    seeds, _ = split_seeds(seed_entries())
    texts = [s for s in seeds if s.guid in ("seed-000", "seed-003")]
    return [
        Entry(
            guid=f"outlet-{n}",
            title=HEADLINES[n % len(HEADLINES)],
            description=texts[n % 2].description,
            published=NOW - timedelta(hours=2 + n % 5),
            link=f"https://outlet{n}.example/briefing",
        )
        for n in range(OUTLETS)
    ]


@pytest.fixture
def parse_pool() -> Iterator[object]:
    pool = make_parse_pool(2)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


async def subscribed(store: Store) -> None:
    await load_shipped_themes(store, NOW)
    await follow_everything(store, NOW)
    await store.upsert_chat(-300, "group", "team", NOW)
    await store.subscribe(-300, "normalization-with-assad", NOW)


async def events_and_alerts(store: Store) -> tuple[int, list[int]]:
    _, total = await store.timeline_page("normalization-with-assad")
    due = await store.due_alerts(NOW + timedelta(days=1), limit=1000)
    return total, sorted(r.chat_id for r in due)


@BOTH
async def test_sixteen_outlets_polled_at_once_make_one_event_and_one_alert_per_chat(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
    parse_pool: object,
) -> None:
    await subscribed(store)
    for n, report in enumerate(briefing_reports()):
        url = feed_server.feed(f"/outlet-{n}.xml", rss([report], title=f"Outlet {n}"))
        await store.add_feed(url, NOW)
    await store.poll_feeds_now(NOW)

    async with make_client(POLICY) as client:
        cycle = PollCycle(store, POLICY, SETTINGS, client, lambda: NOW, parse_pool)  # type: ignore[arg-type]
        report = await cycle.run()

    assert report.feeds_polled == OUTLETS and report.new_items == OUTLETS
    events, chats = await events_and_alerts(store)
    assert events == 1
    assert chats == sorted([0, -300])  # the console chat and the team: one alert each
    (event,), _ = await store.timeline_page("normalization-with-assad")
    assert event.source_count == OUTLETS and event.speaker == "Ned Price"


@BOTH
async def test_two_pollers_on_one_database_make_one_event(
    database_url: str,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    # Two Store objects are two engines with their own pools and locks: as two processes.
    first, second = await Store.open(database_url), await Store.open(database_url)
    try:
        await subscribed(first)
        for n, report in enumerate(briefing_reports()):
            # Each answer takes a moment, so neither poller can lease every feed first.
            url = feed_server.stall(f"/two-{n}.xml", 0.2, rss([report]))
            await first.add_feed(url, NOW)
        await first.poll_feeds_now(NOW)
        async with make_client(POLICY) as client:
            one = replace(SETTINGS, owner="watcher-1", batch_size=2, concurrency=4)
            two = replace(SETTINGS, owner="watcher-2", batch_size=2, concurrency=4)
            reports = await asyncio.gather(
                PollCycle(first, POLICY, one, client, lambda: NOW).run(),
                PollCycle(second, POLICY, two, client, lambda: NOW).run(),
            )
        assert sum(r.feeds_polled for r in reports) == OUTLETS
        assert all(r.feeds_polled for r in reports)  # both really took part
        events, chats = await events_and_alerts(first)
        assert events == 1 and chats == sorted([0, -300])
    finally:
        await first.close()
        await second.close()


@BOTH
async def test_a_report_without_a_day_joins_the_report_that_gives_the_weekday(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    await subscribed(store)
    with_day = Entry(
        "weekday",
        "US opposes normalizing with Assad",
        "State Department spokesperson Ned Price said on Tuesday that Washington opposes "
        "countries normalizing with Bashar al-Assad: “now is not the time to normalize "
        "relations, now is not the time to upgrade relations.”",
        datetime(2023, 1, 4, 9, 0, tzinfo=UTC),
    )
    without_day = Entry(
        "no-day",
        "Washington: not the time to upgrade relations with Assad",
        "Ned Price, the State Department spokesperson, told reporters that “now is not the "
        "time to normalize relations, now is not the time to upgrade relations” with Assad.",
        datetime(2023, 1, 9, 9, 0, tzinfo=UTC),
    )
    for n, entry in enumerate((with_day, without_day)):
        await store.add_feed(feed_server.feed(f"/day-{n}.xml", rss([entry])), NOW)
    later = datetime(2023, 1, 9, 12, 0, tzinfo=UTC)
    await store.poll_feeds_now(later)
    async with make_client(POLICY) as client:
        await PollCycle(store, POLICY, SETTINGS, client, lambda: later).run()
    (event,), total = await store.timeline_page("normalization-with-assad")
    assert total == 1 and event.source_count == 2
    assert event.day.isoformat() == "2023-01-03"  # the Tuesday the statement was made


def _meaning_loaded() -> bool:
    """(run in a worker) whether this process has loaded the meaning model."""
    import time

    from matcher import meaning

    time.sleep(0.1)  # held a moment, so that calls side by side reach every worker
    return bool(meaning._MODEL)


@BOTH
async def test_a_taught_theme_is_scored_as_taught_while_workers_never_load_its_meaning(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
    parse_pool: object,
) -> None:
    from matcher import ItemText, Scorer
    from matcher.scoring import uses_meaning
    from matcher.teach import with_labels
    from tests.test_matcher_learning import UNSEEN_OFF, UNSEEN_ON, labels, theme
    from watchers.poll.themes import spec_from_theme

    taught, _ = with_labels(theme(), labels(1, 24))
    assert uses_meaning(taught)
    await store.save_theme(spec_from_theme(taught), NOW)
    entries = [
        Entry(f"story-{n}", title, summary, NOW - timedelta(hours=1), f"https://o.example/{n}")
        for n, (title, summary) in enumerate([*UNSEEN_ON, *UNSEEN_OFF])
    ]
    url = feed_server.feed("/ferry.xml", rss(entries, title="Ferry news"))
    await store.add_feed(url, NOW)
    await store.poll_feeds_now(NOW)

    async with make_client(POLICY) as client:
        cycle = PollCycle(store, POLICY, SETTINGS, client, lambda: NOW, parse_pool)  # type: ignore[arg-type]
        report = await cycle.run()

    # The same decisions as the taught theme scored in one process (UNSEEN_OFF's first item
    # reaches the model and only its meaning keeps it out).
    direct = Scorer([taught])
    want = sorted(
        title
        for title, summary in [*UNSEEN_ON, *UNSEEN_OFF]
        if direct.score_one(ItemText(title, summary), "ferry").matched
    )
    assert want == sorted(title for title, _ in UNSEEN_ON)
    assert report.new_matches == len(want)
    stored = await store.recent_items(limit=10)
    assert len(stored) == len(entries)
    loop = asyncio.get_running_loop()
    checks = [loop.run_in_executor(parse_pool, _meaning_loaded) for _ in range(4)]  # type: ignore[arg-type]
    assert not any(await asyncio.gather(*checks))
