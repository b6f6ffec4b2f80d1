"""What a theme change takes from an item it stops matching, kept until the item matches again.

A re-match that drops an item's match deletes the match, and by cascade the alerts owed or
sent for it (outbox rows) and the team's votes on it (feedback). Undoing the change, or a
later edit, matches the item again; without these rows a digest chat would never get the
statement it was owed, a sent alert's buttons would answer that it was not sent there, a
Relevant vote would be lost and /stats would undercount (QA round 12). So `withdraw` copies
them aside first, and `bring_back` puts them back on the new match, under the old match id
when it is free (the buttons of a sent alert carry it).

Used by re-matching only: an edited entry whose statement changed replaces its match on
purpose (store/polls.py). Does not decide whether an item matches (matcher/), nor send
anything: a pending alert brought back is sent by the next delivery pass as any other.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from store.base import dialect_insert
from store.records import EventRow
from store.schema import (
    chats,
    digest_schedules,
    events,
    feedback,
    matches,
    outbox,
    subscriptions,
    withdrawn_matches,
)

# The outbox columns an alert is kept with; its event and match are the new match's.
_ALERT_COLUMNS = (
    "chat_id",
    "thread_id",
    "status",
    "attempts",
    "next_attempt_at",
    "first_attempt_at",
    "last_error",
    "message_id",
    "created_at",
    "sent_at",
    "digest_id",
)
_TIMES = frozenset({"next_attempt_at", "first_attempt_at", "created_at", "sent_at"})
_VOTE_COLUMNS = ("user_id", "chat_id", "relevant", "created_at")
# What a kept record remembers of its event: enough to place a new report against it.
_EVENT_COLUMNS = (
    "day",
    "speaker",
    "office",
    "actor",
    "quote",
    "stance",
    "headline",
    "link",
    "first_published",
    "created_at",
    "role",
    "direct",
)


@dataclass(frozen=True)
class Withdrawn:
    """One match a theme change took away: its id, and its alerts and votes as rows."""

    match_id: int
    alerts: list[dict[str, Any]]
    votes: list[dict[str, Any]]
    withdrawn_at: datetime | None = None
    event_id: int | None = None  # the event it reported (gone, most often)


def _to_json(row: Mapping[Any, Any], columns: Sequence[str]) -> dict[str, Any]:
    return {
        c: row[c].isoformat() if c in _TIMES and row[c] is not None else row[c] for c in columns
    }


def _from_json(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        c: datetime.fromisoformat(v) if c in _TIMES and v is not None else v for c, v in row.items()
    }


async def withdraw(
    conn: AsyncConnection,
    theme_id: int,
    item_ids: Sequence[int],
    now: datetime,
    alerted: Collection[int] = (),
) -> None:
    """Keep aside the alerts and votes of these items' matches of a theme, before they go.

    `alerted`: matches whose alerts were handed to another report of their event: nothing of
    theirs is left to keep, but their sent alerts' buttons carry their ids, so the ids are
    kept too, to be given back when the items match again (QA round 15)."""
    rows = await conn.execute(
        select(matches.c.id, matches.c.item_id, matches.c.event_id).where(
            matches.c.theme_id == theme_id, matches.c.item_id.in_(list(item_ids))
        )
    )
    found: dict[int, int] = {}
    event_of: dict[int, int | None] = {}
    for match_id, item_id, event_id in rows:
        found[match_id], event_of[match_id] = item_id, event_id
    if not found:
        return
    ids = list(found)
    alerts: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    query = select(outbox.c.match_id, *(outbox.c[c] for c in _ALERT_COLUMNS)).where(
        outbox.c.match_id.in_(ids), outbox.c.kind == "alert"
    )
    for r in (await conn.execute(query)).mappings():
        alerts[r["match_id"]].append(_to_json(r, _ALERT_COLUMNS))
    votes: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    query = select(feedback.c.match_id, *(feedback.c[c] for c in _VOTE_COLUMNS)).where(
        feedback.c.match_id.in_(ids)
    )
    for r in (await conn.execute(query)).mappings():
        votes[r["match_id"]].append(_to_json(r, _VOTE_COLUMNS))
    # A report of a statement that was alerted is kept too, alerts or not: the last report
    # left may go for good later (its feed removed), and its alerts then come here to wait.
    events = list({e for e in event_of.values() if e is not None})
    alerted_events = set(
        (
            await conn.execute(
                select(outbox.c.event_id)
                .where(outbox.c.event_id.in_(events), outbox.c.kind == "alert")
                .distinct()
            )
        )
        .scalars()
        .all()
    )
    keep = [
        i for i in ids if alerts[i] or votes[i] or i in alerted or event_of[i] in alerted_events
    ]
    snapshots = await _snapshots(conn, [event_of[i] for i in keep])
    # SQLite may give a deleted match's id to a new match: a record under that id is stale
    await conn.execute(delete(withdrawn_matches).where(withdrawn_matches.c.match_id.in_(ids)))
    if keep:
        await conn.execute(
            withdrawn_matches.insert(),
            [
                {
                    "match_id": i,
                    "theme_id": theme_id,
                    "item_id": found[i],
                    "alerts": alerts[i],
                    "votes": votes[i],
                    "withdrawn_at": now,
                    "event_id": event_of[i],
                    "event": snapshots.get(event_of[i]),  # type: ignore[arg-type]
                }
                for i in keep
            ],
        )


async def _snapshots(
    conn: AsyncConnection, event_ids: Sequence[int | None]
) -> dict[int, dict[str, Any]]:
    """Event id -> the event as JSON (`_EVENT_COLUMNS`), for the records about to be kept."""
    wanted = list({e for e in event_ids if e is not None})
    if not wanted:
        return {}
    query = select(events.c.id, *(events.c[c] for c in _EVENT_COLUMNS)).where(
        events.c.id.in_(wanted)
    )
    out = {}
    for r in (await conn.execute(query)).mappings():
        out[r["id"]] = {
            c: r[c].isoformat() if isinstance(r[c], date | datetime) else r[c]
            for c in _EVENT_COLUMNS
        }
    return out


async def gone_statements(conn: AsyncConnection, theme_id: int, slug: str) -> list[EventRow]:
    """Statements whose every report a theme change took, still owing or having sent alerts:
    their events are gone, their records remember them. A new report of one (placed by the
    same decision as against any event) takes its alerts back (`revive`) instead of alerting
    every chat again (QA round 15). Each as an EventRow under the gone event's id."""
    query = (
        select(
            withdrawn_matches.c.event_id,
            withdrawn_matches.c.event,
            withdrawn_matches.c.alerts,
        )
        .outerjoin(events, events.c.id == withdrawn_matches.c.event_id)
        .where(
            withdrawn_matches.c.theme_id == theme_id,
            withdrawn_matches.c.event_id.is_not(None),
            withdrawn_matches.c.event.is_not(None),
            # SQLite may give a gone event's id to a later event: that one is not it
            or_(events.c.id.is_(None), events.c.created_at > withdrawn_matches.c.withdrawn_at),
        )
    )
    found: dict[int, EventRow] = {}
    for event_id, event, alerts in await conn.execute(query):
        if not alerts or not event or event_id in found:
            continue
        found[event_id] = EventRow(
            id=event_id,
            theme_slug=slug,
            day=date.fromisoformat(event["day"]),
            speaker=event["speaker"],
            office=event["office"],
            actor=event["actor"],
            quote=event["quote"],
            stance=event["stance"],
            headline=event["headline"],
            link=event["link"],
            source_count=0,
            first_published=datetime.fromisoformat(event["first_published"]),
            created_at=datetime.fromisoformat(event["created_at"]),
            role=event["role"] or "official",
            direct=event["direct"],
        )
    return list(found.values())


