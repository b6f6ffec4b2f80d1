"""Small answers a new user meets in the first hour, each saying what it means: a `run --once`
summary, reversed dates, the audit log, outage lengths, refused feeds, unknown filters, and each
feed's schedule in `feeds list`."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.app.feed_health import health_notices
from bot.chat.buttons import confirm_data
from bot.chat.commands import Commands
from bot.chat.durations import human_duration
from bot.chat.html import plain_text
from bot.chat.notadded import not_added
from bot.console.service import CONSOLE
from store import Store
from store.records import FeedRow
from tests.feeds import SEED_FEED, rss, seed_entries, split_seeds
from tests.pipeline import follow_everything, load_shipped_themes, poll
from tests.test_cli import run_cli
from watchers.fetch.types import FetchError
from watchers.parse.feed import ParseError

NOW = datetime(2023, 5, 9, 9, 0, tzinfo=UTC)


def test_run_once_with_nothing_new_prints_a_one_line_summary(tmp_path: Path) -> None:
    _, others = split_seeds(seed_entries())
    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss(others))
    assert run_cli(["feeds", "add", "--allow-file", str(feed)], tmp_path).returncode == 0
    first = run_cli(["run", "--once"], tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[-1] == f"polled 1 feed: {len(others)} new items, 0 alerts sent"

    again = run_cli(["run", "--once"], tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "polled 1 feed (1 unchanged): 0 new items, 0 alerts sent"


def test_feeds_list_shows_each_feeds_interval_and_next_poll(tmp_path: Path) -> None:
    assert run_cli(["feeds", "add", "--allow-file", str(SEED_FEED)], tmp_path).returncode == 0
    listing = run_cli(["feeds", "list"], tmp_path, env={"POLL_INTERVAL": "900"})
    assert "polled every 15 min | next poll now (at the next run)" in listing.stdout
    assert run_cli(["run", "--once"], tmp_path).returncode == 0
    listing = run_cli(["feeds", "list"], tmp_path, env={"POLL_INTERVAL": "900"})
    # after a poll, the feed's own (adaptive) interval and the time it is due
    assert re.search(
        r"polled every \d+ (min|h|days) \| next poll 20\S+ \S+ UTC \(in ", listing.stdout
    )


async def test_feeds_in_chat_shows_each_feeds_next_poll(store: Store) -> None:
    await store.add_feed(str(SEED_FEED), NOW)
    await poll(store, NOW)
    feed = (await store.list_feeds())[0]
    assert feed.interval_seconds
    text = plain_text((await Commands(store, lambda: NOW).run(CONSOLE, "feeds", [])).text)
    every = human_duration(feed.interval_seconds)
    assert f"next poll {feed.next_poll_at:%Y-%m-%d %H:%M} UTC (every {every})" in text


def test_reversed_dates_say_so_in_the_cli(tmp_path: Path) -> None:
    result = run_cli(
        ["timeline", "normalization-with-assad", "--since", "2024", "--until", "2023"], tmp_path
    )
    assert result.returncode == 1
    assert "the start 2024 (2024-01-01) is after the end 2023 (2023-12-31)" in result.stderr
    assert "no statements recorded yet" not in result.stdout


async def _commands(store: Store) -> Commands:
    await load_shipped_themes(store, NOW)
    await follow_everything(store, NOW)
    return Commands(store, lambda: NOW)


async def test_reversed_dates_and_unknown_filters_are_refused_in_chat(store: Store) -> None:
    commands = await _commands(store)
    await store.add_feed(str(SEED_FEED), NOW)
    await poll(store, NOW)
    for args in (["2024", "2023"], ["2024", "2023", "chart"]):
        reply = await commands.run(CONSOLE, "timeline", ["normalization-with-assad", *args])
        assert "is after the end" in reply.text and reply.photo is None
    reply = await commands.run(CONSOLE, "export", ["normalization-with-assad", "2024", "2023"])
    assert "is after the end" in reply.text and reply.document is None

    reply = await commands.run(CONSOLE, "timeline", ["normalization-with-assad", "lang:ar"])
    text = plain_text(reply.text)
    assert "there is no lang: filter" in text
    assert "who:NAME" in text and "stance:opposes|supports|unclear" in text
    reply = await commands.run(CONSOLE, "timeline", ["normalization with assad", "LANG:ar"])
    assert "there is no LANG: filter" in plain_text(reply.text)


async def test_the_audit_log_never_shows_none(store: Store) -> None:
    commands = await _commands(store)
    await commands.run(CONSOLE, "addfeed", ["https://example.org/seeds.xml"])  # no prober here
    feed = (await store.list_feeds())[0]
    await commands.press(CONSOLE, confirm_data("rmfeed", feed.id, CONSOLE.user_id))
    await commands.run(CONSOLE, "keywords", ["normalization-with-assad", "add", "rapprochement"])
    audit = plain_text((await commands.run(CONSOLE, "audit", [])).text)
    assert "None" not in audit
    assert "addfeed" in audit and ": (new) →" in audit
    assert "removefeed" in audit and "→ (removed)" in audit


def _failing_feed(since: datetime) -> FeedRow:
    return FeedRow(
        id=7,
        url="https://example.org/feed",
        title="Example",
        etag=None,
        last_modified=None,
        body_hash=None,
        next_poll_at=NOW,
        last_polled_at=NOW,
        last_success_at=None,
        failures=3,
        last_error="HTTP 503",
        failing_since=since,
        interval_seconds=None,
        item_count=0,
        created_at=since,
        first_polled=False,
        alerted_failing=False,
    )


def test_outages_are_told_in_minutes_hours_or_days() -> None:
    feed = _failing_feed(NOW - timedelta(minutes=45))
    [notice] = health_notices([feed], NOW, timedelta(minutes=30))
    assert "has failed for 45 min" in notice.text and "0 h" not in notice.text
    later = replace(feed, failing_since=NOW - timedelta(hours=30))
    assert "has failed for 30 h" in health_notices([later], NOW, timedelta(minutes=30))[0].text
    assert human_duration(59) == "59 s" and human_duration(3 * 86400 + 5) == "3 days"


def test_a_refused_feed_does_not_promise_a_retry() -> None:
    url = "https://example.org/feed"
    transient = not_added(
        FetchError(url, "cannot connect (refused); will retry"), "add it with --no-check"
    )
    assert "will retry" not in transient
    assert transient.startswith(f"not added: {url}: cannot connect (refused).")
    assert "add it with --no-check" in transient and "retried with backoff" in transient
    gone = not_added(FetchError(url, "HTTP 404 Not Found", permanent=True), "x")
    assert gone == f"not added: {url}: HTTP 404 Not Found."
    page = not_added(ParseError(url, "an HTML page that links to no feed"), "x")
    assert "retried" not in page


def test_feeds_add_of_an_unreachable_url_says_one_thing(tmp_path: Path) -> None:
    result = run_cli(["feeds", "add", "http://127.0.0.1:9/feed.xml"], tmp_path)
    assert result.returncode == 1
    assert "not added: http://127.0.0.1:9/feed.xml: cannot connect" in result.stderr
    assert "will retry" not in result.stderr and "--no-check" in result.stderr
