"""Telling admins when a feed has been failing too long, and when it recovers.

Polling never stops on its own (watchers back off up to a day); this is how a person learns
that a feed needs attention, once per outage rather than once per failed poll.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.chat.durations import human_duration
from store import Store
from store.records import FeedRow


@dataclass(frozen=True)
class HealthNotice:
    feed_id: int
    failing: bool  # True: now failing too long; False: recovered
    text: str


def health_notices(feeds: Sequence[FeedRow], now: datetime, after: timedelta) -> list[HealthNotice]:
    """Which feeds cross a line: failing for longer than `after`, or back after such an outage."""
    notices = []
    for f in feeds:
        name = f.title or f.url
        if f.failing_since is not None and not f.alerted_failing and now - f.failing_since >= after:
            failing_for = human_duration((now - f.failing_since).total_seconds())
            notices.append(
                HealthNotice(
                    f.id,
                    True,
                    f"⚠️ Feed {f.id} ({name}) has failed for {failing_for} "
                    f"({f.failures} polls in a row): {f.last_error}. It is still retried; "
                    f"/feeds shows its state, /removefeed {f.id} stops it.",
                )
            )
        elif f.alerted_failing and f.failures == 0:
            notices.append(HealthNotice(f.id, False, f"✅ Feed {f.id} ({name}) works again."))
    return notices


async def report_feed_health(
    store: Store,
    now: datetime,
    after: timedelta,
    tell_admins: Callable[[str], Awaitable[None]],
) -> list[HealthNotice]:
    notices = health_notices(await store.list_feeds(), now, after)
    for notice in notices:
        await tell_admins(notice.text)
        await store.set_feed_alerted(notice.feed_id, notice.failing)
    return notices
