"""fetch_feed on local files (paths and file:// URLs) and on addresses it does not accept."""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from watchers.fetch.client import FetchError, FetchPolicy, FetchResult, fetch_feed, make_client

NOW = datetime(2026, 8, 13, 5, 0, tzinfo=UTC)
POLICY = FetchPolicy()
RSS = b'<rss version="2.0"><channel><title>local</title></channel></rss>'


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(POLICY) as c:
        yield c


async def fetch(
    url: str,
    client: httpx.AsyncClient,
    *,
    last_modified: str | None = None,
    previous_hash: str | None = None,
    policy: FetchPolicy = POLICY,
) -> FetchResult:
    return await fetch_feed(
        url,
        etag=None,
        last_modified=last_modified,
        previous_hash=previous_hash,
        policy=policy,
        client=client,
        now=NOW,
    )


def rewrite(path: Path, data: bytes, *, mtime: int) -> None:
    path.write_bytes(data)
    os.utime(path, (mtime, mtime))


@pytest.fixture
def feed_file(tmp_path: Path) -> Path:
    path = tmp_path / "feed.xml"
    path.write_bytes(RSS)
    os.utime(path, (1_700_000_000, 1_700_000_000))
    return path


async def test_plain_path(feed_file: Path, client: httpx.AsyncClient) -> None:
    result = await fetch(str(feed_file), client)
    assert result.status == 200
    assert result.body == RSS
    assert result.body_hash == hashlib.sha256(RSS).hexdigest()
    assert result.last_modified == "Tue, 14 Nov 2023 22:13:20 GMT"
    assert result.final_url == str(feed_file) and result.permanent_url is None
    assert result.fetched_at == NOW


async def test_file_url(feed_file: Path, client: httpx.AsyncClient) -> None:
    result = await fetch(feed_file.as_uri(), client)
    assert result.status == 200 and result.body == RSS


async def test_file_url_with_spaces(tmp_path: Path, client: httpx.AsyncClient) -> None:
    path = tmp_path / "my feeds" / "a b.xml"
    path.parent.mkdir()
    path.write_bytes(RSS)
    assert (await fetch(path.as_uri(), client)).body == RSS


async def test_same_mtime_is_304(feed_file: Path, client: httpx.AsyncClient) -> None:
    first = await fetch(str(feed_file), client)
    second = await fetch(str(feed_file), client, last_modified=first.last_modified)
    assert second.status == 304 and second.body is None


async def test_same_hash_is_304(feed_file: Path, client: httpx.AsyncClient) -> None:
    first = await fetch(str(feed_file), client)
    os.utime(feed_file, (1_800_000_000, 1_800_000_000))
    second = await fetch(str(feed_file), client, previous_hash=first.body_hash)
    assert second.status == 304


async def test_rewritten_within_the_same_second_is_seen(
    feed_file: Path, client: httpx.AsyncClient
) -> None:
    first = await fetch(str(feed_file), client)
    rewrite(feed_file, RSS.replace(b"local", b"changed"), mtime=1_700_000_000)  # same mtime
    second = await fetch(
        str(feed_file),
        client,
        last_modified=first.last_modified,
        previous_hash=first.body_hash,
    )
    assert second.status == 200 and second.body is not None and b"changed" in second.body


async def test_file_over_the_cap(feed_file: Path, client: httpx.AsyncClient) -> None:
    policy = FetchPolicy(max_bytes=10)
    with pytest.raises(FetchError, match="larger than 10 bytes"):
        await fetch(str(feed_file), client, policy=policy)


async def test_missing_file_is_permanent(tmp_path: Path, client: httpx.AsyncClient) -> None:
    with pytest.raises(FetchError, match="no such file") as info:
        await fetch((tmp_path / "nope.xml").as_uri(), client)
    assert info.value.permanent is True


async def test_directory(tmp_path: Path, client: httpx.AsyncClient) -> None:
    with pytest.raises(FetchError, match="directory") as info:
        await fetch(str(tmp_path), client)
    assert info.value.permanent is True


async def test_remote_file_url(client: httpx.AsyncClient) -> None:
    with pytest.raises(FetchError, match="local file") as info:
        await fetch("file://server/share/feed.xml", client)
    assert info.value.permanent is True


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.com/feed.xml", "unsupported scheme 'ftp'"),
        ("javascript:alert(1)", "unsupported scheme 'javascript'"),
        ("gopher://example.com/", "unsupported scheme 'gopher'"),
        ("news.example.com/feed.xml", "did you mean https://news.example.com/feed.xml"),
        ("no/such/file.xml", "no such file"),
        ("http:///feed.xml", "no host"),
        ("", "no such file"),
        ("http://[::1/feed.xml", "not a valid URL"),
        ("http://example.com:99999/feed.xml", "not a valid URL"),
    ],
)
async def test_unaccepted_addresses_are_permanent(
    client: httpx.AsyncClient, url: str, reason: str
) -> None:
    with pytest.raises(FetchError) as info:
        await fetch(url, client)
    assert reason in info.value.reason
    assert "http(s)://" in info.value.reason
    assert info.value.permanent is True
    assert str(info.value) == f"{url}: {info.value.reason}"
