"""Events: placing a batch's statements into a theme's events, inside the write that applies it.

Whether a statement joins an event or starts one is decided by a pure function the caller
passes in (`Decide`, the matcher's `choose_event`), called here under the transaction that
writes the result, after the theme's events near the day have been read in that same
transaction. On PostgreSQL a per-theme advisory lock serializes placements of one theme across
connections and processes; on SQLite the write transaction itself is exclusive (see
`StoreBase.writing`). So any number of polls reporting one statement make one event.

Does not decide anything itself, nor write matches or alerts (store/polls.py does).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlalchemy import and_, bindparam, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from store.records import Decide, EventRow, NewEvent
from store.schema import events, themes

# Stored events are read once per transaction in a span this far either side of a statement's
# day, and reused for statements within REUSE of a span's middle: wider than any window the
# decision uses (a week's lag for undated reports, plus a few days' slack).
LOAD_SPAN = timedelta(days=45)
REUSE = timedelta(days=20)
# pg_advisory_xact_lock(EVENT_LOCK, theme_id): one lock space for event placement.
EVENT_LOCK = 0x7077


def event_row(r: object) -> EventRow:
    m = r._mapping  # type: ignore[attr-defined]
    return EventRow(
        id=m["id"],
        theme_slug=m["slug"],
        day=m["day"],
        speaker=m["speaker"],
        office=m["office"],
        actor=m["actor"],
        quote=m["quote"],
        stance=m["stance"],
        headline=m["headline"],
        link=m["link"],
        source_count=m["source_count"],
        first_published=m["first_published"],
        created_at=m["created_at"],
        role=m["role"],
        direct=m["direct"],
    )


EVENT_COLUMNS = (*events.c, themes.c.slug)


def _least_day(dialect: str) -> Any:
    pick = func.min if dialect == "sqlite" else func.least
    return pick(events.c.day, bindparam("b_day", type_=events.c.day.type))


def _least_first(dialect: str) -> Any:
    pick = func.min if dialect == "sqlite" else func.least
    return pick(events.c.first_published, bindparam("b_first", type_=events.c.first_published.type))


class EventBook:
    """The events one write transaction places statements into.

    `place` returns a key: a stored event's id (> 0) or a new event's provisional key (< 0);
    `flush` writes the new events and the growth of joined ones, and `event_id` then maps
    any key to the stored id.
    """

    def __init__(self, conn: AsyncConnection, dialect: str, decide: Decide) -> None:
        self.conn = conn
        self.dialect = dialect
        self.decide = decide
        self._spans: dict[int, list[tuple[date, date]]] = {}
        self._known: dict[int, dict[int, EventRow]] = {}  # theme id -> key -> event
        self._new: dict[int, tuple[int, NewEvent]] = {}  # provisional key -> (theme, row)
        self._grown: dict[int, dict[str, Any]] = {}  # stored id -> what this batch adds
        self._ids: dict[int, int] = {}

    async def lock(self, theme_ids: Iterable[int]) -> None:
        """Take the themes' placement locks (PostgreSQL), in id order so no two deadlock."""
        if self.dialect != "postgresql":
            return
        for theme_id in sorted(set(theme_ids)):
            await self.conn.execute(select(func.pg_advisory_xact_lock(EVENT_LOCK, theme_id)))

    async def _load(self, theme_id: int, slug: str, day: date) -> dict[int, EventRow]:
        known = self._known.setdefault(theme_id, {})
        spans = self._spans.setdefault(theme_id, [])
        if any(a <= day - REUSE and day + REUSE <= b for a, b in spans):
            return known
        first, last = day - LOAD_SPAN, day + LOAD_SPAN
        query = (
            select(*EVENT_COLUMNS)
            .join(themes, themes.c.id == events.c.theme_id)
            .where(events.c.theme_id == theme_id, events.c.day >= first, events.c.day <= last)
        )
        for r in await self.conn.execute(query):
            known.setdefault(r.id, event_row(r))
        spans.append((first, last))
        return known

    async def place(self, theme_id: int, slug: str, new: NewEvent) -> tuple[int, bool]:
        """The key of the event `new` reports, and True when it starts a new event."""
        known = await self._load(theme_id, slug, new.day)
        chosen = self.decide(new, list(known.values()))
        if chosen is None:
            key = -(len(self._new) + 1)
            self._new[key] = (theme_id, new)
            known[key] = _as_row(key, slug, new)
            return key, True
        if chosen < 0:
            self._new[chosen] = (theme_id, _merged(self._new[chosen][1], new))
            known[chosen] = _as_row(chosen, slug, self._new[chosen][1])
        else:
            self._grow(chosen, new)
            known[chosen] = replace(
                known[chosen],
                day=min(known[chosen].day, new.day),
                first_published=min(known[chosen].first_published, new.first_published),
            )
        return chosen, False

    def _grow(self, event_id: int, new: NewEvent) -> None:
        g = self._grown.get(event_id)
        if g is None:
            self._grown[event_id] = {
                "b_id": event_id,
                "b_n": 1,
                "b_day": new.day,
                "b_first": new.first_published,
                "b_speaker": new.speaker,
                "b_office": new.office,
                "b_actor": new.actor,
                "b_quote": new.quote,
                "b_stance": new.stance,
                "b_role": new.role,
                "b_direct": new.direct,
                "b_lang": new.lang if new.quote else None,
            }
            return
        g["b_n"] += 1
        g["b_day"] = min(g["b_day"], new.day)
        g["b_first"] = min(g["b_first"], new.first_published)
        if _better_quote(g["b_quote"], g["b_direct"], g["b_lang"], new):
            g["b_quote"], g["b_direct"], g["b_lang"] = new.quote, new.direct, new.lang
        for name in ("speaker", "office", "actor"):
            g[f"b_{name}"] = g[f"b_{name}"] or getattr(new, name)
        if g["b_stance"] == "unclear":
            g["b_stance"] = new.stance
        if new.role == "official":
            g["b_role"] = "official"

    async def flush(self, now: Any) -> None:
        """Insert the new events and grow the joined ones, one executemany each."""
        if self._new:
            keys = sorted(self._new, reverse=True)  # -1, -2, ...: creation order
            rows = [_insert_row(*self._new[k], now) for k in keys]
            result = await self.conn.execute(
                events.insert().returning(events.c.id, sort_by_parameter_order=True), rows
            )
            self._ids.update(zip(keys, (r[0] for r in result), strict=True))
        if self._grown:
            await self.conn.execute(_grow_statement(self.dialect), list(self._grown.values()))

    def event_id(self, key: int) -> int:
        return self._ids[key] if key < 0 else key

    def started(self) -> dict[int, tuple[int, NewEvent]]:
        """The events this batch starts: provisional key -> (theme id, the event)."""
        return dict(self._new)


