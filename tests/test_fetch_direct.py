"""A feed's GET sent on the wire (watchers/fetch/direct.py) asks the same thing and reads the
same answer as one sent through httpx; URLs httpx would rewrite still go through httpx."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from tests.feeds import Entry, rss
from tests.feedserver import FeedServer
from watchers.fetch.client import FetchError, FetchPolicy, fetch_feed, make_client
from watchers.fetch.transport import direct_route

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BODY = rss([Entry("a", "A headline", "Some text", NOW)])
POLICY = FetchPolicy(allow_private=True, total_timeout=3.0, connect_timeout=1.0)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/feeds/1.xml",
        "https://News.Example.org",
        "https://example.org/rss?format=xml&lang=en",
        "https://example.org/a%2Fb.xml",
        "http://[::1]:8080/feed",
    ],
)
async def test_plain_urls_are_sent_directly_with_the_clients_headers(url: str) -> None:
    async with make_client(POLICY) as client:
        route = direct_route(client)
        assert route is not None
        planned = route.request(url, {"If-None-Match": '"v1"'})
    assert planned is not None
    origin, head = planned
    lines = head.decode().split("\r\n")
    parsed = httpx.URL(url)
    assert lines[0] == f"GET {parsed.raw_path.decode()} HTTP/1.1"
    assert head.endswith(b"\r\n\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if line)
    assert headers["Host"] == parsed.netloc.decode()
    assert headers["User-Agent"] == POLICY.user_agent
    assert headers["If-None-Match"] == '"v1"'
    assert origin == (parsed.scheme, parsed.host, parsed.port or 443)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a b.xml",  # httpx percent-encodes the space
        "https://example.org/a/../feed.xml",  # and removes dot segments
        "https://user:secret@example.org/feed",  # and turns credentials into a header
        "https://example.org/%zz",  # and escapes a stray percent sign
        "https://bücher.example/feed",  # and encodes the host (IDNA)
    ],
)
async def test_urls_httpx_would_rewrite_are_left_to_httpx(url: str) -> None:
    async with make_client(POLICY) as client:
        route = direct_route(client)
        assert route is not None
        assert route.request(url, {}) is None


async def test_direct_and_httpx_requests_ask_and_read_the_same() -> None:
    async with FeedServer() as server, make_client(POLICY) as client:
        server.feed("/feed.xml", BODY)
        direct = server.url("/feed.xml")
        through_httpx = server.url("/x/../feed.xml")  # a dot segment: httpx builds this one
        route = direct_route(client)
        assert route is not None
        assert route.request(direct, {}) is not None
        assert route.request(through_httpx, {}) is None
        results = []
        for url in (direct, through_httpx):
            first = await fetch_feed(
                url,
                etag=None,
                last_modified=None,
                previous_hash=None,
                policy=POLICY,
                client=client,
                now=NOW,
            )
            again = await fetch_feed(
                url,
                etag=first.etag,
                last_modified=first.last_modified,
                previous_hash=first.body_hash,
                policy=POLICY,
                client=client,
                now=NOW,
            )
            results.append((first, again))
    (d1, d2), (h1, h2) = results
    assert d1.body == h1.body == BODY and d1.status == h1.status == 200
    assert (d1.etag, d1.last_modified, d1.content_type) == (
        h1.etag,
        h1.last_modified,
        h1.content_type,
    )
    assert d2.status == h2.status == 304 and d2.body is None
    sent = [dict((k.lower(), v) for k, v in r.headers.items()) for r in server.requests]
    assert len(sent) == 4
    for key in ("host", "user-agent", "accept", "accept-encoding", "if-none-match"):
        assert sent[1].get(key) == sent[3].get(key), key
    assert sent[1]["if-none-match"] == d1.etag


async def test_a_refused_connection_on_the_direct_path_is_a_fetch_error() -> None:
    async with FeedServer() as server:
        url = server.url("/feed.xml")
    async with make_client(POLICY) as client:  # the server is gone: nothing listens there
        route = direct_route(client)
        assert route is not None and route.request(url, {}) is not None
        with pytest.raises(FetchError, match="cannot connect"):
            await fetch_feed(
                url,
                etag=None,
                last_modified=None,
                previous_hash=None,
                policy=POLICY,
                client=client,
                now=NOW,
            )
