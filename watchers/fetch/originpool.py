"""One small connection pool per origin, so a feed's host keeps its connections within a cycle.

Why not httpcore's single pool: with feeds on hundreds of hosts, a shared pool of 20
connections drops a host's connection long before its next feed comes round, and httpcore
scans every pooled connection (quadratically, in 1.0) each time a request starts or ends. Small
pools per origin keep each host's connections for its next feeds (one TLS handshake per host
and cycle instead of one per feed) and keep every scan short: in `benchmarks/poll.py`'s
1,000 conditional GETs over 50 hosts, 1.2 s instead of 2.2 s.

Pools idle for longer than `idle_after` seconds are closed (their sockets with them) when the
next request comes, and at most `max_origins` pools are kept. Does not limit requests per host
(`httpclient.Limiter` does) or follow redirects.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import httpx

Origin = tuple[str, str, int]


@dataclass
class _Entry:
    transport: httpx.AsyncBaseTransport
    in_flight: int = 0
    last_used: float = 0.0


class _ClosingStream(httpx.AsyncByteStream):
    """A response body that tells its pool when it is closed (the request is over)."""

    def __init__(self, inner: httpx.AsyncByteStream, done: Callable[[], None]) -> None:
        self._inner = inner
        self._done: Callable[[], None] | None = done

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._inner.aclose()
        finally:
            done, self._done = self._done, None
            if done is not None:
                done()


class PerOriginTransport(httpx.AsyncBaseTransport):
    """Routes each request to its origin's own transport, made by `make_transport`."""

    def __init__(
        self,
        make_transport: Callable[[], httpx.AsyncBaseTransport],
        *,
        idle_after: float = 30.0,
        max_origins: int = 256,
        monotonic: Callable[[], float] | None = None,
    ) -> None:
        self._make = make_transport
        self._monotonic = monotonic
        self._idle_after = idle_after
        self._max_origins = max(1, max_origins)
        self._entries: dict[Origin, _Entry] = {}
        self._next_sweep = 0.0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        now = (self._monotonic or asyncio.get_running_loop().time)()  # for idleness only
        if now >= self._next_sweep or len(self._entries) >= self._max_origins:
            await self._sweep(now)
        url = request.url
        origin = (url.scheme, url.host, url.port or (443 if url.scheme == "https" else 80))
        entry = self._entries.pop(origin, None) or _Entry(self._make())
        self._entries[origin] = entry  # most recently used last
        entry.in_flight += 1
        entry.last_used = now
        try:
            response = await entry.transport.handle_async_request(request)
        except BaseException:
            entry.in_flight -= 1
            raise

        def done() -> None:
            entry.in_flight -= 1

        assert isinstance(response.stream, httpx.AsyncByteStream)
        return httpx.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=_ClosingStream(response.stream, done),
            extensions=response.extensions,
        )

    async def _sweep(self, now: float) -> None:
        """Close pools idle too long, then the least recently used idle ones over the cap."""
        self._next_sweep = now + self._idle_after / 2
        idle = [o for o, e in self._entries.items() if e.in_flight == 0]
        stale = [o for o in idle if now - self._entries[o].last_used > self._idle_after]
        excess = len(self._entries) - len(stale) - (self._max_origins - 1)
        if excess > 0:
            stale += [o for o in idle if o not in stale][:excess]
        for origin in stale:
            entry = self._entries.pop(origin)
            await entry.transport.aclose()

    @property
    def origins(self) -> int:
        """Pools currently kept (for tests and diagnostics)."""
        return len(self._entries)

    async def aclose(self) -> None:
        entries, self._entries = list(self._entries.values()), {}
        for entry in entries:
            await entry.transport.aclose()
