"""Re-matching stored items after a theme changed: reading items in batches, and applying a
batch's verdicts (new matches, changed scores, matches that no longer hold) in one transaction.

Re-matching never enqueues alerts: it rewrites history for /timeline and /preview, it does
not announce old news.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from store.polls import PollQueries, match_row
from store.reading import _item, _items_query
from store.records import ItemRow, MatchToStore, NewMatch
from store.schema import events, items, matches, themes


class RematchQueries(PollQueries):
    async def items_after(self, after_id: int, limit: int) -> list[ItemRow]:
        """Stored items in id order, a batch at a time (keyset paging: cheap at any depth)."""
        query = _items_query().where(items.c.id > after_id).order_by(items.c.id).limit(limit)
        async with self.engine.connect() as conn:
            return [_item(r) for r in await conn.execute(query)]

    async def count_items(self) -> int:
        async with self.engine.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(items)) or 0)

    async def matched_items(self, slug: str, item_ids: Sequence[int]) -> dict[int, tuple[int, str]]:
        """Which of these items the theme matches now: item id -> (score, brief)."""
        query = (
            select(matches.c.item_id, matches.c.score, matches.c.brief)
            .join(themes, themes.c.id == matches.c.theme_id)
            .where(themes.c.slug == slug, matches.c.item_id.in_(list(item_ids)))
        )
        async with self.engine.connect() as conn:
            return {r[0]: (r[1], r[2]) for r in await conn.execute(query)}

    async def apply_rematch(
        self,
        slug: str,
        added: Sequence[tuple[ItemRow, MatchToStore]],
        kept: Sequence[tuple[int, NewMatch]],
        dropped: Sequence[int],
        now: datetime,
    ) -> None:
        """One batch: insert new matches into events, refresh kept ones, remove dropped ones."""
        async with self.writing() as conn:
            theme = (
                await conn.execute(
                    select(themes.c.id, themes.c.version).where(themes.c.slug == slug)
                )
            ).first()
            if theme is None:
                return
            theme_id, version = theme
            if kept:
                await conn.execute(
                    update(matches)
                    .where(
                        matches.c.item_id == bindparam("b_item"),
                        matches.c.theme_id == theme_id,
                    )
                    .values(
                        score=bindparam("b_score"),
                        reasons=bindparam("b_reasons", type_=matches.c.reasons.type),
                        brief=bindparam("b_brief"),
                        theme_version=version,
                    )
                    .execution_options(synchronize_session=False),
                    [
                        {
                            "b_item": item_id,
                            "b_score": v.score,
                            "b_reasons": v.reasons,
                            "b_brief": v.brief,
                        }
                        for item_id, v in kept
                    ],
                )
            if dropped:
                gone = (
                    select(matches.c.event_id, func.count().label("n"))
                    .where(matches.c.theme_id == theme_id, matches.c.item_id.in_(list(dropped)))
                    .group_by(matches.c.event_id)
                )
                shrink = [(r[0], r[1]) for r in await conn.execute(gone) if r[0] is not None]
                await conn.execute(
                    delete(matches).where(
                        matches.c.theme_id == theme_id, matches.c.item_id.in_(list(dropped))
                    )
                )
                for event_id, n in shrink:
                    await conn.execute(
                        update(events)
                        .where(events.c.id == event_id)
                        .values(source_count=events.c.source_count - n)
                    )
                await conn.execute(
                    delete(events).where(events.c.theme_id == theme_id, events.c.source_count <= 0)
                )
            if added:
                await self._add_rematched(conn, theme_id, version, added, now)

    async def _add_rematched(
        self,
        conn: AsyncConnection,
        theme_id: int,
        version: int,
        added: Sequence[tuple[ItemRow, MatchToStore]],
        now: datetime,
    ) -> None:
        """New matches of a batch with a few bulk statements (a re-match touches thousands)."""
        fresh: dict[int, dict[str, Any]] = {}  # batch key -> the new event's row
        grown: dict[int, dict[str, Any]] = {}  # stored event id -> what this batch adds
        for item, m in added:
            d, st = m.event, m.event.statement
            if d.join_event_id is not None:
                target = grown.setdefault(
                    d.join_event_id, {"n": 0, "day": d.day, "first": item.published_at}
                )
                target["n"] += 1
                target["day"] = min(target["day"], d.day)
                target["first"] = min(target["first"], item.published_at)
                continue
            key = d.batch_key if d.batch_key is not None else -item.id
            row = fresh.get(key)
            if row is None:
                fresh[key] = {
                    "theme_id": theme_id,
                    "day": d.day,
                    "speaker": st.speaker,
                    "office": st.office,
                    "actor": st.actor,
                    "quote": st.quote,
                    "stance": st.stance,
                    "headline": item.title,
                    "link": item.link,
                    "source_count": 1,
                    "first_published": item.published_at,
                    "created_at": now,
                }
                continue
            row["source_count"] += 1
            row["day"] = min(row["day"], d.day)
            row["first_published"] = min(row["first_published"], item.published_at)
            for name in ("speaker", "office", "actor", "quote"):
                row[name] = row[name] or getattr(st, name)
            if row["stance"] == "unclear":
                row["stance"] = st.stance
        ids: dict[int, int] = {}
        if fresh:
            keys = list(fresh)
            result = await conn.execute(
                events.insert().returning(events.c.id, sort_by_parameter_order=True),
                [fresh[k] for k in keys],
            )
            ids = dict(zip(keys, (r[0] for r in result), strict=True))
        for event_id, g in grown.items():
            await conn.execute(
                update(events)
                .where(events.c.id == event_id)
                .values(
                    source_count=events.c.source_count + g["n"],
                    day=self._least(events.c.day, g["day"]),
                    first_published=self._least(events.c.first_published, g["first"]),
                )
            )
        rows = []
        for item, m in added:
            d = m.event
            key = d.batch_key if d.batch_key is not None else -item.id
            event_id = d.join_event_id if d.join_event_id is not None else ids[key]
            rows.append(match_row(item.id, (theme_id, version), event_id, m, now))
        await conn.execute(matches.insert(), rows)
