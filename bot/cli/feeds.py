"""`policywatch feeds list|add|remove|import|export|fulltext`: the watched feeds, from a shell.

Adding, removing and importing are audited as `/addfeed` and `/removefeed` are, with the same
undo snapshots, so `/audit` shows them and `/undo` reverses them; a removal asks first.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from bot.app.clock import utcnow
from bot.app.errors import KNOWN_ERRORS, UsageError
from bot.app.settings import Settings
from bot.app.wiring import fetch_policy, open_store
from bot.app.words import counted
from bot.chat.durations import human_duration
from bot.chat.notadded import not_added
from bot.chat.undoing import feed_removal_undo
from bot.chat.views import ARTICLE_TROUBLE_WINDOW, article_line
from bot.cli.common import audit, confirm, write_out
from store import Store
from watchers.fetch.client import make_client
from watchers.fetch.feedurl import ALLOW_FILE_FLAG, FILE_HINT, check_feed_url, is_http_url
from watchers.fetch.types import FetchError
from watchers.parse.feed import ParseError
from watchers.parse.opml import OpmlError, read_opml, starter_opml, write_opml
from watchers.poll.probe import probe_feed


async def feeds(args: argparse.Namespace, settings: Settings) -> int:
    store = await open_store(settings)
    try:
        action = _ACTIONS[args.action]
        await action(args, store, settings)
    finally:
        await store.close()
    return 0


async def _add_feed(
    store: Store,
    url: str,
    title: str | None = None,
    *,
    allow_files: bool = False,
    action: str = "feeds add",
) -> str:
    feed = await store.add_feed(check_feed_url(url, allow_files=allow_files), utcnow(), title)
    note = ""
    if not feed.url.startswith(("http://", "https://")):
        # A local file's items link to their sites: fetching those articles would go out to
        # the internet from a source added to work offline. The operator can turn it on.
        await store.set_feed_full_text(feed.id, False)
        note = f" (a file: its articles are not fetched; `policywatch feeds fulltext {feed.id} on`)"
    await audit(
        store,
        action,
        feed.url,
        before=None,
        after={"id": feed.id, "title": title},
        undo={"kind": "addfeed", "feed_id": feed.id},
    )
    return f"added feed {feed.id}: {feed.url}{note}"


async def _add_checked_feed(
    store: Store, url: str, settings: Settings, *, allow_files: bool = False
) -> str:
    """Fetch and parse the feed once before adding it, whether a URL or (with --allow-file) a
    file: an HTML page, an oversized body or a non-feed is refused now, not at the next poll.
    A site's page is swapped for the feed it links to."""
    if not is_http_url(url):
        url = check_feed_url(url, allow_files=allow_files)
    policy = fetch_policy(settings)
    async with make_client(policy) as client:
        try:
            probe = await probe_feed(url, policy=policy, client=client, now=utcnow())
        except (FetchError, ParseError) as exc:
            raise UsageError(not_added(exc, "add it with --no-check")) from exc
    if probe.note:
        print(probe.note, file=sys.stderr)
    return await _add_feed(store, probe.url, probe.feed.title, allow_files=allow_files)


async def _add(args: argparse.Namespace, store: Store, settings: Settings) -> None:
    if not args.allow_file and not is_http_url(args.url) and _names_a_file(args.url):
        raise UsageError(
            f"{args.url!r} is a local file, not an http(s) URL; to watch it, add "
            f"{ALLOW_FILE_FLAG}: `policywatch feeds add {ALLOW_FILE_FLAG} {args.url}`"
        )
    if args.no_check:
        print(await _add_feed(store, args.url, allow_files=args.allow_file))
    else:
        print(await _add_checked_feed(store, args.url, settings, allow_files=args.allow_file))


def _names_a_file(url: str) -> bool:
    """A `file:` URL or a path that exists: what --allow-file is for."""
    return url.strip().lower().startswith("file:") or Path(url).expanduser().exists()


async def _list(args: argparse.Namespace, store: Store, settings: Settings) -> None:
    rows = await store.list_feeds()
    trouble = await store.article_trouble(utcnow() - ARTICLE_TROUBLE_WINDOW)
    if not rows:
        print("no feeds yet: add one with `policywatch feeds add URL`")
    for f in rows:
        polled = f.last_polled_at.strftime("%Y-%m-%d %H:%M UTC") if f.last_polled_at else "never"
        state = "ok" if f.failures == 0 else f"FAILING x{f.failures}: {f.last_error}"
        every = human_duration(f.interval_seconds or settings.poll_interval)
        # a failing feed waits longer each time: its usual interval would mislead (QA)
        cadence = "retried with a growing wait" if f.failures else f"polled every {every}"
        print(
            f"{f.id:>4}  {f.url}\n      {f.title or '(no title yet)'} | last poll {polled} "
            f"| {counted(f.item_count, 'item')} | {state}\n      {cadence} "
            f"| next poll {_next_poll(f.next_poll_at)}"
        )
        if f.note:
            print(f"      note: {f.note}")
        if not f.full_text:
            print("      full text: off (`policywatch feeds fulltext ID on` to fetch articles)")
        elif (articles := article_line(trouble.get(f.id), f.full_text)) is not None:
            print(f"      {articles}")


