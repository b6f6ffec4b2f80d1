"""What counts as a feed address: http(s) URLs, and local files for operators and tests."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from watchers.errors import WatcherError


class FeedUrlError(WatcherError, ValueError):
    """Not an address policywatch can poll; the message says what is accepted."""


def check_feed_url(url: str, *, allow_files: bool) -> str:
    """The address to store: an http(s) URL as given, or a local file as an absolute file:// URL."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        if not parts.netloc:
            raise FeedUrlError(f"{url!r} has no host; use https://example.org/feed.xml")
        return url
    if parts.scheme in ("", "file") or (len(parts.scheme) == 1 and Path(url).exists()):
        if not allow_files:
            raise FeedUrlError(
                f"{url!r} is not an http(s) URL; local files can be added only by the operator "
                "(`policywatch feeds add PATH`)"
            )
        path = Path(parts.path if parts.scheme == "file" else url).expanduser()
        if not path.is_file():
            raise FeedUrlError(f"no such file: {path}")
        return path.resolve().as_uri()
    raise FeedUrlError(
        f"{url!r} is not a feed address: use an http(s) URL"
        + (" or a local file path" if allow_files else "")
    )
