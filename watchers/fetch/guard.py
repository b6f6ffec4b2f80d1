"""SSRF guard: refuse to connect to addresses a public feed has no business on.

Decides whether an IP address is a public unicast address, and provides an httpcore network
backend that resolves a host name itself, checks every address it resolved to and connects only
to a checked address (so DNS tricks and redirects cannot reach the machine's own network).
IPv4, IPv6 and IPv4 embedded in IPv6 (mapped, NAT64, 6to4, Teredo) are all checked.

Does not fetch anything, follow redirects or know about feeds; `watchers.fetch.client` wires this
backend into its client and turns `BlockedAddress` into a `FetchError`.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from typing import Any

import anyio
import httpcore

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class BlockedAddress(Exception):
    """A connection was refused because the host is, or resolves to, a non-public address."""

    def __init__(self, host: str, address: str, reason: str) -> None:
        self.host = host
        self.address = address
        self.reason = reason
        where = host if host == address else f"{host} resolves to {address}"
        super().__init__(
            f"refused to connect: {where}, a {reason} address; "
            "set ALLOW_PRIVATE_FEEDS=1 only if this feed is meant to be on a private network"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.host, self.address, self.reason))  # not (message,)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address carried inside an IPv6 one, if any (mapped, NAT64, 6to4, Teredo)."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


def forbidden_reason(ip: IPAddress) -> str | None:
    """Why `ip` must not be fetched from ("loopback", "private", ...), or None if it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            reason = forbidden_reason(inner)
            return None if reason is None else f"{reason} (IPv4 inside IPv6)"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local (cloud metadata services live here)"
    if ip.is_multicast:
        return "multicast"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_reserved:
        return "reserved"
    if ip.is_private:
        return "private"
    if not ip.is_global:
        return "non-global (shared or special-purpose)"
    return None


def parse_ip(host: str) -> IPAddress | None:
    """`host` as an IP address (brackets and an IPv6 zone allowed), or None for a name."""
    text = host.strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def check_host(host: str) -> None:
    """Raise BlockedAddress if `host` is a literal non-public IP address (names pass here)."""
    ip = parse_ip(host)
    if ip is not None:
        reason = forbidden_reason(ip)
        if reason is not None:
            raise BlockedAddress(host, str(ip), reason)


def check_addresses(host: str, addresses: Iterable[str]) -> list[str]:
    """The addresses `host` resolved to, in order; BlockedAddress if any of them is non-public.

    One bad address refuses the host: a name that mixes public and private addresses is either
    misconfigured or a DNS-rebinding attempt, and either way we do not want to guess.
    """
    checked: list[str] = []
    for text in addresses:
        ip = parse_ip(text)
        if ip is None:
            raise BlockedAddress(host, text, "unparsable")
        reason = forbidden_reason(ip)
        if reason is not None:
            raise BlockedAddress(host, str(ip), reason)
        if str(ip) not in checked:
            checked.append(str(ip))
    return checked


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that connects only to public addresses.

    It resolves the host itself, refuses if any resolved address is non-public, then connects to
    the resolved address (not the name), so the address checked is the address connected to.
    TLS still verifies the certificate against the URL's host name: httpcore passes the origin
    host as SNI / server_hostname, not the address we connect to.
    """

    def __init__(self, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._inner = inner if inner is not None else httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._resolve(host, port, timeout)
        last_error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        if last_error is not None:
            raise last_error
        raise httpcore.ConnectError(f"{host} resolved to no address")

    async def _resolve(self, host: str, port: int, limit: float | None) -> list[str]:
        literal = parse_ip(host)
        if literal is not None:
            return check_addresses(host, [str(literal)])
        try:
            with anyio.fail_after(limit):
                infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"resolving {host} timed out") from exc
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        return check_addresses(host, [str(info[4][0]) for info in infos])

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not used for feeds")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
