"""Naming a theme forgivingly: by slug, by display name, or by a close spelling."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from matcher.text import normalize_text

ACCEPT = 85.0  # close enough to act on without asking
SUGGEST = 50.0  # close enough to offer as "did you mean"


@dataclass(frozen=True)
class Lookup:
    slug: str | None  # the theme meant, when we are sure
    suggestion: str | None  # else the closest slug worth offering


def _key(text: str) -> str:
    return normalize_text(text).replace("-", " ").replace("_", " ").strip()


def find_theme(query: str, themes: Sequence[tuple[str, str]]) -> Lookup:
    """Resolve `query` against (slug, display name) pairs."""
    wanted = _key(query)
    if not wanted or not themes:
        return Lookup(None, None)
    choices: dict[str, str] = {}
    for slug, name in themes:
        choices[_key(slug)] = slug
        choices.setdefault(_key(name), slug)
    if wanted in choices:
        return Lookup(choices[wanted], None)
    best = process.extractOne(wanted, list(choices), scorer=fuzz.WRatio)
    if best is None:
        return Lookup(None, None)
    text, score, _ = best
    if score >= ACCEPT:
        return Lookup(choices[text], None)
    return Lookup(None, choices[text] if score >= SUGGEST else None)


def _token_matches(wanted: str, token: str) -> bool:
    if wanted == token:
        return True
    if len(wanted) >= 3 and token.startswith(wanted):
        return True
    return len(wanted) >= 4 and fuzz.ratio(wanted, token) >= 80


def name_matches(query: str, *names: str | None) -> bool:
    """Does `query` name any of these (a speaker, office or state), forgiving spelling?

    Every word of the query must match a word of the name, exactly, as its start, or with a
    small spelling difference: "price" finds "Ned Price", "blinkin" finds "Antony Blinken",
    "state spokesperson" finds "State Department spokesperson".
    """
    wanted = _key(query).split()
    if not wanted:
        return False
    for name in names:
        if not name:
            continue
        tokens = _key(name).split()
        if all(any(_token_matches(w, t) for t in tokens) for w in wanted):
            return True
    return False
