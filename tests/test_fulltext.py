"""The full text of thin matched items: a poll queues them, a later run fetches each article
once through the guarded client, and the statements it reports join the timeline, unalerted.

Real HTTP from the local feed server, the real matcher and store (SQLite and PostgreSQL).
The article pages are written for these tests.
"""

from __future__ import annotations

import asyncio
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import web
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Connection

from bot.app.settings import Settings
from bot.app.wiring import Poller, open_store
from bot.chat.views import feeds_list
from matcher.themes import with_exclusion
from store import Store, make_engine, upgrade
from store.db import alembic_config
from store.records import ItemToStore, NewItem
from store.schema import metadata
from tests.databases import BOTH
from tests.feeds import Entry, rss
from tests.feedserver import FeedServer, feed_server  # noqa: F401  (fixture)
from tests.pipeline import POLICY, follow_everything, load_shipped_themes, poll
from tests.storing import stored_before
from tests.test_cli import run_cli
from watchers.fetch.client import FetchPolicy, make_client
from watchers.poll.fulltext import (
    RETRIES,
    RETRY_WAITS,
    THIN_CHARS,
    FullTextFetcher,
    FullTextReport,
    FullTextSettings,
    is_thin,
    next_try,
)
from watchers.poll.rematch import rematch_theme
from watchers.poll.themes import theme_from_spec

NOW = datetime(2023, 5, 9, 9, 0, tzinfo=UTC)
SLUG = "normalization-with-assad"
THIN_TITLE = "US says it will not normalize relations with the Assad regime"
THIN_SUMMARY = "Washington restated its position on Damascus this week."
ARTICLE = b"""<!doctype html><html><head><title>US will not normalize with Assad</title></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>US says it will not normalize relations with the Assad regime</h1>
<p>State Department spokesperson Ned Price said on Monday that "we will not normalize
relations with the Assad regime and we do not support others normalizing relations with
Damascus." He spoke at the daily briefing in Washington.</p>
<p>Turkish Foreign Minister Mevlut Cavusoglu said on Sunday that "there are no preconditions
for dialogue with Damascus" and that Ankara was ready to talk about normalization with the
Syrian government.</p>
<p>Analysts in the region expect more meetings between the two sides before the end of the
year, although no date was given for a meeting.</p></article>
<footer>Copyright and contact links go here.</footer></body></html>"""
NO_SETTLE = FullTextSettings(host_delay=0)  # tests never wait on the pause between requests


def long_summary() -> str:
    sentence = (
        "Officials in Washington said again that relations with the Assad regime would not be "
        "normalized while the conflict continues and no political settlement is in sight. "
    )
    return sentence * 4


async def prepared(store: Store) -> None:
    await load_shipped_themes(store, NOW)
    await follow_everything(store, NOW)


async def enrich(store: Store, policy: FetchPolicy = POLICY, now: datetime = NOW) -> FullTextReport:
    """One run of the fetcher, as `Poller.enrich` does after a cycle."""
    async with make_client(policy) as client:
        return await FullTextFetcher(store, policy, client, lambda: now, NO_SETTLE).run()


async def item_id_of(store: Store, title: str) -> int:
    return next(i.id for i in await store.recent_items() if i.title == title)


def thin_entry(guid: str, link: str) -> Entry:
    return Entry(guid, THIN_TITLE, THIN_SUMMARY, NOW - timedelta(hours=1), link)


async def polled_thin_item(store: Store, server: FeedServer, path: str, guid: str) -> str:
    """A thin matched item whose article is served at `path`, polled once; its link."""
    await prepared(store)
    link = server.page(path, ARTICLE)
    await store.add_feed(server.feed("/feed.xml", rss([thin_entry(guid, link)])), NOW)
    await poll(store, NOW)
    return link


def test_thin_is_title_and_summary_under_the_threshold() -> None:
    assert is_thin(THIN_TITLE, THIN_SUMMARY)
    assert not is_thin(THIN_TITLE, long_summary())
    assert not is_thin("", "x" * THIN_CHARS)


