"""Each feed host keeps its own few connections through a cycle, and hosts gone quiet give
their sockets back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar

import httpx

from tests.feeds import Entry, rss
from tests.feedserver import FeedServer
from watchers.fetch.client import FetchPolicy, fetch_feed, make_client
from watchers.fetch.originpool import PerOriginTransport

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BODY = rss([Entry("a", "A headline", "Some text", NOW)])


async def test_feeds_of_one_host_reuse_its_connections_while_other_hosts_are_polled() -> None:
    policy = FetchPolicy(allow_private=True)
    async with FeedServer() as server, make_client(policy) as client:
        port = server.base_url.rsplit(":", 1)[1]
        urls = []
        for n in range(6):
            server.feed(f"/{n}.xml", BODY)
            host = "127.0.0.1" if n % 2 else "localhost"  # two origins, interleaved
            urls.append(f"http://{host}:{port}/{n}.xml")
        for _ in range(3):  # three cycles' worth of polls, round-robin over the hosts
            for url in urls:
                result = await fetch_feed(
                    url,
                    etag=None,
                    last_modified=None,
                    previous_hash=None,
                    policy=policy,
                    client=client,
                    now=NOW,
                )
                assert result.status == 200
    # 18 requests, one connection per host: a shared pool would not have kept them apart
    assert len(server.requests) == 18
    assert len({r.peer for r in server.requests}) == 2


class Closing(httpx.MockTransport):
    closed: ClassVar[list[str]] = []

    def __init__(self) -> None:
        super().__init__(lambda request: httpx.Response(304))

    async def aclose(self) -> None:
        Closing.closed.append("closed")


async def test_pools_idle_too_long_or_over_the_cap_are_closed() -> None:
    clock = [0.0]
    Closing.closed = []
    transport = PerOriginTransport(
        Closing, idle_after=30.0, max_origins=3, monotonic=lambda: clock[0]
    )
    async with httpx.AsyncClient(transport=transport) as client:
        for host in ("a", "b", "c"):
            await client.get(f"https://{host}.example.org/feed")
        assert transport.origins == 3 and Closing.closed == []

        await client.get("https://d.example.org/feed")  # over the cap: the oldest goes
        assert transport.origins == 3 and len(Closing.closed) == 1

        clock[0] = 100.0  # everything went quiet
        await client.get("https://e.example.org/feed")
        assert transport.origins == 1 and len(Closing.closed) == 4
    assert len(Closing.closed) == 5  # closing the client closes what is left


async def test_a_pool_with_a_response_still_open_is_never_closed() -> None:
    clock = [0.0]
    Closing.closed = []
    transport = PerOriginTransport(
        Closing, idle_after=30.0, max_origins=1, monotonic=lambda: clock[0]
    )
    async with httpx.AsyncClient(transport=transport) as client:
        request = client.build_request("GET", "https://a.example.org/feed")
        response = await client.send(request, stream=True)  # still being read
        clock[0] = 100.0
        await client.get("https://b.example.org/feed")
        assert Closing.closed == []  # a's pool is busy: kept, though over the cap
        await response.aclose()
        clock[0] = 200.0
        await client.get("https://c.example.org/feed")
        assert len(Closing.closed) == 2
