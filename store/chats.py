"""Chats and what they follow (whole chats or forum topics): subscribing, deactivating a chat
or one topic, moving a migrated group. Digest schedules are in store/digests.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from store.base import StoreBase
from store.errors import StoreError
from store.records import ChatRow
from store.schema import chats, digest_schedules, outbox, subscriptions, themes


class UnknownTheme(StoreError):
    """No theme with that slug."""


class ChatQueries(StoreBase):
    async def upsert_chat(
        self, chat_id: int, type_: str, title: str | None, now: datetime, active: bool = True
    ) -> ChatRow:
        """Create or refresh a chat; seeing it again re-activates it."""
        async with self.writing() as conn:
            await self._upsert_chat(conn, chat_id, type_, title, now, active)
        chat = await self.get_chat(chat_id)
        assert chat is not None
        return chat

    async def _upsert_chat(
        self,
        conn: AsyncConnection,
        chat_id: int,
        type_: str,
        title: str | None,
        now: datetime,
        active: bool,
    ) -> None:
        stmt = self.insert(chats).values(
            id=chat_id,
            type=type_,
            title=title,
            active=active,
            created_at=now,
            updated_at=now,
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["id"],
            set_={
                "type": type_,
                "title": title,
                "active": active,
                "inactive_reason": None if active else stmt.excluded.inactive_reason,
                "updated_at": now,
            },
        )
        await conn.execute(stmt)

    async def get_chat(self, chat_id: int) -> ChatRow | None:
        async with self.engine.connect() as conn:
            r = (await conn.execute(select(chats).where(chats.c.id == chat_id))).mappings().first()
        if r is None:
            return None
        return ChatRow(r["id"], r["type"], r["title"], r["active"], r["inactive_reason"])

    async def deactivate_chat(self, chat_id: int, reason: str, now: datetime) -> None:
        """Stop delivering to a chat (blocked, removed, gone); pending alerts are dropped."""
        async with self.writing() as conn:
            await conn.execute(
                update(chats)
                .where(chats.c.id == chat_id)
                .values(active=False, inactive_reason=reason, updated_at=now)
            )
            await conn.execute(
                update(outbox)
                .where(outbox.c.chat_id == chat_id, outbox.c.status == "pending")
                .values(status="dropped", last_error=reason)
            )

    async def migrate_chat(self, old_id: int, new_id: int, now: datetime) -> None:
        """A group became a supergroup: its subscriptions follow it to the new id."""
        async with self.writing() as conn:
            old = (await conn.execute(select(chats).where(chats.c.id == old_id))).mappings().first()
            title = old["title"] if old else None
            await self._upsert_chat(conn, new_id, "supergroup", title, now, True)
            existing = {
                r[0]
                for r in await conn.execute(
                    select(subscriptions.c.theme_id).where(subscriptions.c.chat_id == new_id)
                )
            }
            await conn.execute(
                update(subscriptions)
                .where(
                    subscriptions.c.chat_id == old_id,
                    subscriptions.c.theme_id.not_in(existing),
                )
                .values(chat_id=new_id)
            )
            await conn.execute(delete(subscriptions).where(subscriptions.c.chat_id == old_id))
            has_digest = await conn.scalar(
                select(digest_schedules.c.id).where(digest_schedules.c.chat_id == new_id)
            )
            if has_digest is None:
                await conn.execute(
                    update(digest_schedules)
                    .where(digest_schedules.c.chat_id == old_id)
                    .values(chat_id=new_id)
                )
            await conn.execute(
                update(chats)
                .where(chats.c.id == old_id)
                .values(active=False, inactive_reason=f"migrated to {new_id}", updated_at=now)
            )
            await conn.execute(
                update(outbox)
                .where(outbox.c.chat_id == old_id, outbox.c.status.in_(("pending", "folded")))
                .values(chat_id=new_id)
            )

    async def _theme_id(self, conn: AsyncConnection, slug: str) -> int:
        theme_id = await conn.scalar(select(themes.c.id).where(themes.c.slug == slug))
        if theme_id is None:
            raise UnknownTheme(slug)
        return int(theme_id)

    async def subscribe(self, chat_id: int, slug: str, now: datetime, thread_id: int = 0) -> bool:
        """Follow a theme in a chat or one of its forum topics; False when it already did.

        Following again re-activates a subscription a closed topic had stopped.
        """
        async with self.writing() as conn:
            theme_id = await self._theme_id(conn, slug)
            mine = (
                subscriptions.c.chat_id == chat_id,
                subscriptions.c.thread_id == thread_id,
                subscriptions.c.theme_id == theme_id,
            )
            active = await conn.scalar(select(subscriptions.c.active).where(*mine))
            if active:
                return False
            if active is not None:
                await conn.execute(
                    update(subscriptions).where(*mine).values(active=True, inactive_reason=None)
                )
                return True
            await conn.execute(
                subscriptions.insert().values(
                    chat_id=chat_id, thread_id=thread_id, theme_id=theme_id, created_at=now
                )
            )
        return True

    async def unsubscribe(self, chat_id: int, slug: str, thread_id: int = 0) -> bool:
        async with self.writing() as conn:
            theme_id = await self._theme_id(conn, slug)
            result = await conn.execute(
                delete(subscriptions).where(
                    subscriptions.c.chat_id == chat_id,
                    subscriptions.c.thread_id == thread_id,
                    subscriptions.c.theme_id == theme_id,
                )
            )
        return bool(result.rowcount)

    async def subscriptions_of(self, chat_id: int, thread_id: int = 0) -> list[str]:
        """The themes a chat (or one of its topics) follows and still receives."""
        query = (
            select(themes.c.slug)
            .join(subscriptions, subscriptions.c.theme_id == themes.c.id)
            .where(
                subscriptions.c.chat_id == chat_id,
                subscriptions.c.thread_id == thread_id,
                subscriptions.c.active,
            )
            .order_by(themes.c.slug)
        )
        async with self.engine.connect() as conn:
            return [r[0] for r in await conn.execute(query)]

    async def deactivate_topic(
        self, chat_id: int, thread_id: int, reason: str, now: datetime
    ) -> None:
        """A forum topic is closed or gone: stop its subscriptions only; drop what was pending.

        The chat and its other topics go on. /subscribe in the topic (reopened) starts again.
        """
        async with self.writing() as conn:
            await conn.execute(
                update(subscriptions)
                .where(subscriptions.c.chat_id == chat_id, subscriptions.c.thread_id == thread_id)
                .values(active=False, inactive_reason=reason)
            )
            await conn.execute(
                update(outbox)
                .where(
                    outbox.c.chat_id == chat_id,
                    outbox.c.thread_id == thread_id,
                    outbox.c.status == "pending",
                )
                .values(status="dropped", last_error=reason)
            )

    async def subscribe_all(self, chat_id: int, now: datetime) -> None:
        """Follow every theme (the console front end shows everything)."""
        async with self.engine.connect() as conn:
            slugs = [r[0] for r in await conn.execute(select(themes.c.slug))]
        for slug in slugs:
            await self.subscribe(chat_id, slug, now)
