"""What each `policywatch` subcommand does; argument parsing lives in bot/cli.py."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.cli import UserError
from bot.clock import utcnow
from bot.dryrun import match_inputs
from bot.runtime import fetch_policy, open_store
from bot.settings import Settings
from bot.timeline_cli import timeline as timeline_command
from matcher import Theme, ThemeError, dump_themes_toml, load_themes_toml, with_threshold
from matcher.themes import validate_theme, with_query
from store import FeedExists, Store, upgrade
from store.db import make_engine
from watchers.feedurl import FeedUrlError, check_feed_url
from watchers.fetch import FetchError, make_client
from watchers.opml import OpmlError, read_opml, write_opml
from watchers.parse import ParseError
from watchers.probe import probe_feed
from watchers.rematch import rematch_theme
from watchers.themes import spec_from_theme, theme_from_spec


async def run(args: argparse.Namespace, settings: Settings) -> int:
    if settings.telegram_bot_token:
        from bot.telegram_main import run_telegram

        return await run_telegram(settings, once=args.once)
    from bot.console_main import run_console

    return await run_console(settings, once=args.once)


async def match(args: argparse.Namespace, settings: Settings) -> int:
    return await match_inputs(args, settings)


async def timeline(args: argparse.Namespace, settings: Settings) -> int:
    return await timeline_command(args, settings)


async def db(args: argparse.Namespace, settings: Settings) -> int:
    engine = make_engine(settings.database_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()
    print("database is up to date")
    return 0


async def feeds(args: argparse.Namespace, settings: Settings) -> int:
    store = await open_store(settings)
    try:
        return await _feeds(args, store, settings)
    finally:
        await store.close()


async def _add_feed(store: Store, url: str, title: str | None = None) -> str:
    try:
        checked = check_feed_url(url, allow_files=True)
    except FeedUrlError as exc:
        raise UserError(str(exc)) from None
    try:
        feed = await store.add_feed(checked, utcnow(), title)
    except FeedExists as exc:
        raise UserError(str(exc)) from None
    return f"added feed {feed.id}: {feed.url}"


async def _add_checked_feed(store: Store, url: str, settings: Settings) -> str:
    """Fetch an http(s) URL once before adding it; a site's page is swapped for its feed."""
    if not url.startswith(("http://", "https://")):
        return await _add_feed(store, url)
    policy = fetch_policy(settings)
    async with make_client(policy) as client:
        try:
            probe = await probe_feed(url, policy=policy, client=client, now=utcnow())
        except (FetchError, ParseError) as exc:
            raise UserError(f"not added: {exc} (add it anyway with --no-check)") from None
    if probe.note:
        print(probe.note, file=sys.stderr)
    return await _add_feed(store, probe.url, probe.feed.title)


async def _feeds(args: argparse.Namespace, store: Store, settings: Settings) -> int:
    if args.action == "add" and args.no_check:
        print(await _add_feed(store, args.url))
    elif args.action == "add":
        print(await _add_checked_feed(store, args.url, settings))
    elif args.action == "list":
        rows = await store.list_feeds()
        if not rows:
            print("no feeds yet: add one with `policywatch feeds add URL`")
        for f in rows:
            polled = (
                f.last_polled_at.strftime("%Y-%m-%d %H:%M UTC") if f.last_polled_at else "never"
            )
            state = "ok" if f.failures == 0 else f"FAILING x{f.failures}: {f.last_error}"
            print(
                f"{f.id:>4}  {f.url}\n      {f.title or '(no title yet)'} | last poll {polled} "
                f"| {f.item_count} items | {state}"
            )
            if f.note:
                print(f"      note: {f.note}")
    elif args.action == "remove":
        feed = await store.find_feed(args.feed)
        if feed is None:
            raise UserError(f"no feed {args.feed!r}; `policywatch feeds list` shows ids and URLs")
        await store.remove_feed(feed.id)
        print(f"removed feed {feed.id}: {feed.url}")
    elif args.action == "import":
        try:
            entries = read_opml(Path(args.file).read_bytes())
        except OpmlError as exc:
            raise UserError(f"{args.file}: {exc}") from None
        added = skipped = 0
        for url, title in entries:
            try:
                print(await _add_feed(store, url, title))
                added += 1
            except UserError as exc:
                print(f"skipped: {exc}", file=sys.stderr)
                skipped += 1
        print(f"imported {added} feeds, skipped {skipped}")
    elif args.action == "export":
        data = write_opml([(f.url, f.title) for f in await store.list_feeds()])
        _write_out(args.file, data)
    return 0


