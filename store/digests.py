"""Digests: a chat's (or forum topic's) schedule, the alerts folded for it, and digest rows.

A chat or topic with a schedule gets its alerts 'folded' at enqueue (store/polls.py) instead of
pending: kept, not sent alone. `make_digest` turns the folded alerts not yet carried into one
outbox row of kind 'digest', unique per (chat, topic, scheduled time), in one transaction:
the digest is a row before it is a message, and delivery marks it sent, retried or failed
like an alert (store/delivery.py). Turning digests off sends what was folded as alerts again.
Does not decide when a digest is due (bot/digest/schedule.py) nor render it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from store.base import StoreBase
from store.delivery import ALERT_COLUMNS, _joined, alert_view
from store.records import AlertView, DigestRow, DigestScheduleRow
from store.schema import chats, digest_schedules, outbox


def _schedule(r: Any) -> DigestScheduleRow:
    return DigestScheduleRow(
        chat_id=r["chat_id"],
        thread_id=r["thread_id"],
        every=r["every"],
        weekday=r["weekday"],
        minute_of_day=r["minute_of_day"],
        tz=r["tz"],
        since=r["since"],
        last_due_at=r["last_due_at"],
    )


class DigestQueries(StoreBase):
    async def set_digest(
        self,
        chat_id: int,
        thread_id: int,
        every: str,
        weekday: int | None,
        minute_of_day: int,
        tz: str,
        now: datetime,
    ) -> int:
        """Give a chat (or topic) a digest schedule; its unsent alerts wait for the digest.

        Returns how many pending alerts were folded. Changing an existing schedule keeps the
        period running since its last digest.
        """
        values = {
            "every": every,
            "weekday": weekday,
            "minute_of_day": minute_of_day,
            "tz": tz,
            "updated_at": now,
        }
        async with self.writing() as conn:
            stmt = self.insert(digest_schedules).values(
                chat_id=chat_id, thread_id=thread_id, since=now, created_at=now, **values
            )
            await conn.execute(
                stmt.on_conflict_do_update(index_elements=["chat_id", "thread_id"], set_=values)
            )
            folded = await conn.execute(
                update(outbox)
                .where(*_place(chat_id, thread_id), outbox.c.kind == "alert")
                .where(outbox.c.status == "pending", outbox.c.attempts == 0)
                .values(status="folded")
            )
        return max(folded.rowcount or 0, 0)

    async def clear_digest(self, chat_id: int, thread_id: int, now: datetime) -> int | None:
        """Back to single alerts: folded alerts not yet in a digest are sent as alerts.

        Returns how many were released, or None when there was no schedule.
        """
        async with self.writing() as conn:
            gone = await conn.execute(
                delete(digest_schedules).where(
                    digest_schedules.c.chat_id == chat_id,
                    digest_schedules.c.thread_id == thread_id,
                )
            )
            if not gone.rowcount:
                return None
            released = await conn.execute(
                update(outbox)
                .where(*_place(chat_id, thread_id), outbox.c.status == "folded")
                .where(outbox.c.digest_id.is_(None))
                .values(status="pending", next_attempt_at=now)
            )
        return max(released.rowcount or 0, 0)

    async def digest_schedule_of(
        self, chat_id: int, thread_id: int = 0
    ) -> DigestScheduleRow | None:
        query = select(digest_schedules).where(
            digest_schedules.c.chat_id == chat_id, digest_schedules.c.thread_id == thread_id
        )
        async with self.engine.connect() as conn:
            r = (await conn.execute(query)).mappings().first()
        return None if r is None else _schedule(r)

    async def digest_schedules(self) -> list[DigestScheduleRow]:
        """Every schedule of an active chat."""
        query = (
            select(digest_schedules)
            .join(chats, chats.c.id == digest_schedules.c.chat_id)
            .where(chats.c.active)
            .order_by(digest_schedules.c.id)
        )
        async with self.engine.connect() as conn:
            return [_schedule(r) for r in (await conn.execute(query)).mappings()]

    async def make_digest(
        self, chat_id: int, thread_id: int, due_at: datetime, now: datetime
    ) -> int | None:
        """The digest of `due_at`: folded alerts not yet carried go into one outbox row.

        Idempotent per (chat, topic, due_at): a second call (another process, a restart) makes
        nothing. The schedule's last digest becomes `due_at` either way. Returns the outbox id,
        or None when there was nothing to send (an empty period sends nothing).
        """
        async with self.writing() as conn:
            schedule = (
                (
                    await conn.execute(
                        select(digest_schedules.c.since, digest_schedules.c.last_due_at).where(
                            digest_schedules.c.chat_id == chat_id,
                            digest_schedules.c.thread_id == thread_id,
                        )
                    )
                )
                .mappings()
                .first()
            )
            if schedule is None:
                return None
            await conn.execute(
                update(digest_schedules)
                .where(
                    digest_schedules.c.chat_id == chat_id,
                    digest_schedules.c.thread_id == thread_id,
                )
                .values(last_due_at=due_at, updated_at=now)
            )
            waiting = await _waiting(conn, chat_id, thread_id)
            if not waiting:
                return None
            inserted = await conn.execute(
                self.insert(outbox)
                .values(
                    chat_id=chat_id,
                    thread_id=thread_id,
                    kind="digest",
                    status="pending",
                    attempts=0,
                    next_attempt_at=now,
                    created_at=now,
                    period_start=schedule["last_due_at"] or schedule["since"],
                    period_end=due_at,
                )
                .on_conflict_do_nothing(index_elements=["chat_id", "thread_id", "period_end"])
                .returning(outbox.c.id)
            )
            digest_id = inserted.scalar()
            if digest_id is None:
                return None
            await conn.execute(
                update(outbox)
                .where(*_place(chat_id, thread_id), outbox.c.status == "folded")
                .where(outbox.c.digest_id.is_(None))
                .values(digest_id=digest_id)
            )
        return int(digest_id)

    async def due_digests(
        self, now: datetime, limit: int = 50, chat_id: int | None = None
    ) -> list[DigestRow]:
        """Pending digests whose next attempt is due, oldest first, with their alerts."""
        query = (
            select(
                outbox.c.id,
                outbox.c.chat_id,
                outbox.c.thread_id,
                outbox.c.attempts,
                outbox.c.first_attempt_at,
                outbox.c.period_start,
                outbox.c.period_end,
                chats.c.type,
            )
            .join(chats, chats.c.id == outbox.c.chat_id)
            .where(
                outbox.c.kind == "digest",
                outbox.c.status == "pending",
                outbox.c.next_attempt_at <= now,
                chats.c.active,
            )
            .order_by(outbox.c.id)
            .limit(limit)
        )
        if chat_id is not None:
            query = query.where(outbox.c.chat_id == chat_id)
        async with self.engine.connect() as conn:
            heads = (await conn.execute(query)).mappings().all()
            if not heads:
                return []
            carried = (
                _joined(select(*ALERT_COLUMNS, outbox.c.digest_id).select_from(outbox))
                .where(outbox.c.digest_id.in_([h["id"] for h in heads]))
                .order_by(outbox.c.id)
            )
            alerts: dict[int, list[AlertView]] = {}
            for r in (await conn.execute(carried)).mappings():
                alerts.setdefault(r["digest_id"], []).append(alert_view(r))
        return [
            DigestRow(
                id=h["id"],
                chat_id=h["chat_id"],
                chat_type=h["type"],
                thread_id=h["thread_id"],
                attempts=h["attempts"],
                first_attempt_at=h["first_attempt_at"],
                period_start=h["period_start"],
                period_end=h["period_end"],
                alerts=tuple(alerts.get(h["id"], ())),
            )
            for h in heads
        ]

    async def folded_count(self, chat_id: int, thread_id: int = 0) -> int:
        """Alerts waiting for this chat's (or topic's) next digest."""
        async with self.engine.connect() as conn:
            return await _waiting(conn, chat_id, thread_id)


def _place(chat_id: int, thread_id: int) -> tuple[Any, Any]:
    return outbox.c.chat_id == chat_id, outbox.c.thread_id == thread_id


async def _waiting(conn: AsyncConnection, chat_id: int, thread_id: int) -> int:
    query = (
        select(func.count())
        .select_from(outbox)
        .where(*_place(chat_id, thread_id), outbox.c.status == "folded")
        .where(outbox.c.digest_id.is_(None))
    )
    return int(await conn.scalar(query) or 0)
