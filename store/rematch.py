"""Re-matching stored items after a theme changed: reading items in batches, and applying a
batch's verdicts (new matches, changed scores, matches that no longer hold) in one transaction.

Re-matching never enqueues alerts: it rewrites history for /timeline and /preview, it does
not announce old news.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, update

from store.polls import PollQueries
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

    async def matched_item_ids(self, slug: str, item_ids: Sequence[int]) -> set[int]:
        query = (
            select(matches.c.item_id)
            .join(themes, themes.c.id == matches.c.theme_id)
            .where(themes.c.slug == slug, matches.c.item_id.in_(list(item_ids)))
        )
        async with self.engine.connect() as conn:
            return {r[0] for r in await conn.execute(query)}

    async def apply_rematch(
        self,
        slug: str,
        added: Sequence[tuple[int, MatchToStore]],
        kept: Sequence[tuple[int, NewMatch]],
        dropped: Sequence[int],
        now: datetime,
    ) -> None:
        """One batch: insert new matches into events, refresh kept ones, remove dropped ones."""
        async with self.engine.begin() as conn:
            theme = (
                await conn.execute(
                    select(themes.c.id, themes.c.version).where(themes.c.slug == slug)
                )
            ).first()
            if theme is None:
                return
            theme_id, version = theme
            for item_id, verdict in kept:
                await conn.execute(
                    update(matches)
                    .where(matches.c.item_id == item_id, matches.c.theme_id == theme_id)
                    .values(
                        score=verdict.score,
                        reasons=verdict.reasons,
                        brief=verdict.brief,
                        theme_version=version,
                    )
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
            batch_events: dict[int, int] = {}
            for item_id, m in added:
                row = (
                    await conn.execute(
                        select(items.c.title, items.c.link, items.c.published_at).where(
                            items.c.id == item_id
                        )
                    )
                ).first()
                if row is None:
                    continue
                event_id = await self._place_rematched(conn, theme_id, m, row, batch_events, now)
                await self._insert_match(conn, item_id, theme_id, event_id, m, now)
