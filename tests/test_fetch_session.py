"""The feed session (watchers/fetch/session.py) against servers that frame their answers every
legal way, keep or close connections, go silent or break the protocol: what a feed's GET reads,
which connections are reused, and which httpx exception each failure comes out as."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest

from tests.feeds import Entry, rss
from tests.feedserver import FeedServer
from watchers.fetch.client import FetchError, FetchPolicy, FetchResult, fetch_feed, make_client
from watchers.fetch.session import FeedSession

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BODY = rss([Entry("a", "A headline", "Some text", NOW)])
POLICY = FetchPolicy(allow_private=True, total_timeout=5.0, connect_timeout=2.0)


class RawServer:
    """A TCP server on 127.0.0.1 answering each request with bytes the test chooses."""

    def __init__(self, answer: Callable[[int], bytes | None], close_after: bool = False) -> None:
        self.answer = answer  # request number -> raw response (None: close without answering)
        self.close_after = close_after
        self.requests: list[bytes] = []
        self.connections = 0
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []
        self._handlers: list[asyncio.Task[None]] = []

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self._writers.append(writer)
        task = asyncio.current_task()
        assert task is not None
        self._handlers.append(task)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                self.requests.append(head)
                raw = self.answer(len(self.requests))
                if raw is None:
                    break
                writer.write(raw)
                await writer.drain()
                if self.close_after or raw.startswith(b"HTTP/1.0"):
                    break  # (an HTTP/1.0 body without a length ends with the connection)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def __aenter__(self) -> RawServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for writer in self._writers:
            writer.close()
        await asyncio.gather(*self._handlers, return_exceptions=True)

    def url(self, path: str = "/feed") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def session(**kw: object) -> FeedSession:
    options: dict[str, object] = {
        "guard": False,
        "ssl_context": ssl.create_default_context(),
        "headers": {"User-Agent": "test"},
        "connect_timeout": 2.0,
        "read_timeout": 2.0,
        "per_host": 3,
        "total": 10,
    }
    options.update(kw)
    return FeedSession(**options)  # type: ignore[arg-type]


async def get(s: FeedSession, url: str) -> tuple[int, dict[str, str], bytes]:
    async with s.get(url, {}) as answer:
        body = b"".join([chunk async for chunk in answer.stream])
        return answer.status, dict(answer.headers), body


async def test_bodies_framed_by_length_by_chunks_and_by_close_are_read_raw_and_whole() -> None:
    answers = {
        1: b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
        2: b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n"
        b"3;ext=1\r\nabc\r\n4\r\ndefg\r\n0\r\nX-Trailer: t\r\n\r\n",
        3: b"HTTP/1.0 200 OK\r\n\r\nuntil the end",
    }
    async with RawServer(lambda n: answers[n]) as server:
        s = session()
        assert await get(s, server.url()) == (200, {"content-length": "5"}, b"hello")
        status, headers, body = await get(s, server.url())
        # not decompressed here: watchers.fetch.caps decodes with its cap
        assert (status, headers["content-encoding"], body) == (200, "gzip", b"abcdefg")
        status, _, body = await get(s, server.url())
        assert (status, body) == (200, b"until the end")
        await s.aclose()
    # the first two answers kept the connection; the third (HTTP/1.0, no length) ended it
    assert server.connections == 1 and len(server.requests) == 3


async def test_informational_answers_are_skipped_and_a_304_has_no_body() -> None:
    answer = b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
    answer += b'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\nCache-Control: max-age=60\r\n'
    answer += b"Cache-Control: public\r\n\r\n"
    async with RawServer(lambda n: answer) as server:
        s = session()
        for _ in range(3):
            status, headers, body = await get(s, server.url())
            assert (status, headers["etag"], body) == (304, '"v1"', b"")
            assert headers["cache-control"] == "max-age=60, public"  # repeated lines joined
        await s.aclose()
    assert server.connections == 1 and len(server.requests) == 3  # each 304 ended at its head


async def test_the_request_carries_the_sessions_headers_and_the_ones_given() -> None:
    async with RawServer(lambda n: b"HTTP/1.1 304 Not Modified\r\n\r\n") as server:
        s = session()
        async with s.get(server.url("/feed?x=1"), {"If-None-Match": '"v1"'}) as answer:
            assert answer.status == 304
        await s.aclose()
    lines = server.requests[0].decode().split("\r\n")
    assert lines[0] == "GET /feed?x=1 HTTP/1.1"
    headers = {k.lower(): v for k, v in (line.split(": ", 1) for line in lines[1:] if line)}
    assert headers["user-agent"] == "test"
    assert headers["if-none-match"] == '"v1"'
    assert headers["host"] == f"127.0.0.1:{server.port}"
    assert "cookie" not in headers


async def test_a_kept_connection_the_server_closed_is_replaced() -> None:
    ok = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
    async with RawServer(lambda n: ok, close_after=True) as server:
        s = session()
        assert (await get(s, server.url()))[2] == b"ok"
        await asyncio.sleep(0.05)  # the server has closed it; the session may not know yet
        assert (await get(s, server.url()))[2] == b"ok"
        await s.aclose()
    assert server.connections == 2


async def test_a_server_that_hangs_up_without_answering_is_a_protocol_error() -> None:
    async with RawServer(lambda n: None) as server:
        s = session()
        with pytest.raises(httpx.RemoteProtocolError):
            await get(s, server.url())
        await s.aclose()


async def test_a_body_cut_short_is_a_protocol_error() -> None:
    cut = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"
    async with RawServer(lambda n: cut, close_after=True) as server:
        s = session()
        with pytest.raises(httpx.RemoteProtocolError):
            await get(s, server.url())
        await s.aclose()


@pytest.mark.parametrize(
    "answer",
    [b"ICY 200 OK\r\n\r\n", b"HTTP/1.1 200 OK\r\nBad Header\r\n\r\n", b"HTTP/1.1 2000\r\n\r\n"],
)
async def test_a_malformed_head_is_a_protocol_error(answer: bytes) -> None:
    async with RawServer(lambda n: answer) as server:
        s = session()
        with pytest.raises(httpx.RemoteProtocolError):
            await get(s, server.url())
        await s.aclose()


async def test_silence_hits_the_read_timeout() -> None:
    slow = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"  # the rest never comes
    async with RawServer(lambda n: slow) as server:
        s = session(read_timeout=0.2)
        with pytest.raises(httpx.ReadTimeout):
            await get(s, server.url())
        await s.aclose()


async def test_a_silent_head_hits_the_read_timeout_too() -> None:
    async with FeedServer() as server:
        url = server.stall("/stall", 5.0)
        s = session(read_timeout=0.2)
        with pytest.raises(httpx.ReadTimeout):
            await get(s, url)
        await s.aclose()


async def test_a_body_left_unread_closes_its_connection() -> None:
    size = 8 * 1024 * 1024  # more than the socket buffers and the reader take in before a read
    big = f"HTTP/1.1 200 OK\r\nContent-Length: {size}\r\n\r\n".encode() + b"x" * size
    async with RawServer(lambda n: big) as server:
        s = session()
        for _ in range(2):
            async with s.get(server.url(), {}) as answer:
                first = await anext(answer.stream)
                assert first.startswith(b"x")
        await s.aclose()
    assert server.connections == 2


async def test_refused_connection_is_a_connect_error() -> None:
    async with RawServer(lambda n: None) as server:
        url = server.url()
    s = session()
    with pytest.raises(httpx.ConnectError):
        await get(s, url)
    await s.aclose()


async def test_feeds_of_one_host_reuse_its_connections_while_other_hosts_are_polled() -> None:
    async with FeedServer() as server, make_client(POLICY) as client:
        port = server.base_url.rsplit(":", 1)[1]
        urls = []
        for n in range(6):
            server.feed(f"/{n}.xml", BODY)
            host = "127.0.0.1" if n % 2 else "localhost"  # two origins, interleaved
            urls.append(f"http://{host}:{port}/{n}.xml")
        results: dict[str, FetchResult] = {}
        for _ in range(3):  # three cycles' worth of polls, round-robin over the hosts
            for url in urls:
                previous = results.get(url)
                results[url] = await fetch_feed(
                    url,
                    etag=previous.etag if previous else None,
                    last_modified=previous.last_modified if previous else None,
                    previous_hash=previous.body_hash if previous else None,
                    policy=POLICY,
                    client=client,
                    now=NOW,
                )
                assert results[url].status == (304 if previous else 200)
                assert results[url].body == (None if previous else BODY)
    # 18 requests, 12 of them answered 304: one connection per host all along
    assert len(server.requests) == 18
    assert len({r.peer for r in server.requests}) == 2


async def test_a_refused_connection_is_a_fetch_error() -> None:
    async with FeedServer() as server:
        url = server.url("/feed.xml")
    async with make_client(POLICY) as client:  # the server is gone: nothing listens there
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


@pytest.mark.parametrize("path", ["/a b.xml", "/x/../feed.xml", "/f%C3%BCr.xml", "/für.xml"])
async def test_urls_are_encoded_and_normalised_before_they_are_sent(path: str) -> None:
    async with FeedServer() as server, make_client(POLICY) as client:
        server.feed("/a b.xml", BODY)
        server.feed("/feed.xml", BODY)
        server.feed("/für.xml", BODY)
        result = await fetch_feed(
            server.base_url + path,
            etag=None,
            last_modified=None,
            previous_hash=None,
            policy=POLICY,
            client=client,
            now=NOW,
        )
    assert result.body == BODY


async def test_waiting_past_the_connect_timeout_is_a_connect_timeout() -> None:
    # The connect timeout covers waiting for one of the host's connections too: with one
    # connection allowed and held, the next request times out connecting.
    async with RawServer(lambda n: b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc") as server:
        s = session(per_host=1, connect_timeout=0.2)
        async with s.get(server.url(), {}):
            with pytest.raises(httpx.ConnectTimeout):
                await get(s, server.url())
        await s.aclose()
