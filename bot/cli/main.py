"""The `policywatch` command line (also `python -m bot`).

Parses arguments, loads settings and hands over to one function per command. Every failure a
user can cause ends in a one-line message on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import NoReturn

from bot.app.errors import KNOWN_ERRORS, SetupError
from bot.app.logsetup import setup_logging
from bot.app.roles import Role
from bot.app.settings import Settings, SettingsError, env_file_warnings, load_settings
from bot.cli import db, feeds, match, run, themes, timeline
from matcher.themes import DEFAULT_THRESHOLD
from store import StoreConfigError, StoreUnavailable

log = logging.getLogger(__name__)

# A setting, or the database or file a setting names, that cannot be used: exit code 2.
CONFIG_ERRORS = (SettingsError, SetupError, StoreConfigError, StoreUnavailable)
# Everything else we know how to say in one line: exit code 1.
HANDLED: tuple[type[Exception], ...] = (*CONFIG_ERRORS, *KNOWN_ERRORS, OSError)


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


YES_HELP = "do not ask (needed when standard input is not a terminal)"


def _count(text: str) -> int:
    """A number of items: a whole number of 1 or more (argparse names the option)."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number of 1 or more, e.g. 200")
    return number


def _threshold(text: str) -> int:
    """A theme's threshold: a whole number from 0 to 100."""
    try:
        number = int(text)
    except ValueError:
        number = -1
    if not 0 <= number <= 100:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number from 0 to 100, e.g. 60")
    return number


def _phrase(text: str) -> str:
    """A keyword or excluded phrase: some words."""
    if not text.strip():
        raise argparse.ArgumentTypeError('give some words, e.g. "restore ties"')
    return text.strip()