def _write_out(path: str | None, data: bytes) -> None:
    if path:
        Path(path).write_bytes(data)
        print(f"wrote {path}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


async def themes(args: argparse.Namespace, settings: Settings) -> int:
    store = await open_store(settings)
    try:
        specs = await store.list_themes()
        if args.action == "list":
            for s in specs:
                print(f"{s.slug}  threshold {s.threshold}  {s.name}")
        elif args.action == "add":
            await _add_theme(store, args, [s.slug for s in specs])
        elif args.action == "show":
            spec = next((s for s in specs if s.slug == args.slug), None)
            if spec is None:
                raise UserError(_no_theme(args.slug, [s.slug for s in specs]))
            print(dump_themes_toml([theme_from_spec(spec)]), end="")
        elif args.action == "export":
            text = dump_themes_toml([theme_from_spec(s) for s in specs])
            _write_out(args.file, text.encode())
        elif args.action == "import":
            try:
                loaded = load_themes_toml(Path(args.file).read_text(encoding="utf-8"))
            except ThemeError as exc:
                raise UserError(f"{args.file}: {exc}") from None
            for theme in loaded:
                before = next((s for s in specs if s.slug == theme.slug), None)
                saved = await store.save_theme(spec_from_theme(theme), utcnow())
                await store.record_audit(
                    at=utcnow(),
                    actor_id=None,
                    actor_name="cli",
                    action="themes import",
                    target=theme.slug,
                    before=None if before is None else before.threshold,
                    after=saved.threshold,
                )
                print(
                    f"{'replaced' if before else 'added'} theme {theme.slug} "
                    f"(version {saved.version})"
                )
                await _rematch(store, theme.slug)
        elif args.action == "rematch":
            if not any(s.slug == args.slug for s in specs):
                raise UserError(_no_theme(args.slug, [s.slug for s in specs]))
            await _rematch(store, args.slug)
        elif args.action == "remove":
            if not await store.remove_theme(args.slug):
                raise UserError(_no_theme(args.slug, [s.slug for s in specs]))
            print(f"removed theme {args.slug}")
    finally:
        await store.close()
    return 0


async def _add_theme(store: Store, args: argparse.Namespace, known: list[str]) -> None:
    """`themes add SLUG NAME [--query Q]`: a new theme, checked before anything is stored."""
    if args.slug in known:
        raise UserError(f"theme {args.slug!r} exists; edit it with `themes export` / `import`")
    theme = Theme(args.slug, args.name, "", args.threshold, ())
    try:
        theme = with_threshold(validate_theme(theme), args.threshold)
        if args.query is not None:
            theme = with_query(theme, args.query)
    except ThemeError as exc:
        raise UserError(str(exc)) from None
    saved = await store.save_theme(spec_from_theme(theme), utcnow())
    await store.record_audit(
        at=utcnow(),
        actor_id=None,
        actor_name="cli",
        action="themes add",
        target=theme.slug,
        before=None,
        after={"name": theme.name, "query": theme.query, "threshold": theme.threshold},
    )
    concepts = "; ".join(f"{g.name}: {' OR '.join(g.terms)}" for g in theme.groups)
    print(f"added theme {saved.slug}" + (f" (all of: {concepts})" if concepts else ""))
    if theme.exclude:
        print(f"excluded: {', '.join(theme.exclude)}")
    if theme.groups:
        await _rematch(store, theme.slug)


async def _rematch(store: Store, slug: str) -> None:
    """Bring the archive's matches and events up to date with the theme, showing progress."""
    spec = await store.get_theme(slug)
    assert spec is not None

    async def progress(done: int, total: int) -> None:
        print(f"\rre-matching {slug}: {done:,}/{total:,} items", end="", file=sys.stderr)

    report = await rematch_theme(store, theme_from_spec(spec), utcnow, progress=progress)
    print(
        f"\nre-matched {report.scanned:,} items: {report.added} newly matched, "
        f"{report.dropped} no longer matched, {report.kept} still matched",
        file=sys.stderr,
    )


def _no_theme(slug: str, known: list[str]) -> str:
    return f"no theme {slug!r}; known themes: {', '.join(known) or 'none'}"


def print_json(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False, default=str))
