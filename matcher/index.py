"""An index of theme terms: stem vocabulary, fuzzy token lookup, term occurrences; no scoring."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from matcher.text import tokenize

__all__ = [
    "FUZZY_CUTOFF",
    "MIN_FUZZY",
    "CompiledTerm",
    "Occurrence",
    "TermIndex",
    "find_occurrences",
    "stems_match",
]

FUZZY_CUTOFF = 88.0  # rapidfuzz ratio two stems need to count as one word
MIN_FUZZY = 5  # shorter stems must match exactly ("meet" is not "meat")
MIN_PREFIX = 6  # a stem this long also matches words that start with it (normaliz-aton)
MAX_GAP = 2  # words allowed between two words of a phrase


def stems_match(item: str, term: str) -> bool:
    """The one rule for "this word is that term word"; the index and the reference share it."""
    if item == term:
        return True
    if len(item) < MIN_FUZZY or len(term) < MIN_FUZZY or item[:2] != term[:2]:
        return False
    if len(term) >= MIN_PREFIX and item.startswith(term):
        return True
    return fuzz.ratio(item, term, score_cutoff=FUZZY_CUTOFF) > 0


@dataclass(frozen=True, slots=True)
class CompiledTerm:
    """A phrase of a theme as stems: kind is a group index, or -1 for an excluded context."""

    theme: int
    kind: int
    phrase: str
    stems: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Occurrence:
    """Where a phrase was found: token indexes (first, last) in the item's token list."""

    first: int
    last: int


# Function words left out of multi-word phrases, so "return to the Arab League" also finds
# "returned to Arab League"; a phrase keeps them when fewer than two words would remain.
_PHRASE_STOPWORDS = (
    "the a an of to in on with and for its his her their s at by into from الى في من على مع"
)
PHRASE_STOPWORDS = frozenset(_PHRASE_STOPWORDS.split())


def compile_phrase(theme: int, kind: int, phrase: str) -> CompiledTerm | None:
    """Turn a phrase into stems; None when it has no word characters."""
    words = tokenize(phrase)
    content = [t for t in words if t.text not in PHRASE_STOPWORDS]
    stems = tuple(t.stem for t in (content if len(content) >= 2 else words))
    return CompiledTerm(theme, kind, phrase, stems) if stems else None


def _next_after(positions: Sequence[int], after: int, limit: int) -> int | None:
    for p in positions:
        if after < p <= limit:
            return p
    return None


def find_occurrences(
    stems: tuple[str, ...], positions: Sequence[Sequence[int]], boundary: int
) -> list[Occurrence]:
    """Occurrences of a phrase given each word's positions: in order with small gaps.

    Two-word phrases are also found in reverse order ("ties ... restored"), since news prose
    puts the noun first as often as the verb. A phrase never spans title and summary (boundary
    is the first summary token index).
    """
    out: list[Occurrence] = []
    if len(stems) == 1:
        return [Occurrence(p, p) for p in positions[0]]
    for order in (range(len(stems)), range(len(stems) - 1, -1, -1)):
        idx = list(order)
        for start in positions[idx[0]]:
            cur = start
            for k in idx[1:]:
                nxt = _next_after(positions[k], cur, cur + MAX_GAP + 1)
                if nxt is None:
                    break
                cur = nxt
            else:
                if (start < boundary) == (cur < boundary):
                    out.append(Occurrence(start, cur))
        if out or len(stems) != 2:
            break
    return out


class TermIndex:
    """Every theme's phrases keyed by stem, with a cached fuzzy lookup of item words.

    A phrase used by many themes ("Turkey" in every actors group) is indexed and located once;
    `owners` maps it back to the themes' terms. Scoring an item touches only the phrases whose
    anchor word occurs in it, so the cost grows with the item's words and the phrases they hit,
    not with the number of themes.
    """

    def __init__(self, terms: Iterable[CompiledTerm]) -> None:
        self.terms: list[CompiledTerm] = list(terms)
        self.vocab: dict[str, int] = {}
        uid_of: dict[tuple[str, ...], int] = {}
        self.phrases: list[tuple[str, ...]] = []  # unique stem sequences
        self.owners: list[list[int]] = []  # unique phrase -> term numbers using it
        for i, t in enumerate(self.terms):
            for s in t.stems:
                self.vocab.setdefault(s, len(self.vocab))
            uid = uid_of.get(t.stems)
            if uid is None:
                uid = uid_of[t.stems] = len(self.phrases)
                self.phrases.append(t.stems)
                self.owners.append([])
            self.owners[uid].append(i)
        self.stems = list(self.vocab)
        self.term_uid = [uid_of[t.stems] for t in self.terms]
        # anchor word -> phrases: the longest word of each phrase is the rarest, usually.
        self.by_anchor: dict[int, list[int]] = {}
        self.phrase_ids: list[tuple[int, ...]] = []
        for uid, stems in enumerate(self.phrases):
            ids = tuple(self.vocab[s] for s in stems)
            self.phrase_ids.append(ids)
            anchor = max(ids, key=lambda v: len(self.stems[v]))
            self.by_anchor.setdefault(anchor, []).append(uid)
        self.buckets: dict[str, list[str]] = {}
        for s in self.stems:
            if len(s) >= MIN_FUZZY:
                self.buckets.setdefault(s[:2], []).append(s)
        self._cache: dict[str, tuple[int, ...]] = {}

    def lookup(self, item_stem: str) -> tuple[int, ...]:
        """Vocabulary ids an item word matches (exact, prefix or fuzzy), cached per word."""
        got = self._cache.get(item_stem)
        if got is not None:
            return got
        ids: list[int] = []
        exact = self.vocab.get(item_stem)
        if exact is not None:
            ids.append(exact)
        if len(item_stem) >= MIN_FUZZY:
            bucket = self.buckets.get(item_stem[:2], ())
            if bucket:
                for cand, _, _ in process.extract(
                    item_stem, bucket, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
                ):
                    ids.append(self.vocab[cand])
                for cand in bucket:
                    if len(cand) >= MIN_PREFIX and item_stem.startswith(cand):
                        ids.append(self.vocab[cand])
        got = tuple(sorted(set(ids)))
        if len(self._cache) > 300_000:
            self._cache.clear()
        self._cache[item_stem] = got
        return got

    def hits(self, stems: Sequence[str], boundary: int) -> dict[int, list[Occurrence]]:
        """Occurrences of every unique phrase found in an item's word stems, by phrase number.

        Positions are indexes into stems (title words first, summary from boundary on). Only
        stems are taken, so an item can be looked up before any Token is built for it.
        """
        where: dict[int, list[int]] = {}
        cache, lookup = self._cache, self.lookup
        for pos, vids in enumerate(map(cache.get, stems)):
            if vids is None:
                vids = lookup(stems[pos])
            for vid in vids:
                if vid in where:
                    where[vid].append(pos)
                else:
                    where[vid] = [pos]
        found: dict[int, list[Occurrence]] = {}
        for vid, positions in where.items():
            for uid in self.by_anchor.get(vid, ()):
                ids = self.phrase_ids[uid]
                if len(ids) == 1:
                    found[uid] = [Occurrence(p, p) for p in positions]
                    continue
                if not all(v in where for v in ids):
                    continue
                occ = find_occurrences(self.phrases[uid], [where[v] for v in ids], boundary)
                if occ:
                    found[uid] = occ
        return found
