"""The data and the error that fetching hands back: FetchPolicy in, FetchResult or FetchError out.

Plain frozen dataclasses and one exception; no behaviour. `watchers.fetch.client` re-exports
them, so callers import everything from there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from watchers.errors import WatcherError

ACCEPTED = "use an http(s):// URL, a file:// URL or the path of an existing local file"


@dataclass(frozen=True)
class FetchPolicy:
    """Limits and manners for fetching; one per poll cycle, built by the bot from settings."""

    connect_timeout: float = 10.0  # seconds to open a connection (DNS included)
    read_timeout: float = 20.0  # seconds of silence tolerated between two reads
    total_timeout: float = 60.0  # the whole request incl. body and redirects; cuts off drips
    max_bytes: int = 15 * 1024 * 1024  # on the DECODED body (a gzip bomb stops at the cap)
    max_redirects: int = 5  # hops followed; one more is an error
    allow_private: bool = False  # ALLOW_PRIVATE_FEEDS: allow loopback/private/link-local hosts
    max_per_host: int = 2  # requests in flight to one host
    max_total: int = 20  # requests in flight overall
    user_agent: str = "policywatch/0.1 (+https://github.com/policywatch/policywatch)"


@dataclass(frozen=True)
class FetchResult:
    """What one successful fetch brought back; flows from the network to the poll cycle."""

    url: str  # as asked
    final_url: str  # after redirects
    permanent_url: str | None  # URL to store when every redirect hop was 301/308, else None
    status: int  # 200, or 304 (not modified, or the body hashes to previous_hash)
    body: bytes | None  # decoded body; None on 304
    content_type: str | None  # the Content-Type header, charset included
    etag: str | None  # to send as If-None-Match next time
    last_modified: str | None  # to send as If-Modified-Since next time
    body_hash: str | None  # sha256 hex of body; None on 304 (keep the stored one)
    max_age: float | None  # seconds the server asks us to wait (Cache-Control/Expires)
    fetched_at: datetime  # the `now` passed in


class FetchError(WatcherError):
    """A feed could not be fetched; `str(e)` is "<url>: <reason>", fit for an admin to read."""

    def __init__(
        self,
        url: str,
        reason: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        permanent: bool = False,
    ) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url  # the feed as asked
        self.reason = reason  # what happened and what to do
        self.status = status  # the HTTP status, when there was a response
        self.retry_after = retry_after  # seconds the server asked us to wait (429/503)
        self.permanent = permanent  # retrying as-is will not help (404/410, SSRF, bad URL)

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from its fields when it crosses a process boundary (the default pickle
        # would call FetchError(str(self)) and fail for want of `reason`).
        rebuild = partial(
            type(self),
            self.url,
            self.reason,
            status=self.status,
            retry_after=self.retry_after,
            permanent=self.permanent,
        )
        return (rebuild, ())
