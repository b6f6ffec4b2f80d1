"""TLS through GuardedBackend: we connect to the checked IP, yet verify the URL's host name.

The guard resolves names itself and connects to an address, so this proves that httpcore
still sends the URL's host as SNI and checks the certificate against it. A throwaway
certificate is made with the openssl command (skipped without it); the server is on 127.0.0.1
and a test backend maps the made-up names to it, skipping only the address check.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import httpcore
import httpx
import pytest
from aiohttp import web

from watchers.fetch.guard import GuardedBackend

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")


class LoopbackBackend(GuardedBackend):
    """GuardedBackend whose resolver sends every name to 127.0.0.1 (tests only)."""

    async def _resolve(self, host: str, port: int, limit: float | None) -> list[str]:
        return ["127.0.0.1"]


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


def client_trusting(cert: Path) -> httpx.AsyncClient:
    transport = httpx.AsyncHTTPTransport(trust_env=False)
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=ssl.create_default_context(cafile=str(cert)),
        network_backend=LoopbackBackend(),
    )
    return httpx.AsyncClient(transport=transport, trust_env=False)


async def test_certificate_is_checked_against_the_url_host(tls_server: tuple[int, Path]) -> None:
    port, cert = tls_server
    async with client_trusting(cert) as client:
        response = await client.get(f"https://feeds.test:{port}/feed.xml")
    assert response.status_code == 200
    assert response.content == b"<rss/>"


async def test_wrong_host_name_fails_verification(tls_server: tuple[int, Path]) -> None:
    port, cert = tls_server
    async with client_trusting(cert) as client:
        with pytest.raises(httpx.ConnectError, match=r"CERTIFICATE_VERIFY_FAILED|hostname"):
            await client.get(f"https://other.test:{port}/feed.xml")