def _better_quote(quote: str | None, direct: bool | None, lang: str | None, new: NewEvent) -> bool:
    """Whether a new report's quote replaces the one kept: there was none; or the kept one is
    in another language and the new one in English, the language the bot answers in; or, in
    one language, the kept one is a paraphrase and the new one the speaker's own words (the
    timeline quotes, not retells). A quote in another language never replaces an English one
    (QA round 21: an Arabic headline shown as the speaker's words)."""
    if new.quote is None:
        return False
    if quote is None:
        return True
    if new.lang == "en" and lang is not None and lang != "en":
        return True
    return direct is False and new.direct is True and (lang is None or lang == new.lang)


def _as_row(key: int, slug: str, new: NewEvent) -> EventRow:
    return EventRow(
        id=key,
        theme_slug=slug,
        day=new.day,
        speaker=new.speaker,
        office=new.office,
        actor=new.actor,
        quote=new.quote,
        stance=new.stance,
        headline=new.headline,
        link=new.link,
        source_count=1,
        first_published=new.first_published,
        created_at=new.first_published,
        role=new.role,
        direct=new.direct,
    )


def _merged(old: NewEvent, new: NewEvent) -> NewEvent:
    """A new event joined by another report in the same batch: its facts, filled in."""
    better = _better_quote(old.quote, old.direct, old.lang if old.quote else None, new)
    return replace(
        old,
        sources=old.sources + 1,
        day=min(old.day, new.day),
        first_published=min(old.first_published, new.first_published),
        speaker=old.speaker or new.speaker,
        office=old.office or new.office,
        actor=old.actor or new.actor,
        quote=new.quote if better else old.quote,
        direct=new.direct if better else old.direct,
        lang=new.lang if better else old.lang,
        stance=new.stance if old.stance == "unclear" else old.stance,
        # an official's report of the same statement makes it an official's
        role="official" if "official" in (old.role, new.role) else old.role,
    )


