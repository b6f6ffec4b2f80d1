"""probe_feed: adding a site's page finds its feed and says which one it chose."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from tests.feedserver import FeedServer
from watchers.fetch.client import FetchPolicy, make_client
from watchers.parse.feed import ParseError
from watchers.poll.probe import probe_feed

FEEDS = Path(__file__).parent / "data" / "feeds"
NOW = datetime(2026, 8, 13, 5, 0, tzinfo=UTC)
POLICY = FetchPolicy(allow_private=True)
PAGE = (FEEDS / "page.html").read_bytes()
RSS = (FEEDS / "rss20.xml").read_bytes()


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    async with FeedServer() as s:
        yield s


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(POLICY) as c:
        yield c


async def test_a_feed_url_is_kept(server: FeedServer, client: httpx.AsyncClient) -> None:
    url = server.feed("/world/rss.xml", RSS)
    probe = await probe_feed(url, policy=POLICY, client=client, now=NOW)
    assert probe.url == url and probe.note is None
    assert probe.feed.title == "Policy Wire - World"


async def test_a_page_leads_to_its_feed(server: FeedServer, client: httpx.AsyncClient) -> None:
    page = server.feed("/", PAGE, content_type="text/html; charset=utf-8")
    feed_url = server.feed("/world/rss.xml", RSS)
    probe = await probe_feed(page, policy=POLICY, client=client, now=NOW)
    assert probe.url == feed_url
    assert probe.note is not None
    assert "is an HTML page" in probe.note and feed_url in probe.note
    assert len(probe.feed.entries) == 7


async def test_permanent_redirect_is_followed_and_said(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    new = server.feed("/new.xml", RSS)
    old = server.redirect("/old.xml", "/new.xml", 301)
    probe = await probe_feed(old, policy=POLICY, client=client, now=NOW)
    assert probe.url == new
    assert probe.note == f"{old} moved permanently; using {new}"


async def test_page_whose_feeds_are_broken(server: FeedServer, client: httpx.AsyncClient) -> None:
    # Both links stay on the local server: /world/rss.xml is not served (404), /all.atom fails.
    local_page = PAGE.replace(b"https://feeds.example.org/all.atom", b"/all.atom")
    page = server.feed("/", local_page, content_type="text/html")
    server.status("/all.atom", 500)
    with pytest.raises(ParseError, match="none of the feeds it links to works") as info:
        await probe_feed(page, policy=POLICY, client=client, now=NOW)
    assert "HTTP 404" in info.value.reason and "HTTP 500" in info.value.reason


async def test_page_without_feeds(server: FeedServer, client: httpx.AsyncClient) -> None:
    page = server.feed("/", (FEEDS / "page-nofeed.html").read_bytes(), content_type="text/html")
    with pytest.raises(ParseError, match="links to no feed"):
        await probe_feed(page, policy=POLICY, client=client, now=NOW)


async def test_a_document_cut_off_before_its_first_item_is_refused(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    cut = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire<item><title>Talks re'
    url = server.feed("/cut.xml", cut)
    with pytest.raises(ParseError, match="a broken feed document with no readable item"):
        await probe_feed(url, policy=POLICY, client=client, now=NOW)


async def test_a_well_formed_feed_with_no_item_yet_is_kept(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    empty = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>New wire</title></channel></rss>'
    )
    probe = await probe_feed(server.feed("/new.xml", empty), policy=POLICY, client=client, now=NOW)
    assert probe.feed.title == "New wire" and probe.feed.entries == ()
