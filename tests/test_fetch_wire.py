"""The feed GETs' own HTTP/1.1 client (watchers/fetch/wire.py) against servers that frame
their answers every legal way, close kept connections, time out, or break the protocol; and
TLS to a checked address verified against the URL's host name."""

from __future__ import annotations

import asyncio
import shutil
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from aiohttp import web

from tests.test_netguard_tls import make_cert
from watchers.fetch.guard import BlockedAddress
from watchers.fetch.wire import Origin, Wire, parse_head

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


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

    @property
    def origin(self) -> Origin:
        return ("http", "127.0.0.1", self.port)

    def head(self, path: str = "/feed") -> bytes:
        return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n\r\n".encode()


def wire(**kw: object) -> Wire:
    options: dict[str, object] = {
        "guard": False,
        "ssl_context": ssl.create_default_context(),
        "connect_timeout": 2.0,
        "read_timeout": 2.0,
    }
    options.update(kw)
    return Wire(**options)  # type: ignore[arg-type]


async def get(w: Wire, server: RawServer) -> tuple[int, dict[str, str], bytes]:
    async with w.get(server.origin, server.head()) as response:
        body = b"".join([chunk async for chunk in response.stream])
        return response.status, dict(response.headers), body


async def test_bodies_framed_by_length_by_chunks_and_by_close_are_read_whole() -> None:
    answers = {
        1: b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
        2: b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"3;ext=1\r\nabc\r\n4\r\ndefg\r\n0\r\nX-Trailer: t\r\n\r\n",
        3: b"HTTP/1.0 200 OK\r\n\r\nuntil the end",
    }
    async with RawServer(lambda n: answers[n]) as server:
        w = wire()
        assert await get(w, server) == (200, {"content-length": "5"}, b"hello")
        status, _, body = await get(w, server)
        assert (status, body) == (200, b"abcdefg")
        status, _, body = await get(w, server)
        assert (status, body) == (200, b"until the end")
        await w.aclose()
    # the first two answers kept the connection; the third (HTTP/1.0, no length) ended it
    assert server.connections == 1 and len(server.requests) == 3


async def test_informational_answers_are_skipped_and_a_304_has_no_body() -> None:
    answer = b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 304 Not Modified\r\n"
    answer += b'ETag: "v1"\r\nContent-Length: 99\r\n\r\n'
    async with RawServer(lambda n: answer) as server:
        w = wire()
        for _ in range(2):
            status, headers, body = await get(w, server)
            assert (status, headers["etag"], body) == (304, '"v1"', b"")
        await w.aclose()
    assert server.connections == 1  # a 304 ends at its head: the connection was kept


async def test_a_kept_connection_the_server_closed_is_replaced_once() -> None:
    ok = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
    async with RawServer(lambda n: ok, close_after=True) as server:
        w = wire()
        assert (await get(w, server))[2] == b"ok"
        await asyncio.sleep(0.05)  # the server has closed it; the wire may not know yet
        assert (await get(w, server))[2] == b"ok"
        await w.aclose()
    assert server.connections == 2


async def test_a_server_that_hangs_up_without_answering_is_a_protocol_error() -> None:
    async with RawServer(lambda n: None) as server:
        w = wire()
        with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
            await get(w, server)


async def test_a_body_cut_short_is_an_error_and_its_connection_is_not_kept() -> None:
    cut = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"
    async with RawServer(lambda n: cut, close_after=True) as server:
        w = wire()
        with pytest.raises(httpx.RemoteProtocolError, match="complete message body"):
            await get(w, server)
        assert w.idle_connections == 0


async def test_silence_hits_the_read_timeout() -> None:
    slow = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"  # the rest never comes
    async with RawServer(lambda n: slow) as server:
        w = wire(read_timeout=0.2)
        with pytest.raises(httpx.ReadTimeout):
            await get(w, server)
        await w.aclose()


async def test_a_body_left_unread_closes_its_connection() -> None:
    big = b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + b"x" * 100_000
    async with RawServer(lambda n: big) as server:
        w = wire()
        for _ in range(2):
            async with w.get(server.origin, server.head()) as response:
                first = await anext(response.stream)
                assert first.startswith(b"x")
        assert w.idle_connections == 0
        await w.aclose()
    assert server.connections == 2


@pytest.mark.parametrize(
    "head",
    [
        b"HTTP/2 200 OK",
        b"ICY 200 OK",
        b"HTTP/1.1 200 OK\r\nBad Header",
        b"HTTP/1.1 200 OK\r\n Name: leading space",
    ],
)
def test_malformed_heads_are_protocol_errors(head: bytes) -> None:
    with pytest.raises(httpx.RemoteProtocolError):
        parse_head(head)


def test_folded_and_repeated_headers() -> None:
    minor, status, headers = parse_head(
        b"HTTP/1.1 200 OK\r\nX-Long: a\r\n  b\r\nVary: Accept\r\nvary: Cookie"
    )
    assert (minor, status) == (1, 200)
    assert headers == {"x-long": "a b", "vary": "Accept, Cookie"}


async def test_refused_connection_is_a_connect_error() -> None:
    async with RawServer(lambda n: None) as server:
        origin, head = server.origin, server.head()
    w = wire()
    with pytest.raises(httpx.ConnectError):
        async with w.get(origin, head):
            pass


async def test_the_guard_refuses_a_private_address_before_connecting() -> None:
    w = wire(guard=True)
    with pytest.raises(BlockedAddress):
        async with w.get(("http", "127.0.0.1", 9), b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"):
            pass


class LoopbackWire(Wire):
    """A guarded wire whose resolver sends every name to 127.0.0.1 (tests only)."""

    async def _addresses(self, loop: asyncio.AbstractEventLoop, host: str, port: int) -> list[str]:
        return ["127.0.0.1"]


@pytest.fixture
async def tls_server(tmp_path: Path) -> AsyncIterator[tuple[int, Path]]:
    if shutil.which("openssl") is None:
        pytest.skip("needs openssl")
    cert, key = make_cert(tmp_path, "feeds.test")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=b"<rss/>")

    app = web.Application()
    app.router.add_get("/feed.xml", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context).start()
    try:
        yield runner.addresses[0][1], cert
    finally:
        await runner.cleanup()


async def test_tls_goes_to_the_checked_address_and_verifies_the_url_host(
    tls_server: tuple[int, Path],
) -> None:
    port, cert = tls_server
    trusting = ssl.create_default_context(cafile=str(cert))
    w = LoopbackWire(guard=True, ssl_context=trusting, connect_timeout=2.0, read_timeout=2.0)
    head = f"GET /feed.xml HTTP/1.1\r\nHost: feeds.test:{port}\r\n\r\n".encode()
    async with w.get(("https", "feeds.test", port), head) as response:
        body = b"".join([chunk async for chunk in response.stream])
    assert (response.status, body) == (200, b"<rss/>")
    with pytest.raises(httpx.ConnectError, match=r"CERTIFICATE_VERIFY_FAILED|hostname"):
        async with w.get(("https", "other.test", port), head):
            pass
    await w.aclose()
