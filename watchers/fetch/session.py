"""Feed GETs over an aiohttp session: keep-alive connections, SSRF-guarded, raw bodies.

Why aiohttp and not the httpx client the rest of the bot uses: a poll cycle is mostly
conditional GETs answered by a 304 with no body, and through httpx/httpcore/h11/anyio each
cost about 2 ms of CPU in request and event objects and cancel scopes (3,000 such GETs on
loopback: 2.1 ms a request against aiohttp's 0.11 ms, whose response parser is in C).

What a `FeedSession` does: sends a GET with the headers given plus the client's own
(User-Agent, Accept, Accept-Encoding); keeps connections per origin for reuse (a response
read to its end gives its connection back); verifies TLS against the URL's host name with the
context given. When `guard` is on, names are resolved by `GuardedResolver` (every address
checked by `watchers.fetch.guard`, so the connector only ever sees checked addresses: no
DNS-rebinding window) and every socket is checked again against the address it is about to
connect to (`guarded_socket`: aiohttp never asks the resolver about literal addresses).
Failures come out as httpx's exceptions (`_mapped`), the family `watchers.fetch.client`
handles for every path. It does not follow redirects (the caller checks each hop), decode
bodies (`watchers.fetch.caps` does, with its caps), keep cookies, use proxies from the
environment or limit requests per host (`watchers.fetch.transport.Limiter` does).
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import AsyncGenerator, AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
import httpx
from aiohttp.abc import AbstractResolver, ResolveResult

from watchers.fetch.guard import BlockedAddress, check_addresses, forbidden_reason, parse_ip

# What aiohttp hands a socket factory: (family, type, proto, canonical name, socket address).
AddrInfo = tuple[int, int, int, str, tuple[Any, ...]]


class GuardedResolver(AbstractResolver):
    """Resolves with `inner` and refuses (BlockedAddress) a name with any non-public address."""

    def __init__(self, inner: AbstractResolver) -> None:
        self._inner = inner

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        check_addresses(host, [r["host"] for r in results])
        return results

    async def close(self) -> None:
        await self._inner.close()


def guarded_socket(addr_info: AddrInfo) -> socket.socket:
    """A socket for `addr_info`, refused if its address is not public (the last check)."""
    family, type_, proto, _, address = addr_info
    ip = parse_ip(str(address[0]))
    reason = "unparsable" if ip is None else forbidden_reason(ip)
    if reason is not None:
        raise BlockedAddress(str(address[0]), str(address[0]), reason)
    return socket.socket(family=family, type=type_, proto=proto)


@dataclass(frozen=True)
class Answer:
    """A response being read: status, headers by lower-case name, the raw body's chunks."""

    status: int
    headers: Mapping[str, str]
    stream: AsyncIterator[bytes]


class FeedSession:
    """One aiohttp session, made on first use inside the running loop; `aclose` ends it."""

    def __init__(
        self,
        *,
        guard: bool,
        ssl_context: ssl.SSLContext,
        headers: Mapping[str, str],
        connect_timeout: float | None,
        read_timeout: float | None,
        per_host: int,
        total: int,
        idle_expiry: float = 5.0,
        resolver: AbstractResolver | None = None,
    ) -> None:
        self._guard = guard
        self._ssl = ssl_context
        self._headers = dict(headers)
        # `connect` covers waiting for a pooled connection, resolving, connecting and the TLS
        # handshake; `sock_read` is the silence tolerated between two reads.
        self._timeout = aiohttp.ClientTimeout(
            total=None, connect=connect_timeout, sock_read=read_timeout
        )
        self._per_host = per_host
        self._total = total
        self._expiry = idle_expiry
        self._resolver = resolver
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        resolver = self._resolver or aiohttp.ThreadedResolver()
        connector = aiohttp.TCPConnector(
            ssl=self._ssl,
            limit=self._total,
            limit_per_host=self._per_host,
            keepalive_timeout=self._expiry,
            resolver=GuardedResolver(resolver) if self._guard else resolver,
            socket_factory=guarded_socket if self._guard else None,
        )
        return aiohttp.ClientSession(
            connector=connector,
            headers=self._headers,
            timeout=self._timeout,
            cookie_jar=aiohttp.DummyCookieJar(),
            auto_decompress=False,
            trust_env=False,
            raise_for_status=False,
        )

    @asynccontextmanager
    async def get(self, url: str, headers: Mapping[str, str]) -> AsyncIterator[Answer]:
        """The answer to a GET of `url` while inside; its connection kept for the next request
        if the body was read to the end, else closed."""
        session = self._session
        if session is None:
            session = self._session = self._open()
        with _mapped():
            async with session.get(url, headers=headers, allow_redirects=False) as response:
                stream = _raw(response)
                try:
                    yield Answer(response.status, _joined(response.headers), stream)
                finally:
                    await stream.aclose()

    async def aclose(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            await session.close()


async def _raw(response: aiohttp.ClientResponse) -> AsyncGenerator[bytes, None]:
    with _mapped():
        async for chunk in response.content.iter_any():
            yield chunk


def _joined(headers: Mapping[str, str]) -> dict[str, str]:
    """Headers by lower-case name, a repeated header's values joined by ", " (as httpx's
    Headers.get gives them: Cache-Control may come in several lines)."""
    out: dict[str, str] = {}
    for name, value in headers.items():
        key = name.lower()
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out


@contextmanager
def _mapped() -> Iterator[None]:
    """aiohttp's failures as the httpx exceptions `watchers.fetch.client` turns into messages."""
    try:
        yield
    except aiohttp.ConnectionTimeoutError as exc:
        raise httpx.ConnectTimeout(str(exc) or "connecting timed out") from exc
    except aiohttp.ServerTimeoutError as exc:  # sock_read: the server went silent
        raise httpx.ReadTimeout(str(exc) or "no data in time") from exc
    except aiohttp.ClientConnectorError as exc:  # refused, unreachable, DNS, TLS verification
        raise httpx.ConnectError(str(exc)) from exc
    except aiohttp.InvalidURL as exc:
        raise httpx.InvalidURL(str(exc)) from exc
    except (
        aiohttp.ServerDisconnectedError,
        aiohttp.ClientPayloadError,
        aiohttp.ClientResponseError,
    ) as exc:  # cut short, or not HTTP/1 as the parser knows it
        raise httpx.RemoteProtocolError(str(exc) or type(exc).__name__) from exc
    except aiohttp.ClientOSError as exc:  # reset while reading
        raise httpx.ReadError(str(exc) or type(exc).__name__) from exc
    except aiohttp.ClientError as exc:
        raise httpx.TransportError(f"{type(exc).__name__}: {exc}") from exc
