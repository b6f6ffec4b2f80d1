"""Deciding which event a matched item reports, shared by the poll cycle and re-matching.

Pure matcher decisions (`extract_statement`, `find_matching_event`) fed with the store's
nearby events, plus the events created earlier in the same batch (not stored yet).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from matcher import EventProbe, MatchResult, extract_statement, find_matching_event
from store import Store
from store.records import EventDecision, MatchToStore, NewMatch, StatementData

EVENT_WINDOW = timedelta(days=3)  # how far apart two reports of one statement may be dated
LOAD_SPAN = timedelta(days=45)  # stored events are read in spans this wide, once per batch


class EventPlacer:
    """Places the matches of one batch; create a new placer for every transaction."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._pending: dict[str, list[tuple[int, EventProbe]]] = {}
        self._next_key = 1
        # Stored events already read, per theme: the day spans covered and the events.
        self._spans: dict[str, list[tuple[date, date]]] = {}
        self._stored: dict[str, dict[int, EventProbe]] = {}

    async def place(
        self, result: MatchResult, title: str, summary: str, published: datetime
    ) -> MatchToStore:
        statement = extract_statement(title, f"{title}\n{summary}", published)
        day = statement.said_on or published.date()
        probe = EventProbe(
            speaker=statement.speaker,
            office=statement.office,
            actor=statement.actor,
            quote=statement.quote,
            headline=title,
            day=day,
        )
        found = await self._find(result.theme, probe)
        return MatchToStore(
            NewMatch(result.theme, result.score, result.to_json(), result.brief()),
            EventDecision(
                join_event_id=found if found > 0 else None,
                batch_key=-found if found < 0 else None,
                statement=StatementData(
                    speaker=statement.speaker,
                    office=statement.office,
                    actor=statement.actor,
                    quote=statement.quote,
                    stance=statement.stance,
                    said_on=statement.said_on,
                ),
                day=day,
            ),
        )

    async def _load(self, theme: str, first: date, last: date) -> None:
        """Read the theme's stored events around [first, last] unless already read."""
        spans = self._spans.setdefault(theme, [])
        if any(a <= first and last <= b for a, b in spans):
            return
        start, end = first - LOAD_SPAN, last + LOAD_SPAN
        known = self._stored.setdefault(theme, {})
        for e in await self.store.events_near(theme, start, end):
            known[e.id] = EventProbe(
                speaker=e.speaker,
                office=e.office,
                actor=e.actor,
                quote=e.quote,
                headline=e.headline,
                day=e.day,
            )
        spans.append((start, end))

    async def _find(self, theme: str, probe: EventProbe) -> int:
        """A stored event's id (> 0) to join, or a negative key for an event of this batch."""
        first, last = probe.day - EVENT_WINDOW, probe.day + EVENT_WINDOW
        await self._load(theme, first, last)
        candidates = [
            (event_id, e) for event_id, e in self._stored[theme].items() if first <= e.day <= last
        ]
        own = [(k, e) for k, e in self._pending.setdefault(theme, []) if first <= e.day <= last]
        found = find_matching_event(probe, [*candidates, *own])
        if found is not None:
            return found
        key = -self._next_key
        self._next_key += 1
        self._pending[theme].append((key, probe))
        return key
