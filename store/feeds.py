"""Feeds and their polling state: adding, listing, leasing due feeds, recording a poll.

Does not fetch or decide when to poll next: watchers compute `next_poll_at` and pass it in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Update, bindparam, func, or_, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from store.base import StoreBase, dialect_insert
from store.errors import StoreError
from store.records import KNOWN_KEYS_CAP, FeedPollOutcome, FeedRow, RemovedFeed, key_print
from store.schema import feed_aliases, feeds, items, matches
from store.shrunk import ID_CHUNK, drop_matches, hand_over_alerts, match_ids_of
from store.withdrawn import hand_to_kept_reports


class FeedExists(StoreError):
    """The feed URL is already stored."""


def _feed(row: RowMapping, item_count: int = 0) -> FeedRow:
    return FeedRow(
        id=row["id"],
        url=row["url"],
        title=row["title"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        body_hash=row["body_hash"],
        next_poll_at=row["next_poll_at"],
        last_polled_at=row["last_polled_at"],
        last_success_at=row["last_success_at"],
        failures=row["failures"],
        last_error=row["last_error"],
        failing_since=row["failing_since"],
        interval_seconds=row["interval_seconds"],
        item_count=item_count,
        created_at=row["created_at"],
        first_polled=row["first_polled"],
        alerted_failing=row["alerted_failing"],
        note=row["note"],
        entry_digests=row["entry_digests"],
        full_text=row["full_text"],
        alert_after=row["alert_after"],
        known_keys=None if row["known_keys"] is None else frozenset(row["known_keys"].split()),
    )


class FeedQueries(StoreBase):
    async def add_feed(
        self,
        url: str,
        now: datetime,
        title: str | None = None,
        alert_after: datetime | None = None,
        feed_id: int | None = None,
        known_keys: Sequence[str] | None = None,
    ) -> FeedRow:
        """Store a new feed, due at once; FeedExists if the URL is already there.
        `alert_after`: its first poll alerts nothing published before (a feed watched again).
        `known_keys`: prints of the items it had before (`RemovedFeed.known`): that first poll
        alerts none of them.
        `feed_id`: the id it had before it was removed, kept when no feed has taken it, so
        /feeds and /removefeed name it as before (QA round 19).

        ON CONFLICT rather than a check first: two processes adding one URL at once (both
        loading FEEDS_FILE on a first start) get one row and one FeedExists, not a crash.
        """
        async with self.writing() as conn:
            moved_to = await conn.scalar(
                select(feeds.c.url)
                .join(feed_aliases, feed_aliases.c.feed_id == feeds.c.id)
                .where(feed_aliases.c.url == url)
            )
            if moved_to is not None:
                raise FeedExists(f"feed {url} is already watched: it moved to {moved_to}")
            same_id: dict[str, int] = {}
            if feed_id is not None:
                taken = await conn.scalar(select(feeds.c.id).where(feeds.c.id == feed_id))
                same_id = {} if taken is not None else {"id": feed_id}
            result = await conn.execute(
                self.insert(feeds)
                .values(
                    **same_id,
                    url=url,
                    title=title,
                    next_poll_at=now,
                    failures=0,
                    alerted_failing=False,
                    first_polled=False,
                    created_at=now,
                    alert_after=alert_after,
                    known_keys=None if known_keys is None else " ".join(known_keys),
                )
                .on_conflict_do_nothing(index_elements=["url"])
                .returning(*feeds.c)
            )
            row = result.mappings().first()
            if row is None:
                raise FeedExists(f"feed {url} is already watched")
            return _feed(row)

    async def list_feeds(self) -> list[FeedRow]:
        counts = (
            select(items.c.feed_id, func.count().label("n")).group_by(items.c.feed_id).subquery()
        )
        query = (
            select(feeds, func.coalesce(counts.c.n, 0).label("item_count"))
            .outerjoin(counts, counts.c.feed_id == feeds.c.id)
            .order_by(feeds.c.id)
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [_feed(r, r["item_count"]) for r in rows]

    async def find_feed(self, url_or_id: str) -> FeedRow | None:
        """A feed by its id (ASCII digits within the id column's range) or its exact URL."""
        cond = feeds.c.url == url_or_id
        if url_or_id.isascii() and url_or_id.isdigit() and int(url_or_id) < 2**31:
            cond = or_(cond, feeds.c.id == int(url_or_id))
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(feeds).where(cond))).mappings().first()
            if row is None:
                return None
            n = await conn.scalar(select(func.count()).where(items.c.feed_id == row["id"]))
        return _feed(row, int(n or 0))

    async def remove_feed(self, feed_id: int) -> RemovedFeed | None:
        """Delete a feed and its items (None: no such feed). Their matches leave their events
        first, as a theme change's do: a statement another feed still reports keeps its
        alerts, owed or sent, and its timeline row (QA round 14); an event no other feed
        reports goes with them. The prints of the newest items' keys are read in the same
        transaction, so /undo knows exactly what the feed had (QA round 19)."""
        async with self.writing() as conn:
            newest = (
                await conn.execute(
                    select(items.c.key, items.c.published_at)
                    .where(items.c.feed_id == feed_id)
                    .order_by(items.c.published_at.desc(), items.c.id.desc())
                    .limit(KNOWN_KEYS_CAP + 1)
                )
            ).all()
            kept = newest[:KNOWN_KEYS_CAP]
            since = kept[-1].published_at if len(newest) > KNOWN_KEYS_CAP else None
            removed = RemovedFeed(tuple(key_print(r.key) for r in kept), since)
            reported = await conn.execute(
                select(matches.c.theme_id, matches.c.item_id)
                .join(items, items.c.id == matches.c.item_id)
                .where(items.c.feed_id == feed_id)
            )
            by_theme: dict[int, list[int]] = {}
            for theme_id, item_id in reported:
                by_theme.setdefault(theme_id, []).append(item_id)
            for theme_id, item_ids in by_theme.items():
                for start in range(0, len(item_ids), ID_CHUNK):
                    chunk = item_ids[start : start + ID_CHUNK]
                    gone = await match_ids_of(conn, theme_id, chunk)
                    await hand_over_alerts(conn, gone)  # to reports other feeds still make
                    await hand_to_kept_reports(conn, theme_id, gone, item_ids)  # or aside
                    await drop_matches(conn, theme_id, chunk, handed=True)
            result = await conn.execute(feeds.delete().where(feeds.c.id == feed_id))
        return removed if result.rowcount else None

    async def lease_due_feeds(
        self, now: datetime, owner: str, limit: int, lease_seconds: float
    ) -> list[FeedRow]:
        """Claim up to `limit` due feeds for `owner` until the lease ends.

        On PostgreSQL `FOR UPDATE SKIP LOCKED` lets several watcher processes claim disjoint
        feeds at once; SQLite serializes writers, so the same statement is safe there too.
        """
        until = now + timedelta(seconds=lease_seconds)
        due = (
            select(feeds.c.id)
            .where(feeds.c.next_poll_at <= now)
            .where(or_(feeds.c.lease_until.is_(None), feeds.c.lease_until < now))
            .order_by(feeds.c.next_poll_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .cte("due")  # a CTE: PostgreSQL locks and limits the chosen rows once
        )
        # One statement (a claim and the rows claimed): each statement is several trips to
        # the driver's thread on SQLite, and a cycle leases a batch every 100 feeds.
        claim = (
            update(feeds)
            .where(feeds.c.id.in_(select(due.c.id)))
            .values(lease_owner=owner, lease_until=until)
            .returning(*feeds.c)
        )
        async with self.writing() as conn:
            rows = (await conn.execute(claim)).mappings().all()
        return sorted((_feed(r) for r in rows), key=lambda f: f.id)

    async def release_feeds(self, feed_ids: list[int], owner: str) -> None:
        """Give back `owner`'s leases on these feeds without polling them (due as before)."""
        if not feed_ids:
            return
        async with self.writing() as conn:
            await conn.execute(
                update(feeds)
                .where(feeds.c.id.in_(feed_ids), feeds.c.lease_owner == owner)
                .values(lease_owner=None, lease_until=None)
            )

    async def record_poll(self, feed_id: int, outcome: FeedPollOutcome) -> None:
        """Record a poll that stored nothing (a failure, a 304, an unchanged body)."""
        async with self.writing() as conn:
            await write_poll_state(conn, feed_id, outcome)

    async def record_unchanged(self, polls: list[tuple[int, FeedPollOutcome]]) -> None:
        """Record many polls that found the feed unchanged (304), in one statement."""
        if not polls:
            return
        stmt = (
            update(feeds)
            .where(feeds.c.id == bindparam("b_id"))
            .values(
                last_polled_at=bindparam("b_at", type_=feeds.c.last_polled_at.type),
                last_success_at=bindparam("b_at2", type_=feeds.c.last_success_at.type),
                next_poll_at=bindparam("b_next", type_=feeds.c.next_poll_at.type),
                etag=func.coalesce(bindparam("b_etag"), feeds.c.etag),
                last_modified=func.coalesce(bindparam("b_lm"), feeds.c.last_modified),
                failures=0,
                last_error=None,
                failing_since=None,
                first_polled=True,
                lease_owner=None,
                lease_until=None,
            )
        )
        rows = [
            {
                "b_id": feed_id,
                "b_at": o.polled_at,
                "b_at2": o.polled_at,
                "b_next": o.next_poll_at,
                "b_etag": o.etag,
                "b_lm": o.last_modified,
            }
            for feed_id, o in polls
        ]
        async with self.writing() as conn:
            await conn.execute(stmt, rows)

    async def set_feed_alerted(self, feed_id: int, alerted: bool) -> None:
        """Remember whether admins were told this feed is failing (so they hear it once)."""
        async with self.writing() as conn:
            await conn.execute(
                update(feeds).where(feeds.c.id == feed_id).values(alerted_failing=alerted)
            )

    async def feeds_leased_by_others(self, now: datetime, owner: str) -> int:
        """How many feeds another process is polling now (its lease still running)."""
        query = select(func.count()).where(
            feeds.c.lease_until > now,
            feeds.c.lease_owner.is_not(None),
            feeds.c.lease_owner != owner,
        )
        async with self.engine.connect() as conn:
            return int((await conn.execute(query)).scalar_one())

    async def bring_polls_within(self, latest: datetime, longest: int) -> int:
        """Move every feed's next poll that lies after `latest` to `latest`, and cut every
        interval longer than `longest` seconds to it; how many feeds moved.

        A feed's next poll and interval were computed under the settings of its last poll:
        lowering MAX_POLL_INTERVAL must not leave it waiting out the longer interval (QA
        round 12), nor /feeds showing it (QA round 13).
        """
        async with self.writing() as conn:
            result = await conn.execute(
                update(feeds).where(feeds.c.next_poll_at > latest).values(next_poll_at=latest)
            )
            await conn.execute(
                update(feeds)
                .where(feeds.c.interval_seconds > longest)
                .values(interval_seconds=longest)
            )
        return int(result.rowcount or 0)

    async def poll_feeds_now(self, now: datetime) -> None:
        """Make every feed due (an operator's `--once` wants a full cycle)."""
        async with self.writing() as conn:
            await conn.execute(update(feeds).values(next_poll_at=now))


async def write_poll_state(conn: AsyncConnection, feed_id: int, outcome: FeedPollOutcome) -> None:
    """A feed's state after a poll, in the caller's transaction; its lease is released."""
    values: dict[str, Any] = {
        "last_polled_at": outcome.polled_at,
        "next_poll_at": outcome.next_poll_at,
        "lease_owner": None,
        "lease_until": None,
    }
    if outcome.interval_seconds is not None:
        values["interval_seconds"] = outcome.interval_seconds
    if not outcome.ok:
        values.update(
            failures=feeds.c.failures + 1,
            last_error=outcome.error,
            failing_since=func.coalesce(feeds.c.failing_since, outcome.polled_at),
        )
        await conn.execute(update(feeds).where(feeds.c.id == feed_id).values(**values))
        return
    values.update(
        failures=0,
        last_error=None,
        failing_since=None,
        last_success_at=outcome.polled_at,
        first_polled=True,
    )
    if outcome.forget_known_keys:  # the first poll is stored: its items are what is known now
        values["known_keys"] = None
    if outcome.parsed:
        values["note"] = outcome.note
        values["entry_digests"] = outcome.entry_digests
    for key in ("etag", "last_modified", "body_hash", "title"):
        if getattr(outcome, key) is not None:
            values[key] = getattr(outcome, key)
    if outcome.new_url:
        taken = await conn.scalar(select(func.count()).where(feeds.c.url == outcome.new_url))
        if not taken:
            values["url"] = outcome.new_url
            # the old address is this feed still: adding it again is refused (QA round 17)
            old = await conn.scalar(select(feeds.c.url).where(feeds.c.id == feed_id))
            if old is not None and old != outcome.new_url:
                insert = dialect_insert(conn.dialect.name, feed_aliases)
                await conn.execute(
                    insert.values(
                        url=old, feed_id=feed_id, moved_at=outcome.polled_at
                    ).on_conflict_do_update(
                        index_elements=["url"],
                        set_={"feed_id": feed_id, "moved_at": outcome.polled_at},
                    )
                )
            # an address it moves back to is no alias of it any more
            await conn.execute(feed_aliases.delete().where(feed_aliases.c.url == outcome.new_url))
    # A good poll sets plain values in one of a few shapes: a statement built once per shape
    # (SQLAlchemy then skips building, cache-keying and compiling it for every feed).
    params = {f"v_{k}": v for k, v in values.items()}
    await conn.execute(_state_update(tuple(values)), {"v_feed_id": feed_id, **params})


@lru_cache(maxsize=64)
def _state_update(keys: tuple[str, ...]) -> Update:
    """UPDATE feeds SET <keys> WHERE id = :v_feed_id, every value a typed bound parameter."""
    return (
        update(feeds)
        .where(feeds.c.id == bindparam("v_feed_id"))
        .values({k: bindparam(f"v_{k}", type_=feeds.c[k].type) for k in keys})
    )
