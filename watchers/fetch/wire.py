"""A small HTTP/1.1 client for feed GETs: keep-alive connections per origin on asyncio protocols.

Why: a poll cycle is mostly conditional GETs answered by a 304 with no body. Through httpx,
httpcore, h11 and anyio each one cost about 0.6 ms of CPU in layers of request and event
objects, cancel scopes and connection-state checks, which was most of an idle cycle's CPU
(`benchmarks/poll.py`). Here a request is one `write` of bytes built once, and a response head
is split with `bytes.find`.

What it does: connects (over TLS for https, verifying the URL's host name) and, when `guard`
is on, only to addresses that `watchers.fetch.guard` finds public, resolving the name itself
and connecting to the checked address; reads a response head (informational 1xx skipped), then
its body as sent (chunked, by Content-Length or until the server closes), raw: Content-Encoding
is left to `watchers.fetch.caps`. Connections whose response was read to the end go back to
their origin's idle list for at most `idle_expiry` seconds; a request that finds its reused
connection closed by the server before any byte of an answer is sent once more on a new one.
Failures are httpx's exceptions, so callers handle one family. It does not follow redirects,
limit requests per host (`watchers.fetch.transport.Limiter` does), decode bodies, keep
cookies or speak HTTP/2.
"""

from __future__ import annotations

import asyncio
import re
import socket
import ssl
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx

from watchers.fetch.guard import check_addresses, parse_ip

Origin = tuple[str, str, int]  # scheme, host (lower case, IPv6 without brackets), port

MAX_HEAD = 64 * 1024  # bytes of a response's status line and headers
MAX_LINE = 8 * 1024  # bytes of a chunk-size or trailer line
HIGH_WATER = 256 * 1024  # unread bytes buffered before the socket stops being read

_HEAD_END = re.compile(rb"\r?\n\r?\n")
_STATUS_LINE = re.compile(rb"HTTP/1\.([01]) ([1-9][0-9][0-9])(?: [^\r\n]*)?")


def _expire(waiter: asyncio.Future[None], seconds: float) -> None:
    if not waiter.done():
        waiter.set_exception(httpx.ReadTimeout(f"no data for {seconds:g} s"))


class _Conn(asyncio.Protocol):
    """One connection: what the socket delivered, and a waiter woken when more comes."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self.transport: asyncio.Transport | None = None
        self.buf = bytearray()
        self.eof = False
        self.last_used = 0.0
        self._waiter: asyncio.Future[None] | None = None
        self._paused = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buf += data
        if len(self.buf) > HIGH_WATER and not self._paused and self.transport is not None:
            self._paused = True
            self.transport.pause_reading()
        self._wake()

    def eof_received(self) -> bool:
        self.eof = True
        self._wake()
        return False  # close the transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.eof = True
        self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    @property
    def reusable(self) -> bool:
        """Open, and the server has sent nothing since the last response ended."""
        t = self.transport
        return not self.eof and not self.buf and t is not None and not t.is_closing()

    async def fill(self, timeout: float | None) -> None:  # noqa: ASYNC109 (a read timeout)
        """Wait until more bytes or the end of the stream arrive; ReadTimeout after `timeout`
        seconds of silence."""
        if self.eof:
            return
        if self._paused and self.transport is not None:
            self._paused = False
            self.transport.resume_reading()
        waiter = self._loop.create_future()
        self._waiter = waiter
        timer = (
            None if timeout is None else self._loop.call_later(timeout, _expire, waiter, timeout)
        )
        try:
            await waiter
        finally:
            self._waiter = None
            if timer is not None:
                timer.cancel()

    def take(self, n: int) -> bytes:
        """Up to `n` buffered bytes."""
        if n >= len(self.buf):
            out = bytes(self.buf)
            self.buf.clear()
        else:
            out = bytes(self.buf[:n])
            del self.buf[:n]
        return out

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


class _Stale(Exception):
    """A reused connection ended before any byte of the answer: the server had closed it."""


@dataclass
class Response:
    """A response being read: status, headers by lower-case name, the raw body's chunks."""

    status: int
    headers: Mapping[str, str]
    stream: AsyncIterator[bytes]
    keep_alive: bool
    complete: bool = False  # the body was read to its end


def decode_headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """Headers by lower-case name; a repeated header's values joined by ", " (as
    httpx.Headers.get gives them). Values are ASCII, else UTF-8, else Latin-1."""
    out: dict[str, str] = {}
    for name, value in raw:
        key = name.decode("latin-1").lower()
        try:
            text = value.decode("ascii")
        except UnicodeDecodeError:
            try:
                text = value.decode("utf-8")
            except UnicodeDecodeError:
                text = value.decode("latin-1")
        out[key] = f"{out[key]}, {text}" if key in out else text
    return out


