"""Themes with their groups, terms, exclusions and exemplars, kept relationally.

A new theme is followed at once by the console chat (type `CONSOLE_CHAT_TYPE`), which shows
every theme, those added after it started too; a Telegram chat follows what it subscribes to.
Does not score anything: it stores and returns `ThemeSpec`, which mirrors the matcher's theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from store.base import StoreBase
from store.records import GroupSpec, ThemeSpec
from store.schema import (
    TS,
    audit_log,
    chats,
    subscriptions,
    theme_exemplars,
    theme_groups,
    theme_terms,
    themes,
)

# pg_advisory_xact_lock(SEED_LOCK): processes loading the first themes, one at a time.
SEED_LOCK = 0x7074
CONSOLE_CHAT_TYPE = "console"  # the terminal front end's chat, which follows every theme


class ThemeQueries(StoreBase):
    async def save_theme(self, spec: ThemeSpec, now: datetime) -> ThemeSpec:
        """Insert the theme or replace its definition, bumping its version."""
        async with self.writing() as conn:
            await self._save_in(conn, spec, now)
        saved = await self.get_theme(spec.slug)
        assert saved is not None
        return saved

    async def seed_themes(self, specs: Sequence[ThemeSpec], now: datetime) -> list[str]:
        """Save these themes only on a database that never had any (no theme, and no change
        in the audit log: an admin who removed the last theme keeps it removed); the slugs
        saved.

        One write: processes started together on a new database (a sender and watchers, as
        compose.yaml starts them) load the themes once, where a check and then a save each
        let two of them insert the same slug (QA: one crashed on uq_themes_slug).
        """
        async with self.writing() as conn:
            if self.dialect == "postgresql":
                await conn.execute(select(func.pg_advisory_xact_lock(SEED_LOCK)))
            if (await conn.execute(select(themes.c.id).limit(1))).first() is not None:
                return []
            if (await conn.execute(select(audit_log.c.id).limit(1))).first() is not None:
                return []
            for spec in specs:
                await self._save_in(conn, spec, now)
        return [spec.slug for spec in specs]

    async def _save_in(self, conn: AsyncConnection, spec: ThemeSpec, now: datetime) -> int:
        row = (
            await conn.execute(
                select(themes.c.id, themes.c.version).where(themes.c.slug == spec.slug)
            )
        ).first()
        values = {
            "name": spec.name,
            "description": spec.description,
            "threshold": spec.threshold,
            "options": dict(spec.options),
            "updated_at": now,
            "active": True,
        }
        if row is None:
            theme_id: int = (
                await conn.execute(
                    themes.insert()
                    .values(slug=spec.slug, version=1, created_at=now, **values)
                    .returning(themes.c.id)
                )
            ).scalar_one()
            await conn.execute(
                subscriptions.insert().from_select(
                    ["chat_id", "theme_id", "thread_id", "created_at"],
                    select(chats.c.id, literal(theme_id), literal(0), literal(now, TS)).where(
                        chats.c.type == CONSOLE_CHAT_TYPE
                    ),
                )
            )
        else:
            theme_id = row[0]
            await conn.execute(
                update(themes).where(themes.c.id == theme_id).values(version=row[1] + 1, **values)
            )
            for table in (theme_terms, theme_groups, theme_exemplars):
                await conn.execute(delete(table).where(table.c.theme_id == theme_id))
        await self._write_parts(conn, theme_id, spec)
        return theme_id

    async def _write_parts(self, conn: AsyncConnection, theme_id: int, spec: ThemeSpec) -> None:
        for gpos, group in enumerate(spec.groups):
            group_id = (
                await conn.execute(
                    theme_groups.insert()
                    .values(
                        theme_id=theme_id,
                        position=gpos,
                        name=group.name,
                        weight=group.weight,
                        required=group.required,
                    )
                    .returning(theme_groups.c.id)
                )
            ).scalar_one()
            if group.terms:
                await conn.execute(
                    theme_terms.insert(),
                    [
                        {
                            "theme_id": theme_id,
                            "group_id": group_id,
                            "kind": "include",
                            "position": i,
                            "phrase": t,
                        }
                        for i, t in enumerate(group.terms)
                    ],
                )
        if spec.exclude:
            await conn.execute(
                theme_terms.insert(),
                [
                    {
                        "theme_id": theme_id,
                        "group_id": None,
                        "kind": "exclude",
                        "position": i,
                        "phrase": t,
                    }
                    for i, t in enumerate(spec.exclude)
                ],
            )
        if spec.exemplars:
            await conn.execute(
                theme_exemplars.insert(),
                [
                    {"theme_id": theme_id, "position": i, "text": t}
                    for i, t in enumerate(spec.exemplars)
                ],
            )

    async def list_themes(self) -> list[ThemeSpec]:
        async with self.engine.connect() as conn:
            rows = (
                (await conn.execute(select(themes).where(themes.c.active).order_by(themes.c.slug)))
                .mappings()
                .all()
            )
            groups = (
                (await conn.execute(select(theme_groups).order_by(theme_groups.c.position)))
                .mappings()
                .all()
            )
            terms = (
                (await conn.execute(select(theme_terms).order_by(theme_terms.c.position)))
                .mappings()
                .all()
            )
            exemplars = (
                (await conn.execute(select(theme_exemplars).order_by(theme_exemplars.c.position)))
                .mappings()
                .all()
            )
        result = []
        for t in rows:
            tid = t["id"]
            specs = tuple(
                GroupSpec(
                    name=g["name"],
                    weight=g["weight"],
                    required=g["required"],
                    terms=tuple(x["phrase"] for x in terms if x["group_id"] == g["id"]),
                )
                for g in groups
                if g["theme_id"] == tid
            )
            result.append(
                ThemeSpec(
                    slug=t["slug"],
                    name=t["name"],
                    description=t["description"],
                    threshold=t["threshold"],
                    groups=specs,
                    exclude=tuple(
                        x["phrase"]
                        for x in terms
                        if x["theme_id"] == tid and x["kind"] == "exclude"
                    ),
                    exemplars=tuple(e["text"] for e in exemplars if e["theme_id"] == tid),
                    options=dict(t["options"] or {}),
                    version=t["version"],
                )
            )
        return result

    async def rematch_started(self, slug: str, version: int) -> None:
        """A re-match of the archive for `version` began: pending until it finishes."""
        async with self.writing() as conn:
            await conn.execute(
                update(themes).where(themes.c.slug == slug).values(rematch_pending=version)
            )

    async def rematch_finished(self, slug: str, version: int) -> None:
        """The re-match for `version` is done (one for a newer version stays pending)."""
        async with self.writing() as conn:
            await conn.execute(
                update(themes)
                .where(themes.c.slug == slug, themes.c.rematch_pending <= version)
                .values(rematch_pending=None)
            )

    async def rematches_pending(self) -> list[str]:
        """Themes whose last re-match was cut off (a stop or a kill): to run again."""
        query = (
            select(themes.c.slug).where(themes.c.rematch_pending.is_not(None)).order_by(themes.c.id)
        )
        async with self.engine.connect() as conn:
            return [r.slug for r in await conn.execute(query)]

    async def get_theme(self, slug: str) -> ThemeSpec | None:
        for spec in await self.list_themes():
            if spec.slug == slug:
                return spec
        return None

    async def remove_theme(self, slug: str) -> bool:
        """Delete a theme with its matches, events, subscriptions and pending alerts."""
        async with self.writing() as conn:
            result = await conn.execute(delete(themes).where(themes.c.slug == slug))
        return bool(result.rowcount)
