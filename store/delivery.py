"""The outbox: alerts waiting for delivery, and how each delivery attempt ended.

A row is marked sent only after the front end reports the message accepted; a restart finds
pending rows again. Does not talk to Telegram: the bot's delivery loop does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Integer, Select, bindparam, func, select, text, update

from store.base import StoreBase
from store.records import AlertView, OutboxRow, OutboxStats
from store.schema import (
    TS,
    chats,
    events,
    feeds,
    items,
    matches,
    outbox,
    tallies,
    themes,
)

SENT_TALLY = "alerts_sent"


async def _count_sent(conn: Any, rows: int) -> None:
    """Add `rows` to the alerts-sent total, in the transaction that marks them sent: the total
    is what `/stats` shows, and it stays when the rows go (store/schema.py `tallies`)."""
    bumped = await conn.execute(
        update(tallies).where(tallies.c.name == SENT_TALLY).values(value=tallies.c.value + rows)
    )
    if bumped.rowcount == 0:
        await conn.execute(tallies.insert().values(name=SENT_TALLY, value=rows))


ALERT_COLUMNS = (
    outbox.c.id,
    outbox.c.chat_id,
    outbox.c.thread_id,
    outbox.c.attempts,
    outbox.c.first_attempt_at,
    chats.c.type.label("chat_type"),
    themes.c.slug,
    themes.c.name.label("theme_name"),
    events.c.id.label("event_id"),
    events.c.day,
    events.c.speaker,
    events.c.office,
    events.c.actor,
    events.c.quote,
    events.c.stance,
    events.c.role,
    events.c.direct,
    items.c.id.label("item_id"),
    items.c.title,
    items.c.link,
    items.c.published_at,
    func.coalesce(feeds.c.title, feeds.c.url).label("source"),
    matches.c.brief,
    matches.c.score,
    matches.c.id.label("match_id"),
    matches.c.quote.label("match_quote"),
    matches.c.event_id.label("match_event_id"),
)


def alert_view(r: Any) -> AlertView:
    """An alert as delivery and digests read it, from a row of ALERT_COLUMNS."""
    return AlertView(
        theme_slug=r["slug"],
        theme_name=r["theme_name"],
        event_id=r["event_id"],
        item_id=r["item_id"],
        match_id=r["match_id"],
        title=r["title"],
        link=r["link"],
        source=r["source"],
        published_at=r["published_at"],
        day=r["day"],
        speaker=r["speaker"],
        office=r["office"],
        quote=r["quote"],
        stance=r["stance"],
        brief=r["brief"],
        score=r["score"],
        actor=r["actor"],
        role=r["role"],
        direct=r["direct"],
        # the alerted item's own words for this statement, when its key statement is this one
        item_quote=r["match_quote"] if r["match_event_id"] == r["event_id"] else None,
    )


# The oldest due ids of a pass, read from the partial index in id order (migration 0006).
_SQLITE_DUE_IDS = (
    text(
        "SELECT outbox.id FROM outbox INDEXED BY ix_outbox_pending_id "
        "JOIN chats ON chats.id = outbox.chat_id "
        "WHERE outbox.status = 'pending' AND outbox.next_attempt_at <= :now AND chats.active "
        "AND (:chat_id IS NULL OR outbox.chat_id = :chat_id) "
        "ORDER BY outbox.id LIMIT :limit"
    )
    .bindparams(bindparam("now", type_=TS), bindparam("chat_id", type_=BigInteger))
    .columns(id=Integer)
)


def _joined(query: Select[Any]) -> Select[Any]:
    return (
        query.join(chats, chats.c.id == outbox.c.chat_id)
        .join(matches, matches.c.id == outbox.c.match_id)
        .join(events, events.c.id == outbox.c.event_id)
        .join(themes, themes.c.id == events.c.theme_id)
        .join(items, items.c.id == matches.c.item_id)
        .join(feeds, feeds.c.id == items.c.feed_id)
    )


class DeliveryQueries(StoreBase):
    async def due_alerts(
        self, now: datetime, limit: int = 100, chat_id: int | None = None
    ) -> list[OutboxRow]:
        """Pending alerts whose next attempt is due, oldest first (by id, as they were queued).

        Read from `ix_outbox_pending_id` in id order, stopping at `limit`, so the cost of a
        pass does not grow with the backlog (reading every due row and sorting it took 8 ms
        at 300 pending rows and 186 ms at 300,000 on SQLite).
        """
        query = _joined(select(*ALERT_COLUMNS).select_from(outbox))
        if self.dialect == "sqlite":
            # SQLite's planner prefers ix_outbox_status_next and a sort: the ids come first,
            # from the index named. (The same IN shape made PostgreSQL scan the whole outbox.)
            ids = _SQLITE_DUE_IDS.bindparams(now=now, chat_id=chat_id, limit=limit).subquery()
            query = query.where(outbox.c.id.in_(select(ids.c.id)))
        else:  # PostgreSQL walks the partial index by itself
            query = query.where(
                outbox.c.status == "pending", outbox.c.next_attempt_at <= now, chats.c.active
            ).limit(limit)
            if chat_id is not None:
                query = query.where(outbox.c.chat_id == chat_id)
        query = query.order_by(outbox.c.id)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [
            OutboxRow(
                id=r["id"],
                chat_id=r["chat_id"],
                chat_type=r["chat_type"],
                attempts=r["attempts"],
                first_attempt_at=r["first_attempt_at"],
                alert=alert_view(r),
                thread_id=r["thread_id"],
            )
            for r in rows
        ]

    async def mark_sent(self, row_id: int, now: datetime, message_id: int | None) -> None:
        # Urgent: Telegram has the message; recorded before any poll write waiting its turn.
        async with self.writing(urgent=True) as conn:
            await conn.execute(
                update(outbox)
                .where(outbox.c.id == row_id)
                .values(
                    status="sent",
                    sent_at=now,
                    message_id=message_id,
                    attempts=outbox.c.attempts + 1,
                    first_attempt_at=func.coalesce(outbox.c.first_attempt_at, now),
                    last_error=None,
                )
            )
            await _count_sent(conn, 1)

    async def mark_attempting(self, row_ids: Sequence[int], now: datetime) -> None:
        """These rows are about to be sent: their first attempt starts now (one statement).

        Telegram shows a message, buttons and all, before its "sent" is recorded; a press on it
        in that moment must find the alert already tried in that chat (`alerted_chat`)."""
        if not row_ids:
            return
        async with self.writing(urgent=True) as conn:
            await conn.execute(
                update(outbox)
                .where(outbox.c.id.in_(list(row_ids)), outbox.c.first_attempt_at.is_(None))
                .values(first_attempt_at=now)
            )

    async def mark_sent_many(self, sent: Sequence[tuple[int, datetime, int | None]]) -> None:
        """Several (row id, sent at, message id) in one urgent transaction: a burst of accepted
        messages is on record after one commit, not after one commit each."""
        if not sent:
            return
        async with self.writing(urgent=True) as conn:
            await conn.execute(
                update(outbox)
                .where(outbox.c.id == bindparam("b_id"))
                .values(
                    status="sent",
                    sent_at=bindparam("b_at", type_=outbox.c.sent_at.type),
                    message_id=bindparam("b_message"),
                    attempts=outbox.c.attempts + 1,
                    first_attempt_at=func.coalesce(
                        outbox.c.first_attempt_at, bindparam("b_at2", type_=outbox.c.sent_at.type)
                    ),
                    last_error=None,
                )
                .execution_options(synchronize_session=False),
                [
                    {"b_id": row_id, "b_at": at, "b_at2": at, "b_message": message_id}
                    for row_id, at, message_id in sent
                ],
            )
            await _count_sent(conn, len(sent))

    async def mark_retry(self, row_id: int, now: datetime, retry_at: datetime, error: str) -> None:
        """A failed attempt that may still succeed: try again at `retry_at`."""
        async with self.writing() as conn:
            await conn.execute(
                update(outbox)
                .where(outbox.c.id == row_id)
                .values(
                    attempts=outbox.c.attempts + 1,
                    next_attempt_at=retry_at,
                    last_error=error,
                    first_attempt_at=func.coalesce(outbox.c.first_attempt_at, now),
                )
            )

    async def mark_dropped(self, row_id: int, reason: str) -> None:
        """Nothing to send any more (a digest emptied by a theme change): not a failure."""
        async with self.writing() as conn:
            await conn.execute(
                update(outbox)
                .where(outbox.c.id == row_id)
                .values(status="dropped", last_error=reason)
            )

    async def mark_failed(self, row_id: int, now: datetime, error: str) -> None:
        """Give up on an alert after bounded retries; `/stats` shows it."""
        async with self.writing() as conn:
            await conn.execute(
                update(outbox)
                .where(outbox.c.id == row_id)
                .values(
                    status="failed",
                    attempts=outbox.c.attempts + 1,
                    last_error=error,
                    first_attempt_at=func.coalesce(outbox.c.first_attempt_at, now),
                )
            )

    async def outbox_stats(self) -> OutboxStats:
        async with self.engine.connect() as conn:
            query = select(outbox.c.status, func.count()).group_by(outbox.c.status)
            counts = {str(r[0]): int(r[1]) for r in await conn.execute(query)}
            # every alert ever sent, also those whose rows went since (a removed feed, a theme
            # change keeping them aside, a deleted theme): the rows left undercount it
            sent = await conn.scalar(select(tallies.c.value).where(tallies.c.name == SENT_TALLY))
        return OutboxStats(
            pending=counts.get("pending", 0),
            sent=int(sent or 0),
            failed=counts.get("failed", 0),
            dropped=counts.get("dropped", 0),
        )

    async def failed_alerts(self, limit: int = 10) -> list[tuple[int, int, str | None]]:
        """(row id, chat id, last error) of the latest alerts given up on."""
        query = (
            select(outbox.c.id, outbox.c.chat_id, outbox.c.last_error)
            .where(outbox.c.status == "failed")
            .order_by(outbox.c.id.desc())
            .limit(limit)
        )
        async with self.engine.connect() as conn:
            return [(r[0], r[1], r[2]) for r in await conn.execute(query)]
