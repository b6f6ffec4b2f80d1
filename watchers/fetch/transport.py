"""The HTTP client of a poll cycle: SSRF-guarded connections, limits per host and overall.

`make_client(policy)` builds the client a cycle passes around: an httpx client (the type the
callers and the tests' mock transports share) that owns a `watchers.fetch.session.FeedSession`,
the aiohttp session every feed GET of `watchers.fetch.client` goes over (SSRF guard unless
private addresses are allowed, the verifying TLS context, connect/read timeouts, no proxies from
the environment, no redirects, no cookies). Closing the client closes the session. It also
carries the request limiter that `limiter_for` hands to `watchers.fetch.client`. Does not send
requests.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import certifi
import httpx

from watchers.fetch.caps import ACCEPT_ENCODING
from watchers.fetch.session import FeedSession
from watchers.fetch.types import FetchPolicy

ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, text/html;q=0.3, */*;q=0.1"
)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """One verifying TLS context for every client: loading the CA bundle takes ~40 ms."""
    return ssl.create_default_context(cafile=certifi.where())


class _SessionOwner(httpx.AsyncBaseTransport):
    """The httpx face of `make_client`'s client: closing it closes the feed session.

    The client's GETs go over the session (`feed_session`), so a request sent through httpx
    instead is refused rather than sent around the guard and the session's connections.
    """

    def __init__(self, session: FeedSession) -> None:
        self.session = session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        raise httpx.UnsupportedProtocol(
            f"{request.url}: this client sends feed GETs with watchers.fetch.client.fetch_feed"
        )

    async def aclose(self) -> None:
        await self.session.aclose()


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
_SESSIONS: weakref.WeakKeyDictionary[httpx.AsyncClient, FeedSession] = weakref.WeakKeyDictionary()


def make_client(policy: FetchPolicy) -> httpx.AsyncClient:
    """One HTTP client for a whole poll cycle; close it (`async with`) when the cycle ends.

    Redirects are not followed (fetch_feed follows them hop by hop), proxies from the
    environment are ignored (a proxy would hide the address we connect to from the SSRF check).
    """
    session = FeedSession(
        guard=not policy.allow_private,
        ssl_context=_tls_context(),
        headers={
            "User-Agent": policy.user_agent,
            "Accept": ACCEPT,
            "Accept-Encoding": ACCEPT_ENCODING,
        },
        connect_timeout=policy.connect_timeout,
        read_timeout=policy.read_timeout,
        # A host's feeds take at most max_per_host connections at once (the Limiter), so the
        # connector needs no more; one spare serves a probe beside a cycle.
        per_host=policy.max_per_host + 1,
        total=policy.max_total + 1,
    )
    client = httpx.AsyncClient(
        transport=_SessionOwner(session), follow_redirects=False, trust_env=False
    )
    _LIMITERS[client] = Limiter(policy.max_per_host, policy.max_total)
    _SESSIONS[client] = session
    return client


def feed_session(client: httpx.AsyncClient) -> FeedSession | None:
    """The aiohttp session `client`'s feed GETs go over, or None (a client not made by
    make_client, such as the tests' httpx clients on mock transports)."""
    return _SESSIONS.get(client)


def limiter_for(client: httpx.AsyncClient, policy: FetchPolicy) -> Limiter:
    """The limiter of `client` (one is attached on first use to a client not from make_client)."""
    limiter = _LIMITERS.get(client)
    if limiter is None:
        limiter = _LIMITERS.setdefault(client, Limiter(policy.max_per_host, policy.max_total))
    return limiter
