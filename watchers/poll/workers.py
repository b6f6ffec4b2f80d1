"""The CPU work of one changed feed: parse it, score what was parsed against the themes, and
read the statements of the entries that matched.

Why together: both are pure CPU, and in a worker process (`watchers.poll.workerpool`) they use the
machine's other cores instead of competing with the event loop; a feed's first poll brings
dozens of new items, and scoring them is as much work as parsing. Themes travel as a `ThemeSet`
of the matcher's own themes (a few KB), so a worker never imports the store (SQLAlchemy and
Alembic cost ~36 MB in each worker), and each worker builds the scorer once per set of theme
versions.

Does not decide what is new (the store does), place events or store anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from matcher import ItemText, MatchResult, Scorer, Statement, Theme, reported_statements
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


_BUILT: list[tuple[tuple[tuple[str, int], ...], Scorer]] = []  # this process's scorer


def _scorer(themes: ThemeSet) -> Scorer:
    """The scorer for `themes`, rebuilt only when a theme was added, removed or changed."""
    built = _BUILT[0] if _BUILT else None
    if built is None or built[0] != themes.key:
        built = (themes.key, Scorer(list(themes.themes)))
        _BUILT[:] = [built]  # key and scorer replaced as one: threads never see a mixed pair
    return built[1]


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed and, for each of its entries in order, the themes it matched and, when
    it matched any, the statements it reports (else empty)."""

    data: FeedData
    matched: tuple[tuple[MatchResult, ...], ...]
    statements: tuple[tuple[Statement, ...], ...]


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
) -> ParsedFeed:
    """`parse_feed`, then every parsed entry scored; `source` names the feed if it has no title."""
    data = parse_feed(
        body,
        url=url,
        fetched_at=fetched_at,
        content_type=content_type,
        max_entries=max_entries,
        previous=previous,
    )
    scorer = _scorer(themes)
    name = data.title or source
    matched = tuple(
        tuple(r for r in scorer.score(item_text(e, name)) if r.matched) for e in data.entries
    )
    # Statements are read here too, beside scoring, and only for entries that matched.
    statements = tuple(
        reported_statements(e.title, e.summary, e.published) if found else ()
        for e, found in zip(data.entries, matched, strict=True)
    )
    return ParsedFeed(data, matched, statements)
