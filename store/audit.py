"""The audit log of admin changes (who, when, what, before and after) and user feedback."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.engine import RowMapping

from store.base import StoreBase
from store.records import AuditRow
from store.schema import audit_log, feedback, matches, outbox, themes, withdrawn_matches


def _audit_row(r: RowMapping) -> AuditRow:
    snapshot = r["snapshot"]
    return AuditRow(
        r["id"],
        r["at"],
        r["actor_id"],
        r["actor_name"],
        r["action"],
        r["target"],
        r["before"],
        r["after"],
        snapshot,
        r["undone_by"],
    )


class AuditQueries(StoreBase):
    async def record_audit(
        self,
        *,
        at: datetime,
        actor_id: int | None,
        actor_name: str | None,
        action: str,
        target: str,
        before: Any = None,
        after: Any = None,
        snapshot: Any = None,
        undoes: int | None = None,
    ) -> int:
        """Log a change; `undoes` marks an earlier entry as undone by this one."""
        async with self.writing() as conn:
            entry = (
                await conn.execute(
                    audit_log.insert()
                    .values(
                        at=at,
                        actor_id=actor_id,
                        actor_name=actor_name,
                        action=action,
                        target=target,
                        before=before,
                        after=after,
                        snapshot=snapshot,
                    )
                    .returning(audit_log.c.id)
                )
            ).scalar_one()
            if undoes is not None:
                await conn.execute(
                    update(audit_log).where(audit_log.c.id == undoes).values(undone_by=entry)
                )
        return int(entry)

    async def last_undoable(self, entry_id: int | None = None) -> AuditRow | None:
        """The given entry, or the latest one that can be undone and was not."""
        query = select(audit_log).where(
            audit_log.c.snapshot.is_not(None), audit_log.c.undone_by.is_(None)
        )
        if entry_id is not None:
            query = select(audit_log).where(audit_log.c.id == entry_id)
        query = query.order_by(audit_log.c.id.desc()).limit(1)
        async with self.engine.connect() as conn:
            row = (await conn.execute(query)).mappings().first()
        return None if row is None else _audit_row(row)

    async def later_changes(self, target: str, entry_id: int) -> list[AuditRow]:
        """Entries after `entry_id` on the same target that are not undone, newest first
        (undo entries themselves excluded): the changes an undo of `entry_id` must keep."""
        query = (
            select(audit_log)
            .where(
                audit_log.c.id > entry_id,
                audit_log.c.target == target,
                audit_log.c.undone_by.is_(None),
                audit_log.c.action != "undo",
            )
            .order_by(audit_log.c.id.desc())
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [_audit_row(r) for r in rows]

    async def latest_audit(self, limit: int = 10) -> list[AuditRow]:
        query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [_audit_row(r) for r in rows]

    async def record_feedback(
        self, match_id: int, user_id: int, chat_id: int, relevant: bool, now: datetime
    ) -> None:
        """A user's verdict on a match; pressing again changes it, never duplicates it."""
        stmt = self.insert(feedback).values(
            match_id=match_id, user_id=user_id, chat_id=chat_id, relevant=relevant, created_at=now
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["match_id", "user_id"], set_={"relevant": relevant, "created_at": now}
        )
        async with self.writing() as conn:
            await conn.execute(stmt)

    async def alerted_chat(
        self, match_id: int, chat_id: int, item_id: int | None = None
    ) -> bool | None:
        """None if there is no match `match_id` (of item `item_id`, when given: an id SQLite
        gave again to another item's match is not it); else whether its alert (the match's,
        or its event's) went to `chat_id`: an outbox row there that was sent or at least
        tried."""
        tried = or_(outbox.c.status == "sent", outbox.c.first_attempt_at.is_not(None))
        query = select(matches.c.event_id).where(matches.c.id == match_id)
        if item_id is not None:
            query = query.where(matches.c.item_id == item_id)
        async with self.engine.connect() as conn:
            found = (await conn.execute(query)).first()
            if found is None:
                return None
            about = outbox.c.match_id == match_id
            if found.event_id is not None:
                about = or_(about, outbox.c.event_id == found.event_id)
            query = select(exists().where(and_(outbox.c.chat_id == chat_id, about, tried)))
            return bool(await conn.scalar(query))

    async def unmatched_by_change(self, match_id: int, item_id: int | None = None) -> str | None:
        """The slug of the theme whose change took match `match_id` (of item `item_id`, when
        given) away, kept aside until the item matches again (store/withdrawn.py); None if no
        change did."""
        query = (
            select(themes.c.slug)
            .join(withdrawn_matches, withdrawn_matches.c.theme_id == themes.c.id)
            .where(withdrawn_matches.c.match_id == match_id)
        )
        if item_id is not None:
            query = query.where(withdrawn_matches.c.item_id == item_id)
        async with self.engine.connect() as conn:
            return await conn.scalar(query)

    async def match_id_for(self, item_id: int, slug: str) -> int | None:
        query = (
            select(matches.c.id)
            .join(themes, themes.c.id == matches.c.theme_id)
            .where(matches.c.item_id == item_id, themes.c.slug == slug)
        )
        async with self.engine.connect() as conn:
            value = await conn.scalar(query)
        return int(value) if value is not None else None

    async def feedback_counts(self, slug: str) -> tuple[int, int]:
        """(relevant, not relevant) votes on a theme's matches."""
        query = (
            select(feedback.c.relevant, func.count())
            .join(matches, matches.c.id == feedback.c.match_id)
            .join(themes, themes.c.id == matches.c.theme_id)
            .where(themes.c.slug == slug)
            .group_by(feedback.c.relevant)
        )
        async with self.engine.connect() as conn:
            counts = {bool(r[0]): int(r[1]) for r in await conn.execute(query)}
        return counts.get(True, 0), counts.get(False, 0)

    async def feedback_items(self, slug: str) -> list[tuple[int, bool]]:
        """(item id, relevant) for every vote on a theme, to replay a changed theme on them."""
        query = (
            select(matches.c.item_id, feedback.c.relevant)
            .join(matches, matches.c.id == feedback.c.match_id)
            .join(themes, themes.c.id == matches.c.theme_id)
            .where(themes.c.slug == slug)
        )
        async with self.engine.connect() as conn:
            return [(int(r[0]), bool(r[1])) for r in await conn.execute(query)]
