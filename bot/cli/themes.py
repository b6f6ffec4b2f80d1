"""`policywatch themes list|show|import|export|rematch|remove|teach|example|learn|labels|unlabel`.

The tracked themes from a shell; teaching goes through bot.app.teaching, as in the chat.

Themes are named as everywhere else: slug, display name or a close spelling.
"""

from __future__ import annotations

import argparse
import sys

from bot.app.clock import utcnow
from bot.app.errors import UsageError
from bot.app.settings import Settings
from bot.app.teaching import Taught, add_example, read_example, read_teach_file, refitted, teach
from bot.app.teaching import unlabel as take_back
from bot.app.textfile import read_utf8
from bot.app.wiring import fetch_policy, open_store
from bot.app.words import counted
from bot.chat.views import REACH_ITEMS, prefix_reach_text
from bot.cli.common import audit, confirm, resolve_theme, write_out
from matcher import Theme, dump_themes_toml, load_themes_toml, with_threshold
from matcher.learning import LEARNED
from matcher.prefixes import prefix_reach, prefixes
from matcher.query import parse_query, phrase_note
from matcher.themes import new_theme_problem, validate_theme, with_query
from store import Store
from store.records import ThemeSpec
from watchers.poll.rematch import rematch_theme
from watchers.poll.themes import spec_from_theme, theme_from_spec


async def themes(args: argparse.Namespace, settings: Settings) -> int:
    args.policy = fetch_policy(settings)
    store = await open_store(settings)
    try:
        specs = await store.list_themes()
        await _ACTIONS[args.action](args, store, specs)
    finally:
        await store.close()
    return 0


async def _list(args: argparse.Namespace, store: Store, specs: list[ThemeSpec]) -> None:
    for s in specs:
        print(f"{s.slug}  threshold {s.threshold}  {s.name}")


async def _add(args: argparse.Namespace, store: Store, specs: list[ThemeSpec]) -> None:
    """`themes add SLUG NAME [--query Q]`: a new theme, checked before anything is stored."""
    if any(s.slug == args.slug for s in specs):
        raise UsageError(f"theme {args.slug!r} exists; edit it with `themes export` / `import`")
    problem = new_theme_problem(args.slug, args.name)
    if problem:
        raise UsageError(f"not added: {problem}")
    theme = with_threshold(
        validate_theme(Theme(args.slug, args.name, "", args.threshold, ())), args.threshold
    )
    if args.query is not None:
        theme = with_query(theme, args.query)
    saved = await _save(
        store,
        theme,
        "themes add",
        before=None,
        after={"name": theme.name, "query": theme.query, "threshold": theme.threshold},
    )
    concepts = "; ".join(f"{g.name}: {' OR '.join(g.terms)}" for g in theme.groups)
    print(f"added theme {saved.slug}" + (f" (all of: {concepts})" if concepts else ""))
    if theme.exclude:
        print(f"excluded: {', '.join(theme.exclude)}")
    if theme.query is not None and prefixes(node := parse_query(theme.query)):
        rows = await store.recent_items(REACH_ITEMS)
        reaches = prefix_reach(node, (f"{r.title}\n{r.summary}" for r in rows))
        print(prefix_reach_text(reaches, len(rows)))
    if theme.query is not None and (phrase := phrase_note(parse_query(theme.query))):
        print(phrase)
    if theme.groups:
        await rematch(store, theme.slug)


async def _save(
    store: Store,
    theme: Theme,
    action: str,
    *,
    before: object,
    after: object,
    replaced: ThemeSpec | None = None,
) -> ThemeSpec:
    """Store a theme from the CLI and write the audit entry for it, with what `/undo` needs as
    the chat's twins store it: a new theme is removed again (`/addtheme`), a replaced one put
    back as it was (a theme change)."""
    saved = await store.save_theme(spec_from_theme(theme), utcnow())
    undo: dict[str, object] = (
        {"kind": "addtheme", "slug": saved.slug}
        if replaced is None
        else {"kind": "theme", "theme": replaced.to_json(), "after": saved.to_json()}
    )
    await audit(store, action, theme.slug, before=before, after=after, undo=undo)
    return saved


async def _show(args: argparse.Namespace, store: Store, specs: list[ThemeSpec]) -> None:
    print(dump_themes_toml([theme_from_spec(resolve_theme(args.slug, specs))]), end="")


async def _export(args: argparse.Namespace, store: Store, specs: list[ThemeSpec]) -> None:
    text = dump_themes_toml([theme_from_spec(s) for s in specs])
    write_out(args.file, text.encode())


async def _import(args: argparse.Namespace, store: Store, specs: list[ThemeSpec]) -> None:
    name = "standard input" if args.file == "-" else args.file
    loaded = load_themes_toml(read_utf8(args.file), source=name)
    if not loaded:
        raise UsageError(f"{name}: holds no [[themes]] table; nothing imported")
    known = {s.slug for s in specs}
    for theme in loaded:  # a new theme keeps the rule `themes add` and /addtheme keep (QA)
        problem = None if theme.slug in known else new_theme_problem(theme.slug, theme.name)
        if problem:
            raise UsageError(f"{name}: theme {theme.slug[:60]!r}: {problem}; nothing imported")
    for theme in loaded:
        before = next((s for s in specs if s.slug == theme.slug), None)
        if before is not None and spec_from_theme(theme).to_json() == before.to_json():
            # An export imported again changes nothing: no new version, no re-match (QA).
            print(f"unchanged theme {theme.slug} (version {before.version})")
            continue
        was = None if before is None else before.threshold
        saved = await _save(
            store, theme, "themes import", before=was, after=theme.threshold, replaced=before
        )
        print(f"{'replaced' if before else 'added'} theme {theme.slug} (version {saved.version})")
        labels = await store.list_labels(theme.slug)
        if labels and LEARNED not in theme.options:
            # The model is derived from the labels the database keeps; a file without one
            # must not silently switch them off (QA): fit them again.
            taught = await refitted(
                store,
                theme.slug,
                utcnow(),
                actor_id=None,
                actor_name="cli",
                action="learn",
                target="re-fit after import",
            )
            state = "on" if taught.report.active else "off: " + taught.report.needs()
            print(f"  its {len(labels)} stored labels were fitted again (model {state})")
        elif not labels and LEARNED in theme.options:
            print(
                f"  its learned model came with the file, but this database holds none of its "
                f"labels: `policywatch themes learn {theme.slug}` would remove the model; "
                f"`themes teach {theme.slug} FILE.jsonl` gives it labels"
            )
        await rematch(store, theme.slug)


