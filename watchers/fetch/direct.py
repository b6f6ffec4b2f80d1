"""A feed's GET sent straight to its origin's httpcore pool, without httpx's request models.

A cycle is mostly conditional GETs answered by 304. Through `httpx.AsyncClient.send` each
one builds and re-parses a URL, merges headers and cookies, runs the auth and redirect
generators and wraps the response twice; in `benchmarks/poll.py`'s idle cycle that was about
a fifth of the main process's CPU. Here a request for a plain URL is built once, in bytes, and
sent through the same per-origin pools (`watchers.fetch.originpool`), over the same guarded
connections, with the client's own headers and timeouts.

Only URLs that httpx would send unchanged take this path (ASCII, nothing to percent-encode,
no credentials); others, and clients not made by `make_client`, go through httpx. httpcore's
exceptions come out as httpx's, so callers handle one family. Does not follow redirects,
limit requests or read bodies beyond handing over the stream.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterable, AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpcore
import httpx

from watchers.fetch.originpool import Origin, PerOriginTransport

# scheme://host[:port][/path[?query]] in characters httpx sends as they are (no dot segments
# to remove, nothing to percent-encode, no credentials).
_PCHAR = r"(?:[A-Za-z0-9\-_~!$&'()*+,;=:@/]|\.(?![./?]|$)|%[0-9A-Fa-f]{2})"
_PLAIN_URL = re.compile(
    r"(?P<scheme>https?)://(?P<host>[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::(?P<port>[0-9]{1,5}))?"
    rf"(?P<target>/{_PCHAR}*(?:\?(?:{_PCHAR}|\?)*)?)?"
)
_DEFAULT_PORTS = {"http": 80, "https": 443}

# httpcore's exceptions and the httpx exception httpx raises for each (most specific first).
_ERRORS: tuple[tuple[type[Exception], type[httpx.HTTPError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


def _as_httpx(exc: Exception) -> httpx.HTTPError | None:
    for core, mapped in _ERRORS:
        if isinstance(exc, core):
            return mapped(str(exc))
    return None


def decode_headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """Response headers by lower-case name; a repeated header's values joined by ", " (as
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


@dataclass(frozen=True)
class Answer:
    """A response being read: its status, headers and raw (still encoded) body stream."""

    status: int
    headers: Mapping[str, str]
    stream: AsyncIterator[bytes]


class DirectRoute:
    """Sends GETs through `transport`'s per-origin pools with `client`'s headers and timeouts."""

    def __init__(self, transport: PerOriginTransport, client: httpx.AsyncClient) -> None:
        self._transport = transport
        self._headers = list(client.headers.raw)
        t = client.timeout
        self._timeouts = {"connect": t.connect, "read": t.read, "write": t.write, "pool": t.pool}

    def request(
        self, url: str, headers: Mapping[str, str]
    ) -> tuple[Origin, httpcore.Request] | None:
        """The request for `url` with `headers` added, or None if httpx must build it."""
        m = _PLAIN_URL.fullmatch(url)
        if m is None:
            return None
        scheme, host = m["scheme"], m["host"].lower()
        port = int(m["port"]) if m["port"] else _DEFAULT_PORTS[scheme]
        if port > 65535:
            return None
        default = port == _DEFAULT_PORTS[scheme]
        netloc = host if default else f"{host}:{port}"
        extra = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
        request = httpcore.Request(
            b"GET",
            httpcore.URL(
                scheme=scheme.encode(),
                host=host.strip("[]").encode(),
                port=None if default else port,
                target=(m["target"] or "/").encode(),
            ),
            headers=[(b"Host", netloc.encode()), *self._headers, *extra],
            extensions={"timeout": self._timeouts},
        )
        return (scheme, host.strip("[]"), port), request

    @asynccontextmanager
    async def send(self, origin: Origin, request: httpcore.Request) -> AsyncIterator[Answer]:
        """The response to `request`, closed (its connection back in the pool) on exit."""
        try:
            async with self._transport.stream_raw(origin, request) as response:
                stream = response.stream
                if not isinstance(stream, AsyncIterable):
                    raise TypeError("an async pool gave a sync body stream")
                yield Answer(response.status, decode_headers(response.headers), aiter(stream))
        except Exception as exc:
            mapped = _as_httpx(exc)
            if mapped is None:
                raise
            raise mapped from exc