async def _remove(args: argparse.Namespace, store: Store, settings: Settings) -> None:
    feed = await store.find_feed(args.feed)
    if feed is None:
        raise UsageError(f"no feed {args.feed!r}; `policywatch feeds list` shows ids and URLs")
    confirm(
        f"Remove feed {feed.id} {feed.url} and its {feed.item_count} stored items?",
        yes=args.yes,
        again=f"policywatch feeds remove {feed.id} --yes",
    )
    removed = await store.remove_feed(feed.id)
    if removed is None:
        raise UsageError(f"feed {feed.id} was removed meanwhile (by the bot or another shell)")
    await audit(
        store,
        "feeds remove",
        feed.url,
        before={"id": feed.id},
        after=None,
        undo=feed_removal_undo(feed, removed),
    )
    print(f"removed feed {feed.id}: {feed.url} (`/undo` in the chat or console adds it back)")


async def _fulltext(args: argparse.Namespace, store: Store, settings: Settings) -> None:
    """Turn on or off fetching the articles of a feed's thin matched items."""
    feed = await store.find_feed(args.feed)
    if feed is None:
        raise UsageError(f"no feed {args.feed!r}; `policywatch feeds list` shows ids and URLs")
    await store.set_feed_full_text(feed.id, args.state == "on")
    if args.state == "on":
        print(
            f"feed {feed.id}: the articles of its short matched items will be fetched "
            "(once each, after the poll that found them)"
        )
    else:
        print(f"feed {feed.id}: its articles will not be fetched; the feed's text is used alone")


def _next_poll(at: datetime) -> str:
    """`2026-11-30 10:15 UTC (in 12 min)`, or `now` for a feed already due."""
    wait = (at - utcnow()).total_seconds()
    if wait <= 0:
        return "now (at the next run)"
    return f"{at:%Y-%m-%d %H:%M} UTC (in {human_duration(wait)})"


async def _import(args: argparse.Namespace, store: Store, settings: Settings) -> None:
    """Add each feed of an OPML file (or of the starter OPML) that is not watched yet.

    Checks each URL's form, not its content: nothing is fetched here, so an import works the
    same offline, and the next `policywatch run` polls every new feed (retrying, with backoff,
    those it cannot reach).
    """
    if args.starter == bool(args.file):
        raise UsageError("give an OPML file or --starter (the curated feeds), not both or neither")
    name = "the starter feeds" if args.starter else args.file
    try:
        entries = read_opml(starter_opml() if args.starter else Path(args.file).read_bytes())
    except OpmlError as exc:
        raise UsageError(f"{name}: {exc}") from exc
    except OSError as exc:  # a missing or unreadable file: say which, not "[Errno 2]"
        raise UsageError(f"cannot read {name}: {exc.strerror or exc}") from None
    if not entries:
        raise UsageError(
            f"{name}: found no feeds (no <outline> with an xmlUrl attribute); nothing imported"
        )
    added = skipped = 0
    for url, title in entries:
        try:
            print(
                await _add_feed(
                    store, url, title, allow_files=args.allow_file, action="feeds import"
                )
            )
            added += 1
        except KNOWN_ERRORS as exc:
            why = str(exc)
            if FILE_HINT in why:  # the import's own flag, not `feeds add`'s (QA round 21)
                why = why.replace(
                    FILE_HINT, f"to import local files, add {ALLOW_FILE_FLAG} to `feeds import`"
                )
            print(f"skipped: {why}", file=sys.stderr)
            skipped += 1
    print(f"imported {counted(added, 'feed')}, skipped {skipped}")
    if added:
        print(
            "None was fetched yet: `policywatch run` polls them; one it cannot reach "
            "(no network, site down) is retried with backoff, and `policywatch feeds list` "
            "shows each feed's state."
        )


async def _export(args: argparse.Namespace, store: Store, settings: Settings) -> None:
    write_out(args.file, write_opml([(f.url, f.title) for f in await store.list_feeds()]))


_ACTIONS = {
    "add": _add,
    "list": _list,
    "remove": _remove,
    "import": _import,
    "export": _export,
    "fulltext": _fulltext,
}
