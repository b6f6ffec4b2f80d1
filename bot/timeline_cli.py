"""`policywatch timeline`: a theme's events as text, JSON or CSV (and optionally a chart)."""

from __future__ import annotations

import argparse
import csv
import io
import json

from bot.cli import UserError
from bot.clock import utcnow
from bot.dates import DateError, parse_day
from bot.runtime import open_store
from bot.settings import Settings
from bot.views import who
from matcher.lookup import find_theme
from store import Store
from store.records import EventRow, EventSource


async def collect(store: Store, slug: str, args: argparse.Namespace) -> list[tuple[EventRow, list[EventSource]]]:
    today = utcnow().date()
    try:
        since = parse_day(args.since, today) if args.since else None
        until = parse_day(args.until, today, end=True) if args.until else None
    except DateError as exc:
        raise UserError(str(exc)) from None
    events, total = await store.timeline_page(
        slug, since=since, until=until, stance=args.stance, offset=0, limit=1_000_000,
        newest_first=False,
    )
    if args.who:
        wanted = args.who.casefold()
        events = [e for e in events if wanted in who(e).casefold() or wanted in (e.actor or "").casefold()]
    sources = await store.event_sources([e.id for e in events])
    return [(e, sources.get(e.id, [])) for e in events]


def as_json(rows: list[tuple[EventRow, list[EventSource]]]) -> str:
    out = []
    for e, items in rows:
        out.append({
            "date": e.day.isoformat(),
            "speaker": e.speaker,
            "office": e.office,
            "actor": e.actor,
            "stance": e.stance,
            "quote": e.quote,
            "headline": e.headline,
            "sources": len(items),
            "items": [
                {"title": s.title, "source": s.source, "link": s.link,
                 "published": s.published_at.isoformat()}
                for s in items
            ],
        })
    return json.dumps(out, ensure_ascii=False, indent=2)


def as_csv(rows: list[tuple[EventRow, list[EventSource]]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["date", "speaker", "office", "actor", "stance", "quote", "headline",
                     "sources", "links"])
    for e, items in rows:
        writer.writerow([e.day.isoformat(), e.speaker or "", e.office or "", e.actor or "",
                         e.stance, e.quote or "", e.headline, len(items),
                         " ".join(s.link or "" for s in items)])
    return buf.getvalue()


def as_text(slug: str, rows: list[tuple[EventRow, list[EventSource]]]) -> str:
    if not rows:
        return f"{slug}: no statements recorded yet"
    lines = []
    for e, items in rows:
        lines.append(f"{e.day.isoformat()}  [{e.stance}]  {who(e)}")
        lines.append(f"    {e.quote or e.headline}")
        for s in items:
            lines.append(f"    - {s.source}: {s.title} {s.link or ''}".rstrip())
    return "\n".join(lines)


async def timeline(args: argparse.Namespace, settings: Settings) -> int:
    store = await open_store(settings)
    try:
        themes = await store.list_themes()
        found = find_theme(args.slug, [(t.slug, t.name) for t in themes])
        if found.slug is None:
            hint = f"; did you mean {found.suggestion}?" if found.suggestion else ""
            raise UserError(f"no theme {args.slug!r}{hint} (known: "
                            f"{', '.join(t.slug for t in themes) or 'none'})")
        rows = await collect(store, found.slug, args)
    finally:
        await store.close()
    if args.format == "json":
        print(as_json(rows))
    elif args.format == "csv":
        print(as_csv(rows), end="")
    else:
        print(as_text(found.slug, rows))
    if args.chart:
        from bot.chart import draw_timeline

        draw_timeline(found.slug, [e for e, _ in rows], args.chart)
    return 0
