"""A timeline query as people type it, the events it selects, and the data formats.

Shared by `policywatch timeline` and `/timeline`, `/export` in chats, so the same words give
the same events everywhere: `[since] [until] [who:NAME] [stance:opposes|supports|unclear]
[role:official|commentator]`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.app.errors import BotError
from bot.chat.views import who as who_of
from bot.timeline.dates import DateError, parse_day
from matcher.lookup import name_matches
from store import Store
from store.records import EventRow, EventSource

STANCES = ("opposes", "supports", "unclear")
ROLES = ("official", "commentator")  # commentators: analysts quoted for analysis
FILTERS = "[since] [until] [who:NAME] [stance:opposes|supports|unclear] [role:official|commentator]"
DATE_SHAPE = re.compile(r"^(\d{4}(-\d{1,2}){0,2}|\d{1,9}[dwmy])$")
Row = tuple[EventRow, list[EventSource]]


class QueryError(BotError):
    """Words we could not read as a timeline filter; the message says what to type."""


MAX_WHO_CHARS = 100  # longer than any name; a longer one would not fit a reply's header


@dataclass(frozen=True)
class TimelineQuery:
    slug: str
    since: str | None = None  # as typed: 2023, 2023-01, 30d...
    until: str | None = None
    who: str | None = None
    stance: str | None = None
    role: str | None = None  # official | commentator

    def days(self, today: date) -> tuple[date | None, date | None]:
        try:
            since = parse_day(self.since, today) if self.since else None
            until = parse_day(self.until, today, end=True) if self.until else None
        except DateError as exc:
            raise QueryError(str(exc)) from None
        if since is not None and until is not None and since > until:
            raise QueryError(
                f"the start {self.since} ({since}) is after the end {self.until} ({until}), so "
                "nothing falls between them; give the earlier date first"
            )
        if since is not None and since > today:
            raise QueryError(
                f"the start {self.since} ({since}) is after today ({today}): nothing has been "
                "said then yet"
            )
        return since, until

    def words(self) -> list[str]:
        out = [w for w in (self.since, self.until) if w]
        if self.stance:
            out.append(f"stance:{self.stance}")
        if self.role:
            out.append(f"role:{self.role}")
        if self.who:
            out.append(f"who:{self.who}")
        return out


def parse_words(slug: str, words: Sequence[str]) -> TimelineQuery:
    """`2023 2023-06 who:price stance:opposes` -> a query (dates in order: since, until)."""
    dates: list[str] = []
    who = stance = role = None
    seen: dict[str, str] = {}
    for word in words:
        low = word.lower()
        name = low.split(":", 1)[0] if ":" in low else ""
        if name in ("who", "stance", "role"):
            if name in seen and seen[name] != low:
                # one filter of each kind: the second silently won before (QA)
                raise QueryError(
                    f"{seen[name]} and {low}: one {name}: filter at a time (a timeline per "
                    f"{name} reads better side by side)"
                )
            seen[name] = low
        if low.startswith("who:"):
            who = word[4:].replace("_", " ").strip() or None
            if who is not None and len(who) > MAX_WHO_CHARS:
                raise QueryError(f"who: takes a name of at most {MAX_WHO_CHARS} characters")
            if who is None:
                raise QueryError(
                    "who: needs a name after the colon, e.g. who:Blinken or who:Abu_Dhabi "
                    "(_ for a space)"
                )
        elif low.startswith("stance:"):
            stance = low[7:]
            if stance not in STANCES:
                raise QueryError(
                    f"stance:{stance} is not one of stance:opposes, stance:supports, stance:unclear"
                )
        elif low.startswith("role:"):
            role = low[5:].removesuffix("s")  # role:officials reads as role:official
            if role not in ROLES:
                raise QueryError(
                    f"role:{low[5:]} is not one of role:official (people speaking for a state "
                    "or body), role:commentator (analysts quoted for analysis)"
                )
        elif DATE_SHAPE.match(low) and len(dates) < 2:
            dates.append(low)
        elif low.split(":", 1)[0] in ("since", "until", "from", "to", "after", "before"):
            raise QueryError(
                f"dates are written without a name: the first date is since, the second "
                f"until, e.g. 2023 2023-06 or 30d (not {word.split(':', 1)[0]}:)"
            )
        elif re.match(r"^[^\s:]+:", word):
            raise QueryError(
                f"there is no {word.split(':', 1)[0]}: filter; the filters are {FILTERS}"
            )
        else:
            raise QueryError(f"{word!r} is not a filter; use {FILTERS}")
    since = dates[0] if dates else None
    until = dates[1] if len(dates) > 1 else None
    return TimelineQuery(slug, since, until, who=who, stance=stance, role=role)


async def select_events(
    store: Store,
    q: TimelineQuery,
    today: date,
    *,
    offset: int = 0,
    limit: int | None = None,
    newest_first: bool = False,
) -> tuple[list[EventRow], int]:
    """A page of the events the query selects and how many it selects in all.

    `who:` is matched (forgiving spelling) against the theme's distinct names, a few dozen,
    and the chosen names filter in SQL, so paging stays in the database.
    """
    since, until = q.days(today)
    people = None
    if q.who is not None:
        people = [n for n in await store.event_people(q.slug) if name_matches(q.who, n)]
    return await store.timeline_page(
        q.slug,
        since=since,
        until=until,
        stance=q.stance,
        role=q.role,
        people=people,
        offset=offset,
        limit=limit if limit is not None else 10**9,
        newest_first=newest_first,
    )


async def load_rows(store: Store, q: TimelineQuery, today: date) -> list[Row]:
    events, _ = await select_events(store, q, today)
    sources = await store.event_sources([e.id for e in events])
    return [(e, sources.get(e.id, [])) for e in events]


def as_json(rows: Sequence[Row]) -> str:
    return json.dumps(
        [
            {
                "date": e.day.isoformat(),
                "speaker": e.speaker,
                "office": e.office,
                "actor": e.actor,
                "stance": e.stance,
                "role": e.role,
                "quote": e.quote,
                "quote_kind": quote_kind(e),
                "headline": e.headline,
                "sources": len(items),
                "items": [
                    {
                        "title": s.title,
                        "source": s.source,
                        "link": s.link,
                        "published": s.published_at.isoformat(),
                    }
                    for s in items
                ],
            }
            for e, items in rows
        ],
        ensure_ascii=False,
        indent=2,
    )


# A cell a spreadsheet would run as a formula (=, +, -, @, or a tab or return first): feed
# text is anyone's, and "=HYPERLINK(...)" in a headline must stay text (OWASP's CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """Text for a CSV cell, a leading formula character escaped with an apostrophe."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def as_csv(rows: Sequence[Row]) -> str:
    """The timeline as CSV; free text cells cannot run as formulas in a spreadsheet."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(
        [
            "date",
            "speaker",
            "office",
            "actor",
            "stance",
            "quote",
            "headline",
            "sources",
            "links",
            "role",
            "quote_kind",
            "outlets",
        ]
    )
    for e, items in rows:
        writer.writerow(
            [
                e.day.isoformat(),
                _cell(e.speaker or ""),
                _cell(e.office or ""),
                _cell(e.actor or ""),
                e.stance,
                _cell(e.quote or ""),
                _cell(e.headline),
                len(items),
                _cell(" ".join(s.link or "" for s in items)),
                e.role,
                quote_kind(e),
                # each outlet once, as the JSON's items name them (QA round 21: only a count)
                _cell("; ".join(dict.fromkeys(s.source for s in items if s.source))),
            ]
        )
    return buf.getvalue()


def quote_kind(e: EventRow) -> str:
    """direct (the speaker's own words), reported (a paraphrase), "" (no quote, or not known)."""
    if not e.quote or e.direct is None:
        return ""
    return "direct" if e.direct else "reported"


def as_text(slug: str, rows: Sequence[Row], filters: Sequence[str] = ()) -> str:
    """The timeline as plain text; `filters` (the query's words) only change the empty answer."""
    if not rows and filters:
        return (
            f"{slug}: no statement matches {' '.join(filters)}; "
            f"`policywatch timeline {slug}` shows them all"
        )
    if not rows:
        return f"{slug}: no statements recorded yet"
    lines = []
    for e, items in rows:
        role = "  (commentator)" if e.role == "commentator" else ""
        lines.append(f"{e.day.isoformat()}  [{e.stance}]  {who_of(e)}{role}")
        said = e.quote or e.headline
        lines.append(f"    reported: {said}" if e.quote and e.direct is False else f"    {said}")
        for s in items:
            lines.append(f"    - {s.source}: {s.title} {s.link or ''}".rstrip())
    return "\n".join(lines)
