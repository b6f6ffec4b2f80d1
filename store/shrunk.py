"""What an event says after some of its reports are taken away.

A theme change (or an edited entry) that drops a match takes its report from the events it
reported: their source counts fall, and an event left with none goes (store/polls.py
`drop_matches`). An event that keeps other sources must not go on quoting, naming or linking
the report it lost (QA round 13: an excluded outlet's quote stayed on the timeline). So the
facts that came only from lost reports are filled again from the reports left, earliest first.

Does not decide whether reports are one statement (matcher/events.py), nor remove empty events.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from store.schema import event_reports, events, items, matches


@dataclass(frozen=True)
class Report:
    """One report's part in an event: what its match read, and its item's headline."""

    quote: str | None
    speaker: str | None
    office: str | None
    stance: str | None
    headline: str
    link: str | None
    published: datetime


def refilled(
    event: Mapping[Any, Any], lost: Sequence[Report], left: Sequence[Report]
) -> dict[str, Any]:
    """The event's columns to change: each fact a lost report gave and none left gives is
    taken from the earliest report left that has one (or cleared). `left` is oldest first."""
    if not left:
        return {}
    changes: dict[str, Any] = {}
    quotes = {r.quote for r in left}
    if event["quote"] is not None and event["quote"] in {r.quote for r in lost} - quotes:
        quote = next((r.quote for r in left if r.quote), None)
        # whether a report's quote was its speaker's own words is not kept per report
        changes.update(quote=quote, direct=None)
    speakers = {r.speaker for r in left}
    if event["speaker"] is not None and event["speaker"] in {r.speaker for r in lost} - speakers:
        named = next((r for r in left if r.speaker), None)
        changes.update(
            speaker=named.speaker if named else None, office=named.office if named else None
        )
    stances = {r.stance for r in left}
    if event["stance"] != "unclear" and event["stance"] in {r.stance for r in lost} - stances:
        said = (r.stance for r in left if r.stance not in (None, "unclear"))
        changes["stance"] = next(said, "unclear")
    links = {r.link for r in left}
    if event["link"] is not None and event["link"] in {r.link for r in lost} - links:
        changes.update(headline=left[0].headline, link=left[0].link)
    first = min(r.published for r in left)
    if (
        any(r.published == event["first_published"] for r in lost)
        and first > event["first_published"]
    ):
        changes["first_published"] = first
    return changes


_REPORTS = (
    select(
        event_reports.c.event_id,
        matches.c.quote,
        matches.c.speaker,
        matches.c.office,
        matches.c.stance,
        items.c.title,
        items.c.link,
        items.c.published_at,
    )
    .join(matches, matches.c.id == event_reports.c.match_id)
    .join(items, items.c.id == matches.c.item_id)
)


def _report(r: Any) -> Report:
    return Report(r.quote, r.speaker, r.office, r.stance, r.title, r.link, r.published_at)


async def reports_of(
    conn: AsyncConnection, theme_id: int, item_ids: Sequence[int]
) -> dict[int, list[Report]]:
    """Event id -> the reports these items' matches of a theme gave it (read before they go)."""
    query = _REPORTS.where(matches.c.theme_id == theme_id, matches.c.item_id.in_(list(item_ids)))
    out: dict[int, list[Report]] = {}
    for r in await conn.execute(query):
        out.setdefault(r.event_id, []).append(_report(r))
    return out


async def refill(conn: AsyncConnection, lost: Mapping[int, Sequence[Report]]) -> None:
    """After the lost reports' matches are deleted: refill each event that is left."""
    ids = list(lost)
    if not ids:
        return
    left: dict[int, list[Report]] = {}
    query = _REPORTS.where(event_reports.c.event_id.in_(ids)).order_by(
        items.c.published_at, matches.c.id
    )
    for r in await conn.execute(query):
        left.setdefault(r.event_id, []).append(_report(r))
    found = await conn.execute(select(events).where(events.c.id.in_(ids)))
    for event in found.mappings().all():
        changes = refilled(event, lost[event["id"]], left.get(event["id"], []))
        if changes:
            await conn.execute(update(events).where(events.c.id == event["id"]).values(**changes))