def _who(text: str) -> str:
    """A speaker, office or state to filter by: some words (an empty one filtered out all)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("give a speaker, an office or a state, e.g. --who Erdogan")
    return text.strip()


def _chart_file(text: str) -> Path:
    """Where to draw the chart: its folder must exist (checked before the timeline is shown)."""
    path = Path(text).expanduser()
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(
            f"{text!r}: there is no folder {str(path.parent)!r}; create it or name another file"
        )
    return path


def build_parser() -> Parser:
    p = Parser(prog="policywatch", description="Watch news feeds for policy statements.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)

    run = sub.add_parser("run", help="poll feeds and deliver alerts (Telegram, else console)")
    run.add_argument("--once", action="store_true", help="one poll-and-deliver cycle, then exit")
    run.add_argument(
        "--role",
        choices=[r.value for r in Role],
        default=Role.ALL.value,
        help="all (default): poll and, unless another process does, send; watcher: poll "
        "only; sender: receive updates and deliver only (one per bot token)",
    )

    match = sub.add_parser("match", help="dry-run the matcher on feeds or items; stores nothing")
    match.add_argument("--theme", metavar="SLUG", help="only this theme")
    match.add_argument("--themes-file", metavar="FILE.toml", help="themes to use instead")
    match.add_argument("--matched-only", action="store_true", help="print only matches")
    match.add_argument(
        "--stored",
        type=_count,
        metavar="N",
        help="score the N newest stored items (and every item with feedback) "
        "instead of INPUTs, before and after a proposed change",
    )
    match.add_argument("--threshold", type=_threshold, metavar="N", help="proposed threshold")
    match.add_argument("--add", metavar="PHRASE", type=_phrase, help="proposed keyword")
    match.add_argument("--exclude", metavar="PHRASE", type=_phrase, help="proposed excluded phrase")
    match.add_argument("--query", metavar="QUERY", help="proposed Boolean query (see README)")
    match.add_argument(
        "inputs",
        nargs="*",
        metavar="INPUT",
        help="a feed file, a feed URL, or a JSON Lines file of items",
    )

    tl = sub.add_parser("timeline", help="the history of statements on a theme")
    tl.add_argument("slug", metavar="SLUG")
    tl.add_argument("--since", metavar="DATE", help="2023, 2023-01, 2023-01-03, 30d or 6m")
    tl.add_argument("--until", metavar="DATE")
    tl.add_argument("--who", metavar="NAME", type=_who, help="a speaker, office or state")
    tl.add_argument("--stance", choices=["opposes", "supports", "unclear"])
    tl.add_argument(
        "--role",
        choices=["official", "commentator"],
        help="officials only, or commentators (analysts quoted for analysis) only",
    )
    tl.add_argument("--format", choices=["text", "json", "csv"], default="text")
    tl.add_argument(
        "--chart", metavar="FILE.png", type=_chart_file, help="also draw the events over time"
    )

    feeds = sub.add_parser("feeds", help="list, add, remove, import or export feeds")
    fsub = feeds.add_subparsers(dest="action", required=True, parser_class=Parser)
    fsub.add_parser("list", help="each feed with its polling state")
    fadd = fsub.add_parser("add", help="watch a feed (an http(s) URL; a file with --allow-file)")
    fadd.add_argument("url", metavar="URL|PATH")
    fadd.add_argument(
        "--allow-file",
        action="store_true",
        help="accept a local file (a path or a file:// URL) as a feed",
    )
    fadd.add_argument(
        "--no-check",
        action="store_true",
        help="add without fetching it first (e.g. while it is down)",
    )
    frm = fsub.add_parser("remove", help="stop watching a feed and delete its items")
    frm.add_argument("feed", metavar="URL|ID")
    frm.add_argument("--yes", action="store_true", help=YES_HELP)
    fimp = fsub.add_parser("import", help="add the feeds of an OPML file (or the starter feeds)")
    fimp.add_argument("file", nargs="?", metavar="FILE.opml")
    fimp.add_argument(
        "--starter",
        action="store_true",
        help="the curated feeds shipped for the normalization-with-assad theme",
    )
    fimp.add_argument(
        "--allow-file",
        action="store_true",
        help="also add the file:// feeds the OPML lists (skipped otherwise)",
    )
    fft = fsub.add_parser(
        "fulltext", help="fetch the articles of a feed's short matched items, or stop (on|off)"
    )
    fft.add_argument("feed", metavar="URL|ID")
    fft.add_argument("state", choices=("on", "off"))
    fexp = fsub.add_parser("export", help="write the feeds as OPML")
    fexp.add_argument("file", nargs="?", metavar="FILE.opml", help="default: standard output")

    themes = sub.add_parser(
        "themes", help="list, add, show, import, export, teach or give examples to themes"
    )
    tsub = themes.add_subparsers(dest="action", required=True, parser_class=Parser)
    tsub.add_parser("list", help="the themes with their thresholds")
    tadd = tsub.add_parser("add", help="a new theme, written as a Boolean query")
    tadd.add_argument("slug")
    tadd.add_argument("name", metavar="NAME")
    tadd.add_argument(
        "--query",
        metavar="QUERY",
        help='AND, OR, NOT, (brackets), "exact phrases", prefix*, NEAR/n; e.g. '
        "'(Iran OR Tehran) AND nuclear AND (talks OR negotiat*)'",
    )
    tadd.add_argument(
        "--threshold",
        type=_threshold,
        default=DEFAULT_THRESHOLD,
        metavar="N",
        help=f"0-100 ({DEFAULT_THRESHOLD})",
    )
    tshow = tsub.add_parser("show", help="one theme as TOML (a query theme with its query)")
    tshow.add_argument("slug")
    timp = tsub.add_parser("import", help="add or replace themes from a TOML file")
    timp.add_argument("file", metavar="FILE.toml", help="'-': standard input")
    texp = tsub.add_parser("export", help="write the themes as TOML")
    texp.add_argument("file", nargs="?", metavar="FILE.toml", help="default: standard output")
    trem = tsub.add_parser("rematch", help="re-score every stored item against a theme")
    trem.add_argument("slug")
    trm = tsub.add_parser("remove", help="delete a theme with its matches and events")
    trm.add_argument("slug")
    trm.add_argument("--yes", action="store_true", help=YES_HELP)
    tteach = tsub.add_parser("teach", help="label items relevant or not; the theme re-fits")
    tteach.add_argument("slug")
    tteach.add_argument(
        "file", metavar="FILE.jsonl", help="title, summary, published, source, link, relevant"
    )
    tex = tsub.add_parser("example", help="an article the theme should find (an exemplar)")
    tex.add_argument("slug")
    tex.add_argument("source", metavar="URL|FILE", help="an http(s) URL, an HTML or a text file")
    tlearn = tsub.add_parser("learn", help="re-fit the theme on its labels (after feedback)")
    tlearn.add_argument("slug")
    tlabels = tsub.add_parser("labels", help="the theme's taught labels, with their ids")
    tlabels.add_argument("slug")
    tunl = tsub.add_parser("unlabel", help="take labels back (ids from `themes labels`)")
    tunl.add_argument("slug")
    tunl.add_argument("ids", nargs="+", type=int, metavar="ID")

    db = sub.add_parser("db", help="database maintenance")
    dsub = db.add_subparsers(dest="action", required=True, parser_class=Parser)
    dsub.add_parser("upgrade", help="apply the database migrations")
    return p


async def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    """Hand over to the verb's own module."""
    handlers: dict[str, Callable[[argparse.Namespace, Settings], Awaitable[int]]] = {
        "run": run.run,
        "match": match.match_inputs,
        "timeline": timeline.timeline,
        "feeds": feeds.feeds,
        "themes": themes.themes,
        "db": db.db,
    }
    return await handlers[args.command](args, settings)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"policywatch: bad setting: {exc}", file=sys.stderr)
        return 2
    for warning in env_file_warnings():
        print(f"policywatch: {warning}", file=sys.stderr)
    setup_logging(settings)
    try:
        return asyncio.run(dispatch(args, settings))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`policywatch feeds list | head`): nothing more to say.
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115  (Python's own recipe)
        return 0
    except HANDLED as exc:
        # The one place a known failure becomes a line on stderr; the traceback is kept
        # for LOG_LEVEL=DEBUG.
        log.debug("policywatch %s failed", args.command, exc_info=True)
        print(f"policywatch: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, CONFIG_ERRORS) else 1


if __name__ == "__main__":
    sys.exit(main())