@BOTH
async def test_a_thin_matched_item_gets_its_article_and_its_other_statement_unalerted(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    await polled_thin_item(store, feed_server, "/news/us-assad", "a1")
    item_id = await item_id_of(store, THIN_TITLE)
    assert (await store.full_text_of(item_id))[0] == "wanted"
    assert feed_server.hits["/news/us-assad"] == 0  # the poll itself fetched no article
    before, _ = await store.timeline_page(SLUG, limit=20)
    alerts_before = len(await store.due_alerts(NOW + timedelta(days=1)))

    report = await enrich(store)

    assert (report.fetched, report.failed) == (1, 0)
    status, text, error = await store.full_text_of(item_id)
    assert status == "fetched" and error is None and text is not None
    assert "no preconditions for dialogue with Damascus" in text
    assert "Copyright and contact links" not in text  # the main text, not the page's chrome
    after, _ = await store.timeline_page(SLUG, limit=20)
    new = [e for e in after if e.id not in {b.id for b in before}]
    assert [(e.speaker, e.stance, e.day) for e in new if e.speaker == "Mevlut Cavusoglu"] == [
        ("Mevlut Cavusoglu", "supports", date(2023, 5, 7))
    ]
    sources = await store.event_sources([e.id for e in new])
    assert all([s.item_id for s in sources[e.id]] == [item_id] for e in new)
    # The match's key statement and its event stay; the article's statements are not alerted.
    assert {b.id for b in before} <= {e.id for e in after}
    assert len(await store.due_alerts(NOW + timedelta(days=1))) == alerts_before
    # Once per link: a second run finds nothing to do.
    assert (await enrich(store)).fetched == 0
    assert feed_server.hits["/news/us-assad"] == 1


def test_a_passing_failure_is_tried_again_later_a_few_times_and_a_final_one_never() -> None:
    assert next_try(1, permanent=False, now=NOW) == NOW + RETRY_WAITS[0]
    assert next_try(RETRIES, permanent=False, now=NOW) == NOW + RETRY_WAITS[-1]
    assert next_try(RETRIES + 1, permanent=False, now=NOW) is None  # given up
    assert next_try(1, permanent=True, now=NOW) is None  # 404, a refused address, no article
    # A server asking for longer is waited for, but not for more than a day.
    assert next_try(1, False, NOW, retry_after=3600) == NOW + timedelta(hours=1)
    assert next_try(1, False, NOW, retry_after=10**7) == NOW + timedelta(days=1)


@BOTH
async def test_re_matching_an_item_reads_the_statements_of_its_fetched_article_again(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    """A theme change that drops an item and one that brings it back: the article's statement
    comes back with it, though the feed's text does not hold it."""
    await polled_thin_item(store, feed_server, "/news/us-assad", "a1")
    await enrich(store)
    spec = await store.get_theme(SLUG)
    assert spec is not None
    theme = theme_from_spec(spec)

    async def speakers() -> set[str | None]:
        page, _ = await store.timeline_page(SLUG, limit=20)
        return {e.speaker for e in page}

    assert "Mevlut Cavusoglu" in await speakers()
    owed = [(r.chat_id, r.alert.match_id) for r in await store.due_alerts(NOW + timedelta(days=1))]
    await rematch_theme(store, with_exclusion(theme, THIN_TITLE), lambda: NOW)
    assert await speakers() == set()
    report = await rematch_theme(store, theme, lambda: NOW)
    assert report.added == 1
    assert "Mevlut Cavusoglu" in await speakers()
    assert feed_server.hits["/news/us-assad"] == 1  # read from the store, not fetched again
    # re-matching never alerts: the alert owed before the change is owed again, no other
    due = await store.due_alerts(NOW + timedelta(days=1))
    assert [(r.chat_id, r.alert.match_id) for r in due] == owed


@BOTH
async def test_a_long_item_is_not_fetched_and_a_missing_article_is_tried_once(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    await prepared(store)
    long_link = feed_server.page("/news/long", ARTICLE)
    gone = feed_server.status("/news/gone", 404)
    long_entry = Entry("l1", THIN_TITLE, long_summary(), NOW - timedelta(hours=1), long_link)
    feed = rss([long_entry, thin_entry("b1", gone)])
    await store.add_feed(feed_server.feed("/feed.xml", feed), NOW)
    await poll(store, NOW)

    first = await enrich(store)
    second = await enrich(store, now=NOW + timedelta(days=2))

    assert (first.fetched, first.failed, first.retrying) == (0, 1, 0)
    assert "HTTP 404" in first.errors[0]
    assert (second.fetched, second.failed, second.retrying) == (0, 0, 0)
    assert feed_server.hits["/news/long"] == 0
    assert feed_server.hits["/news/gone"] == 1
    statuses = {i.link: (await store.full_text_of(i.id))[0] for i in await store.recent_items()}
    assert statuses == {long_link: None, gone: "failed"}


@BOTH
async def test_an_article_a_site_fails_to_serve_is_tried_again_until_it_comes_or_we_give_up(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    await prepared(store)
    flaky = feed_server.status("/news/flaky", 503)
    down = feed_server.status("/news/down", 500)
    feed = rss([thin_entry("f1", flaky), thin_entry("d1", down)])
    feed_id = (await store.add_feed(feed_server.feed("/feed.xml", feed), NOW)).id
    await poll(store, NOW)

    first = await enrich(store)
    assert (first.fetched, first.failed, first.retrying) == (0, 0, 2)
    early = await enrich(store, now=NOW + RETRY_WAITS[0] / 2)  # not due yet: nothing asked
    assert (early.fetched, early.retrying) == (0, 0)
    assert (feed_server.hits["/news/flaky"], feed_server.hits["/news/down"]) == (1, 1)
    trouble = await store.article_trouble(NOW - timedelta(days=7))
    assert trouble[feed_id].retrying == 2 and trouble[feed_id].failed == 0
    assert "HTTP 50" in (trouble[feed_id].last_error or "")

    feed_server.page("/news/flaky", ARTICLE)  # the site is back for one of them
    now = NOW
    for wait in RETRY_WAITS:
        now += wait
        await enrich(store, now=now)
    assert (feed_server.hits["/news/flaky"], feed_server.hits["/news/down"]) == (2, 1 + RETRIES)
    assert (await store.full_text_of(await item_id_of(store, THIN_TITLE)))[0] in {
        "fetched",
        "failed",
    }
    statuses = {i.link: (await store.full_text_of(i.id))[0] for i in await store.recent_items()}
    assert statuses == {flaky: "fetched", down: "failed"}
    last = await enrich(store, now=now + timedelta(days=1))  # given up: never asked again
    assert (last.fetched, last.failed, last.retrying) == (0, 0, 0)
    assert feed_server.hits["/news/down"] == 1 + RETRIES
    trouble = await store.article_trouble(now - timedelta(days=7))
    assert (trouble[feed_id].failed, trouble[feed_id].retrying) == (1, 0)
    view = feeds_list(await store.list_feeds(), trouble)
    assert "articles: 1 could not be fetched this week; last:" in view and "HTTP 500" in view


@BOTH
async def test_a_feed_with_full_text_off_is_not_fetched_until_turned_on(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    await prepared(store)
    link = feed_server.page("/news/off", ARTICLE)
    feed = await store.add_feed(feed_server.feed("/feed.xml", rss([thin_entry("o1", link)])), NOW)
    await store.set_feed_full_text(feed.id, False)
    await poll(store, NOW)

    assert (await enrich(store)).fetched == 0
    assert feed_server.hits["/news/off"] == 0
    assert (await store.find_feed(str(feed.id))) is not None
    assert not (await store.find_feed(str(feed.id))).full_text  # type: ignore[union-attr]

    await store.set_feed_full_text(feed.id, True)
    feed_server.set_body("/feed.xml", rss([thin_entry("o2", link + "?again")]))
    await poll(store, NOW + timedelta(minutes=10))
    assert (await enrich(store)).fetched == 1


@BOTH
async def test_the_same_link_in_two_feeds_is_fetched_once(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    await prepared(store)
    link = feed_server.page("/news/shared", ARTICLE)
    await store.add_feed(feed_server.feed("/one.xml", rss([thin_entry("s1", link)])), NOW)
    await store.add_feed(feed_server.feed("/two.xml", rss([thin_entry("s2", link)])), NOW)
    await poll(store, NOW)

    report = await enrich(store)

    assert (report.fetched, report.reused) == (2, 1)
    assert feed_server.hits["/news/shared"] == 1
    texts = {(await store.full_text_of(i.id))[1] for i in await store.recent_items()}
    assert len(texts) == 1 and None not in texts


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_private_address_is_refused_unless_private_feeds_are_allowed(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    await prepared(store)
    link = feed_server.page("/news/private", ARTICLE)
    await store.add_feed(feed_server.feed("/feed.xml", rss([thin_entry("p1", link)])), NOW)
    await poll(store, NOW)  # the feed itself is read with private addresses allowed

    report = await enrich(store, FetchPolicy(allow_private=False, total_timeout=3.0))

    assert report.failed == 1 and "ALLOW_PRIVATE_FEEDS" in report.errors[0]
    assert feed_server.hits["/news/private"] == 0


def _downgrade(connection: Connection, revision: str) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    command.downgrade(cfg, revision)


@BOTH
async def test_migration_0012_keeps_stored_items_and_their_search(
    database_url: str,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    engine = make_engine(database_url)
    try:
        async with engine.begin() as conn:  # the test database is migrated: start empty
            await conn.run_sync(metadata.drop_all)
            await conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
            await conn.execute(text("DROP TABLE IF EXISTS items_fts"))
        await upgrade(engine, "0010")
        store = Store(engine)
        await stored_before(store, [old_item("old", "Ferry talks with Damascus resume")], NOW)
        await upgrade(engine)  # 0010 -> head: plain ADD COLUMNs, the search triggers stay
        assert [i.key for i in await store.search_items("ferry damascus")] == ["old"]
        feed = await store.find_feed("https://example.org/old")
        assert feed is not None and feed.full_text  # on by default for feeds already there

        # After 0012 a poll queues and the fetcher stores, and search still finds both.
        await prepared(store)
        link = feed_server.page("/news/after", ARTICLE)
        await store.add_feed(feed_server.feed("/feed.xml", rss([thin_entry("n1", link)])), NOW)
        await poll(store, NOW)
        assert (await enrich(store)).fetched == 1
        assert [i.title for i in await store.search_items("normalize assad regime")] == [THIN_TITLE]
        assert [i.key for i in await store.search_items("ferry")] == ["old"]

        async with engine.begin() as conn:
            await conn.run_sync(_downgrade, "0010")
        await upgrade(engine)  # and up again
        assert [i.key for i in await store.search_items("ferry")] == ["old"]
    finally:
        await engine.dispose()


def old_item(key: str, title: str) -> ItemToStore:
    published = NOW - timedelta(days=3)
    return ItemToStore(NewItem(key, title, "", None, published, True), (), alertable=False)


async def test_run_once_fetches_the_article_and_feeds_fulltext_turns_it_off(
    tmp_path: Path,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    """`run --once` (every front end's Poller) fetches queued articles after its cycle."""
    link = feed_server.page("/news/cli", ARTICLE)
    feed_server.feed("/feed.xml", rss([thin_entry("c1", link)]))

    async def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return await asyncio.to_thread(run_cli, list(args), tmp_path)

    assert (await cli("feeds", "add", "--no-check", feed_server.url("/feed.xml"))).returncode == 0
    off = await cli("feeds", "fulltext", "1", "off")
    assert off.returncode == 0 and "will not be fetched" in off.stdout
    assert "full text: off" in (await cli("feeds", "list")).stdout
    first = await cli("run", "--once")
    assert first.returncode == 0, first.stderr
    assert "1 new item" in first.stdout and feed_server.hits["/news/cli"] == 0

    assert (await cli("feeds", "fulltext", feed_server.url("/feed.xml"), "on")).returncode == 0
    feed_server.set_body("/feed.xml", rss([thin_entry("c2", link + "?2")]))
    second = await cli("run", "--once")
    assert second.returncode == 0, second.stderr
    assert feed_server.hits["/news/cli"] == 1
    bad = await cli("feeds", "fulltext", "99", "on")
    assert bad.returncode != 0 and "no feed '99'" in bad.stderr


async def test_one_request_at_a_time_per_host(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    await prepared(store)
    in_flight = [0, 0]  # now, most at once

    async def article(request: web.Request) -> web.StreamResponse:
        in_flight[0] += 1
        in_flight[1] = max(in_flight)
        await asyncio.sleep(0.05)
        in_flight[0] -= 1
        return web.Response(body=ARTICLE, content_type="text/html")

    links = [feed_server.route(f"/news/{n}", article) for n in range(3)]
    entries = [thin_entry(f"h{n}", link) for n, link in enumerate(links)]
    await store.add_feed(feed_server.feed("/feed.xml", rss(entries)), NOW)
    await poll(store, NOW)

    report = await enrich(store)

    assert report.fetched == 3
    assert in_flight[1] == 1


async def test_the_poller_fetches_in_the_background_one_run_at_a_time(
    tmp_path: Path,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    """What every front end's ticks do after a cycle: start `enrich`, never two at once."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite:///{tmp_path}/pw.db",
        allow_private_feeds=True,
    )
    store = await open_store(settings)
    poller = Poller(store, settings)
    try:
        await follow_everything(store, NOW)
        link = feed_server.page("/news/bg", ARTICLE)
        await store.add_feed(feed_server.feed("/feed.xml", rss([thin_entry("g1", link)])), NOW)
        await poller.cycle()
        poller.enrich_in_background()
        running = poller._enriching
        poller.enrich_in_background()  # a run is going: no second one
        assert running is not None and poller._enriching is running
        report = await running
        assert report.fetched == 1 and feed_server.hits["/news/bg"] == 1
    finally:
        await poller.close()
        await store.close()


@BOTH
async def test_a_claim_is_taken_again_only_when_its_process_is_gone(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    link = await polled_thin_item(store, feed_server, "/news/claim", "k1")
    stale = NO_SETTLE.stale

    first = await store.claim_full_text(NOW, 10, stale)
    assert [j.link for j in first] == [link]
    assert await store.claim_full_text(NOW + stale / 2, 10, stale) == []  # still being fetched
    assert await store.claim_full_text(NOW + stale * 2, 10, stale) == first  # its process died
