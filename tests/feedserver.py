"""A local feed server for tests: an aiohttp app on 127.0.0.1, on a free port.

Serves whatever a test registers: feeds with ETag / Last-Modified and 304s (`feed`), redirects
(`redirect`), error statuses with headers such as 429 + Retry-After (`status`), slow drips
(`drip`), servers that never answer (`stall`), gzip bombs (`gzip_bomb`), huge bodies (`huge`),
HTML pages (`page`) and empty bodies (`feed(path, b"")`); counts (`hits`) and records
(`requests`) every request; lets a test change a feed between requests (`set_body`).
Reads no files and no clock (Last-Modified dates are synthetic, one minute per change).

    async with FeedServer() as server:
        url = server.feed("/feed.xml", body)
        ...
        server.set_body("/feed.xml", new_body)
        assert server.hits["/feed.xml"] == 2

or use the `feed_server` fixture below (add `from tests.feedserver import feed_server` to a
conftest, or import it into a test module).
"""

from __future__ import annotations

import asyncio
import hashlib
import socket
import zlib
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from types import TracebackType

import pytest
from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
_BOMBS: dict[int, bytes] = {}


def gzip_of_zeros(size: int) -> bytes:
    """A gzip stream that inflates to `size` zero bytes (cached: a 64 MiB bomb is ~64 KiB)."""
    if size not in _BOMBS:
        comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        block = b"\0" * (1 << 20)
        parts = []
        left = size
        while left > 0:
            parts.append(comp.compress(block[: min(left, len(block))]))
            left -= len(block)
        parts.append(comp.flush())
        _BOMBS[size] = b"".join(parts)
    return _BOMBS[size]


@dataclass
class RecordedRequest:
    """One request the server saw."""

    method: str
    path: str
    headers: Mapping[str, str]
    peer: object = None  # the client's (address, port): one per connection


