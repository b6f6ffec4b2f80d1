"""fetch_feed follows redirects hop by hop: permanence, loops, hop limit, scheme checks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest

from tests.feedserver import FeedServer
from watchers.fetch.client import FetchError, FetchPolicy, FetchResult, fetch_feed, make_client

NOW = datetime(2026, 8, 13, 5, 0, tzinfo=UTC)
POLICY = FetchPolicy(allow_private=True)
RSS = b'<rss version="2.0"><channel><title>t</title></channel></rss>'


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    async with FeedServer() as s:
        yield s


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(POLICY) as c:
        yield c


async def fetch(url: str, client: httpx.AsyncClient, etag: str | None = None) -> FetchResult:
    return await fetch_feed(
        url,
        etag=etag,
        last_modified=None,
        previous_hash=None,
        policy=POLICY,
        client=client,
        now=NOW,
    )


@pytest.mark.parametrize("status", [301, 308])
async def test_permanent_redirect_sets_permanent_url(
    server: FeedServer, client: httpx.AsyncClient, status: int
) -> None:
    target = server.feed("/new.xml", RSS)
    old = server.redirect("/old.xml", "/new.xml", status)
    result = await fetch(old, client)
    assert result.status == 200 and result.body == RSS
    assert result.url == old
    assert result.final_url == target
    assert result.permanent_url == target


@pytest.mark.parametrize("status", [302, 303, 307])
async def test_temporary_redirect_does_not(
    server: FeedServer, client: httpx.AsyncClient, status: int
) -> None:
    target = server.feed("/new.xml", RSS)
    old = server.redirect("/old.xml", "/new.xml", status)
    result = await fetch(old, client)
    assert result.final_url == target
    assert result.permanent_url is None


async def test_mixed_chain_is_not_permanent(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.feed("/c", RSS)
    server.redirect("/b", "/c", 302)
    a = server.redirect("/a", "/b", 301)
    assert (await fetch(a, client)).permanent_url is None


async def test_five_hops_are_followed(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.feed("/h5", RSS)
    for i in range(5):
        server.redirect(f"/h{i}", f"/h{i + 1}", 301)
    result = await fetch(server.url("/h0"), client)
    assert result.final_url == server.url("/h5")
    assert result.permanent_url == server.url("/h5")


async def test_more_than_five_hops_is_an_error(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    server.feed("/h6", RSS)
    for i in range(6):
        server.redirect(f"/h{i}", f"/h{i + 1}", 302)
    with pytest.raises(FetchError, match="more than 5 redirects"):
        await fetch(server.url("/h0"), client)
    assert server.hits["/h6"] == 0


async def test_redirect_loop_is_an_error(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.redirect("/a", "/b", 302)
    server.redirect("/b", "/a", 302)
    with pytest.raises(FetchError, match="redirect loop") as info:
        await fetch(server.url("/a"), client)
    assert server.hits["/a"] == 1 and server.hits["/b"] == 1
    assert info.value.permanent is False


async def test_self_redirect_is_a_loop(server: FeedServer, client: httpx.AsyncClient) -> None:
    server.redirect("/self", "/self", 301)
    with pytest.raises(FetchError, match="redirect loop"):
        await fetch(server.url("/self"), client)


async def test_redirect_to_file_url_is_refused(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = server.redirect("/sneaky", "file:///etc/passwd", 302)
    with pytest.raises(FetchError, match="not http") as info:
        await fetch(url, client)
    assert info.value.permanent is True


async def test_redirect_without_location(server: FeedServer, client: httpx.AsyncClient) -> None:
    url = server.status("/nowhere", 302)
    with pytest.raises(FetchError, match="without a Location"):
        await fetch(url, client)


async def test_conditional_headers_reach_the_final_hop(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    server.feed("/new.xml", RSS)
    old = server.redirect("/old.xml", "/new.xml", 301)
    first = await fetch(old, client)
    second = await fetch(old, client, etag=first.etag)
    assert second.status == 304
    assert second.permanent_url == server.url("/new.xml")


async def test_redirect_to_a_fragment_url_is_cleaned(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    server.feed("/new.xml", RSS)
    old = server.redirect("/old.xml", "/new.xml#top", 301)
    assert (await fetch(old, client)).final_url == server.url("/new.xml")
