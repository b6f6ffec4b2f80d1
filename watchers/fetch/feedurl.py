"""What counts as a feed address: http(s) URLs, and local files when the operator says so.

Schemes are compared without regard to case (`HTTP://` is `http://`) and stored in lower case,
and a #fragment is dropped, so every later check (`is_http_url`, the add-time probe, the
fetcher, "already watched") sees one spelling.
Local files (a path or a `file:` URL) pass only with `allow_files=True`, which only the
command line's `--allow-file` flag sets. Does not fetch anything.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from watchers.errors import WatcherError

ALLOW_FILE_FLAG = "--allow-file"
FILE_HINT = (
    "local files are added only from the command line: "
    f"`policywatch feeds add {ALLOW_FILE_FLAG} PATH`"
)


class FeedUrlError(WatcherError, ValueError):
    """Not an address policywatch can poll; the message says what is accepted."""


def is_http_url(url: str) -> bool:
    """An http or https URL, in any case (`HTTPS://...` too)."""
    return urlsplit(url.strip()).scheme in ("http", "https")  # urlsplit lower-cases the scheme


def check_feed_url(url: str, *, allow_files: bool) -> str:
    """The address to store: an http(s) URL (scheme in lower case), or a file as a file:// URL."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        if not parts.netloc:
            raise FeedUrlError(f"{url!r} has no host; use https://example.org/feed.xml")
        # only the scheme changes case; a #fragment is never sent to the server, so
        # "feed.xml#x" is feed.xml (QA round 17: the same feed was added twice)
        url = url.split("#", 1)[0]
        return parts.scheme + url[len(parts.scheme) :]
    if parts.scheme in ("", "file") or (len(parts.scheme) == 1 and Path(url).exists()):
        if not allow_files:
            raise FeedUrlError(f"{url!r} is not an http(s) URL; {FILE_HINT}")
        path = Path(parts.path if parts.scheme == "file" else url).expanduser()
        if not path.is_file():
            raise FeedUrlError(f"no such file: {path}")
        return path.resolve().as_uri()
    raise FeedUrlError(
        f"{url!r} is not a feed address: use an http(s) URL"
        + (" or a local file path" if allow_files else "")
    )
