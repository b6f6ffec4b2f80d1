"""Resolves day words ("on Tuesday", "On August 25th") against a publication date; no clock."""

from __future__ import annotations

import re
from datetime import date, timedelta

__all__ = ["DAY_RE", "resolve_day"]

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))

# A day the text pins down: a weekday, "Month 25th", "25 August", "Dec.15", yesterday/today.
DAY_RE = re.compile(
    rf"""\b(?:
        (?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)
      | (?P<month>{_MONTH_ALT})\.?\s*(?P<mday>\d{{1,2}})(?:st|nd|rd|th)?\b
        (?:,?\s*(?P<year>\d{{4}}))?
      | (?P<dday>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month2>{_MONTH_ALT})\b\.?
        (?:\s*(?P<year2>\d{{4}}))?
      | (?P<rel>yesterday|today)
    )""",
    re.IGNORECASE | re.VERBOSE,
)


def resolve_day(match: re.Match[str], published: date) -> date | None:
    """The date a day expression means when written on `published` (the latest such day)."""
    g = match.groupdict()
    if g["weekday"]:
        want = _WEEKDAYS.index(g["weekday"].lower())
        back = (published.weekday() - want) % 7
        return published - timedelta(days=back)
    if g["rel"]:
        return published - timedelta(days=1 if g["rel"].lower() == "yesterday" else 0)
    month_name = g["month"] or g["month2"]
    day_s = g["mday"] or g["dday"]
    year_s = g["year"] or g["year2"]
    if not month_name or not day_s:
        return None
    month, day = _MONTHS[month_name.lower()], int(day_s)
    year = int(year_s) if year_s else published.year
    try:
        got = date(year, month, day)
    except ValueError:
        return None
    if not year_s and got > published:
        try:
            got = date(year - 1, month, day)
        except ValueError:
            return None
    return got
