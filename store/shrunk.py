"""What an event says after some of its reports are taken away.

A theme change, an edited entry or a removed feed that drops a match takes its report from
the events it reported: their source counts fall, and an event left with none goes
(`drop_matches`). An event that keeps other sources must not go on quoting, naming or linking
the report it lost (QA round 13: an excluded outlet's quote stayed on the timeline). So the
facts that came only from lost reports are filled again from the reports left, earliest first.

The alerts of a statement hang on the match of the report that opened its event (outbox
`match_id`). When that report goes and others stay, the statement is still owed to every chat
that follows the theme (QA round 14: a pending alert and a digest's folded one were lost), so
`hand_over_alerts` moves them to the earliest report left, before the match is deleted or kept
aside (store/withdrawn.py keeps aside only what has no report left).

Used by re-matching (a theme change), by an edited entry whose statement changed, and by
removing a feed (its items' matches leave their events here before the cascade deletes them).

Does not decide whether reports are one statement (matcher/events.py), nor keep aside what a
theme change takes (store/withdrawn.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from store.schema import event_reports, events, items, matches, outbox

ID_CHUNK = 900  # ids per IN list: under old SQLite's 999 bound variables


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


async def match_ids_of(conn: AsyncConnection, theme_id: int, item_ids: Sequence[int]) -> list[int]:
    """The ids of these items' matches of a theme."""
    query = select(matches.c.id).where(
        matches.c.theme_id == theme_id, matches.c.item_id.in_(list(item_ids))
    )
    return list((await conn.execute(query)).scalars().all())


async def hand_over_alerts(conn: AsyncConnection, gone: Sequence[int]) -> set[int]:
    """Move the alerts of matches about to go (ids `gone`) to the earliest report their event
    keeps; alerts of an event left with no report stay where they are. Returns the matches
    whose alerts moved."""
    if not gone:
        return set()
    leaving = set(gone)
    owed: dict[int, list[int]] = {}  # event id -> outbox rows on a leaving match
    for start in range(0, len(gone), ID_CHUNK):
        chunk = list(gone[start : start + ID_CHUNK])
        query = select(outbox.c.id, outbox.c.event_id).where(
            outbox.c.match_id.in_(chunk), outbox.c.event_id.is_not(None)
        )
        for row_id, event_id in await conn.execute(query):
            owed.setdefault(event_id, []).append(row_id)
    heirs: dict[int, int] = {}
    event_ids = list(owed)
    for start in range(0, len(event_ids), ID_CHUNK):
        query = (
            select(event_reports.c.event_id, matches.c.id)
            .join(matches, matches.c.id == event_reports.c.match_id)
            .join(items, items.c.id == matches.c.item_id)
            .where(event_reports.c.event_id.in_(event_ids[start : start + ID_CHUNK]))
            .order_by(items.c.published_at, matches.c.id)
        )
        for event_id, match_id in await conn.execute(query):
            if match_id not in leaving:
                heirs.setdefault(event_id, match_id)
    moved: set[int] = set()
    for event_id, match_id in heirs.items():
        moved |= set(
            (await conn.execute(select(outbox.c.match_id).where(outbox.c.id.in_(owed[event_id]))))
            .scalars()
            .all()
        )
        await conn.execute(
            update(outbox).where(outbox.c.id.in_(owed[event_id])).values(match_id=match_id)
        )
    return moved


async def drop_matches(
    conn: AsyncConnection, theme_id: int, item_ids: Sequence[int], *, handed: bool = False
) -> None:
    """Remove these items' matches of a theme: each event they reported loses them as
    sources, and an event left with none is removed (its pending alerts with it); one that
    keeps a source keeps its alerts and says what the reports left say."""
    lost = await reports_of(conn, theme_id, item_ids)
    shrink = [(event_id, len(reports)) for event_id, reports in lost.items()]
    if not handed:  # a caller that keeps aside what is left has handed them over first
        await hand_over_alerts(conn, await match_ids_of(conn, theme_id, item_ids))
    await conn.execute(
        delete(matches).where(matches.c.theme_id == theme_id, matches.c.item_id.in_(list(item_ids)))
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
    await refill(conn, lost)  # what the events left say, without the reports they lost
