"""Teaching a theme, shared by the chat (/example, /learn, /unlabel) and the CLI (themes teach,
example, learn, unlabel): labels in, model re-fitted, theme saved and audited, undo.

The labels of a theme are its taught items (store `theme_labels`) and the feedback buttons'
votes. Every change here re-fits the model from all of them (matcher.teach), saves the theme
(a new version, so the scorers pick it up) and writes one audit entry whose snapshot undoes
it: the theme as it was, the labels added and the labels removed. The caller starts the
background re-match (which never alerts old items). Fetching a URL and reading an article
are the caller's (the fetch client lives with the poller).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.app.errors import UsageError
from bot.app.textfile import read_utf8
from bot.app.words import counted
from matcher import ItemText, Theme
from matcher.learning import LEARNED, model_from_json
from matcher.propose import propose_query
from matcher.teach import Label, LabelReplay, TeachReport, label_replay, untaught, with_labels
from store import LabelRow, Store
from store.records import ThemeSpec
from watchers.fetch.client import FetchPolicy, fetch_feed, make_client
from watchers.parse.article import Article, extract_article
from watchers.parse.feed import SUMMARY_LIMIT, TITLE_LIMIT
from watchers.poll.themes import spec_from_theme, theme_from_spec

__all__ = [
    "Taught",
    "add_example",
    "fetch_article",
    "fit_report",
    "labels_of",
    "read_example",
    "read_teach_file",
    "refit",
    "refitted",
    "teach",
    "undo_labels",
    "unlabel",
]


@dataclass(frozen=True)
class Taught:
    """What a teaching step did: the theme before and after, the fit, the labels' replay."""

    before: Theme
    after: Theme
    report: TeachReport
    replay: LabelReplay
    audit_id: int
    proposal: str | None = None  # a query proposed from the examples (themes with no terms)
    taken_back: tuple[int, ...] = ()  # label ids an unlabel removed
    not_found: tuple[int, ...] = ()  # label ids an unlabel was given that were not there

    def taken_back_line(self) -> str:
        """ "label 1 taken back (no label 2)": what an unlabel did, not what it was asked."""
        ids = self.taken_back
        which = f"label {ids[0]}" if len(ids) == 1 else "labels " + ", ".join(map(str, ids))
        line = f"{which} taken back"
        if self.not_found:
            line += f" (no label {', '.join(map(str, self.not_found))})"
        return line

    def summary(self) -> str:
        """Plain text for a reply: the labels, whether they count, what they change."""
        r = self.report
        head = f"{r.relevant} labelled relevant, {r.not_relevant} not relevant"
        state = "the model is on" if r.active else f"the rules alone decide: {r.needs()}"
        if not self.after.groups:
            state = "labels count once it has terms (set its query)"
        text = f"{head}; {state}. Labelled items: {self.replay.line()}."
        if r.beyond and self.after.groups:
            # A fit scores only what the terms reach: say so, and what the query lacks.
            text += (
                f" {counted(r.beyond, 'item')} labelled relevant "
                f"{'is' if r.beyond == 1 else 'are'} beyond its terms, and no fit can bring "
                "such items in: widen the query"
            )
            if r.beyond_words:
                shown = ", ".join(f"“{w}”" for w in r.beyond_words)
                text += f" (they share {shown}, rare in the items labelled not relevant)"
            text += "."
        return text


def label_of(row: LabelRow) -> Label:
    published = row.published
    if published is not None and published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return Label(ItemText(row.title, row.summary, published, row.source, row.link), row.relevant)


async def labels_of(store: Store, slug: str) -> list[LabelRow]:
    """The theme's labels: taught items, then feedback votes on its alerts."""
    return [*await store.list_labels(slug), *await store.feedback_labels(slug)]


async def fit_report(store: Store, slug: str) -> TeachReport:
    """What fitting the theme on its labels now would use, saving nothing (for a reply)."""
    return (await _fit(store, slug, None, None))[3]


async def _fit(
    store: Store,
    slug: str,
    change: Callable[[Theme], Theme] | None,
    before_spec: ThemeSpec | None,
) -> tuple[ThemeSpec, Theme, Theme, TeachReport, list[Label]]:
    spec = before_spec or await store.get_theme(slug)
    if spec is None:
        raise UsageError(f"no theme {slug!r}")
    before = theme_from_spec(spec)
    theme = change(before) if change is not None else before
    labels = [label_of(r) for r in await labels_of(store, slug)]
    after, report = with_labels(theme, labels)
    return spec, before, after, report, labels


