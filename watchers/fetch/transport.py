"""The HTTP client of a poll cycle: SSRF-guarded connections, limits per host and overall.

`make_client(policy)` builds an httpx client whose connections go through
`watchers.fetch.guard.GuardedBackend` (unless private addresses are allowed) and always through
`watchers.fetch.netstream.CachedInfoBackend` (cheap connection checks), keeps a small pool per
origin (`watchers.fetch.originpool`), ignores proxies from
the environment, never follows redirects itself, and carries the request limiter that
`limiter_for` hands to `watchers.fetch.client`, and the `direct_route` a feed's GET takes
around httpx (`watchers.fetch.direct` over `watchers.fetch.wire`, with the same guard, TLS
context and timeouts). Does not send requests.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
import weakref
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import certifi
import httpcore
import httpx

from watchers.fetch.caps import ACCEPT_ENCODING
from watchers.fetch.direct import DirectRoute
from watchers.fetch.guard import GuardedBackend
from watchers.fetch.netstream import CachedInfoBackend
from watchers.fetch.originpool import PerOriginTransport
from watchers.fetch.types import FetchPolicy
from watchers.fetch.wire import Wire

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, text/html;q=0.3, */*;q=0.1"
)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """One verifying TLS context for every client: loading the CA bundle takes ~40 ms."""
    return ssl.create_default_context(cafile=certifi.where())


class _PooledTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with our network backend underneath (SSRF checks when `guard`).

    httpx 0.28 has no public hook for a network backend, so we replace the connection pool it
    built with an identical one that uses ours (checked by tests/test_netguard.py).
    """

    def __init__(self, limits: httpx.Limits, guard: bool) -> None:
        context = _tls_context()
        super().__init__(limits=limits, trust_env=False, verify=context)
        if not isinstance(getattr(self, "_pool", None), httpcore.AsyncConnectionPool):
            # Fail closed: never run unguarded because httpx renamed an internal.
            raise RuntimeError("cannot install the SSRF guard in this httpx version")
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=CachedInfoBackend(
                GuardedBackend() if guard else httpcore.AnyIOBackend()
            ),
        )


class _FeedTransport(PerOriginTransport):
    """The per-origin pools, closed together with the wire that feed GETs take."""

    def __init__(self, make_transport: Callable[[], httpx.AsyncBaseTransport], wire: Wire) -> None:
        super().__init__(make_transport)
        self.wire = wire

    async def aclose(self) -> None:
        try:
            await self.wire.aclose()
        finally:
            await super().aclose()


class Limiter:
    """At most `per_host` requests per host and `total` overall in flight."""

    def __init__(self, per_host: int, total: int) -> None:
        self._per_host = max(1, per_host)
        self._total = asyncio.Semaphore(max(1, total))
        self._hosts: dict[str, asyncio.Semaphore] = {}

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        # Always host first, then total: one order for everyone, so no circular wait.
        host_sem = self._hosts.setdefault(host, asyncio.Semaphore(self._per_host))
        async with host_sem, self._total:
            yield


_LIMITERS: weakref.WeakKeyDictionary[httpx.AsyncClient, Limiter] = weakref.WeakKeyDictionary()
_DIRECT: weakref.WeakKeyDictionary[httpx.AsyncClient, DirectRoute] = weakref.WeakKeyDictionary()


def make_client(policy: FetchPolicy) -> httpx.AsyncClient:
    """One HTTP client for a whole poll cycle; close it (`async with`) when the cycle ends.

    Redirects are not followed by httpx (fetch_feed follows them hop by hop), proxies from the
    environment are ignored (a proxy would hide the address we connect to from the SSRF check).
    """
    # A host's feeds take at most max_per_host connections at once (the Limiter), so each
    # origin's own pool needs no more; one spare serves a probe beside a cycle.
    per_origin = policy.max_per_host + 1
    limits = httpx.Limits(max_connections=per_origin, max_keepalive_connections=per_origin)
    guard = not policy.allow_private
    wire = Wire(
        guard=guard,
        ssl_context=_tls_context(),
        connect_timeout=policy.connect_timeout,
        read_timeout=policy.read_timeout,
        max_idle_per_origin=per_origin,
        idle_expiry=limits.keepalive_expiry or 5.0,
    )
    transport = _FeedTransport(lambda: _PooledTransport(limits, guard=guard), wire)
    client = httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(
            connect=policy.connect_timeout,
            read=policy.read_timeout,
            write=policy.read_timeout,
            pool=policy.total_timeout,
        ),
        headers={
            "User-Agent": policy.user_agent,
            "Accept": ACCEPT,
            "Accept-Encoding": ACCEPT_ENCODING,
        },
        follow_redirects=False,
        trust_env=False,
    )
    _LIMITERS[client] = Limiter(policy.max_per_host, policy.max_total)
    _DIRECT[client] = DirectRoute(wire, client)
    return client


def direct_route(client: httpx.AsyncClient) -> DirectRoute | None:
    """The way around httpx for `client`'s feed GETs (`watchers.fetch.direct`), else None
    (a client not made by make_client).

    It carries the client's headers as they were when the client was made.
    """
    return _DIRECT.get(client)


def limiter_for(client: httpx.AsyncClient, policy: FetchPolicy) -> Limiter:
    """The limiter of `client` (one is attached on first use to a client not from make_client)."""
    limiter = _LIMITERS.get(client)
    if limiter is None:
        limiter = _LIMITERS.setdefault(client, Limiter(policy.max_per_host, policy.max_total))
    return limiter
