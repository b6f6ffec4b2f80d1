"""Naming a theme forgivingly but never loosely: slug, display name, its words, or a close spelling.

The rule, in order (the first step that decides wins):

1. the exact slug;
2. the exact display name (or the slug typed with spaces), case and diacritics folded; two
   themes named alike are ambiguous and the answer lists both slugs instead of picking one;
3. every typed word is a whole word of exactly one theme's slug or name (`assad` names
   normalization-with-assad, `nordic` names nato-nordic-accession);
4. a close spelling of a whole slug or name (the full-string ratio, never a partial one, so
   "us" inside "russia" counts for nothing), accepted only when it is unique and clearly best;
5. otherwise nothing, with "did you mean" suggestions that are actually close.

Pure: no store, no I/O. The chat commands and the CLI verbs both resolve through `find_theme`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from matcher.namescript import same_name_across_scripts
from matcher.text import normalize_text

ACCEPT = 85.0  # a whole slug or name spelled this close is acted on without asking
MARGIN = 8.0  # ...if no other theme comes within this many points of it
SUGGEST = 60.0  # a whole slug or name this close is worth offering as "did you mean"
WORD_SUGGEST = 80.0  # so is a theme with a word this close to a typed word (of 4+ letters)
MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class Lookup:
    slug: str | None  # the theme meant, when we are sure
    suggestions: tuple[str, ...] = ()  # else the slugs worth offering, closest first
    ambiguous: bool = False  # the suggestions are themes the words name equally well

    @property
    def suggestion(self) -> str | None:
        """The closest slug worth offering, if any."""
        return self.suggestions[0] if self.suggestions else None


def _key(text: str) -> str:
    return " ".join(normalize_text(text).replace("-", " ").replace("_", " ").split())


def find_theme(query: str, themes: Sequence[tuple[str, str]]) -> Lookup:
    """Resolve `query` against (slug, display name) pairs by the rule in the module docstring."""
    wanted = _key(query)
    if not wanted or not themes:
        return Lookup(None)
    typed = query.strip().lower()
    for slug, _ in themes:
        if typed == slug:
            return Lookup(slug)
    keyed = [(slug, _key(slug), _key(name)) for slug, name in themes]
    named = [slug for slug, slug_key, name_key in keyed if wanted in (slug_key, name_key)]
    if named:
        return _one_or_ambiguous(named)
    words = set(wanted.split())
    holding = [s for s, sk, nk in keyed if words <= set(sk.split()) | set(nk.split())]
    if holding:
        return _one_or_ambiguous(holding)
    scores = sorted(
        ((max(fuzz.ratio(wanted, sk), fuzz.ratio(wanted, nk)), s) for s, sk, nk in keyed),
        reverse=True,
    )
    best, slug = scores[0]
    runner_up = scores[1][0] if len(scores) > 1 else 0.0
    if best >= ACCEPT and best - runner_up >= MARGIN:
        return Lookup(slug)
    return Lookup(None, _suggestions(wanted, keyed, scores))


def _one_or_ambiguous(slugs: list[str]) -> Lookup:
    if len(slugs) == 1:
        return Lookup(slugs[0])
    return Lookup(None, tuple(slugs), ambiguous=True)


def _suggestions(
    wanted: str, keyed: list[tuple[str, str, str]], scores: list[tuple[float, str]]
) -> tuple[str, ...]:
    """Themes whose whole slug or name is close, then themes with a word close to a typed one."""
    close = [slug for score, slug in scores if score >= SUGGEST]
    typed = [w for w in wanted.split() if len(w) >= 4]
    for slug, slug_key, name_key in keyed:
        theirs = set(slug_key.split()) | set(name_key.split())
        if slug not in close and any(
            fuzz.ratio(w, t) >= WORD_SUGGEST for w in typed for t in theirs
        ):
            close.append(slug)
    return tuple(close[:MAX_SUGGESTIONS])


def did_you_mean(found: Lookup) -> str:
    """`a`, `a or b`, `a, b or c`: the suggestions as a reader would say them."""
    names = list(found.suggestions)
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} or {names[-1]}"


# Other names a reader types for a state or person the statements spell in English: the
# official and the Turkish names (QA round 17: `who:Türkiye` and `who:Esad` found nothing).
_EXONYMS = {
    "turkiye": "turkey",
    "esad": "assad",
    "suriye": "syria",
    "urdun": "jordan",
    "misir": "egypt",
    "suudi": "saudi",
    "rusya": "russia",
    "katar": "qatar",
    "almanya": "germany",
    "fransa": "france",
}


def _token_matches(wanted: str, token: str) -> bool:
    wanted = _EXONYMS.get(wanted, wanted)
    if wanted == token:
        return True
    if len(wanted) >= 3 and token.startswith(wanted):
        return True
    return len(wanted) >= 4 and fuzz.ratio(wanted, token) >= 80


def name_matches(query: str, *names: str | None) -> bool:
    """Does `query` name any of these (a speaker, office or state), forgiving spelling?

    Every word of the query must match a word of the name, exactly, as its start, or with a
    small spelling difference: "price" finds "Ned Price", "blinkin" finds "Antony Blinken",
    "state spokesperson" finds "State Department spokesperson". A name in the other script
    (Latin and Arabic) is compared by its sounds: "erdogan" finds "رجب طيب أردوغان".
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
        if same_name_across_scripts(query, name):
            return True  # "erdogan" finds "رجب طيب أردوغان" of an Arabic report
    return False
