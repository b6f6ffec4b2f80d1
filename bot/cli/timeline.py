"""`policywatch timeline`: a theme's events as text, JSON or CSV (and optionally a chart)."""

from __future__ import annotations

import argparse

from bot.app.clock import utcnow
from bot.app.settings import Settings
from bot.app.wiring import open_store
from bot.cli.common import resolve_theme
from bot.timeline.query import TimelineQuery, as_csv, as_json, as_text, load_rows


async def timeline(args: argparse.Namespace, settings: Settings) -> int:
    store = await open_store(settings)
    try:
        theme = resolve_theme(args.slug, await store.list_themes())
        query = TimelineQuery(theme.slug, args.since, args.until, args.who, args.stance, args.role)
        rows = await load_rows(store, query, utcnow().date())
    finally:
        await store.close()
    if args.format == "json":
        print(as_json(rows))
    elif args.format == "csv":
        print(as_csv(rows), end="")
    else:
        print(as_text(theme.slug, rows, query.words()))
    if args.chart:
        from bot.timeline.chart import draw_timeline

        draw_timeline(theme.name, [e for e, _ in rows], args.chart)
    return 0
