"""`policywatch timeline`: a theme's events as text, JSON or CSV (and optionally a chart)."""

from __future__ import annotations

import argparse

from bot.app.clock import utcnow
from bot.app.settings import Settings
from bot.app.wiring import open_store
from bot.cli.main import UserError
from bot.timeline.query import QueryError, TimelineQuery, as_csv, as_json, as_text, load_rows
from matcher.lookup import find_theme


async def timeline(args: argparse.Namespace, settings: Settings) -> int:
    store = await open_store(settings)
    try:
        themes = await store.list_themes()
        found = find_theme(args.slug, [(t.slug, t.name) for t in themes])
        if found.slug is None:
            hint = f"; did you mean {found.suggestion}?" if found.suggestion else ""
            raise UserError(
                f"no theme {args.slug!r}{hint} (known: "
                f"{', '.join(t.slug for t in themes) or 'none'})"
            )
        query = TimelineQuery(found.slug, args.since, args.until, args.who, args.stance)
        try:
            rows = await load_rows(store, query, utcnow().date())
        except QueryError as exc:
            raise UserError(str(exc)) from None
    finally:
        await store.close()
    if args.format == "json":
        print(as_json(rows))
    elif args.format == "csv":
        print(as_csv(rows), end="")
    else:
        print(as_text(found.slug, rows))
    if args.chart:
        from bot.timeline.chart import draw_timeline

        name = next(t.name for t in themes if t.slug == found.slug)
        draw_timeline(name, [e for e, _ in rows], args.chart)
    return 0
