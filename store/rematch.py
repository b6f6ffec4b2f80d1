"""Re-matching stored items after a theme changed: reading items in batches, and applying a
batch's verdicts (new matches, changed scores, matches that no longer hold) in one transaction.

Re-matching enqueues no alerts for what the theme could have matched before: it rewrites
history for /timeline and /preview, it does not announce old news. The one exception is a
theme /undo brings back after /removetheme: what was fetched while it was gone is news, as a
poll would have alerted it (`alert_fetched_after`; QA round 21). An item it stops matching
keeps its alerts and votes aside, and gets them back if it matches again (store/withdrawn.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from store.base import StoreBase
from store.events import EventBook
from store.polls import enqueue, match_row, place_statements, report_rows
from store.reading import _item, _items_query
from store.records import Decide, ItemRow, MatchToStore, NewMatch
from store.schema import event_reports, items, matches, themes
from store.shrunk import drop_matches, hand_over_alerts, match_ids_of
from store.withdrawn import bring_back, free_ids, withdraw, withdrawn_of


class RematchQueries(StoreBase):
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
        decide: Decide,
        alert_fetched_after: datetime | None = None,
    ) -> int:
        """One batch: insert new matches into events, refresh kept ones, remove dropped ones;
        the alerts enqueued (only with `alert_fetched_after`: for new statements of items
        fetched since, one per subscribed chat, as a poll enqueues them).

        New matches are placed into events by `decide`, inside this transaction and under the
        theme's placement lock, as a poll's are (store/events.py).
        """
        async with self.writing() as conn:
            theme = (
                await conn.execute(
                    select(themes.c.id, themes.c.version).where(themes.c.slug == slug)
                )
            ).first()
            if theme is None:
                return 0
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
                # a statement other reports still make stays owed where it was; only what
                # has no report left is kept aside until its item matches again
                gone = await match_ids_of(conn, theme_id, dropped)
                handed = await hand_over_alerts(conn, gone)
                await withdraw(conn, theme_id, dropped, now, handed)
                await drop_matches(conn, theme_id, dropped, handed=True)
            if not added:
                return 0
            return await _add_rematched(
                conn,
                self.dialect,
                (theme_id, version),
                slug,
                added,
                now,
                decide,
                alert_fetched_after,
            )


async def _add_rematched(
    conn: AsyncConnection,
    dialect: str,
    theme: tuple[int, int],
    slug: str,
    added: Sequence[tuple[ItemRow, MatchToStore]],
    now: datetime,
    decide: Decide,
    alert_fetched_after: datetime | None = None,
) -> int:
    """New matches of a batch: placed into events, then written with a few bulk statements;
    the number of alerts enqueued (see `apply_rematch`)."""
    book = EventBook(conn, dialect, decide)
    await book.lock([theme[0]])
    placed = [await place_statements(book, theme, slug, m, it) for it, m in added]
    await book.flush(now)
    rows = [
        match_row(it.id, theme, book.event_id(keys[0][0]), m, now)
        for (it, m), keys in zip(added, placed, strict=True)
    ]
    # An item that matched before a change took it gets its old match id back when it is
    # free: its sent alerts' buttons carry that id (store/withdrawn.py).
    kept = await withdrawn_of(conn, theme[0], [it.id for it, _ in added])
    free = await free_ids(conn, [w.match_id for w in kept.values()])
    again = {it.id: kept[it.id].match_id for it, _ in added if it.id in kept}
    again = {item: old for item, old in again.items() if old in free}
    if again:
        await conn.execute(
            matches.insert(),
            [{**row, "id": again[row["item_id"]]} for row in rows if row["item_id"] in again],
        )
    fresh = [row for row in rows if row["item_id"] not in again]
    ids = dict(again)
    if fresh:
        result = await conn.execute(
            matches.insert().returning(matches.c.id, sort_by_parameter_order=True), fresh
        )
        ids.update(
            (row["item_id"], match_id) for row, (match_id,) in zip(fresh, result, strict=True)
        )
    reports: list[dict[str, int]] = []
    for (it, _), keys in zip(added, placed, strict=True):
        reports += report_rows(book, keys, ids[it.id])
    await conn.execute(event_reports.insert(), reports)
    await bring_back(
        conn,
        theme[0],
        {
            it.id: (kept[it.id], ids[it.id], row["event_id"])
            for (it, _), row in zip(added, rows, strict=True)
            if it.id in kept
        },
    )
    alerts = 0
    if alert_fetched_after is not None:
        for (it, _), keys in zip(added, placed, strict=True):
            if it.fetched_at < alert_fetched_after:
                continue
            for key, created in keys:
                if created:  # a statement first reported while the theme was gone
                    alerts += await enqueue(conn, theme[0], book.event_id(key), ids[it.id], now)
    return alerts