async def refit(
    store: Store,
    slug: str,
    now: datetime,
    *,
    actor_id: int | None,
    actor_name: str,
    action: str,
    target: str,
    added: Sequence[int] = (),
    removed: Sequence[LabelRow] = (),
    change: Callable[[Theme], Theme] | None = None,
    before_spec: ThemeSpec | None = None,
    only_if_changed: bool = False,
) -> Taught | None:
    """Re-fit the theme on all its labels (after `change`, if any), save it and audit it.

    With only_if_changed, a fit that leaves the theme as it was saves and logs nothing (None).
    """
    spec, before, after, report, labels = await _fit(store, slug, change, before_spec)
    if only_if_changed and after == before:
        return None
    replay = label_replay(before, after, labels)
    await store.save_theme(spec_from_theme(after), now)
    # the counts before this step: the fit's, less the labels it added, plus those it took
    # back (QA round 13: /audit showed the counts after the step on its left)
    new = set(added)
    gained = [r.relevant for r in await store.list_labels(slug) if r.id in new]
    lost = [r.relevant for r in removed]
    had = [
        report.relevant - sum(gained) + sum(lost),
        report.not_relevant - gained.count(False) + lost.count(False),
    ]
    if not new and not removed and LEARNED in before.options:
        # nothing added or taken here (/learn, votes): the model before says what it had
        fitted = model_from_json(str(before.options[LEARNED]))
        had = [fitted.n_relevant, fitted.n_not]
    audit_id = await store.record_audit(
        at=now,
        actor_id=actor_id,
        actor_name=actor_name,
        action=action,
        target=slug,
        before={"labels": had, "model": LEARNED in before.options},
        after={
            "what": target or None,
            "labels": [report.relevant, report.not_relevant],
            "model": report.active,
        },
        snapshot={
            "kind": "labels",
            "theme": spec.to_json(),
            "after": spec_from_theme(after).to_json(),
            "added": list(added),
            "removed": [r.to_json() for r in removed],
        },
    )
    # Only a theme with no terms yet gets a proposal: a theme of groups was written on purpose.
    proposal = propose_query(after.exemplars) if not after.groups and after.exemplars else None
    return Taught(before, after, report, replay, audit_id, proposal)


async def refitted(store: Store, slug: str, now: datetime, **kw: Any) -> Taught:
    """refit, for callers that always save (every change but the feedback's automatic one)."""
    taught = await refit(store, slug, now, **kw)
    assert taught is not None  # only_if_changed was not asked for
    return taught


async def undo_labels(
    store: Store, snapshot: dict[str, Any], now: datetime, theme: dict[str, Any] | None = None
) -> str:
    """Take back a teaching step: its labels, and the theme as `theme` (store.undo decided it).

    Without `theme` (an entry written before teaching steps kept the theme after them, which
    may only be undone when nothing followed) the theme goes back whole, model included. With
    it, the model is fitted again on the labels left: it is derived from the labels, so later
    term or label changes never block the undo. Returns the slug.
    """
    restored = ThemeSpec.from_json(theme if theme is not None else snapshot["theme"])
    await store.save_theme(restored, now)
    added = [int(i) for i in snapshot.get("added", [])]
    if added:
        await store.remove_labels(restored.slug, added)
    removed = [LabelRow.from_json(r) for r in snapshot.get("removed", [])]
    if removed:
        await store.add_labels(restored.slug, removed, now, "undo")
    if theme is not None:
        _, before, after, _, _ = await _fit(store, restored.slug, None, None)
        if after != before:
            await store.save_theme(spec_from_theme(after), now)
    return restored.slug


def _flag(value: object, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
        return value.strip().lower() in ("true", "1")
    if value in (0, 1, 2):  # the relevance sets' label 2/1/0: 2 is relevant
        return value == 2
    raise UsageError(f"{where}: `relevant` must be true or false, got {value!r}")


def _published(value: object, where: str) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        day = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"{where}: `published` {value!r} is not an ISO date") from None
    return day if day.tzinfo else day.replace(tzinfo=UTC)