def parse_head(head: bytes) -> tuple[int, int, dict[str, str]]:
    """(minor HTTP version, status, headers) of a response head; RemoteProtocolError if bad."""
    lines = head.split(b"\n")
    m = _STATUS_LINE.fullmatch(lines[0].rstrip(b"\r"))
    if m is None:
        raise httpx.RemoteProtocolError(f"not an HTTP/1 status line: {lines[0][:80]!r}")
    raw: list[tuple[bytes, bytes]] = []
    for line in lines[1:]:
        line = line.rstrip(b"\r")
        if line[:1] in (b" ", b"\t") and raw:  # obsolete line folding: a continuation
            raw[-1] = (raw[-1][0], raw[-1][1] + b" " + line.strip())
            continue
        name, sep, value = line.partition(b":")
        if not sep or not name or name != name.strip():
            raise httpx.RemoteProtocolError(f"malformed header line: {line[:80]!r}")
        raw.append((name, value.strip()))
    return int(m[1]), int(m[2]), decode_headers(raw)


class Wire:
    """Sends GETs over keep-alive connections kept per origin; `aclose` closes the idle ones."""

    def __init__(
        self,
        *,
        guard: bool,
        ssl_context: ssl.SSLContext,
        connect_timeout: float | None,
        read_timeout: float | None,
        max_idle_per_origin: int = 3,
        idle_expiry: float = 5.0,
    ) -> None:
        self._guard = guard
        self._ssl = ssl_context
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._max_idle = max(1, max_idle_per_origin)
        self._expiry = idle_expiry
        self._idle: dict[Origin, list[_Conn]] = {}
        self._next_sweep = 0.0

    @asynccontextmanager
    async def get(self, origin: Origin, head: bytes) -> AsyncIterator[Response]:
        """Send the request `head` (its bytes, blank line included) to `origin`; the response
        while inside; its connection kept for the next request if the body was read to the end,
        else closed."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        if now >= self._next_sweep:
            self._sweep(now)
        conn = self._reuse(origin, now)
        response: Response | None = None
        try:
            if conn is not None:
                try:
                    response = await self._exchange(conn, head, reused=True)
                except _Stale:
                    conn.close()
                    conn = None
            if conn is None:
                conn = await self._connect(loop, origin)
                response = await self._exchange(conn, head, reused=False)
            assert response is not None
            yield response
        finally:
            stream = response.stream if response is not None else None
            if stream is not None and hasattr(stream, "aclose"):
                await stream.aclose()
            if conn is not None:
                if response is not None and response.complete and response.keep_alive:
                    self._keep(origin, conn, loop.time())
                else:
                    conn.close()

    async def aclose(self) -> None:
        idle, self._idle = self._idle, {}
        for conns in idle.values():
            for conn in conns:
                conn.close()

    @property
    def idle_connections(self) -> int:
        """Connections kept for reuse now (for tests and diagnostics)."""
        return sum(len(c) for c in self._idle.values())

    def _reuse(self, origin: Origin, now: float) -> _Conn | None:
        conns = self._idle.get(origin)
        while conns:
            conn = conns.pop()
            if conn.reusable and now - conn.last_used < self._expiry:
                return conn
            conn.close()
        return None

    def _keep(self, origin: Origin, conn: _Conn, now: float) -> None:
        conns = self._idle.setdefault(origin, [])
        if not conn.reusable or len(conns) >= self._max_idle:
            conn.close()
            return
        conn.last_used = now
        conns.append(conn)

    def _sweep(self, now: float) -> None:
        """Close connections idle for longer than the expiry, so quiet hosts get them back."""
        self._next_sweep = now + self._expiry
        for origin in list(self._idle):
            conns = self._idle[origin]
            keep = [c for c in conns if c.reusable and now - c.last_used < self._expiry]
            for conn in conns:
                if conn not in keep:
                    conn.close()
            if keep:
                self._idle[origin] = keep
            else:
                del self._idle[origin]

    async def _connect(self, loop: asyncio.AbstractEventLoop, origin: Origin) -> _Conn:
        scheme, host, port = origin
        tls = scheme == "https"
        addresses = await self._addresses(loop, host, port) if self._guard else [host]
        last: Exception = httpx.ConnectError(f"{host} resolved to no address")
        for address in addresses:
            try:
                async with asyncio.timeout(self._connect_timeout):
                    _, conn = await loop.create_connection(
                        lambda: _Conn(loop),
                        address,
                        port,
                        ssl=self._ssl if tls else None,
                        server_hostname=host if tls else None,
                    )
                return conn
            except TimeoutError:
                last = httpx.ConnectTimeout(f"connecting to {address}:{port} timed out")
            except OSError as exc:  # refused, unreachable, TLS failures (ssl.SSLError)
                last = httpx.ConnectError(str(exc) or type(exc).__name__)
        raise last

    async def _addresses(self, loop: asyncio.AbstractEventLoop, host: str, port: int) -> list[str]:
        """The addresses to connect to, every one of them public (BlockedAddress otherwise)."""
        if parse_ip(host) is not None:
            return check_addresses(host, [host])
        try:
            async with asyncio.timeout(self._connect_timeout):
                infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except TimeoutError as exc:
            raise httpx.ConnectTimeout(f"resolving {host} timed out") from exc
        except OSError as exc:
            raise httpx.ConnectError(f"cannot resolve {host}: {exc}") from exc
        return check_addresses(host, [str(info[4][0]) for info in infos])

    async def _exchange(self, conn: _Conn, head: bytes, *, reused: bool) -> Response:
        assert conn.transport is not None
        conn.transport.write(head)
        while True:
            minor, status, headers = parse_head(await self._read_head(conn, reused))
            if not 100 <= status < 200:
                break
            if status == 101:
                raise httpx.RemoteProtocolError("the server switched protocols unasked")
            reused = False  # an informational answer came: the connection was alive
        response = Response(status, headers, _NO_BODY, keep_alive=_keeps_alive(minor, headers))
        if status in (204, 304):
            response.complete = True
            return response
        coding = headers.get("transfer-encoding")
        length = headers.get("content-length")
        if coding is not None:
            if coding.rsplit(",", 1)[-1].strip().lower() == "chunked":
                response.stream = self._chunked(conn, response)
            else:  # another coding last: the body ends when the connection does
                response.keep_alive = False
                response.stream = self._until_close(conn, response)
        elif length is not None:
            sizes = {v.strip() for v in length.split(",")}
            size = sizes.pop() if len(sizes) == 1 else ""
            if not size.isdigit():
                raise httpx.RemoteProtocolError(f"bad Content-Length {length!r}")
            response.stream = self._fixed(conn, int(size), response)
        else:
            response.keep_alive = False
            response.stream = self._until_close(conn, response)
        return response

    async def _read_head(self, conn: _Conn, reused: bool) -> bytes:
        start = 0
        while True:
            m = _HEAD_END.search(conn.buf, start)
            if m is not None:
                head = bytes(conn.buf[: m.start()])
                del conn.buf[: m.end()]
                return head.lstrip(b"\r\n")
            if len(conn.buf) > MAX_HEAD:
                raise httpx.RemoteProtocolError(f"response head over {MAX_HEAD:,} bytes")
            start = max(0, len(conn.buf) - 3)
            if conn.eof:
                if reused and not conn.buf:
                    raise _Stale()
                raise httpx.RemoteProtocolError("server disconnected without sending a response")
            await conn.fill(self._read_timeout)

    async def _fixed(
        self, conn: _Conn, size: int, response: Response | None
    ) -> AsyncIterator[bytes]:
        remaining = size
        while remaining:
            if not conn.buf:
                if conn.eof:
                    raise httpx.RemoteProtocolError(
                        "peer closed connection without sending complete message body"
                    )
                await conn.fill(self._read_timeout)
                continue
            chunk = conn.take(remaining)
            remaining -= len(chunk)
            yield chunk
        if response is not None:
            response.complete = True

    async def _until_close(self, conn: _Conn, response: Response) -> AsyncIterator[bytes]:
        while True:
            if conn.buf:
                yield conn.take(len(conn.buf))
            elif conn.eof:
                break
            else:
                await conn.fill(self._read_timeout)
        response.complete = True

    async def _chunked(self, conn: _Conn, response: Response) -> AsyncIterator[bytes]:
        while True:
            line = await self._line(conn)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise httpx.RemoteProtocolError(f"bad chunk size line {line[:40]!r}") from None
            if size == 0:
                while await self._line(conn):  # trailer fields, up to the blank line
                    pass
                response.complete = True
                return
            async for chunk in self._fixed(conn, size, None):
                yield chunk
            if await self._line(conn):
                raise httpx.RemoteProtocolError("chunk data longer than its size")

    async def _line(self, conn: _Conn) -> bytes:
        while True:
            end = conn.buf.find(b"\n")
            if end >= 0:
                line = bytes(conn.buf[:end])
                del conn.buf[: end + 1]
                return line.rstrip(b"\r")
            if len(conn.buf) > MAX_LINE:
                raise httpx.RemoteProtocolError("chunk size or trailer line too long")
            if conn.eof:
                raise httpx.RemoteProtocolError(
                    "peer closed connection without sending complete message body"
                )
            await conn.fill(self._read_timeout)


class _Empty:
    """The body of a 204, a 304 or an informational answer."""

    def __aiter__(self) -> _Empty:
        return self

    async def __anext__(self) -> bytes:
        raise StopAsyncIteration


_NO_BODY: AsyncIterator[bytes] = _Empty()


def _keeps_alive(minor: int, headers: Mapping[str, str]) -> bool:
    tokens = {t.strip().lower() for t in headers.get("connection", "").split(",")}
    return "close" not in tokens if minor == 1 else "keep-alive" in tokens
