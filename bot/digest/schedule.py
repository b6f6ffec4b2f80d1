"""When a digest is due: pure functions of a schedule and times passed in; no clock, no I/O.

A schedule is "daily HH:MM" or "weekly DAY HH:MM" in a time zone (UTC by default). A digest is
due at each scheduled time; `digest_due(schedule, last, now)` says which one to make now, if
any. When the bot was down over one or more scheduled times, the latest of them is made at
the next start and covers the whole period since the last digest: nothing is lost, and a
week's downtime gives one digest, not seven.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
USAGE = (
    "Usage: /digest daily HH:MM | weekly DAY HH:MM | off, with an optional time zone, "
    "e.g. /digest daily 08:00, /digest weekly mon 09:30 Europe/Berlin (default UTC)"
)


class ScheduleError(ValueError):
    """Words that do not make a schedule; str() says what to type."""


@dataclass(frozen=True)
class Schedule:
    every: str  # daily | weekly
    weekday: int | None  # weekly: 0 = Monday
    minute_of_day: int  # minutes after local midnight
    tz: str = "UTC"  # IANA name

    def describe(self) -> str:
        at = f"{self.minute_of_day // 60:02d}:{self.minute_of_day % 60:02d}"
        when = "every day" if self.weekday is None else f"every {DAY_NAMES[self.weekday]}"
        return f"{when} at {at} {self.tz}"


def parse_schedule(words: list[str]) -> Schedule | None:
    """`daily 08:00`, `weekly mon 09:30 Asia/Dubai`, or `off` (None)."""
    low = [w.lower() for w in words]
    if low == ["off"]:
        return None
    if not low or low[0] not in ("daily", "weekly"):
        raise ScheduleError(USAGE)
    weekday = None
    rest = words[1:]
    if low[0] == "weekly":
        if not rest or rest[0].lower()[:3] not in DAYS:
            raise ScheduleError(f"Which day? One of {', '.join(DAYS)}. {USAGE}")
        weekday = DAYS.index(rest[0].lower()[:3])
        rest = rest[1:]
    if not rest:
        raise ScheduleError(f"At what time? HH:MM on a 24-hour clock, e.g. 08:00. {USAGE}")
    if not (clock := CLOCK.match(rest[0])):
        raise ScheduleError(
            f"{rest[0][:20]!r} is not a time of day: HH:MM on a 24-hour clock, 00:00 to 23:59, "
            f"e.g. 08:00. {USAGE}"
        )
    tz = canonical_zone(rest[1]) if len(rest) > 1 else "UTC"
    if len(rest) > 2:
        raise ScheduleError(USAGE)
    zone(tz)  # raises on an unknown name
    return Schedule(low[0], weekday, int(clock[1]) * 60 + int(clock[2]), tz)


@lru_cache(maxsize=1)
def _zones_by_folded_name() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def canonical_zone(typed: str) -> str:
    """A zone name as the tz database spells it, whatever the case typed (`utc`, `asia/dubai`);
    the text as typed when no zone has that name."""
    return _zones_by_folded_name().get(typed.casefold(), typed)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(
            f"Unknown time zone {name[:60]!r}: use a name like UTC, Europe/London or Asia/Dubai "
            "(an offset is written Etc/GMT-3 for UTC+3)"
        ) from None


def _at(schedule: Schedule, day: date) -> datetime:
    """The scheduled time on local `day`, in UTC."""
    local = time(schedule.minute_of_day // 60, schedule.minute_of_day % 60)
    return datetime.combine(day, local, tzinfo=zone(schedule.tz)).astimezone(UTC)


def previous_due(schedule: Schedule, now: datetime) -> datetime:
    """The latest scheduled time at or before `now`."""
    step = timedelta(days=1 if schedule.weekday is None else 7)
    day = now.astimezone(zone(schedule.tz)).date()
    if schedule.weekday is not None:
        day -= timedelta(days=(day.weekday() - schedule.weekday) % 7)
    while _at(schedule, day) > now:
        day -= step
    return _at(schedule, day)


def next_due(schedule: Schedule, after: datetime) -> datetime:
    """The first scheduled time strictly after `after`."""
    step = timedelta(days=1 if schedule.weekday is None else 7)
    day = previous_due(schedule, after).astimezone(zone(schedule.tz)).date() + step
    return _at(schedule, day)


def digest_due(schedule: Schedule, last: datetime, now: datetime) -> datetime | None:
    """The scheduled time of the digest to make at `now`, or None when none is due yet.

    `last` is the scheduled time of the last digest made (or when the schedule was set).
    Several missed times give one digest, for the latest of them.
    """
    if next_due(schedule, last) > now:
        return None
    return previous_due(schedule, now)
