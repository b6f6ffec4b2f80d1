"""Read-only views for the front ends: latest matches, timeline pages, counts (not search)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Select, func, or_, select

from store.base import StoreBase
from store.events import EVENT_COLUMNS, event_row
from store.records import EventRow, EventSource, ItemRow, MatchView
from store.schema import event_reports, events, feeds, items, matches, themes

ITEM_COLUMNS = (*items.c, func.coalesce(feeds.c.title, feeds.c.url).label("source"))


def _item(m: object) -> ItemRow:
    r = m._mapping  # type: ignore[attr-defined]
    return ItemRow(
        id=r["id"],
        feed_id=r["feed_id"],
        key=r["key"],
        title=r["title"],
        summary=r["summary"],
        link=r["link"],
        published_at=r["published_at"],
        fetched_at=r["fetched_at"],
        source=r["source"],
    )


def _items_query() -> Select[tuple[object, ...]]:
    return select(*ITEM_COLUMNS).join(feeds, feeds.c.id == items.c.feed_id)


class ReadingQueries(StoreBase):
    async def latest_matches(self, slug: str | None, limit: int = 10) -> list[MatchView]:
        """Matched items, newest publication first, for one theme or all; an article that
        several feeds carry (the same link) is listed once per theme, as first stored."""
        query = (
            select(
                *ITEM_COLUMNS,
                themes.c.slug.label("theme_slug"),
                matches.c.score,
                matches.c.brief,
                matches.c.event_id,
                matches.c.created_at.label("matched_at"),
            )
            .join(feeds, feeds.c.id == items.c.feed_id)
            .join(matches, matches.c.item_id == items.c.id)
            .join(themes, themes.c.id == matches.c.theme_id)
            .order_by(items.c.published_at.desc(), items.c.id.desc())
            .limit(limit * 4)  # room for the copies left out below
        )
        if slug is not None:
            query = query.where(themes.c.slug == slug)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        first: dict[tuple[str, str], int] = {}
        for r in rows:
            if r.link:
                key = (r.theme_slug, r.link)
                first[key] = min(first.get(key, r.id), r.id)
        rows = [r for r in rows if not r.link or first[(r.theme_slug, r.link)] == r.id][:limit]
        return [
            MatchView(
                item=_item(r),
                theme_slug=r.theme_slug,
                score=r.score,
                brief=r.brief,
                event_id=r.event_id,
                matched_at=r.matched_at,
            )
            for r in rows
        ]

    async def recent_items(self, limit: int = 50) -> list[ItemRow]:
        """The newest stored items, for previewing a theme change before it goes live."""
        query = _items_query().order_by(items.c.published_at.desc(), items.c.id.desc()).limit(limit)
        async with self.engine.connect() as conn:
            return [_item(r) for r in await conn.execute(query)]

    async def items_by_ids(self, ids: Sequence[int]) -> list[ItemRow]:
        found: list[ItemRow] = []
        async with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                query = _items_query().where(items.c.id.in_(list(ids[start : start + 500])))
                found += [_item(r) for r in await conn.execute(query)]
        return found

    async def timeline_page(
        self,
        slug: str,
        *,
        since: date | None = None,
        until: date | None = None,
        stance: str | None = None,
        role: str | None = None,
        people: Sequence[str] | None = None,
        offset: int = 0,
        limit: int = 5,
        newest_first: bool = True,
    ) -> tuple[list[EventRow], int]:
        """One page of a theme's events and the total count under the same filters.

        `people`: keep events whose speaker, office or acting state is one of these names.
        """
        # The theme's id as a scalar subquery lets PostgreSQL walk ix_events_theme_day_id
        # backwards for a page instead of sorting every event of the theme.
        theme_id = select(themes.c.id).where(themes.c.slug == slug).scalar_subquery()
        base = (
            select(*EVENT_COLUMNS)
            .join(themes, themes.c.id == events.c.theme_id)
            .where(events.c.theme_id == theme_id)
        )
        if people is not None:
            names = list(people)
            base = base.where(
                or_(
                    events.c.speaker.in_(names),
                    events.c.office.in_(names),
                    events.c.actor.in_(names),
                )
            )
        if since is not None:
            base = base.where(events.c.day >= since)
        if until is not None:
            base = base.where(events.c.day <= until)
        if stance is not None:
            base = base.where(events.c.stance == stance)
        if role is not None:
            base = base.where(events.c.role == role)
        order = (
            (events.c.day.desc(), events.c.id.desc())
            if newest_first
            else (events.c.day, events.c.id)
        )
        async with self.engine.connect() as conn:
            total = await conn.scalar(select(func.count()).select_from(base.subquery()))
            rows = await conn.execute(base.order_by(*order).offset(offset).limit(limit))
            page = [event_row(r) for r in rows]
        return page, int(total or 0)

    async def event_people(self, slug: str) -> list[str]:
        """Every distinct speaker, office and acting state of a theme's events."""
        found: set[str] = set()
        async with self.engine.connect() as conn:
            for column in (events.c.speaker, events.c.office, events.c.actor):
                query = (
                    select(column)
                    .distinct()
                    .join(themes, themes.c.id == events.c.theme_id)
                    .where(themes.c.slug == slug, column.is_not(None))
                )
                found.update(r[0] for r in await conn.execute(query))
        return sorted(found)

    async def event_sources(self, event_ids: Sequence[int]) -> dict[int, list[EventSource]]:
        """The items reporting each event, earliest first; one per link (an outlet's "world"
        and "all" feeds carry the same article: one source, the first stored)."""
        if not event_ids:
            return {}
        query = (
            select(
                event_reports.c.event_id,
                items.c.id,
                items.c.title,
                items.c.link,
                items.c.published_at,
                func.coalesce(feeds.c.title, feeds.c.url).label("source"),
            )
            .join(matches, matches.c.id == event_reports.c.match_id)
            .join(items, items.c.id == matches.c.item_id)
            .join(feeds, feeds.c.id == items.c.feed_id)
            .where(event_reports.c.event_id.in_(list(event_ids)))
            .order_by(items.c.published_at, items.c.id)
        )
        out: dict[int, list[EventSource]] = {i: [] for i in event_ids}
        seen: set[tuple[int, str]] = set()
        async with self.engine.connect() as conn:
            for r in await conn.execute(query):
                if r.link:
                    if (r.event_id, r.link) in seen:
                        continue
                    seen.add((r.event_id, r.link))
                out[r.event_id].append(EventSource(r.id, r.title, r.source, r.link, r.published_at))
        return out

    async def counts(self) -> dict[str, int]:
        """Totals for /stats."""
        async with self.engine.connect() as conn:
            result = {}
            for name, table in (
                ("feeds", feeds),
                ("items", items),
                ("matches", matches),
                ("events", events),
                ("themes", themes),
            ):
                result[name] = int(await conn.scalar(select(func.count()).select_from(table)) or 0)
        return result
