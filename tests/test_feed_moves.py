"""A feed that moved (a permanent redirect) is watched at its new address, and its old address
is still that feed: adding the old one again, by hand or from an older OPML file, is refused
as a feed watched already instead of polling one document twice (QA round 17)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app.settings import Settings
from bot.cli.feeds import _import
from store import FeedExists, Store
from tests.databases import BOTH
from tests.feeds import Entry, rss
from tests.feedserver import FeedServer, feed_server  # noqa: F401  (fixture)
from tests.pipeline import poll

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@BOTH
async def test_the_old_address_of_a_moved_feed_is_that_feed(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    new = feed_server.feed("/new.xml", rss([Entry("a-1", "A headline", "Its text", NOW)]))
    old = feed_server.redirect("/old.xml", new, status=301)
    feed = await store.add_feed(old, NOW)
    await poll(store, NOW)
    assert [f.url for f in await store.list_feeds()] == [new], "it moved"

    with pytest.raises(FeedExists, match="moved to"):
        await store.add_feed(old, NOW + timedelta(minutes=1))
    opml = tmp_path / "older.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        f'<outline text="Old" xmlUrl="{old}"/></body></opml>'
    )
    args = argparse.Namespace(starter=False, file=str(opml), allow_file=False)
    await _import(args, store, Settings(_env_file=None))
    told = capsys.readouterr()
    assert "skipped" in told.err and "moved to" in told.err
    assert "imported 0 feeds, skipped 1" in told.out
    assert [f.id for f in await store.list_feeds()] == [feed.id], "still one feed"

    # removed, the feed takes its old address with it: adding it again is a new feed
    assert await store.remove_feed(feed.id)
    assert (await store.add_feed(old, NOW + timedelta(minutes=2))).url == old