def read_teach_file(path: str) -> list[LabelRow]:
    """Labelled items from JSON Lines (title, summary, published, source, link, relevant)."""
    lines = read_utf8(path).splitlines()
    rows = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path} line {n}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{where}: not JSON ({exc.msg} at column {exc.colno})") from None
        if not isinstance(data, dict):
            raise UsageError(f"{where}: expected an object with title and relevant")
        for field in ("title", "summary", "source", "link"):
            if data.get(field) is not None and not isinstance(data[field], str):
                raise UsageError(f"{where}: `{field}` must be text, not {data[field]!r}")
        title = str(data.get("title") or "").strip()
        if not title:
            raise UsageError(f"{where}: `title` is missing")
        if "relevant" not in data and "label" not in data:
            raise UsageError(f"{where}: `relevant` (true or false) is missing")
        relevant = _flag(data["relevant"] if "relevant" in data else data["label"], where)
        rows.append(
            LabelRow(  # cut as a feed's entries are: a label is scored as a polled item
                title=title[:TITLE_LIMIT],
                summary=str(data.get("summary") or "")[:SUMMARY_LIMIT],
                published=_published(data.get("published"), where),
                source=str(data.get("source") or ""),
                link=str(data.get("link") or ""),
                relevant=relevant,
                origin="teach",
            )
        )
    if not rows:
        raise UsageError(f"{path} has no labelled items")
    return rows


async def teach(
    store: Store, slug: str, rows: Sequence[LabelRow], now: datetime, actor: tuple[int | None, str]
) -> Taught:
    """Add labelled items (an item with the link of an earlier label replaces it), re-fit."""
    added, replaced = await store.add_labels(slug, rows, now, actor[1])
    return await refitted(
        store,
        slug,
        now,
        actor_id=actor[0],
        actor_name=actor[1],
        action="teach",
        target=f"{len(rows)} labelled items",
        added=added,
        removed=replaced,
    )


async def unlabel(
    store: Store, slug: str, ids: Sequence[int], now: datetime, actor: tuple[int | None, str]
) -> Taught:
    """Take labels back (ids from /labels), re-fit; UsageError if none of them is there."""
    removed = await store.remove_labels(slug, ids)
    if not removed:
        raise UsageError(f"{slug} has no label {', '.join(map(str, ids))}; see /labels {slug}")
    gone = tuple(sorted(r.id for r in removed))
    missing = tuple(sorted(set(ids) - set(gone)))
    taught = await refitted(
        store,
        slug,
        now,
        actor_id=actor[0],
        actor_name=actor[1],
        action="unlabel",
        target=", ".join(str(r.id) for r in removed),
        removed=removed,
    )
    return replace(taught, taken_back=gone, not_found=missing)


async def add_example(
    store: Store,
    slug: str,
    article: Article,
    link: str,
    now: datetime,
    actor: tuple[int | None, str],
) -> Taught:
    """The article becomes an exemplar of the theme and a relevant label; re-fit."""
    exemplar = article.exemplar()
    spec = await store.get_theme(slug)
    if spec is None:
        raise UsageError(f"no theme {slug!r}")
    if exemplar in spec.exemplars:
        raise UsageError(f"{slug} has this example already")
    title = article.title or exemplar[:80]
    row = LabelRow(title, exemplar, None, "", link, True, "example")
    added, replaced = await store.add_labels(slug, [row], now, actor[1])

    def with_exemplar(theme: Theme) -> Theme:
        return replace(theme, exemplars=(*theme.exemplars, exemplar))

    return await refitted(
        store,
        slug,
        now,
        actor_id=actor[0],
        actor_name=actor[1],
        action="example",
        target=title if title and link else link or title,
        added=added,
        removed=replaced,
        change=with_exemplar,
        before_spec=spec,
    )


def labels_effect(theme: Theme, rows: Sequence[LabelRow]) -> LabelReplay:
    """What the labels changed: the labelled items under the rules alone and as taught."""
    return label_replay(untaught(theme), theme, [label_of(r) for r in rows])


async def fetch_article(url: str, policy: FetchPolicy, now: datetime) -> Article:
    """An article page through the feeds' guarded client (SSRF guard, size cap, deadlines)."""
    client = make_client(policy)
    try:
        got = await fetch_feed(
            url,
            etag=None,
            last_modified=None,
            previous_hash=None,
            policy=policy,
            client=client,
            now=now,
        )
    finally:
        await client.aclose()
    return extract_article(got.body or b"", got.content_type, url)


async def read_example(source: str, policy: FetchPolicy, now: datetime) -> tuple[Article, str]:
    """An example from an http(s) URL (fetched) or a local file (HTML or text); and its link."""
    if source.startswith(("http://", "https://")):
        return await fetch_article(source, policy, now), source
    path = Path(source)
    if not path.is_file():
        raise UsageError(f"{source} is neither an http(s) URL nor a readable file")
    if path.stat().st_size > policy.max_bytes:
        raise UsageError(f"{source} is larger than {policy.max_bytes:,} bytes")
    return extract_article(path.read_bytes(), None, source), ""