async def revive(
    conn: AsyncConnection, theme_id: int, gone_event: int, match_id: int, event_id: int
) -> None:
    """A new report of a gone statement (`gone_statements`) takes back the alerts its old
    reports keep aside: a chat that was sent it has its sent row again (so it is not alerted
    twice), one still owed it is owed it by the new report. The old reports keep their
    records (their ids and votes come back if they match again), without the alerts."""
    query = select(
        withdrawn_matches.c.match_id, withdrawn_matches.c.alerts, withdrawn_matches.c.withdrawn_at
    ).where(withdrawn_matches.c.theme_id == theme_id, withdrawn_matches.c.event_id == gone_event)
    entries = []
    taken = []
    for kept_id, alerts, withdrawn_at in await conn.execute(query):
        if alerts:
            entries.append((Withdrawn(kept_id, list(alerts), [], withdrawn_at), match_id, event_id))
            taken.append(kept_id)
    if not taken:
        return
    await conn.execute(
        update(withdrawn_matches).where(withdrawn_matches.c.match_id.in_(taken)).values(alerts=[])
    )
    await _restore_alerts(conn, theme_id, entries)


async def hand_to_kept_reports(
    conn: AsyncConnection, theme_id: int, gone: Sequence[int], leaving: Sequence[int]
) -> None:
    """Alerts still on matches about to go for good (their feed removed), whose event has no
    report left, go to a report of that event a theme change keeps aside, if there is one:
    matching again, it brings them back (QA round 15: outlet B taken by an exclusion, then
    A's feed removed; undoing the exclusion found the statement's alerts deleted). `leaving`:
    the items going with them, whose kept records go too."""
    if not gone:
        return
    query = select(outbox.c.event_id, *(outbox.c[c] for c in _ALERT_COLUMNS)).where(
        outbox.c.match_id.in_(list(gone)), outbox.c.kind == "alert", outbox.c.event_id.is_not(None)
    )
    owed: dict[int, list[dict[str, Any]]] = {}
    for r in (await conn.execute(query)).mappings():
        owed.setdefault(r["event_id"], []).append(_to_json(r, _ALERT_COLUMNS))
    if not owed:
        return
    kept = (
        select(
            withdrawn_matches.c.match_id, withdrawn_matches.c.event_id, withdrawn_matches.c.alerts
        )
        .where(
            withdrawn_matches.c.theme_id == theme_id,
            withdrawn_matches.c.event_id.in_(list(owed)),
            withdrawn_matches.c.item_id.not_in(list(leaving)),
        )
        .order_by(withdrawn_matches.c.withdrawn_at.desc())
    )
    for match_id, event_id, alerts in await conn.execute(kept):
        if event_id in owed:
            await conn.execute(
                update(withdrawn_matches)
                .where(withdrawn_matches.c.match_id == match_id)
                .values(alerts=[*(alerts or []), *owed.pop(event_id)])
            )


