"""The CPU work of one changed feed: parse it, then score what was parsed against the themes.

Why together: both are pure CPU, and in a worker process (`watchers.poll.workerpool`) they use the
machine's other cores instead of competing with the event loop; a feed's first poll brings
dozens of new items, and scoring them is as much work as parsing. Themes travel as specs (a few
KB) and each worker builds the scorer once per set of theme versions.

Does not decide what is new (the store does), place events or store anything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from matcher import ItemText, MatchResult
from store.records import ThemeSpec
from watchers.parse.feed import EntryData, FeedData, parse_feed
from watchers.poll.themes import ScorerCache

_SCORERS = ScorerCache()  # one per process: the worker's, or the poller's own when no pool


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed and, for each of its entries in order, the themes it matched."""

    data: FeedData
    matched: tuple[tuple[MatchResult, ...], ...]


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
    themes: Sequence[ThemeSpec],
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
    scorer = _SCORERS.get(themes)
    name = data.title or source
    matched = tuple(
        tuple(r for r in scorer.score(item_text(e, name)) if r.matched) for e in data.entries
    )
    return ParsedFeed(data, matched)
