"""`policywatch match`: score feeds or items against the themes and print why; stores nothing.

Inputs are feed files, feed URLs or JSON Lines of items. Themes come from --themes-file, else
THEMES_FILE, else the database when it already exists, else the themes shipped in the package.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.app.clock import utcnow
from bot.app.errors import UsageError
from bot.app.settings import Settings
from bot.app.textfile import read_utf8
from bot.app.wiring import configured_themes, fetch_policy, open_store
from bot.chat.preview import feedback_line, propose, what_if
from bot.cli.common import resolve_theme
from matcher import ItemText, Scorer, Theme, load_themes_toml
from matcher.lookup import find_theme
from matcher.themes import DEFAULT_THRESHOLD, with_query
from store import Store
from watchers.fetch.client import fetch_feed, make_client
from watchers.parse.feed import SUMMARY_LIMIT, TITLE_LIMIT, parse_feed
from watchers.poll.themes import theme_from_spec
from watchers.poll.workers import item_text


async def load_dry_run_themes(args: argparse.Namespace, settings: Settings) -> list[Theme]:
    if args.themes_file:
        path = Path(args.themes_file)
        return load_themes_toml(read_utf8(path), source=str(path))
    if settings.themes_file is None and _database_exists(settings.database_url):
        store = await Store.open(settings.database_url, migrate=False)
        try:
            specs = await store.list_themes()
        except Exception:  # an old or foreign database: fall back to the shipped themes
            specs = []
        finally:
            await store.close()
        if specs:
            return [theme_from_spec(s) for s in specs]
    return configured_themes(settings)


def _database_exists(url: str) -> bool:
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[-1]
        return Path(path).is_file()
    return True


def _parse_time(value: object, where: str) -> datetime | None:
    """A line's `published`: ISO 8601 or Unix seconds; absent or empty is None (undated); any
    other value is refused with where it is, as `themes teach` refuses it."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, tz=UTC)
        except (OverflowError, OSError, ValueError):
            raise UsageError(f"{where}: `published` {value} is not a time") from None
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    raise UsageError(
        f"{where}: `published` {str(value)[:40]!r} is not a date; write it as ISO 8601, "
        "e.g. 2023-05-05T08:00:00Z, or leave it out"
    )