def _insert_row(theme_id: int, new: NewEvent, now: Any) -> dict[str, Any]:
    return {
        "theme_id": theme_id,
        "day": new.day,
        "speaker": new.speaker,
        "office": new.office,
        "actor": new.actor,
        "quote": new.quote,
        "stance": new.stance,
        "headline": new.headline,
        "link": new.link,
        "source_count": new.sources,
        "first_published": new.first_published,
        "created_at": now,
        "role": new.role,
        "direct": new.direct,
        "quote_lang": new.lang if new.quote else None,
    }


def _takes_quote() -> Any:
    """SQL of `_better_quote` for the joined event's row and the batch's quote."""
    new_direct = bindparam("b_direct", type_=events.c.direct.type)
    new_lang = bindparam("b_lang", type_=events.c.quote_lang.type)
    kept_lang = events.c.quote_lang
    return and_(
        bindparam("b_quote", type_=events.c.quote.type).is_not(None),
        or_(
            events.c.quote.is_(None),
            and_(new_lang == "en", kept_lang.is_not(None), kept_lang != "en"),
            and_(
                events.c.direct.is_(False),
                new_direct.is_(True),
                or_(kept_lang.is_(None), kept_lang == new_lang),
            ),
        ),
    )


@cache  # built once per dialect: building it took as long as running it (benchmarks/poll.py)
def _grow_statement(dialect: str) -> Any:
    """One UPDATE for every joined event: more sources, the earliest day, missing facts."""
    return (
        update(events)
        .where(events.c.id == bindparam("b_id"))
        .values(
            source_count=events.c.source_count + bindparam("b_n"),
            day=_least_day(dialect),
            first_published=_least_first(dialect),
            speaker=func.coalesce(events.c.speaker, bindparam("b_speaker")),
            office=func.coalesce(events.c.office, bindparam("b_office")),
            actor=func.coalesce(events.c.actor, bindparam("b_actor")),
            # a quote is taken when there was none, or when it is the speaker's own words and
            # the one kept a paraphrase (_better_quote); its kind goes with it
            quote=case((_takes_quote(), bindparam("b_quote")), else_=events.c.quote),
            direct=case(
                (_takes_quote(), bindparam("b_direct", type_=events.c.direct.type)),
                else_=events.c.direct,
            ),
            quote_lang=case(
                (_takes_quote(), bindparam("b_lang", type_=events.c.quote_lang.type)),
                else_=events.c.quote_lang,
            ),
            role=case(
                (bindparam("b_role", type_=events.c.role.type) == "official", "official"),
                else_=events.c.role,
            ),
            stance=case(
                (events.c.stance == "unclear", bindparam("b_stance")), else_=events.c.stance
            ),
        )
        .execution_options(synchronize_session=False)
    )


def events_between(theme_slug: str, first: date, last: date) -> Any:
    """A theme's events dated between `first` and `last`, oldest first."""
    return (
        select(*EVENT_COLUMNS)
        .join(themes, themes.c.id == events.c.theme_id)
        .where(themes.c.slug == theme_slug, events.c.day >= first, events.c.day <= last)
        .order_by(events.c.day)
    )
