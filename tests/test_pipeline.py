"""Feeds to alerts end to end: real HTTP from a local feed server, the real matcher, a real
database (SQLite and PostgreSQL). What a user sees: one alert per statement, nothing twice,
and a broken feed reported while the others go on."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.app.rematching import RematchRunner, resume_pending
from store import Store
from tests.databases import BOTH
from tests.feeds import Entry, rss, seed_entries, split_seeds
from tests.feedserver import FeedServer, feed_server  # noqa: F401  (fixture)
from tests.pipeline import follow_everything, load_shipped_themes, poll

NOW = datetime(2023, 5, 9, 9, 0, tzinfo=UTC)  # days after the last seed was published


async def prepared(store: Store) -> None:
    await load_shipped_themes(store, NOW)
    await follow_everything(store, NOW)


async def due_titles(store: Store) -> list[str]:
    return sorted(r.alert.title for r in await store.due_alerts(NOW + timedelta(days=1)))


@BOTH
async def test_a_new_feed_stores_its_archive_but_alerts_only_recent_items(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    await prepared(store)
    seeds, others = split_seeds(seed_entries())
    recent = Entry("fresh-1", seeds[0].title, seeds[0].description, NOW - timedelta(hours=2))
    url = feed_server.feed("/feed.xml", rss([*seeds, *others, recent]))
    await store.add_feed(url, NOW)

    report = await poll(store, NOW)

    assert report.feeds_polled == 1 and report.new_items == len(seeds) + len(others) + 1
    assert await due_titles(store) == [recent.title]  # the archive is kept, not alerted
    assert len(await store.latest_matches(None, limit=50)) == len(seeds) + 1


@BOTH
async def test_new_on_theme_items_alert_once_and_coverage_of_one_statement_alerts_once(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    await prepared(store)
    seeds, others = split_seeds(seed_entries())
    url = feed_server.feed("/feed.xml", rss(others))
    await store.add_feed(url, NOW)
    await poll(store, NOW)
    assert await due_titles(store) == []

    feed_server.set_body("/feed.xml", rss([*others, *seeds]))
    report = await poll(store, NOW + timedelta(minutes=10))
    # Five articles, six statements: seeds 000 and 003 report one briefing; seed 001 reports
    # Price's statement and Erdogan's and Cavusoglu's of the same day as well.
    assert report.new_items == 5 and report.new_events == 6
    # only the five new entries were parsed; the stored ones were recognised by their text
    assert report.entries_parsed == 5 and report.entries_skipped == len(others)
    assert len(await due_titles(store)) == 6  # one alert per statement
    events, total = await store.timeline_page("normalization-with-assad")
    speakers = sorted(e.speaker or e.office or "" for e in events)
    assert total == 6 and speakers.count("Ned Price") == 2
    briefing = next(e for e in events if e.day.isoformat() == "2023-01-03")
    assert briefing.source_count == 2  # seeds 000 and 003

    again = await poll(store, NOW + timedelta(minutes=20))
    assert again.new_items == 0 and again.alerts_enqueued == 0
    assert len(await due_titles(store)) == 6


@BOTH
async def test_broken_feeds_are_recorded_and_retried_while_the_others_go_on(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    await prepared(store)
    seeds, _ = split_seeds(seed_entries())
    good = feed_server.feed("/good.xml", rss(seeds))
    broken = {
        "times out": feed_server.drip("/slow.xml", b"<rss>" + b" " * 200, interval=0.5),
        "HTTP 500": feed_server.status("/500.xml", 500),
        "HTML": feed_server.feed(
            "/page.html",
            b"<!doctype html><html><head><title>Hi</title></head><body><p>a page</p></body></html>",
            content_type="text/html",
        ),
        "empty": feed_server.feed("/empty.xml", b""),
        "not a feed": feed_server.feed(
            "/junk.xml",
            b"\x00\x01 this is not xml at all {",
            content_type="application/octet-stream",
        ),
    }
    for url in broken.values():
        await store.add_feed(url, NOW)
    await store.add_feed(good, NOW)

    report = await poll(store, NOW)

    assert report.feeds_polled == 1 and report.feeds_failed == len(broken)
    feeds = {f.url: f for f in await store.list_feeds()}
    assert feeds[good].failures == 0 and feeds[good].item_count == len(seeds)
    for what, url in broken.items():
        feed = feeds[url]
        assert feed.failures == 1, what
        assert feed.last_error and url in feed.last_error, what
        assert feed.next_poll_at > NOW, f"{what}: retried later, not at once"
    assert "500" in (feeds[broken["HTTP 500"]].last_error or "")
    assert "HTML" in (feeds[broken["HTML"]].last_error or "")
    assert (
        "timed out" in (feeds[broken["times out"]].last_error or "").lower()
        or "deadline" in (feeds[broken["times out"]].last_error or "").lower()
    )

    # a failing feed backs off further with each failure, and recovers when fixed
    feed_server.status("/500.xml", 500)
    await poll(store, NOW + timedelta(hours=1))
    feed = next(f for f in await store.list_feeds() if f.url == broken["HTTP 500"])
    assert feed.failures == 2
    feed_server.feed("/500.xml", rss(seeds[:1]))
    await poll(store, NOW + timedelta(hours=2))
    feed = next(f for f in await store.list_feeds() if f.url == broken["HTTP 500"])
    assert feed.failures == 0 and feed.last_error is None


async def test_an_unchanged_feed_costs_a_conditional_get_and_no_parsing(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    await prepared(store)
    seeds, _ = split_seeds(seed_entries())
    url = feed_server.feed("/feed.xml", rss(seeds))
    await store.add_feed(url, NOW)
    await poll(store, NOW)
    report = await poll(store, NOW + timedelta(minutes=10))
    assert report.feeds_unchanged == 1 and report.new_items == 0
    last = feed_server.requests[-1].headers
    assert "If-None-Match" in last or "If-Modified-Since" in last


@BOTH
async def test_changing_a_theme_rematches_the_archive_without_alerting(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    from matcher import with_exclusion, with_threshold
    from watchers.poll.rematch import rematch_theme
    from watchers.poll.themes import spec_from_theme, theme_from_spec

    await prepared(store)
    seeds, others = split_seeds(seed_entries())
    url = feed_server.feed("/feed.xml", rss([*seeds, *others]))
    await store.add_feed(url, NOW)
    await poll(store, NOW)
    spec = await store.get_theme("normalization-with-assad")
    assert spec is not None
    theme = theme_from_spec(spec)
    before = {m.item.title for m in await store.latest_matches(theme.slug, 100)}
    assert before == {s.title for s in seeds}

    # excluding the wording of one seed's headline drops that seed, and its event
    blinken = next(s for s in seeds if s.guid == "seed-002")
    narrower = with_exclusion(theme, blinken.title)
    await store.save_theme(spec_from_theme(narrower), NOW)
    seen: list[tuple[int, int]] = []

    async def progress(done: int, total: int) -> None:
        seen.append((done, total))

    report = await rematch_theme(store, narrower, lambda: NOW, progress=progress, batch_size=7)
    assert report.scanned == len(seeds) + len(others) and report.dropped == 1
    assert seen[-1] == (report.scanned, report.scanned) and len(seen) > 1
    after = {m.item.title for m in await store.latest_matches(theme.slug, 100)}
    assert len(after) == len(seeds) - 1
    _, events = await store.timeline_page(theme.slug)
    assert events == 5  # six statements (see above), less Blinken's

    # lowering the threshold to 0 matches everything stored; nothing is alerted for it
    await rematch_theme(store, with_threshold(theme, 0), lambda: NOW)
    assert len(await store.latest_matches(theme.slug, 100)) >= len(seeds)
    assert await store.due_alerts(NOW + timedelta(days=1)) == []


async def test_a_huge_feed_is_capped_and_the_cap_is_reported_on_the_feed(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    await prepared(store)
    entries = [
        Entry(f"n{n}", f"Market report number {n}", "prices moved", NOW - timedelta(minutes=n))
        for n in range(700)
    ]
    url = feed_server.feed("/huge.xml", rss(entries))
    await store.add_feed(url, NOW)
    report = await poll(store, NOW)
    (feed,) = await store.list_feeds()
    assert report.new_items == 500 and feed.item_count == 500
    assert feed.note and "200 items over the cap" in feed.note
    feed_server.set_body("/huge.xml", rss(entries[:10]))
    await poll(store, NOW + timedelta(hours=1))
    (feed,) = await store.list_feeds()
    assert feed.note is None  # the note describes the latest good poll


@BOTH
async def test_one_statement_reported_in_english_and_in_arabic_alerts_once(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    await prepared(store)
    published = NOW - timedelta(hours=3)
    english = Entry(
        "en-1",
        "Jordan backs Syria's return to the Arab League, foreign minister says",
        "Jordanian Foreign Minister Ayman Safadi said Jordan supports Syria's return to the Arab "
        "League and the restoration of ties with Damascus.",
        published,
    )
    arabic = Entry(
        "ar-1",
        "الصفدي: الأردن يدعم عودة سوريا إلى الجامعة العربية",
        "قال وزير الخارجية الأردني أيمن الصفدي إن الأردن يدعم عودة سوريا إلى الجامعة العربية "
        "وعودة العلاقات مع دمشق.",
        published + timedelta(hours=1),
    )
    for n, entry in enumerate((english, arabic)):
        await store.add_feed(feed_server.feed(f"/f{n}.xml", rss([entry])), NOW)

    report = await poll(store, NOW)

    assert report.new_matches == 2 and report.new_events == 1
    assert len(await due_titles(store)) == 1  # one alert per chat for the one statement
    events, total = await store.timeline_page("normalization-with-assad")
    assert total == 1 and events[0].source_count == 2


@BOTH
async def test_a_rematch_cut_off_by_a_stop_is_run_again_by_the_next_process(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    await prepared(store)
    seeds, others = split_seeds(seed_entries())
    await store.add_feed(feed_server.feed("/feed.xml", rss([*seeds, *others])), NOW)
    await poll(store, NOW)
    assert len(await store.latest_matches(None, limit=50)) == len(seeds)

    # A change whose re-match was begun by a process killed before it finished:
    spec = await store.get_theme("normalization-with-assad")
    assert spec is not None
    changed = await store.save_theme(replace(spec, exclude=(*spec.exclude, "Assad")), NOW)
    await store.rematch_started(changed.slug, changed.version)
    assert await store.rematches_pending() == [changed.slug]
    await store.rematch_finished(changed.slug, changed.version - 1)  # an older run ending
    assert await store.rematches_pending() == [changed.slug]

    runner = RematchRunner(store, lambda: NOW, told)
    assert await resume_pending(store, runner) == [changed.slug]  # the next process starts
    await runner.wait()

    assert await store.rematches_pending() == []
    assert len(await store.latest_matches(None, limit=50)) < len(seeds)  # "Assad" excluded now
    assert await due_titles(store) == []  # re-matching never alerts old items


async def told(_chat: int, _text: str) -> None:
    return None


@BOTH
async def test_an_entry_the_feed_rewrites_updates_its_item_and_alerts_once_when_it_now_matches(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    await prepared(store)
    published = NOW - timedelta(hours=2)
    first = Entry("rewritten-1", "Ministers meet in Amman", "A meeting took place.", published)
    url = feed_server.feed("/edits.xml", rss([first]))
    await store.add_feed(url, NOW)
    await poll(store, NOW)
    assert await due_titles(store) == []

    # The outlet rewrites the entry (same guid) once the story firms up.
    rewritten = replace(
        first,
        title="Jordan backs Syria's return to the Arab League, foreign minister says",
        description="Jordanian Foreign Minister Ayman Safadi said Jordan supports the "
        "restoration of ties with Damascus.",
    )
    feed_server.set_body("/edits.xml", rss([rewritten]))
    report = await poll(store, NOW + timedelta(minutes=10))

    assert report.new_items == 0 and report.new_matches == 1 and report.new_events == 1
    assert await due_titles(store) == [rewritten.title]  # the new text, alerted once
    (item,) = await store.search_items("Safadi", limit=5)
    assert item.title == rewritten.title
    events, total = await store.timeline_page("normalization-with-assad")
    assert total == 1 and events[0].speaker == "Ayman Safadi"

    # Read again, unchanged: nothing more; rewritten again: the match it has is kept as it was.
    again = await poll(store, NOW + timedelta(minutes=20))
    assert again.new_matches == 0 and again.alerts_enqueued == 0
    feed_server.set_body("/edits.xml", rss([replace(rewritten, description="Updated.")]))
    third = await poll(store, NOW + timedelta(minutes=30))
    assert third.new_matches == 0 and third.alerts_enqueued == 0
    assert len(await due_titles(store)) == 1


@BOTH
async def test_one_story_naming_nobody_from_several_outlets_alerts_once(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    await prepared(store)
    title = "House passes bill to counter normalization with Assad"
    summary = (
        "The bill would bar the federal government from recognizing or normalizing relations "
        "with any Syrian government led by Bashar al-Assad."
    )
    for n in range(4):  # syndicated wire copy: one story, four outlets, nobody named
        entry = Entry(f"wire-{n}", title, summary, NOW - timedelta(hours=2, minutes=n))
        await store.add_feed(feed_server.feed(f"/wire{n}.xml", rss([entry])), NOW)

    report = await poll(store, NOW)

    assert report.new_matches == 4 and report.new_events == 1
    assert await due_titles(store) == [title]  # one alert for the console chat
    events, total = await store.timeline_page("normalization-with-assad")
    assert total == 1 and events[0].source_count == 4


async def test_a_lowered_max_poll_interval_holds_for_feeds_scheduled_before_it(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    # QA round 12: after a restart with MAX_POLL_INTERVAL lowered, feeds waited out the
    # longer interval they had been scheduled under.
    from bot.app.wiring import Poller
    from tests.pipeline import APP_SETTINGS

    await prepared(store)
    await store.add_feed(feed_server.feed("/feed.xml", rss(split_seeds(seed_entries())[1])), NOW)
    hourly = APP_SETTINGS.model_copy(
        update={"poll_interval": 3600.0, "min_poll_interval": 3600.0, "max_poll_interval": 7200.0}
    )
    first = Poller(store, hourly, clock=lambda: NOW, parse_workers=0)
    try:
        assert (await first.cycle()).feeds_polled == 1
    finally:
        await first.close()
    (feed,) = await store.list_feeds()
    assert feed.next_poll_at >= NOW + timedelta(minutes=59)

    later = NOW + timedelta(minutes=11)
    tighter = APP_SETTINGS.model_copy(
        update={"poll_interval": 300.0, "min_poll_interval": 60.0, "max_poll_interval": 600.0}
    )
    clock = [later]
    second = Poller(store, tighter, clock=lambda: clock[0], parse_workers=0)
    try:
        assert (await second.cycle()).feeds_polled == 0  # not due yet: within ten minutes
        (feed,) = await store.list_feeds()
        assert feed.next_poll_at == later + timedelta(minutes=10)
        assert feed.interval_seconds == 600, "/feeds shows the interval it is polled at"
        clock[0] = later + timedelta(minutes=10)
        report = await second.cycle()
        assert report.feeds_polled + report.feeds_unchanged == 1  # asked again (304)
    finally:
        await second.close()
