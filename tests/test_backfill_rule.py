"""Which new entries a poll alerts: a feed's first poll alerts only news, and a feed watched
again by /undo alerts what it did not have when it was removed, however that is dated."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from store.records import FeedRow, key_print
from watchers.parse.feed import EntryData
from watchers.poll.backfill import alertable

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(hours=24)
NEW_FEED = FeedRow(
    id=1,
    url="http://127.0.0.1/feed.xml",
    title=None,
    etag=None,
    last_modified=None,
    body_hash=None,
    next_poll_at=NOW,
    last_polled_at=None,
    last_success_at=None,
    failures=0,
    last_error=None,
    failing_since=None,
    interval_seconds=None,
    item_count=0,
    created_at=NOW,
    first_polled=False,
    alerted_failing=False,
)
LAST_POLL = NOW - timedelta(hours=1)  # of the feed before it was removed


def entry(key: str, age: timedelta | None) -> EntryData:
    published = NOW if age is None else NOW - age
    return EntryData(key, "A headline", "A summary", None, published, age is not None, None)


def test_a_watched_feed_alerts_every_new_entry_however_old() -> None:
    polled = replace(NEW_FEED, first_polled=True)
    assert alertable(entry("old", 30 * DAY), polled, NOW, DAY)
    assert alertable(entry("undated", None), polled, NOW, DAY)


def test_a_first_poll_alerts_only_the_last_backfill_hours() -> None:
    assert alertable(entry("recent", timedelta(hours=3)), NEW_FEED, NOW, DAY)
    assert not alertable(entry("archive", 2 * DAY), NEW_FEED, NOW, DAY)
    assert not alertable(entry("undated", None), NEW_FEED, NOW, DAY), "no day: archive"


def test_a_feed_watched_again_alerts_what_it_did_not_have_however_it_is_dated() -> None:
    again = replace(NEW_FEED, known_keys=frozenset({key_print("sent-before")}))
    assert not alertable(entry("sent-before", timedelta(hours=2)), again, NOW, DAY)
    late = entry("late", timedelta(hours=2))  # appeared while removed, dated before LAST_POLL
    assert late.published < LAST_POLL
    assert alertable(late, again, NOW, DAY)
    assert alertable(entry("undated-new", None), again, NOW, DAY)
    assert not alertable(entry("archive", 2 * DAY), again, NOW, DAY), "backfill still holds"


def test_beyond_the_keys_kept_a_feed_watched_again_alerts_nothing_older() -> None:
    since = NOW - timedelta(hours=5)  # the oldest of the keys kept
    again = replace(NEW_FEED, known_keys=frozenset(), alert_after=since)
    assert alertable(entry("newer", timedelta(hours=4)), again, NOW, DAY)
    assert not alertable(entry("older", timedelta(hours=6)), again, NOW, DAY)


def test_a_removal_logged_before_keys_were_kept_goes_by_its_last_poll() -> None:
    again = replace(NEW_FEED, alert_after=LAST_POLL)
    assert not alertable(entry("before", timedelta(hours=2)), again, NOW, DAY)
    assert alertable(entry("after", timedelta(minutes=10)), again, NOW, DAY)
