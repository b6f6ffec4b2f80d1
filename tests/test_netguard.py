"""SSRF: with ALLOW_PRIVATE_FEEDS off, nothing reaches a non-public address.

Every refusal here happens before any connection: literal addresses are refused from the URL,
names ("localhost") after resolution, redirect hops before they are followed. The only
servers involved listen on 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
import socket
from datetime import UTC, datetime

import httpx
import pytest
from aiohttp import ThreadedResolver
from aiohttp.abc import AbstractResolver, ResolveResult

from tests.feedserver import FeedServer
from watchers.fetch.client import FetchError, FetchPolicy, fetch_feed, make_client
from watchers.fetch.guard import BlockedAddress, check_addresses, forbidden_reason
from watchers.fetch.session import GuardedResolver, guarded_socket
from watchers.fetch.transport import feed_session

NOW = datetime(2026, 8, 13, 5, 0, tzinfo=UTC)
GUARDED = FetchPolicy(allow_private=False, connect_timeout=2, total_timeout=5)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.1.2.3", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback (IPv4 inside IPv6)"),
        ("::ffff:10.0.0.1", "private (IPv4 inside IPv6)"),
        ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 of 169.254.169.254
        ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
        ("169.254.169.254", "link-local (cloud metadata services live here)"),
        ("fe80::1", "link-local"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("100.64.0.1", "non-global"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
    ],
)
def test_forbidden_addresses(address: str, reason: str) -> None:
    result = forbidden_reason(ipaddress.ip_address(address))
    assert result is not None and result.startswith(reason)


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.216.34", "2606:4700::1111"])
def test_public_addresses(address: str) -> None:
    assert forbidden_reason(ipaddress.ip_address(address)) is None


def test_one_private_address_refuses_the_host() -> None:
    with pytest.raises(BlockedAddress, match=r"rebind\.example resolves to 10\.0\.0\.1"):
        check_addresses("rebind.example", ["93.184.216.34", "10.0.0.1"])


async def guarded_fetch(url: str) -> FetchError:
    async with make_client(GUARDED) as client:
        with pytest.raises(FetchError) as info:
            await fetch_feed(
                url,
                etag=None,
                last_modified=None,
                previous_hash=None,
                policy=GUARDED,
                client=client,
                now=NOW,
            )
    return info.value


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/feed.xml", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]/feed.xml", "loopback"),
        ("http://[::ffff:127.0.0.1]/feed.xml", "loopback"),
        ("http://10.0.0.7/feed.xml", "private"),
        ("https://192.168.0.1:8443/feed.xml", "private"),
        ("http://0.0.0.0/", "unspecified"),
    ],
)
async def test_literal_addresses_are_refused(url: str, reason: str) -> None:
    error = await guarded_fetch(url)
    assert "refused to connect" in error.reason
    assert reason in error.reason
    assert "ALLOW_PRIVATE_FEEDS" in error.reason
    assert error.permanent is True


async def test_name_resolving_to_loopback_is_refused_after_dns() -> None:
    async with FeedServer() as server:
        server.feed("/feed.xml", b"<rss/>")
        port = server.base_url.rsplit(":", 1)[1]
        error = await guarded_fetch(f"http://localhost:{port}/feed.xml")
        assert server.hits["/feed.xml"] == 0  # never reached
    assert "localhost resolves to" in error.reason
    assert "loopback" in error.reason


@pytest.mark.parametrize("host", ["2130706433", "127.1", "0x7f.1"])
async def test_numeric_shorthand_for_loopback_is_refused(host: str) -> None:
    # 127.0.0.1 to getaddrinfo, but not an address to the URL check: refused all the same
    # (aiohttp rejects the non-canonical forms outright, or the resolver's check does).
    error = await guarded_fetch(f"http://{host}/feed.xml")
    assert error.permanent is True
    assert "loopback" in error.reason or "not a canonical IPv4 address" in error.reason


async def test_local_server_is_reachable_when_allowed() -> None:
    policy = FetchPolicy(allow_private=True)
    async with FeedServer() as server, make_client(policy) as client:
        url = server.feed("/feed.xml", b"<rss/>")
        result = await fetch_feed(
            url,
            etag=None,
            last_modified=None,
            previous_hash=None,
            policy=policy,
            client=client,
            now=NOW,
        )
    assert result.status == 200


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.1:8080/admin",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:7f00:1]/",
    ],
)
async def test_redirect_hop_to_a_private_address_is_refused(location: str) -> None:
    # The first hop is a public name served by a mock transport (no network at all);
    # the redirect it returns must be refused before it is followed.
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(302, headers={"Location": location})

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(FetchError) as info:
            await fetch_feed(
                "https://feeds.example.org/rss.xml",
                etag=None,
                last_modified=None,
                previous_hash=None,
                policy=GUARDED,
                client=client,
                now=NOW,
            )
    assert seen == ["https://feeds.example.org/rss.xml"]
    assert info.value.reason.startswith("redirected to http")
    assert "refused to connect" in info.value.reason
    assert info.value.permanent is True


class FixedResolver(AbstractResolver):
    """Answers every name with the addresses given (tests only)."""

    def __init__(self, *addresses: str) -> None:
        self.addresses = addresses

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        return [
            ResolveResult(hostname=host, host=a, port=port, family=family, proto=0, flags=0)
            for a in self.addresses
        ]

    async def close(self) -> None:
        pass


async def test_guarded_resolver_refuses_localhost() -> None:
    resolver = GuardedResolver(ThreadedResolver())
    with pytest.raises(BlockedAddress, match="localhost resolves to"):
        await resolver.resolve("localhost", 80)


async def test_guarded_resolver_refuses_a_name_with_any_private_address() -> None:
    resolver = GuardedResolver(FixedResolver("93.184.216.34", "10.0.0.1"))
    with pytest.raises(BlockedAddress, match=r"rebind\.example resolves to 10\.0\.0\.1"):
        await resolver.resolve("rebind.example", 443)
    public = GuardedResolver(FixedResolver("93.184.216.34", "2606:4700::1111"))
    results = await public.resolve("feeds.example", 443)
    assert [r["host"] for r in results] == ["93.184.216.34", "2606:4700::1111"]


@pytest.mark.parametrize(
    ("family", "address"),
    [(socket.AF_INET, ("127.0.0.1", 80)), (socket.AF_INET6, ("::ffff:10.0.0.1", 80, 0, 0))],
)
def test_no_socket_is_made_for_a_private_address(
    family: socket.AddressFamily, address: tuple[object, ...]
) -> None:
    # The last gate: aiohttp connects to literal addresses without asking the resolver.
    with pytest.raises(BlockedAddress):
        guarded_socket((family, socket.SOCK_STREAM, 0, "", address))
    sock = guarded_socket((socket.AF_INET, socket.SOCK_STREAM, 0, "", ("93.184.216.34", 80)))
    sock.close()


async def test_a_guarded_session_never_reaches_a_name_resolving_to_loopback() -> None:
    # Past the URL check of fetch_feed: the session itself refuses, before any connection.
    async with FeedServer() as server:
        server.feed("/feed.xml", b"<rss/>")
        port = server.base_url.rsplit(":", 1)[1]
        async with make_client(GUARDED) as client:
            session = feed_session(client)
            assert session is not None
            for url in (f"http://localhost:{port}/feed.xml", f"http://127.0.0.1:{port}/feed.xml"):
                with pytest.raises(BlockedAddress):
                    async with session.get(url, {}):
                        pass
        assert server.hits["/feed.xml"] == 0


async def test_requests_through_httpx_on_a_made_client_are_refused() -> None:
    # make_client's client sends its GETs over the guarded session only.
    async with make_client(FetchPolicy(allow_private=True)) as client:
        with pytest.raises(httpx.UnsupportedProtocol):
            await client.get("http://127.0.0.1:9/feed.xml")


async def test_environment_proxy_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    # A proxy would hide the real destination from the guard, so make_client ignores the
    # environment: with a dead proxy configured, the local server is still reached directly.
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:9")
    policy = FetchPolicy(allow_private=True)
    async with FeedServer() as server, make_client(policy) as client:
        url = server.feed("/feed.xml", b"<rss/>")
        result = await fetch_feed(
            url,
            etag=None,
            last_modified=None,
            previous_hash=None,
            policy=policy,
            client=client,
            now=NOW,
        )
    assert result.status == 200
