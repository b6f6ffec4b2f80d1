"""Which new entries a poll alerts: every one once a feed's first poll is stored; on the
first poll, only what is news.

A first poll reads a feed's archive: alerting all of it would flood the chats with old
statements, so only entries published in the last BACKFILL_HOURS are alerted. A feed watched
again by /undo of /removefeed is read whole again, and its archive was alerted already: the
entries it had when removed (`FeedRow.known_keys`) are not alerted, the others are news even
when dated before its last poll (a late or backdated entry; QA round 19). A removal logged
before the keys were kept only says until when the feed was read (`alert_after`).

Decides only; the store keeps what is new, and the poll cycle applies this to each entry.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from store.records import FeedRow, key_print
from watchers.parse.feed import EntryData


def alertable(entry: EntryData, feed: FeedRow, now: datetime, backfill: timedelta) -> bool:
    """Whether `entry`, new to the store, is alerted when `feed` is polled at `now`."""
    if feed.first_polled:
        return True
    known = feed.known_keys
    if known is not None and key_print(entry.key) in known:
        return False
    if not entry.dated:  # no day to judge by: new to a feed watched again, archive otherwise
        return known is not None
    oldest = now - backfill
    if feed.alert_after is not None:
        oldest = max(oldest, feed.alert_after)
    return entry.published >= oldest
