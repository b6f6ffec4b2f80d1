"""The CPU work of one changed feed: parse it, score what was parsed against the themes, and
read the statements of the entries that matched.

Why together: both are pure CPU, and in a worker process (`watchers.poll.workerpool`) they use the
machine's other cores instead of competing with the event loop; a feed's first poll brings
dozens of new items, and scoring them is as much work as parsing. Themes travel as a `ThemeSet`
of the matcher's own themes (a few KB), so a worker never imports the store (SQLAlchemy and
Alembic cost ~36 MB in each worker), and each worker builds the scorer once per set of theme
versions.

A taught theme that reads meaning (matcher/meaning.py) is not finished here when the caller
defers it (`defer_meaning`, as the poll does with worker processes): the worker only says
which entries reach that theme's model, and the main process, which holds the meaning model
anyway (it fits the labels), scores those few. Each worker would otherwise load ~50 MB more.

Does not decide what is new (the store does), place events or store anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from matcher import ItemText, MatchResult, Scorer, Statement, Theme, reported_statements
from matcher.scoring import uses_meaning
from watchers.parse.feed import EntryData, FeedData, parse_feed

if TYPE_CHECKING:
    from store.records import ThemeSpec


@dataclass(frozen=True)
class ThemeSet:
    """The themes to score against, as the matcher's themes keyed by (slug, version)."""

    key: tuple[tuple[str, int], ...]
    themes: tuple[Theme, ...]

    @classmethod
    def of(cls, specs: Sequence[ThemeSpec]) -> ThemeSet:
        # Imported here: watchers.poll.themes imports the store, which a worker must not import.
        from watchers.poll.themes import theme_from_spec

        key = tuple((s.slug, s.version) for s in specs)
        return cls(key, tuple(theme_from_spec(s) for s in specs))


@dataclass(frozen=True)
class _Scorers:
    key: tuple[tuple[tuple[str, int], ...], bool]
    scorer: Scorer  # every theme, or (deferring) the themes that need no meaning
    deferred: Scorer | None  # the themes whose model reads meaning, for their signals only
    deferred_slugs: tuple[str, ...]


_BUILT: list[_Scorers] = []  # this process's scorers


def _scorers(themes: ThemeSet, defer_meaning: bool) -> _Scorers:
    """The scorers for `themes`, rebuilt only when a theme was added, removed or changed."""
    key = (themes.key, defer_meaning)
    built = _BUILT[0] if _BUILT else None
    if built is None or built.key != key:
        later = [t for t in themes.themes if defer_meaning and uses_meaning(t)]
        now = [t for t in themes.themes if t not in later]
        built = _Scorers(
            key, Scorer(now), Scorer(later) if later else None, tuple(t.slug for t in later)
        )
        _BUILT[:] = [built]  # replaced as one: threads never see a mixed set
    return built


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed and, for each of its entries in order, the themes it matched and, when
    it matched any, the statements it reports (else empty)."""

    data: FeedData
    matched: tuple[tuple[MatchResult, ...], ...]
    statements: tuple[tuple[Statement, ...], ...]
    # per entry, the deferred themes (see the module's docstring) whose model it reaches
    pending: tuple[tuple[str, ...], ...] = ()


def item_text(entry: EntryData, source: str) -> ItemText:
    return ItemText(
        title=entry.title,
        summary=entry.summary,
        published=entry.published,
        source=source,
        link=entry.link or "",
    )


def parse_and_score(
    body: bytes,
    *,
    url: str,
    fetched_at: datetime,
    content_type: str | None,
    max_entries: int,
    previous: str | None,
    themes: ThemeSet,
    source: str,
    defer_meaning: bool = False,
) -> ParsedFeed:
    """`parse_feed`, then every parsed entry scored; `source` names the feed if it has no title.

    With `defer_meaning`, themes whose model reads meaning are left to the caller: `pending`
    names, per entry, those whose model the entry reaches."""
    data = parse_feed(
        body,
        url=url,
        fetched_at=fetched_at,
        content_type=content_type,
        max_entries=max_entries,
        previous=previous,
    )
    scorers = _scorers(themes, defer_meaning)
    name = data.title or source
    texts = [item_text(e, name) for e in data.entries]
    matched = tuple(tuple(r for r in scorers.scorer.score(t) if r.matched) for t in texts)
    deferred = scorers.deferred
    pending = tuple(
        tuple(s for s in scorers.deferred_slugs if deferred.signals(t, s) is not None)
        if deferred is not None
        else ()
        for t in texts
    )
    # Statements are read here too, beside scoring, and only for entries that matched.
    statements = tuple(
        reported_statements(e.title, e.summary, e.published) if found else ()
        for e, found in zip(data.entries, matched, strict=True)
    )
    return ParsedFeed(data, matched, statements, pending)