async def _rematch(args: argparse.Namespace, store: Store, specs: list[ThemeSpec]) -> None:
    await rematch(store, resolve_theme(args.slug, specs).slug)


async def _remove(args: argparse.Namespace, store: Store, specs: list[ThemeSpec]) -> None:
    """Asks first and is audited like `/removetheme`, with the snapshot `/undo` restores."""
    spec = resolve_theme(args.slug, specs)
    counts = await store.theme_footprint(spec.slug)
    if counts is None:
        raise UsageError(f"theme {spec.slug} is already gone")
    votes = (
        f"; its {counted(counts.votes, 'feedback vote')} cannot come back" if counts.votes else ""
    )
    confirm(
        f"Remove theme {spec.slug} ({spec.name}) with its {counted(counts.matches, 'match')}, "
        f"{counted(counts.events, 'event')}, {counted(counts.subscriptions, 'subscription')} "
        f"and {counted(counts.labels, 'taught label')}{votes}?",
        yes=args.yes,
        again=f"policywatch themes remove {spec.slug} --yes",
    )
    snapshot = await store.removal_snapshot(spec)  # its labels and subscriptions come back too
    await store.remove_theme(spec.slug)
    await audit(
        store,
        "themes remove",
        spec.slug,
        before={"name": spec.name, "threshold": spec.threshold},
        after=None,
        undo=snapshot,
    )
    print(f"removed theme {spec.slug}")


async def rematch(store: Store, slug: str) -> None:
    """Bring the archive's matches and events up to date with the theme, showing progress."""
    spec = await store.get_theme(slug)
    assert spec is not None

    async def progress(done: int, total: int) -> None:
        print(f"\rre-matching {slug}: {done:,}/{total:,} items", end="", file=sys.stderr)

    await store.rematch_started(slug, spec.version)
    report = await rematch_theme(store, theme_from_spec(spec), utcnow, progress=progress)
    await store.rematch_finished(slug, spec.version)
    print(
        f"\nre-matched {report.scanned:,} items: {report.added:,} newly matched, "
        f"{report.dropped:,} no longer matched, {report.kept:,} still matched",
        file=sys.stderr,
    )


CLI = (None, "cli")  # the audit log's actor for shell changes


async def _after_teaching(store: Store, taught: Taught) -> None:
    print(taught.summary())
    if taught.proposal:
        print(f"proposed query (set it with `/query {taught.after.slug} ...`): {taught.proposal}")
    await rematch(store, taught.after.slug)


async def _teach(args: argparse.Namespace, store: Store, specs: list[ThemeSpec]) -> None:
    slug = resolve_theme(args.slug, specs).slug
    rows = read_teach_file(args.file)
    await _after_teaching(store, await teach(store, slug, rows, utcnow(), CLI))


async def _example(args: argparse.Namespace, store: Store, specs: list[ThemeSpec]) -> None:
    slug = resolve_theme(args.slug, specs).slug
    article, link = await read_example(args.source, args.policy, utcnow())
    print(f"example: {article.exemplar()[:160]}")
    await _after_teaching(store, await add_example(store, slug, article, link, utcnow(), CLI))


async def _learn(args: argparse.Namespace, store: Store, specs: list[ThemeSpec]) -> None:
    slug = resolve_theme(args.slug, specs).slug
    taught = await refitted(
        store, slug, utcnow(), actor_id=None, actor_name="cli", action="learn", target="re-fit"
    )
    await _after_teaching(store, taught)


async def _labels(args: argparse.Namespace, store: Store, specs: list[ThemeSpec]) -> None:
    slug = resolve_theme(args.slug, specs).slug
    rows = await store.list_labels(slug)
    for r in rows:
        print(
            f"{r.id:5d}  {'relevant' if r.relevant else 'not     '}  {r.origin:8s} {r.title[:70]}"
        )
    votes = await store.feedback_labels(slug)
    print(
        f"{len(rows)} taught labels; {sum(v.relevant for v in votes)} relevant and "
        f"{sum(not v.relevant for v in votes)} not relevant from the alerts' buttons"
    )


async def _unlabel(args: argparse.Namespace, store: Store, specs: list[ThemeSpec]) -> None:
    slug = resolve_theme(args.slug, specs).slug
    taught = await take_back(store, slug, args.ids, utcnow(), CLI)
    print(f"{slug}: {taught.taken_back_line()}.")
    await _after_teaching(store, taught)


_ACTIONS = {
    "teach": _teach,
    "example": _example,
    "learn": _learn,
    "labels": _labels,
    "unlabel": _unlabel,
    "list": _list,
    "add": _add,
    "show": _show,
    "export": _export,
    "import": _import,
    "rematch": _rematch,
    "remove": _remove,
}
