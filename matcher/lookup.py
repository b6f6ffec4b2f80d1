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


def name_matches(query: str, *names: str | None) -> bool:
    """Does `query` name any of these (a speaker, office or state), forgiving spelling?

    "price" finds "Ned Price"; "blinkin" finds "Antony Blinken"; "state dept" finds
    "State Department spokesperson".
    """
    wanted = _key(query)
    if len(wanted) < 2:
        return False
    for name in names:
        if not name:
            continue
        key = _key(name)
        if (
            wanted in key
            or fuzz.partial_ratio(wanted, key) >= 80
            or fuzz.token_set_ratio(wanted, key) >= 85
        ):
            return True
    return False
