"""Making the digests that are due: each schedule asks `digest_due`, the store makes the row.

Run at every tick of the front end (and at start), with `now` passed in: a digest whose time
passed while the bot was down is made at the next tick. Making is idempotent per scheduled
time, so two processes or a retried tick make one digest. Does not send anything: the digest
is an outbox row the deliverer sends like an alert.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.digest.schedule import Schedule, ScheduleError, digest_due
from store import Store
from store.records import DigestScheduleRow

log = logging.getLogger(__name__)


def schedule_of(row: DigestScheduleRow) -> Schedule:
    return Schedule(row.every, row.weekday, row.minute_of_day, row.tz)


async def make_due_digests(store: Store, now: datetime) -> int:
    """Make every digest due at `now`; how many outbox rows were made."""
    made = 0
    for row in await store.digest_schedules():
        try:
            due = digest_due(schedule_of(row), row.last_due_at or row.since, now)
        except ScheduleError as exc:  # a time zone this machine lost: say so, skip it
            log.warning("digest of chat %s topic %s: %s", row.chat_id, row.thread_id, exc)
            continue
        if due is not None and await store.make_digest(row.chat_id, row.thread_id, due, now):
            made += 1
    return made