async def withdrawn_of(
    conn: AsyncConnection, theme_id: int, item_ids: Sequence[int]
) -> dict[int, Withdrawn]:
    """Item id -> what its match of the theme had when a change took it (the latest)."""
    query = (
        select(withdrawn_matches)
        .where(
            withdrawn_matches.c.theme_id == theme_id,
            withdrawn_matches.c.item_id.in_(list(item_ids)),
        )
        .order_by(withdrawn_matches.c.withdrawn_at, withdrawn_matches.c.match_id)
    )
    kept = {
        r.item_id: Withdrawn(r.match_id, list(r.alerts), list(r.votes), r.withdrawn_at, r.event_id)
        for r in await conn.execute(query)
    }
    return await _with_siblings(conn, theme_id, kept)


async def _with_siblings(
    conn: AsyncConnection, theme_id: int, kept: dict[int, Withdrawn]
) -> dict[int, Withdrawn]:
    """The alerts a statement's other reports keep aside go to the first of these items that
    reported it too: outlets A, B and C taken in turn left the alerts with C's match, and A
    matching again while C does not must bring them back (QA round 16). Those reports keep
    their records (their ids and votes), without the alerts."""
    events = {w.event_id for w in kept.values() if w.event_id is not None}
    if not events:
        return kept
    query = select(
        withdrawn_matches.c.match_id, withdrawn_matches.c.event_id, withdrawn_matches.c.alerts
    ).where(
        withdrawn_matches.c.theme_id == theme_id,
        withdrawn_matches.c.event_id.in_(list(events)),
        withdrawn_matches.c.item_id.not_in(list(kept)),
    )
    taken: list[int] = []
    out = dict(kept)
    for match_id, event_id, alerts in await conn.execute(query):
        if not alerts:
            continue
        heir = min(item for item, w in out.items() if w.event_id == event_id)
        w = out[heir]
        out[heir] = replace(w, alerts=[*w.alerts, *alerts])
        taken.append(match_id)
    if taken:
        await conn.execute(
            update(withdrawn_matches)
            .where(withdrawn_matches.c.match_id.in_(taken))
            .values(alerts=[])
        )
    return out


async def _owed_to(
    conn: AsyncConnection, theme_id: int
) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """(chats and topics that follow the theme now, those of them that take digests)."""
    following = {
        (r.chat_id, r.thread_id)
        for r in await conn.execute(
            select(subscriptions.c.chat_id, subscriptions.c.thread_id)
            .join(chats, chats.c.id == subscriptions.c.chat_id)
            .where(
                subscriptions.c.theme_id == theme_id,
                subscriptions.c.active.is_(True),
                chats.c.active.is_(True),
            )
        )
    }
    digesting = {
        (r.chat_id, r.thread_id)
        for r in await conn.execute(
            select(digest_schedules.c.chat_id, digest_schedules.c.thread_id)
        )
    }
    return following, digesting


