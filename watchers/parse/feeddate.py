"""An entry's date as feedparser reads it, with the common RFC 822 form read directly.

feedparser's `_parse_date` tries a W3C date first, then lowercases and splits an RFC 822
one: on the poll benchmark's 35,147 entries, all `Mon, 02 Mar 2026 08:00:00 GMT`, that was
about a tenth of building the entries. A date of exactly that shape (a day name or none, a
day, an English month, a four-digit year, a time with seconds, GMT, UT, UTC, Z or +hhmm) is
computed here as feedparser computes it (the same UTC 9-tuple, tests/test_fuzz_parse.py);
anything else, or a value that does not make a date, goes to feedparser.
"""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta

from feedparser.datetimes import _parse_date

_MONTHS = {
    m: n
    for n, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_RFC822 = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?([0-9]{1,2}) (" + "|".join(_MONTHS) + r") "
    r"([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) (GMT|UTC?|Z|[+-][0-9]{4})"
)


def parse_date(text: str) -> time.struct_time | None:
    """The UTC 9-tuple feedparser gives for a date string, or None."""
    m = _RFC822.fullmatch(text)
    if m is None:
        return _parse_date(text)  # type: ignore[no-any-return]
    day, month, year, hour, minute, second, zone = m.groups()
    hours = minutes = 0
    if zone[0] in "+-":
        hours, minutes = int(zone[1:3]), int(zone[3:5])
        if zone[0] == "-":
            hours, minutes = -hours, -minutes
    try:
        stamp = datetime(int(year), _MONTHS[month], int(day), int(hour), int(minute), int(second))
        return (stamp - timedelta(hours=hours, minutes=minutes)).utctimetuple()
    except (ValueError, OverflowError):
        return _parse_date(text)  # type: ignore[no-any-return]
