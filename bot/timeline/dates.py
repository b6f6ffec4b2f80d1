"""Dates as people type them: 2023, 2023-01, 2023-01-03, 30d, 6m, 2y."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from bot.app.errors import BotError

RELATIVE = re.compile(r"^(\d{1,9})([dwmy])$")


class DateError(BotError):
    """Not a date we understand; the message shows the accepted forms."""


FORMS = "2023, 2023-01, 2023-01-03, or 30d / 6w / 6m / 2y back from today"


def _months_back(today: date, months: int) -> date:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def parse_day(text: str, today: date, *, end: bool = False) -> date:
    """The first day a form covers, or with `end` its last day (so `--until 2023` is Dec 31)."""
    text = text.strip().lower()
    rel = RELATIVE.match(text)
    if rel:
        n, unit = int(rel.group(1)), rel.group(2)
        try:
            if unit == "d":
                return today - timedelta(days=n)
            if unit == "w":
                return today - timedelta(weeks=n)
            return _months_back(today, n * (12 if unit == "y" else 1))
        except (ValueError, OverflowError):  # "9999y", "99999d": before the year 1
            raise DateError(
                f"{text!r} reaches back before the year 1; use a shorter span or a year, "
                f"e.g. 2000 ({FORMS})"
            ) from None
    try:
        parts = [int(p) for p in text.split("-")]
    except ValueError:
        raise DateError(f"{text!r} is not a date; use {FORMS}") from None
    try:
        if len(parts) == 1 and len(text) == 4:
            return date(parts[0], 12, 31) if end else date(parts[0], 1, 1)
        if len(parts) == 2:
            year, month = parts
            last = calendar.monthrange(year, month)[1]
            return date(year, month, last if end else 1)
        if len(parts) == 3:
            return date(*parts)
    except ValueError:
        raise DateError(f"{text!r} is not a valid date; use {FORMS}") from None
    raise DateError(f"{text!r} is not a date; use {FORMS}")
