"""Decides whether a new statement is one already seen (same speaker, day, quote); no storage."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

from matcher.text import normalize_text

__all__ = ["EventProbe", "find_matching_event", "same_statement_score"]

MAX_DAYS = 2  # coverage of one statement appears within a couple of days
QUOTE_SHARE = 0.3  # share of the shorter quote's 5-word runs found in the other
QUOTE_MIN = 90.0  # else partial_ratio of the shorter quote inside the longer one
HEADLINE_MIN = 60.0  # token_set_ratio of two headlines


@dataclass(frozen=True)
class EventProbe:
    """What is known about a statement: a stored event or a new item's statement."""

    speaker: str | None
    office: str | None
    actor: str | None
    quote: str | None
    headline: str
    day: date


def _surname(name: str | None) -> str | None:
    return normalize_text(name).split()[-1] if name and name.strip() else None


def _same_source(a: EventProbe, b: EventProbe) -> bool:
    """Same speaker by surname; without a name on one side, the same office (or actor)."""
    sa, sb = _surname(a.speaker), _surname(b.speaker)
    if sa and sb:
        return sa == sb
    if a.office and b.office:
        return normalize_text(a.office) == normalize_text(b.office)
    if a.actor and b.actor:
        return normalize_text(a.actor) == normalize_text(b.actor)
    return False


def _grams(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", normalize_text(text))
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def quote_overlap(a: str, b: str) -> float:
    """0..100: how much of the shorter quote the other repeats word for word (5-word runs).

    Outlets cut a quote at different places ("now is not the time to normalize relations,
    now is not the time to upgrade relations"), so shared runs beat whole-string ratios.
    """
    ga, gb = _grams(a), _grams(b)
    if not ga or not gb:
        return 0.0
    shared = len(ga & gb) / min(len(ga), len(gb))
    if shared >= QUOTE_SHARE:
        return 100.0 * min(1.0, 0.5 + shared)
    q = fuzz.partial_ratio(normalize_text(a), normalize_text(b))
    return q if q >= QUOTE_MIN else 0.0


def same_statement_score(a: EventProbe, b: EventProbe) -> float:
    """0 when a and b cannot be one statement, else how alike their quotes or headlines are."""
    if abs((a.day - b.day).days) > MAX_DAYS or not _same_source(a, b):
        return 0.0
    best = 0.0
    if a.quote and b.quote:
        best = max(best, quote_overlap(a.quote, b.quote))
    # Headlines often quote the statement ("now is not the time to upgrade relations"), so a
    # headline that repeats the other side's quote counts as overlapping, a little less.
    for quote, headline in ((a.quote, b.headline), (b.quote, a.headline)):
        if quote and headline:
            best = max(best, 0.9 * quote_overlap(quote, headline))
    h = fuzz.token_set_ratio(normalize_text(a.headline), normalize_text(b.headline))
    if h >= HEADLINE_MIN:
        best = max(best, h * 0.9)
    return best


def find_matching_event(
    new: EventProbe, candidates: Sequence[tuple[int, EventProbe]]
) -> int | None:
    """The id of the candidate reporting the same statement as new (the most alike), else None."""
    best_id, best = None, 0.0
    for event_id, probe in candidates:
        s = same_statement_score(new, probe)
        if s > best:
            best_id, best = event_id, s
    return best_id