@dataclass
class _Feed:
    body: bytes
    content_type: str | None
    etag: bool
    last_modified: bool
    conditional: bool
    headers: dict[str, str]
    version: int = 0
    gzip: bool = False

    def etag_value(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'

    def last_modified_value(self) -> str:
        return format_datetime(_EPOCH + timedelta(minutes=self.version), usegmt=True)


@dataclass
class FeedServer:
    """The server; see the module docstring. `base_url` is set once started."""

    base_url: str = ""
    hits: Counter[str] = field(default_factory=Counter)  # requests per path
    requests: list[RecordedRequest] = field(default_factory=list)  # every request, in order
    _routes: dict[str, Handler] = field(default_factory=dict)
    _feeds: dict[str, _Feed] = field(default_factory=dict)
    _runner: web.AppRunner | None = None

    # ------------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> FeedServer:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=0.1
        )
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def url(self, path: str) -> str:
        """The absolute URL of `path` on this server."""
        return self.base_url + path

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        self.hits[request.path] += 1
        peer = request.transport.get_extra_info("peername") if request.transport else None
        self.requests.append(
            RecordedRequest(request.method, request.path, dict(request.headers), peer)
        )
        handler = self._routes.get(request.path)
        if handler is None:
            return web.Response(status=404, text="no such fixture")
        return await handler(request)

    def route(self, path: str, handler: Handler) -> str:
        """Serve `path` with a custom aiohttp handler; returns its URL."""
        self._routes[path] = handler
        return self.url(path)

    # ------------------------------------------------------------------ feeds

    def feed(
        self,
        path: str,
        body: bytes,
        *,
        content_type: str | None = "application/rss+xml; charset=utf-8",
        etag: bool = True,
        last_modified: bool = True,
        conditional: bool = True,
        gzip: bool = False,
        headers: Mapping[str, str] | None = None,
    ) -> str:
        """Serve `body` at `path` with validators; `conditional=False` ignores If-* headers."""
        self._feeds[path] = _Feed(
            body, content_type, etag, last_modified, conditional, dict(headers or {}), gzip=gzip
        )
        return self.route(path, self._serve_feed)

    def set_body(self, path: str, body: bytes) -> None:
        """Change a feed's content: a new ETag and a Last-Modified one minute later."""
        feed = self._feeds[path]
        feed.body = body
        feed.version += 1

    async def _serve_feed(self, request: web.Request) -> web.StreamResponse:
        feed = self._feeds[request.path]
        headers = dict(feed.headers)
        if feed.etag:
            headers["ETag"] = feed.etag_value()
        if feed.last_modified:
            headers["Last-Modified"] = feed.last_modified_value()
        if feed.conditional:
            inm = request.headers.get("If-None-Match")
            ims = request.headers.get("If-Modified-Since")
            if (feed.etag and inm == feed.etag_value()) or (
                inm is None and feed.last_modified and ims == feed.last_modified_value()
            ):
                return web.Response(status=304, headers=headers)
        body = feed.body
        if feed.gzip:
            comp = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
            body = comp.compress(body) + comp.flush()
            headers["Content-Encoding"] = "gzip"
        if feed.content_type is not None:
            headers["Content-Type"] = feed.content_type
        return web.Response(body=body, headers=headers)

    # ------------------------------------------------------------------ misbehaviour

    def redirect(self, path: str, to: str, status: int = 301) -> str:
        """Redirect `path` to `to` (a path on this server or an absolute URL)."""

        async def handler(request: web.Request) -> web.StreamResponse:
            return web.Response(status=status, headers={"Location": to})

        return self.route(path, handler)

    def status(
        self,
        path: str,
        status: int,
        *,
        body: bytes = b"",
        headers: Mapping[str, str] | None = None,
    ) -> str:
        """Answer `path` with a fixed status, body and headers (500, 404, 429 + Retry-After)."""
        fixed = dict(headers or {})

        async def handler(request: web.Request) -> web.StreamResponse:
            return web.Response(status=status, body=body, headers=fixed)

        return self.route(path, handler)

    def page(self, path: str, html: bytes) -> str:
        """Serve an HTML page (a site's home page instead of its feed)."""
        return self.feed(path, html, content_type="text/html; charset=utf-8")

    def stall(self, path: str, seconds: float, body: bytes = b"") -> str:
        """Wait `seconds` before answering at all (no headers either), then send `body`."""

        async def handler(request: web.Request) -> web.StreamResponse:
            await asyncio.sleep(seconds)
            return web.Response(body=body, headers={"Content-Type": "application/rss+xml"})

        return self.route(path, handler)

    def drip(self, path: str, body: bytes, *, interval: float = 0.2, chunk: int = 1) -> str:
        """Send `body` `chunk` bytes at a time, pausing `interval` s between chunks."""

        async def handler(request: web.Request) -> web.StreamResponse:
            response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
            response.content_length = len(body)
            await response.prepare(request)
            try:
                for start in range(0, len(body), chunk):
                    await response.write(body[start : start + chunk])
                    await asyncio.sleep(interval)
            except (ConnectionError, RuntimeError):
                pass  # the client gave up, as it should
            return response

        return self.route(path, handler)

    def gzip_bomb(self, path: str, decoded_size: int = 64 * 1024 * 1024) -> str:
        """A small gzip body that inflates to `decoded_size` zero bytes."""
        data = gzip_of_zeros(decoded_size)
        headers = {"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"}

        async def handler(request: web.Request) -> web.StreamResponse:
            return web.Response(body=data, headers=headers)

        return self.route(path, handler)

    def huge(self, path: str, size: int, *, declare_length: bool = True) -> str:
        """Stream `size` bytes of filler, with or without a Content-Length."""

        async def handler(request: web.Request) -> web.StreamResponse:
            response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
            if declare_length:
                response.content_length = size
            else:
                response.enable_chunked_encoding()
            await response.prepare(request)
            block = b"<!-- filler -->" * 4096
            sent = 0
            try:
                while sent < size:
                    piece = block[: size - sent]
                    await response.write(piece)
                    sent += len(piece)
            except (ConnectionError, RuntimeError):
                pass
            return response

        return self.route(path, handler)


@pytest.fixture
async def feed_server() -> AsyncIterator[FeedServer]:
    """A started FeedServer, stopped after the test."""
    async with FeedServer() as server:
        yield server


def site_with_a_feed(site: FeedServer) -> tuple[str, str, str]:
    """A news site on `site`: (its feed of the seed articles, a page advertising that feed,
    a URL that answers 404)."""
    from tests.feeds import rss, seed_entries, split_seeds

    seeds, _ = split_seeds(seed_entries())
    feed_url = site.feed("/rss.xml", rss(seeds, title="Seed Outlet"))
    page = site.feed(
        "/index.html",
        b'<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml">'
        b"</head><body>news</body></html>",
        content_type="text/html",
    )
    return feed_url, page, site.status("/gone.xml", 404)