async def free_ids(conn: AsyncConnection, wanted: Sequence[int]) -> set[int]:
    """Which of these match ids no match holds now (an old id can be given back)."""
    taken = set(
        (await conn.execute(select(matches.c.id).where(matches.c.id.in_(list(wanted)))))
        .scalars()
        .all()
    )
    return set(wanted) - taken


async def bring_back(
    conn: AsyncConnection,
    theme_id: int,
    back: Mapping[int, tuple[Withdrawn, int, int | None]],
) -> None:
    """Put kept alerts and votes on the items' new matches: item id -> (what was kept, new
    match id, its event). A chat that left meanwhile gets nothing back; an alert of an event
    the chat already has a row for (another outlet's report was alerted) is not doubled."""
    if not back:
        return
    await _restore_alerts(conn, theme_id, list(back.values()))
    votes = [
        {**_from_json(v), "match_id": match_id} for w, match_id, _ in back.values() for v in w.votes
    ]
    if votes:
        stmt: Any = dialect_insert(conn.dialect.name, feedback)
        await conn.execute(
            stmt.on_conflict_do_nothing(index_elements=["match_id", "user_id"]), votes
        )
    await conn.execute(
        delete(withdrawn_matches).where(
            and_(
                withdrawn_matches.c.theme_id == theme_id,
                withdrawn_matches.c.item_id.in_(list(back)),
            )
        )
    )


async def _restore_alerts(
    conn: AsyncConnection,
    theme_id: int,
    back: Sequence[tuple[Withdrawn, int, int | None]],
) -> None:
    """Kept alerts put back as outbox rows of new matches: (what was kept, new match id, its
    event) each. A chat that left meanwhile gets nothing back; an alert of an event the chat
    already has a row for (another outlet's report was alerted) is not doubled."""
    dialect = conn.dialect.name
    known = set(
        (
            await conn.execute(
                select(chats.c.id).where(
                    chats.c.id.in_(list({a["chat_id"] for w, _, _ in back for a in w.alerts}))
                )
            )
        )
        .scalars()
        .all()
    )
    following, digesting = await _owed_to(conn, theme_id)
    # A digest made before the alert went away carried it if it was sent before then; one
    # still to be sent takes it back. One sent while the alert was away went without it, and
    # one given up on (emptied meanwhile, failed) cannot carry it: the alert is owed again
    # (QA round 14: it stayed on a failed digest and no later digest carried it).
    made = list({a["digest_id"] for w, _, _ in back for a in w.alerts} - {None})
    digests = {
        r.id: (r.status, r.sent_at)
        for r in await conn.execute(
            select(outbox.c.id, outbox.c.status, outbox.c.sent_at).where(outbox.c.id.in_(made))
        )
    }
    alerts = []
    for w, match_id, event_id in back:
        for kept in w.alerts:
            a = {**_from_json(kept), "kind": "alert", "event_id": event_id, "match_id": match_id}
            where = (a["chat_id"], a["thread_id"])
            if event_id is None or a["chat_id"] not in known:
                continue
            if a["status"] == "folded" and not _carried(digests.get(a["digest_id"]), w):
                a["digest_id"] = None
            if a["status"] in ("pending", "folded") and a["digest_id"] is None:
                # still owed only where the theme is still followed, and in the way the chat
                # takes its alerts now (a digest set or cleared meanwhile)
                if where not in following:
                    continue
                a["status"] = "folded" if where in digesting else "pending"
            alerts.append(a)
    if alerts:
        stmt: Any = dialect_insert(dialect, outbox)
        await conn.execute(
            stmt.on_conflict_do_nothing(index_elements=["chat_id", "thread_id", "event_id"]),
            alerts,
        )


def _carried(digest: tuple[str, datetime | None] | None, kept: Withdrawn) -> bool:
    """Whether a kept folded alert's digest (status, sent at) carries it: sent before the
    alert was taken away, or still to be sent."""
    if digest is None:
        return False
    status, sent_at = digest
    if status == "pending":
        return True
    return (
        status == "sent"
        and sent_at is not None
        and kept.withdrawn_at is not None
        and sent_at <= kept.withdrawn_at
    )
