"""When to poll a feed next: pure functions of the feed's history and `now`.

Does not read the clock or the settings; the poll cycle passes both in. The schedule lives in
the data (each feed's `next_poll_at`); one timer asks the store which feeds are due.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

FAILURE_CAP = 24 * 3600.0  # errors back off up to a day, and polling never stops by itself
# A running watcher asks for due feeds at least once a minute and a cycle of a thousand feeds
# takes seconds: a feed still unpolled this long after it was due has nobody polling it.
OVERDUE_AFTER = timedelta(minutes=5)


def overdue_by(next_poll_at: datetime, now: datetime) -> timedelta | None:
    """How late a feed's poll is, once it is so late that no process is polling it (only a
    sender running, every watcher stopped); None while it is on time or being polled."""
    late = now - next_poll_at
    return late if late > OVERDUE_AFTER else None


@dataclass(frozen=True)
class Intervals:
    base: float  # POLL_INTERVAL: a feed with no history to adapt to
    minimum: float  # MIN_POLL_INTERVAL
    maximum: float  # MAX_POLL_INTERVAL


def jitter(feed_id: int, now: datetime, spread: float) -> float:
    """A deterministic offset in [0, spread) so feeds added together do not poll in lockstep."""
    seed = zlib.crc32(f"{feed_id}:{int(now.timestamp()) // 60}".encode())
    return (seed % 10_000) / 10_000 * spread


def adaptive_interval(published: Sequence[datetime], intervals: Intervals) -> float:
    """Half the typical gap between a feed's recent items, within the configured bounds.

    A feed publishing hourly is polled about every half hour; a feed silent for weeks drifts
    to the maximum. With fewer than two dated items there is nothing to learn from.
    """
    times = sorted(set(published), reverse=True)[:20]
    if len(times) < 2:
        return min(max(intervals.base, intervals.minimum), intervals.maximum)
    gaps = sorted((a - b).total_seconds() for a, b in pairwise(times))
    median = gaps[len(gaps) // 2]
    return min(max(median / 2, intervals.minimum), intervals.maximum)


def next_poll_after_success(
    now: datetime,
    feed_id: int,
    interval: float,
    *,
    max_age: float | None = None,
    ttl: float | None = None,
    maximum: float = FAILURE_CAP,
) -> datetime:
    """The next poll after a fetch that worked: the interval, later if the server asks."""
    wait = interval
    for hint in (max_age, ttl):
        if hint is not None and hint > wait:
            wait = min(hint, maximum)
    return now + timedelta(seconds=wait + jitter(feed_id, now, wait * 0.1))


def next_poll_after_failure(
    now: datetime,
    feed_id: int,
    failures: int,
    base: float,
    *,
    retry_after: float | None = None,
    cap: float = FAILURE_CAP,
) -> datetime:
    """Exponential back-off from the base interval up to a cap; Retry-After wins if later.

    `failures` counts this failure too (1 for the first). Polling never stops: at worst a feed
    is tried once a day, and `/feeds` shows it failing.
    """
    wait = min(base * (2 ** max(failures - 1, 0)), cap)
    if retry_after is not None:
        wait = max(wait, min(retry_after, cap))
    return now + timedelta(seconds=wait + jitter(feed_id, now, wait * 0.1))
