"""TLS on the feed session: we connect to a resolved address, yet verify the URL's host name.

The connector connects to the address its resolver gave, so this proves that the URL's host
is still sent as SNI and the certificate checked against it. A throwaway certificate is made
with the openssl command (skipped without it) and trusted through the session's TLS context;
the server is on 127.0.0.1 and a test resolver maps the made-up names to it (the address
check is left out: the guard would refuse 127.0.0.1).
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

from watchers.fetch.session import FeedSession

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")


class LoopbackResolver(AbstractResolver):
    """Sends every name to 127.0.0.1 (tests only)."""

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        return [
            ResolveResult(
                hostname=host, host="127.0.0.1", port=port, family=socket.AF_INET, proto=0, flags=0
            )
        ]

    async def close(self) -> None:
        pass


def make_cert(directory: Path, name: str) -> tuple[Path, Path]:
    cert, key = directory / f"{name}.pem", directory / f"{name}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(cert), "-subj", f"/CN={name}",
         "-addext", f"subjectAltName=DNS:{name}"],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    return cert, key


@pytest.fixture
async def tls_server(tmp_path: Path) -> AsyncIterator[tuple[int, Path]]:
    cert, key = make_cert(tmp_path, "feeds.test")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=b"<rss/>", headers={"X-SNI-Host": request.host})

    app = web.Application()
    app.router.add_get("/feed.xml", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield port, cert
    finally:
        await runner.cleanup()


def session_trusting(cert: Path) -> FeedSession:
    return FeedSession(
        guard=False,
        ssl_context=ssl.create_default_context(cafile=str(cert)),
        headers={},
        connect_timeout=5.0,
        read_timeout=5.0,
        per_host=2,
        total=4,
        resolver=LoopbackResolver(),
    )


async def get(session: FeedSession, url: str) -> tuple[int, bytes]:
    async with session.get(url, {}) as answer:
        return answer.status, b"".join([chunk async for chunk in answer.stream])


async def test_certificate_is_checked_against_the_url_host(tls_server: tuple[int, Path]) -> None:
    port, cert = tls_server
    session = session_trusting(cert)
    try:
        assert await get(session, f"https://feeds.test:{port}/feed.xml") == (200, b"<rss/>")
    finally:
        await session.aclose()


async def test_wrong_host_name_fails_verification(tls_server: tuple[int, Path]) -> None:
    port, cert = tls_server
    session = session_trusting(cert)
    try:
        with pytest.raises(httpx.ConnectError, match=r"CERTIFICATE_VERIFY_FAILED|hostname"):
            await get(session, f"https://other.test:{port}/feed.xml")
    finally:
        await session.aclose()


async def test_an_untrusted_certificate_fails_verification(tls_server: tuple[int, Path]) -> None:
    port, _ = tls_server
    session = FeedSession(
        guard=False,
        ssl_context=ssl.create_default_context(),  # the system's CAs: not our throwaway one
        headers={},
        connect_timeout=5.0,
        read_timeout=5.0,
        per_host=2,
        total=4,
        resolver=LoopbackResolver(),
    )
    try:
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            await get(session, f"https://feeds.test:{port}/feed.xml")
    finally:
        await session.aclose()