def _jsonl_items(path: Path) -> list[ItemText]:
    items = []
    for number, line in enumerate(read_utf8(path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path}:{number}: not a JSON object: {exc.msg}") from None
        if not isinstance(obj, dict) or "title" not in obj:
            raise UsageError(f'{path}:{number}: each line needs at least a "title"')
        items.append(
            ItemText(  # cut as a feed's entries are, so a dry run scores what a poll would
                title=str(obj.get("title", ""))[:TITLE_LIMIT],
                summary=str(obj.get("summary", ""))[:SUMMARY_LIMIT],
                # undated: scored as of now, as a poll dates an undated entry by its fetch
                published=_parse_time(obj.get("published"), f"{path}:{number}") or utcnow(),
                source=str(obj.get("source", "")),
                link=str(obj.get("link", "")),
            )
        )
    return items


async def _feed_items(source: str, settings: Settings) -> list[ItemText]:
    policy = fetch_policy(settings)
    url = source
    if "://" not in source:
        if not Path(source).is_file():
            raise UsageError(f"{source}: no such file, and not a URL")
        url = Path(source).resolve().as_uri()
    async with make_client(policy) as client:
        fetched = await fetch_feed(
            url,
            etag=None,
            last_modified=None,
            previous_hash=None,
            policy=policy,
            client=client,
            now=utcnow(),
        )
        assert fetched.body is not None
        feed = parse_feed(
            fetched.body,
            url=url,
            fetched_at=fetched.fetched_at,
            content_type=fetched.content_type,
        )
    name = feed.title or source
    return [item_text(e, name) for e in feed.entries]


def _change_words(args: argparse.Namespace) -> list[str]:
    if args.threshold is not None:
        return ["threshold", str(args.threshold)]
    if args.add:
        return ["add", args.add]
    if args.exclude:
        return ["exclude", args.exclude]
    if getattr(args, "query", None):
        return ["query", args.query]
    return []


async def match_stored(args: argparse.Namespace, settings: Settings, themes: list[Theme]) -> int:
    """Stored items under the current theme and a proposed change, one JSON line each."""
    if len(themes) != 1:
        raise UsageError("--stored compares one theme: add --theme SLUG")
    theme = themes[0]
    ask = (f"policywatch match --theme {theme.slug} --stored --add", '"')
    proposed, label = propose(theme, _change_words(args), ask)
    store = await open_store(settings)
    try:
        result = await what_if(store, theme, proposed, recent=args.stored)
    finally:
        await store.close()
    for v in result.verdicts:
        if args.matched_only and not (v.before.matched or v.after.matched):
            continue
        line = {
            "link": v.item.link,
            "title": v.item.title,
            "theme": theme.slug,
            "score_before": v.before.score,
            "matched_before": v.before.matched,
            "score": v.after.score,
            "matched": v.after.matched,
            "reasons": v.after.to_json(),
        }
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
    print(
        f"{theme.slug}, {label}: {len(result.verdicts)} stored items, "
        f"{len(result.kept()) + len(result.gained())} would match "
        f"({len(result.gained())} newly, {len(result.lost())} no longer)",
        file=sys.stderr,
    )
    replay = feedback_line(result.feedback)
    if replay:
        print(replay, file=sys.stderr)
    return 0


NEW_THEME_THRESHOLD = DEFAULT_THRESHOLD  # as `themes add` and /addtheme give a new theme


def _chosen(args: argparse.Namespace, themes: list[Theme]) -> list[Theme]:
    """The theme --theme names; with --query, a name no theme has (nor nearly has) is a new
    theme tried out before it is added (`themes add SLUG NAME --query Q` adds it)."""
    try:
        wanted = resolve_theme(args.theme, themes).slug
    except UsageError:
        known = find_theme(args.theme, [(t.slug, t.name) for t in themes])
        if not getattr(args, "query", None) or known.suggestion:
            raise
        threshold = NEW_THEME_THRESHOLD if args.threshold is None else args.threshold
        # said, so a mistyped slug is not taken for the theme it meant (QA)
        print(
            f"note: no theme {args.theme!r}: the query is tried as a new theme (threshold "
            f"{threshold}, no labels); `policywatch themes add {args.theme} NAME --query ...` "
            "adds it",
            file=sys.stderr,
        )
        return [with_query(Theme(args.theme, args.theme, "", threshold, ()), args.query)]
    return [t for t in themes if t.slug == wanted]


async def match_inputs(args: argparse.Namespace, settings: Settings) -> int:
    if not args.inputs and args.stored is None:
        raise UsageError("give INPUT files or URLs, or --stored N to score stored items")
    themes = await load_dry_run_themes(args, settings)
    if args.theme:
        themes = _chosen(args, themes)
    if args.stored is not None:
        return await match_stored(args, settings, themes)
    if _change_words(args):
        themes = [
            propose(t, _change_words(args), (f"policywatch match --theme {t.slug} --add", '"'))[0]
            for t in themes
        ]
    scorer = Scorer(themes)
    for source in args.inputs:
        path = Path(source)
        if path.suffix in (".jsonl", ".ndjson") and path.is_file():
            items = _jsonl_items(path)
        else:
            items = await _feed_items(source, settings)
        for item in items:
            for result in scorer.score(item):
                if args.matched_only and not result.matched:
                    continue
                line = {
                    "link": item.link,
                    "title": item.title,
                    "theme": result.theme,
                    "score": result.score,
                    "matched": result.matched,
                    "reasons": result.to_json(),
                }
                sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return 0
