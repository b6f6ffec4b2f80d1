"""Read the server's timing hints from HTTP headers: Retry-After, Cache-Control, Expires.

Pure functions of header values and a `now` passed in; they return seconds to wait (never
negative) or None when the header is absent or unreadable. Also formats HTTP dates.
Does not decide the next poll time: the scheduler combines these hints with its own rules.
"""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, datetime

_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d{1,12})\"?", re.IGNORECASE)
_NO_CACHE = re.compile(r"(?:^|[,\s])(?:no-cache|no-store)(?:$|[,\s=])", re.IGNORECASE)


def parse_http_date(value: str) -> datetime | None:
    """An aware UTC datetime from an HTTP date (RFC 9110 IMF-fixdate and the obsolete forms)."""
    try:
        parsed = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:  # "-0000" or no zone: HTTP dates are always GMT
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_http_date(moment: datetime) -> str:
    """`moment` as an IMF-fixdate, e.g. "Thu, 13 Aug 2026 04:23:37 GMT"."""
    return email.utils.format_datetime(moment.astimezone(UTC), usegmt=True)


def seconds_until(value: str | None, now: datetime) -> float | None:
    """Seconds from `now` given a delay-seconds or an HTTP-date header value (Retry-After)."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(min(int(text), 10**9))
    moment = parse_http_date(text)
    if moment is None:
        return None
    return max(0.0, (moment - now).total_seconds())


def cache_max_age(cache_control: str | None, expires: str | None, now: datetime) -> float | None:
    """How long the server says the response stays fresh, in seconds, or None if it says nothing.

    `Cache-Control: max-age` wins over `Expires` (RFC 9111 5.3); `no-cache`/`no-store` mean no
    hint at all rather than "poll constantly". An unreadable `Expires` is ignored.
    """
    if cache_control:
        if _NO_CACHE.search(cache_control):
            return None
        match = _MAX_AGE.search(cache_control)
        if match:
            return float(min(int(match.group(1)), 10**9))
    if expires:
        moment = parse_http_date(expires)
        if moment is not None:
            return max(0.0, (moment - now).total_seconds())
    return None
