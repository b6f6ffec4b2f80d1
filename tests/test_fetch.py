"""fetch_feed over HTTP against the local feed server: validators, errors, deadlines, caps."""

from __future__ import annotations

import asyncio
import hashlib
import tracemalloc
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest
from aiohttp import web

from tests.feedserver import FeedServer
from watchers.fetch.client import (
    FetchError,
    FetchPolicy,
    FetchResult,
    connect_reason,
    fetch_feed,
    make_client,
)
from watchers.parse.feed import ParseError, parse_feed

FEEDS = Path(__file__).parent / "data" / "feeds"
NOW = datetime(2026, 8, 13, 5, 0, tzinfo=UTC)
POLICY = FetchPolicy(allow_private=True)
RSS = (FEEDS / "rss20.xml").read_bytes()


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    async with FeedServer() as s:
        yield s


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(POLICY) as c:
        yield c


async def fetch(
    url: str,
    client: httpx.AsyncClient,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    previous_hash: str | None = None,
    policy: FetchPolicy = POLICY,
) -> FetchResult:
    return await fetch_feed(
        url,
        etag=etag,
        last_modified=last_modified,
        previous_hash=previous_hash,
        policy=policy,
        client=client,
        now=NOW,
    )


async def test_first_fetch_returns_body_and_validators(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = server.feed("/feed.xml", RSS)
    result = await fetch(url, client)
    assert result.status == 200
    assert result.body == RSS
    assert result.body_hash == hashlib.sha256(RSS).hexdigest()
    assert result.etag and result.last_modified
    assert result.content_type == "application/rss+xml; charset=utf-8"
    assert result.url == result.final_url == url
    assert result.permanent_url is None
    assert result.fetched_at == NOW
    sent = server.requests[-1].headers
    assert sent["User-Agent"].startswith("policywatch/")
    assert "gzip" in sent["Accept-Encoding"]
    assert "br" not in sent["Accept-Encoding"]


async def test_conditional_get_with_etag_gives_304_and_no_body(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = server.feed("/feed.xml", RSS)
    first = await fetch(url, client)
    second = await fetch(url, client, etag=first.etag, last_modified=first.last_modified)
    assert second.status == 304
    assert second.body is None and second.body_hash is None
    assert second.etag == first.etag
    assert server.requests[-1].headers["If-None-Match"] == first.etag


async def test_conditional_gets_and_errors_reuse_one_connection(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = server.feed("/feed.xml", RSS)
    broken = server.status("/500.xml", 500)
    first = await fetch(url, client)
    for _ in range(5):
        assert (await fetch(url, client, etag=first.etag)).status == 304
        with pytest.raises(FetchError):
            await fetch(broken, client)
    # a 304 (or an error page) read to its end leaves the connection open for the next poll
    assert len({r.peer for r in server.requests}) == 1


async def test_conditional_get_with_last_modified_only(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = server.feed("/feed.xml", RSS, etag=False)
    first = await fetch(url, client)
    assert first.etag is None
    second = await fetch(url, client, last_modified=first.last_modified)
    assert second.status == 304 and second.body is None
    assert second.last_modified == first.last_modified


async def test_changed_feed_is_fetched_again(server: FeedServer, client: httpx.AsyncClient) -> None:
    url = server.feed("/feed.xml", RSS)
    first = await fetch(url, client)
    new_body = RSS.replace(b"Policy Wire", b"Policy Wire II")
    server.set_body("/feed.xml", new_body)
    second = await fetch(url, client, etag=first.etag, last_modified=first.last_modified)
    assert second.status == 200
    assert second.body == new_body
    assert second.etag != first.etag
    assert server.hits["/feed.xml"] == 2


async def test_unchanged_hash_counts_as_304(server: FeedServer, client: httpx.AsyncClient) -> None:
    url = server.feed("/feed.xml", RSS, conditional=False)
    first = await fetch(url, client)
    second = await fetch(url, client, etag=first.etag, previous_hash=first.body_hash)
    assert second.status == 304
    assert second.body is None


async def test_gzip_body_is_decoded(server: FeedServer, client: httpx.AsyncClient) -> None:
    url = server.feed("/feed.xml", RSS, gzip=True)
    result = await fetch(url, client)
    assert result.body == RSS


async def test_cache_control_max_age(server: FeedServer, client: httpx.AsyncClient) -> None:
    url = server.feed("/feed.xml", RSS, headers={"Cache-Control": "public, max-age=600"})
    assert (await fetch(url, client)).max_age == 600


async def test_expires_relative_to_now(server: FeedServer, client: httpx.AsyncClient) -> None:
    expires = format_datetime(NOW + timedelta(minutes=30), usegmt=True)
    url = server.feed("/feed.xml", RSS, headers={"Expires": expires})
    assert (await fetch(url, client)).max_age == 1800


async def test_no_cache_hint(server: FeedServer, client: httpx.AsyncClient) -> None:
    url = server.feed("/feed.xml", RSS)
    assert (await fetch(url, client)).max_age is None


async def test_500_is_an_error_with_status(server: FeedServer, client: httpx.AsyncClient) -> None:
    url = server.status("/broken", 500, body=b"oops")
    with pytest.raises(FetchError) as info:
        await fetch(url, client)
    error = info.value
    assert error.status == 500
    assert error.permanent is False
    assert str(error) == f"{url}: server error (HTTP 500); will retry"


@pytest.mark.parametrize("status", [404, 410])
async def test_404_and_410_are_permanent(
    server: FeedServer, client: httpx.AsyncClient, status: int
) -> None:
    url = server.status("/gone", status)
    with pytest.raises(FetchError) as info:
        await fetch(url, client)
    assert info.value.status == status
    assert info.value.permanent is True


async def test_429_retry_after_seconds(server: FeedServer, client: httpx.AsyncClient) -> None:
    url = server.status("/busy", 429, headers={"Retry-After": "120"})
    with pytest.raises(FetchError) as info:
        await fetch(url, client)
    assert info.value.status == 429
    assert info.value.retry_after == 120
    assert "will retry after 120 s" in info.value.reason


@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_http_date(
    server: FeedServer, client: httpx.AsyncClient, status: int
) -> None:
    when = format_datetime(NOW + timedelta(hours=1), usegmt=True)
    url = server.status("/later", status, headers={"Retry-After": when})
    with pytest.raises(FetchError) as info:
        await fetch(url, client)
    assert info.value.status == status
    assert info.value.retry_after == 3600
    assert "will retry after 3600 s" in info.value.reason


async def test_503_without_retry_after(server: FeedServer, client: httpx.AsyncClient) -> None:
    url = server.status("/down", 503)
    with pytest.raises(FetchError) as info:
        await fetch(url, client)
    assert info.value.retry_after is None
    assert info.value.reason == "server error (HTTP 503); will retry"


async def test_retry_after_date_in_the_past_is_zero(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    when = format_datetime(NOW - timedelta(hours=1), usegmt=True)
    url = server.status("/past", 429, headers={"Retry-After": when})
    with pytest.raises(FetchError) as info:
        await fetch(url, client)
    assert info.value.retry_after == 0


async def test_html_page_is_fetched_as_is(server: FeedServer, client: httpx.AsyncClient) -> None:
    # Fetching does not judge content; parse_feed turns this into "is an HTML page".
    page = (FEEDS / "page.html").read_bytes()
    url = server.page("/", page)
    result = await fetch(url, client)
    assert result.body == page and result.content_type == "text/html; charset=utf-8"


async def test_empty_200_is_fetched(server: FeedServer, client: httpx.AsyncClient) -> None:
    url = server.feed("/empty", b"")
    result = await fetch(url, client)
    assert result.status == 200 and result.body == b""


async def test_drip_is_cut_off_at_the_total_deadline(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = server.drip("/drip", RSS, interval=0.05)  # ~170 s in all; never silent 20 s
    policy = FetchPolicy(allow_private=True, total_timeout=0.5)
    with pytest.raises(FetchError) as info:
        await fetch(url, client, policy=policy)
    assert "total deadline" in info.value.reason
    assert "will retry" in info.value.reason
    assert info.value.permanent is False


async def test_read_timeout(server: FeedServer) -> None:
    url = server.drip("/slow", b"<rss>" * 4, interval=5, chunk=5)
    policy = FetchPolicy(allow_private=True, read_timeout=0.2, total_timeout=30)
    async with make_client(policy) as client:
        with pytest.raises(FetchError, match="read timeout"):
            await fetch(url, client, policy=policy)


async def test_gzip_bomb_stops_at_the_cap(server: FeedServer, client: httpx.AsyncClient) -> None:
    url = server.gzip_bomb("/bomb", decoded_size=64 * 1024 * 1024)
    policy = FetchPolicy(allow_private=True, max_bytes=1024 * 1024)
    with pytest.raises(FetchError, match="larger than 1,048,576 bytes once decompressed"):
        await fetch(url, client, policy=policy)


async def test_gzip_bomb_at_the_default_cap(server: FeedServer, client: httpx.AsyncClient) -> None:
    url = server.gzip_bomb("/bomb", decoded_size=32 * 1024 * 1024)
    with pytest.raises(FetchError, match="larger than 15,728,640 bytes"):
        await fetch(url, client)


async def test_gzip_bomb_memory_stays_near_the_cap(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = server.gzip_bomb("/bomb", decoded_size=64 * 1024 * 1024)
    policy = FetchPolicy(allow_private=True, max_bytes=1024 * 1024)
    tracemalloc.start()
    try:
        with pytest.raises(FetchError):
            await fetch(url, client, policy=policy)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024  # the cap plus buffers, never the 64 MiB it inflates to


@pytest.mark.parametrize("declare_length", [True, False])
async def test_huge_body_stops_at_the_cap(
    server: FeedServer, client: httpx.AsyncClient, declare_length: bool
) -> None:
    url = server.huge("/huge", 5 * 1024 * 1024, declare_length=declare_length)
    policy = FetchPolicy(allow_private=True, max_bytes=1024 * 1024)
    with pytest.raises(FetchError, match="larger than"):
        await fetch(url, client, policy=policy)


async def test_body_just_under_the_cap_is_read(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = server.huge("/big", 1024 * 1024, declare_length=False)
    policy = FetchPolicy(allow_private=True, max_bytes=1024 * 1024)
    result = await fetch(url, client, policy=policy)
    assert result.body is not None and len(result.body) == 1024 * 1024


async def test_connection_refused_is_retryable(client: httpx.AsyncClient) -> None:
    async with FeedServer() as gone:
        url = gone.url("/feed.xml")
    with pytest.raises(FetchError, match="cannot connect") as info:
        await fetch(url, client)
    assert info.value.permanent is False


async def test_corrupt_gzip(server: FeedServer, client: httpx.AsyncClient) -> None:
    url = server.status(
        "/corrupt", 200, body=b"not gzip at all", headers={"Content-Encoding": "gzip"}
    )
    with pytest.raises(FetchError, match="corrupt gzip"):
        await fetch(url, client)


async def test_unrequested_encoding_is_refused(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = server.status("/br", 200, body=b"xxxx", headers={"Content-Encoding": "br"})
    with pytest.raises(FetchError, match="unsupported Content-Encoding"):
        await fetch(url, client)


async def test_per_host_limit_serializes_requests(server: FeedServer) -> None:
    in_flight = 0
    peak = 0

    async def handler(request: web.Request) -> web.StreamResponse:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.05)
        in_flight -= 1
        return web.Response(body=RSS)

    for i in range(6):
        server.route(f"/f{i}", handler)
    policy = FetchPolicy(allow_private=True, max_per_host=2)
    async with make_client(policy) as client:
        results = await asyncio.gather(
            *(fetch(server.url(f"/f{i}"), client, policy=policy) for i in range(6))
        )
    assert all(r.status == 200 for r in results)
    assert peak <= 2


async def test_overall_limit(server: FeedServer) -> None:
    in_flight = 0
    peak = 0

    async def handler(request: web.Request) -> web.StreamResponse:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.05)
        in_flight -= 1
        return web.Response(body=RSS)

    server.route("/f", handler)
    policy = FetchPolicy(allow_private=True, max_per_host=10, max_total=3)
    async with make_client(policy) as client:
        results = await asyncio.gather(
            *(fetch(server.url(f"/f?{i}"), client, policy=policy) for i in range(12))
        )
    assert len(results) == 12
    assert peak <= 3


@pytest.mark.parametrize(
    ("fixture", "content_type", "reason"),
    [
        ("page.html", "text/html; charset=utf-8", "is an HTML page, not a feed"),
        ("not-a-feed.xml", "application/xml", "is not an RSS or Atom feed"),
    ],
)
async def test_fetched_non_feeds_fail_to_parse(
    server: FeedServer, client: httpx.AsyncClient, fixture: str, content_type: str, reason: str
) -> None:
    url = server.feed("/x", (FEEDS / fixture).read_bytes(), content_type=content_type)
    result = await fetch(url, client)
    assert result.body is not None
    with pytest.raises(ParseError, match=reason) as info:
        parse_feed(result.body, url=url, fetched_at=NOW, content_type=result.content_type)
    assert str(info.value).startswith(f"{url}: ")


async def test_fetched_empty_body_fails_to_parse(
    server: FeedServer, client: httpx.AsyncClient
) -> None:
    url = server.feed("/empty", b"")
    result = await fetch(url, client)
    with pytest.raises(ParseError, match="empty body"):
        parse_feed(result.body or b"", url=url, fetched_at=NOW)


async def test_stalled_server_hits_the_read_timeout(server: FeedServer) -> None:
    url = server.stall("/stall", 30)
    policy = FetchPolicy(allow_private=True, read_timeout=0.2, total_timeout=10)
    async with make_client(policy) as client:
        with pytest.raises(FetchError, match="read timeout") as info:
            await fetch(url, client, policy=policy)
    assert info.value.status is None and info.value.permanent is False


def test_a_failed_connection_is_told_in_a_persons_words() -> None:
    raw = "Cannot connect to host 127.0.0.1:9 ssl:default [Connect call failed ('127.0.0.1', 9)]"
    assert connect_reason(raw) == "127.0.0.1:9: refused"
    dns = "Cannot connect to host www.state.gov:443 ssl:default [Name or service not known]"
    assert connect_reason(dns) == "www.state.gov:443: name or service not known"
    assert connect_reason("") == "refused"
