"""Fetch a feed from a local file: a plain path or a file:// URL (operators and tests only).

Reads at most the size cap, stamps the file's mtime as an HTTP date (`last_modified`), and
answers 304 when the content is unchanged. Does not touch the network; the bot should refuse
file feeds from chat commands (they would let an admin read the machine's disk).
"""

from __future__ import annotations

import asyncio
import hashlib
import mimetypes
import os
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from watchers.fetch.hints import format_http_date
from watchers.fetch.types import ACCEPTED, FetchError, FetchPolicy, FetchResult


def _file_path(url: str) -> Path:
    parts = urlsplit(url)
    if parts.scheme.lower() != "file":
        return Path(url)
    if parts.netloc not in ("", "localhost"):
        raise FetchError(url, "file:// URLs must name a local file (file:///path)", permanent=True)
    return Path(unquote(parts.path))


def _read_file(path: Path, limit: int) -> tuple[bytes, float]:
    with path.open("rb") as handle:
        mtime = os.fstat(handle.fileno()).st_mtime
        data = handle.read(limit + 1)
    return data, mtime


async def fetch_file(
    url: str,
    last_modified: str | None,
    previous_hash: str | None,
    policy: FetchPolicy,
    now: datetime,
) -> FetchResult:
    """Read a local feed file (operators and tests).

    `last_modified` is the file's mtime as an HTTP date. Because HTTP dates have one-second
    resolution, a file rewritten within the same second keeps its date; so when the caller
    knows the previous hash we read and compare the bytes (cheap for a local file), and only
    without a hash does an equal date alone mean "not modified".
    """
    path = _file_path(url)
    try:
        data, mtime = await asyncio.to_thread(_read_file, path, policy.max_bytes)
    except FileNotFoundError as exc:
        raise FetchError(url, f"no such file; {ACCEPTED}", permanent=True) from exc
    except IsADirectoryError as exc:
        raise FetchError(url, "is a directory, not a feed file", permanent=True) from exc
    except OSError as exc:
        raise FetchError(url, f"cannot read the file ({exc.strerror or exc})") from exc
    if len(data) > policy.max_bytes:
        raise FetchError(url, f"file is larger than {policy.max_bytes:,} bytes; not read")
    stamp = format_http_date(datetime.fromtimestamp(mtime, UTC))
    digest = hashlib.sha256(data).hexdigest()
    unchanged = digest == previous_hash if previous_hash else stamp == last_modified
    content_type = mimetypes.guess_type(path.name)[0]
    return FetchResult(
        url=url,
        final_url=url,
        permanent_url=None,
        status=304 if unchanged else 200,
        body=None if unchanged else data,
        content_type=content_type,
        etag=None,
        last_modified=stamp,
        body_hash=None if unchanged else digest,
        max_age=None,
        fetched_at=now,
    )
