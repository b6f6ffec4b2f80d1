"""SSRF guard: refuse to connect to addresses a public feed has no business on.

Decides whether an IP address is a public unicast address and whether every address a host
resolved to is. IPv4, IPv6 and IPv4 embedded in IPv6 (mapped, NAT64, 6to4, Teredo) are all
checked. `watchers.fetch.session` applies these checks in the resolver and to each socket, so
the connection goes only to a checked address (DNS tricks and redirects cannot reach the
machine's own network).

Does not resolve, connect, follow redirects or know about feeds; `watchers.fetch.client`
checks each redirect hop's host here and turns `BlockedAddress` into a `FetchError`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

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
