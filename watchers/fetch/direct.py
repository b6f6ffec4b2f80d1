"""A feed's GET sent over `watchers.fetch.wire` instead of httpx, for URLs httpx sends unchanged.

A cycle is mostly conditional GETs answered by 304. Through `httpx.AsyncClient.send` each
one built and re-parsed a URL, merged headers and cookies, ran the auth and redirect
generators, wrapped the response twice and went through httpcore, h11 and anyio; in
`benchmarks/poll.py`'s idle cycle that was most of the main process's CPU. Here the request
head is built once, in bytes, with the client's own headers and timeouts, and sent on the
wire's keep-alive connections (SSRF-guarded like the client's when the policy says so).

Only URLs that httpx would send as they are take this path (ASCII, nothing to percent-encode,
no dot segments, no credentials); others, and clients not made by `make_client`, go through
httpx. Cookies a server sets are not sent back on this path. Does not follow redirects, limit
requests or read bodies beyond handing over the stream.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager

import httpx

from watchers.fetch.wire import Origin, Response, Wire

# scheme://host[:port][/path[?query]] in characters httpx sends as they are.
_PCHAR = r"(?:[A-Za-z0-9\-_~!$&'()*+,;=:@/]|\.(?![./?]|$)|%[0-9A-Fa-f]{2})"
_PLAIN_URL = re.compile(
    r"(?P<scheme>https?)://(?P<host>[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::(?P<port>[0-9]{1,5}))?"
    rf"(?P<target>/{_PCHAR}*(?:\?(?:{_PCHAR}|\?)*)?)?"
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


class DirectRoute:
    """Sends GETs on `wire` with `client`'s headers (as they were when the route was made)."""

    def __init__(self, wire: Wire, client: httpx.AsyncClient) -> None:
        self.wire = wire
        self._headers = b"".join(k + b": " + v + b"\r\n" for k, v in client.headers.raw)

    def request(self, url: str, headers: Mapping[str, str]) -> tuple[Origin, bytes] | None:
        """(origin, request head) for `url` with `headers` added, or None if httpx must build
        the request."""
        m = _PLAIN_URL.fullmatch(url)
        if m is None:
            return None
        scheme, host = m["scheme"], m["host"].lower()
        port = int(m["port"]) if m["port"] else _DEFAULT_PORTS[scheme]
        if port > 65535:
            return None
        netloc = host if port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
        extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        head = (
            f"GET {m['target'] or '/'} HTTP/1.1\r\nHost: {netloc}\r\n".encode()
            + self._headers
            + extra.encode("latin-1")
            + b"\r\n"
        )
        return (scheme, host.strip("[]"), port), head

    def send(self, origin: Origin, head: bytes) -> AbstractAsyncContextManager[Response]:
        """The response, closed (or its connection kept for the next request) on exit."""
        return self.wire.get(origin, head)
