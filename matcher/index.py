"""An index of theme terms: stems, fuzzy and prefix lookup, term occurrences; no scoring."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from matcher.query import All, Any, Near, Node, Not, QueryError, Words, parse_term
from matcher.text import stem as stem_of
from matcher.text import tokenize

__all__ = [
    "FUZZY_CUTOFF",
    "MIN_FUZZY",
    "AllExpr",
    "AnyExpr",
    "ButNotExpr",
    "CompiledTerm",
    "Expr",
    "NearExpr",
    "Occurrence",
    "Seq",
    "TermIndex",
    "compile_phrase",
    "evaluate",
    "find_occurrences",
    "prefix_match",
    "reference_occurrences",
    "stems_match",
]

FUZZY_CUTOFF = 88.0  # rapidfuzz ratio two stems need to count as one word
MIN_FUZZY = 6  # shorter stems must match exactly ("meet" is not "meat")
MIN_FUZZY_PREFIX = 8  # a query's prefix* this long also takes misspelt starts (deportaton)
MIN_PREFIX = 6  # a stem this long also matches words that start with it (normaliz-aton)
CACHE_WORDS = 300_000  # item words whose vocabulary ids are kept, per index
MAX_GAP = 2  # words allowed between two words of a phrase


# Turkish softens a word's last consonant before a vowel suffix: büyükelçilik ->
# büyükelçiliğin, kitap -> kitabı, (folded: k -> g, p -> b, t -> d; ç -> c folds to itself).
_SOFTENED = {"k": "g", "p": "b", "t": "d"}
_VOWELS = frozenset("aeiou")


def softened_prefix(item: str, term: str) -> bool:
    """Whether `item` is `term` with its last consonant softened and a suffix after it."""
    soft = _SOFTENED.get(term[-1]) if term else None
    n = len(term)
    return (
        soft is not None
        and n >= MIN_PREFIX
        and len(item) > n
        and item[n - 1] == soft
        and item[n] in _VOWELS
        and item.startswith(term[:-1])
    )


def stems_match(item: str, term: str) -> bool:
    """The one rule for "this word is that term word"; the index and the reference share it."""
    if item == term:
        return True
    if len(item) < MIN_FUZZY or len(term) < MIN_FUZZY or item[:2] != term[:2]:
        return False
    if len(term) >= MIN_PREFIX and (item.startswith(term) or softened_prefix(item, term)):
        return True
    return fuzz.ratio(item, term, score_cutoff=FUZZY_CUTOFF) > 0


@dataclass(frozen=True, slots=True)
class Seq:
    """Words in order: each slot a stem, or '*' and a folded prefix ("*negotiat").

    A loose sequence allows MAX_GAP words between its words (two-word ones also reversed);
    an exact one wants them next to each other, in order.
    """

    slots: tuple[str, ...]
    exact: bool = False


@dataclass(frozen=True, slots=True)
class NearExpr:
    """Both sides within n words of each other, either order, in one field."""

    left: Expr
    right: Expr
    n: int


@dataclass(frozen=True, slots=True)
class AllExpr:
    """Every part somewhere in the item (title or summary)."""

    parts: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class AnyExpr:
    """At least one part."""

    parts: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class ButNotExpr:
    """The part, in an item where `without` occurs nowhere ("loan forgiveness" NOT "PPP")."""

    part: Expr
    without: Expr


Expr = Seq | NearExpr | AllExpr | AnyExpr | ButNotExpr


@dataclass(frozen=True, slots=True)
class CompiledTerm:
    """A term of a theme as an expression over word sequences.

    kind is a group index, or negative for an excluded context (-1) and the scorer's own
    lists. Most terms are one Seq; query syntax (NEAR, AND, OR inside a term) builds the rest.
    """

    theme: int
    kind: int
    phrase: str
    expr: Expr


@dataclass(frozen=True, slots=True)
class Occurrence:
    """Where a term was found: token indexes (first, last) in the item's token list."""

    first: int
    last: int


# Function words left out of multi-word phrases, so "return to the Arab League" also finds
# "returned to Arab League"; a phrase keeps them when fewer than two words would remain.
_PHRASE_STOPWORDS = (
    "the a an of to in on with and for its his her their s at by into from الى في من على مع"
)
PHRASE_STOPWORDS = frozenset(_PHRASE_STOPWORDS.split())


# Common words that an acronym spells: "US" is not "us", "WHO" not "who", "ICE" not "ice".
# Written in capitals in a query or keyword, such a word is the acronym and is found only where
# the item writes it in capitals too. Other acronyms (NATO, EU, UN, IMF) spell no word and
# keep matching however an outlet writes them ("Nato").
COMMON_WORDS = frozenset(
    """
    a am an and any are as at be but by can did do for go had has he her him his how i if in
    is it its me my no nor not now of off on one or our out own per she so than that the them
    then they this to too two up us was we were what when who why will with yes yet you all
    also back both came come does done down each even ever from give have here into just last
    like made make many more most much must near next once only over said same some such take
    than them then time very well went what when whom your act age aid aim arm art ban bar bid
    cap cut deal end fed gas hit ice key law man net oil pay run sea set spy tax top vow war way
    win won
    """.split()  # noqa: SIM905 (a paragraph of words reads better than a list)
)


def capitals_only(written: str) -> bool:
    """An acronym that spells a common word ("US", "WHO"): matched only when in capitals."""
    return (
        2 <= len(written) <= 5
        and written.isalpha()
        and written.isupper()
        and (written.lower() in COMMON_WORDS)
    )


def _seq(words: Words) -> Seq | None:
    slots: list[tuple[str, str | None]] = []  # (stem, '*prefix' or '^acronym'; folded word)
    for written in words.words:
        is_prefix = written.endswith("*")
        tokens = tokenize(written[:-1] if is_prefix else written)
        for k, t in enumerate(tokens):
            if is_prefix and k == len(tokens) - 1:
                slots.append(("*" + t.text, None))
            elif capitals_only(written) and len(tokens) == 1:
                slots.append(("^" + t.stem, t.text))
            else:
                slots.append((t.stem, t.text))
    if not words.exact:
        content = [s for s in slots if s[1] not in PHRASE_STOPWORDS]
        if len(content) >= 2:
            slots = content
    return Seq(tuple(s for s, _ in slots), words.exact) if slots else None


def _expr(node: Node) -> Expr | None:
    if isinstance(node, Words):
        return _seq(node)
    if isinstance(node, Near):
        left, right = _expr(node.left), _expr(node.right)
        return NearExpr(left, right, node.n) if left and right else None
    if isinstance(node, All) and any(isinstance(p, Not) for p in node.parts):
        # "a AND b NOT c" as one alternative of a concept: a and b, in an item without c.
        wanted = [p for p in node.parts if not isinstance(p, Not)]
        unwanted = [p.part for p in node.parts if isinstance(p, Not)]
        part = _expr(wanted[0] if len(wanted) == 1 else All(tuple(wanted))) if wanted else None
        without = _expr(unwanted[0] if len(unwanted) == 1 else Any(tuple(unwanted)))
        return ButNotExpr(part, without) if part and without else None
    if isinstance(node, All | Any):
        parts = [_expr(p) for p in node.parts]
        kept = tuple(p for p in parts if p is not None)
        if isinstance(node, All):
            return AllExpr(kept) if kept and len(kept) == len(parts) else None
        return AnyExpr(kept) if kept else None
    return None  # a NOT alone has no occurrences to find


def compile_phrase(theme: int, kind: int, phrase: str) -> CompiledTerm | None:
    """Turn a keyword (a plain phrase, or one using query syntax) into an expression.

    None when it has no word characters, or does not parse (themes validate their terms, so
    that happens only to text no theme holds).
    """
    try:
        node = parse_term(phrase)
    except QueryError:
        return None
    expr = _expr(node)
    return CompiledTerm(theme, kind, phrase, expr) if expr is not None else None


def prefix_match(word: str, stem: str, prefix: str) -> bool:
    """A word starts with prefix (or its stem does: Arabic loses its article), or nearly, or
    is a form of the prefix itself.

    `release*` takes "releasing": a prefix finds every word the same letters would find as a
    whole word (the same stem), then the words that begin with them. Fuzzy spelling as for
    whole words: prefixes of MIN_FUZZY_PREFIX+ letters also take a word whose first letters
    are within FUZZY_CUTOFF of them and share the first two.
    """
    if word.startswith(prefix) or stem.startswith(prefix) or stem == stem_of(prefix):
        return True
    if len(prefix) < MIN_FUZZY_PREFIX or len(word) < len(prefix) - 1 or word[:2] != prefix[:2]:
        return False  # short prefixes are taken as written: "refuge" is not "refugee*"
    return fuzz.ratio(word[: len(prefix)], prefix, score_cutoff=FUZZY_CUTOFF) > 0


def _next_after(positions: Sequence[int], after: int, limit: int) -> int | None:
    for p in positions:
        if after < p <= limit:
            return p
    return None


def find_occurrences(
    stems: tuple[str, ...],
    positions: Sequence[Sequence[int]],
    boundary: int,
    exact: bool = False,
    item_stems: Sequence[str] = (),
) -> list[Occurrence]:
    """Occurrences of a phrase given each word's positions: in order with small gaps.

    Two-word phrases are also found in reverse order ("ties ... restored"), since news prose
    puts the noun first as often as the verb. A phrase never spans title and summary (boundary
    is the first summary token index). An exact phrase wants its words adjacent, in order,
    but for a possessive "s" (item_stems: "Rwanda's plan" is "Rwanda plan").
    """
    out: list[Occurrence] = []
    if len(stems) == 1:
        return [Occurrence(p, p) for p in positions[0]]
    gap = 0 if exact else MAX_GAP
    for order in (range(len(stems)), range(len(stems) - 1, -1, -1)):
        idx = list(order)
        for start in positions[idx[0]]:
            cur = start
            for k in idx[1:]:
                limit = cur + gap + 1
                if exact and limit < len(item_stems) and item_stems[limit] == "s":
                    limit += 1
                nxt = _next_after(positions[k], cur, limit)
                if nxt is None:
                    break
                cur = nxt
            else:
                if (start < boundary) == (cur < boundary):
                    out.append(Occurrence(start, cur))
        if out or len(stems) != 2 or exact:
            break
    return out


def evaluate(
    expr: Expr,
    leaf: Callable[[Seq], list[Occurrence]],
    boundary: int,
    item_stems: Sequence[str] = (),
) -> list[Occurrence]:
    """Occurrences of an expression from its sequences' occurrences (leaf), sorted.

    NEAR pairs a left and a right occurrence at most n words apart in one field and spans
    both, a possessive "s" between them not counted ("Venezuela's relations" is adjacent, as
    in an exact phrase); AND and OR list their parts' occurrences (AND only when every part
    has one).
    """
    if isinstance(expr, Seq):
        return leaf(expr)
    if isinstance(expr, ButNotExpr):
        found_part = evaluate(expr.part, leaf, boundary, item_stems)
        without = evaluate(expr.without, leaf, boundary, item_stems) if found_part else []
        return [] if without else found_part
    if isinstance(expr, NearExpr):
        lefts = evaluate(expr.left, leaf, boundary, item_stems)
        rights = evaluate(expr.right, leaf, boundary, item_stems) if lefts else []
        spans = set()
        for a in lefts:
            for b in rights:
                if (a.first < boundary) != (b.first < boundary):
                    continue
                lo, hi = (a.last, b.first) if a.first <= b.first else (b.last, a.first)
                distance = hi - lo - sum(1 for s in item_stems[lo + 1 : hi] if s == "s")
                if distance <= expr.n:
                    spans.add(Occurrence(min(a.first, b.first), max(a.last, b.last)))
        return sorted(spans, key=lambda o: (o.first, o.last))
    found: set[Occurrence] = set()
    for part in expr.parts:
        occ = evaluate(part, leaf, boundary, item_stems)
        if not occ and isinstance(expr, AllExpr):
            return []
        found.update(occ)
    return sorted(found, key=lambda o: (o.first, o.last))


def leaves(expr: Expr) -> list[Seq]:
    """The word sequences an expression is built from."""
    if isinstance(expr, Seq):
        return [expr]
    if isinstance(expr, NearExpr):
        return leaves(expr.left) + leaves(expr.right)
    if isinstance(expr, ButNotExpr):
        return leaves(expr.part) + leaves(expr.without)
    return [s for p in expr.parts for s in leaves(p)]


def reference_occurrences(
    expr: Expr,
    words: Sequence[str],
    stems: Sequence[str],
    boundary: int,
    same: Callable[[str, str], bool],
    capitals: Sequence[bool] = (),
) -> list[Occurrence]:
    """The slow path: every word of the item compared with every slot, no index.

    `capitals` says which words the item writes in capitals (for '^acronym' slots)."""

    def fits(p: int, w: str, s: str, slot: str) -> bool:
        if slot[0] == "*":
            return prefix_match(w, s, slot[1:])
        if slot[0] == "^":
            return s == slot[1:] and p < len(capitals) and capitals[p]
        return same(s, slot)

    def leaf(seq: Seq) -> list[Occurrence]:
        positions = [
            [p for p, (w, s) in enumerate(zip(words, stems, strict=True)) if fits(p, w, s, slot)]
            for slot in seq.slots
        ]
        if not all(positions):
            return []
        return find_occurrences(seq.slots, positions, boundary, seq.exact, stems)

    return evaluate(expr, leaf, boundary, stems)


class TermIndex:
    """Every theme's terms keyed by stem, with a cached fuzzy and prefix lookup of item words.

    A term used by many themes ("Turkey" in every actors group) is indexed and located once;
    `owners` maps it back to the themes' terms. Scoring an item touches only the sequences
    whose anchor word occurs in it, so the cost grows with the item's words and the terms they
    hit, not with the number of themes. A term with NEAR, AND or OR inside is a compound: its
    sequences are indexed like any other and it is evaluated only when one of them was found.
    """

    def __init__(self, terms: Iterable[CompiledTerm]) -> None:
        self.terms: list[CompiledTerm] = list(terms)
        self.vocab: dict[str, int] = {}  # stems, and '*prefix' slots
        self.uid_of: dict[Expr, int] = {}
        self.units: list[Expr] = []  # unique expressions: sequences and compounds
        self.owners: list[list[int]] = []  # unit -> term numbers using it
        self.triggers: dict[int, list[int]] = {}  # sequence unit -> compound units using it
        self.term_uid: list[int] = []
        for i, t in enumerate(self.terms):
            uid = self._unit(t.expr)
            self.owners[uid].append(i)
            self.term_uid.append(uid)
            if not isinstance(t.expr, Seq):
                for leaf in leaves(t.expr):
                    parents = self.triggers.setdefault(self._unit(leaf), [])
                    if uid not in parents:
                        parents.append(uid)
        self.stems = list(self.vocab)
        # anchor word -> sequences: the longest word of each is the rarest, usually.
        self.by_anchor: dict[int, list[int]] = {}
        self.phrase_ids: dict[int, tuple[int, ...]] = {}
        for uid, unit in enumerate(self.units):
            if not isinstance(unit, Seq):
                continue
            ids = tuple(self.vocab[s] for s in unit.slots)
            self.phrase_ids[uid] = ids
            whole = [v for v in ids if self.stems[v][0] != "*"] or list(ids)
            anchor = max(whole, key=lambda v: len(self.stems[v]))
            self.by_anchor.setdefault(anchor, []).append(uid)
        self.buckets: dict[str, list[str]] = {}
        self.prefix_buckets: dict[str, list[str]] = {}
        # '^acronym' slots by the stem they spell: found only where the item has capitals.
        self.capital_ids = {s[1:]: v for s, v in self.vocab.items() if s[0] == "^"}
        for s in self.stems:
            if s[0] == "*":
                self.prefix_buckets.setdefault(s[1:3], []).append(s)
            elif s[0] != "^" and len(s) >= MIN_FUZZY:
                self.buckets.setdefault(s[:2], []).append(s)
        self._cache: dict[str, tuple[int, ...]] = {}
        self._matching: set[str] = set()  # the cached words whose ids are not empty
        self._prefix_cache: dict[str, tuple[int, ...]] = {}

    def _unit(self, expr: Expr) -> int:
        uid = self.uid_of.get(expr)
        if uid is None:
            uid = self.uid_of[expr] = len(self.units)
            self.units.append(expr)
            self.owners.append([])
            if isinstance(expr, Seq):
                for s in expr.slots:
                    self.vocab.setdefault(s, len(self.vocab))
        return uid

    def lookup(self, item_stem: str) -> tuple[int, ...]:
        """Vocabulary ids an item word matches (exact, prefix or fuzzy), cached per word
        (`hits` empties the cache when it grows past CACHE_WORDS, never halfway through an
        item)."""
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
                    if len(cand) >= MIN_PREFIX and (
                        item_stem.startswith(cand) or softened_prefix(item_stem, cand)
                    ):
                        ids.append(self.vocab[cand])
        got = tuple(sorted(set(ids)))
        self._cache[item_stem] = got
        if got:
            self._matching.add(item_stem)
        return got

    def lookup_prefixes(self, word: str, item_stem: str) -> tuple[int, ...]:
        """Ids of the '*prefix' slots a folded item word matches (see prefix_match), cached."""
        got = self._prefix_cache.get(word)
        if got is not None:
            return got
        cands = self.prefix_buckets.get(word[:2], []) + self.prefix_buckets.get(item_stem[:2], [])
        ids = {self.vocab[c] for c in cands if prefix_match(word, item_stem, c[1:])}
        got = tuple(sorted(ids))
        if len(self._prefix_cache) > 300_000:
            self._prefix_cache.clear()
        self._prefix_cache[word] = got
        return got

    def hits(
        self,
        stems: Sequence[str],
        boundary: int,
        words: Sequence[str] | None = None,
        capitals: Callable[[], Sequence[bool]] | None = None,
    ) -> dict[int, list[Occurrence]]:
        """Occurrences of every unique term found in an item's word stems, by unit number.

        Positions are indexes into stems (title words first, summary from boundary on). Only
        stems are taken, so an item can be looked up before any Token is built for it; words
        (the folded words the stems come from) are needed only by prefix terms, and
        `capitals` (which words the item writes in capitals, asked for only when a word spells
        an acronym term such as "US") only by those terms.
        """
        where: dict[int, list[int]] = {}
        cache = self._cache
        if len(cache) > CACHE_WORDS:
            cache.clear()
            self._matching.clear()
        # Most of an item's words match no term: find the few that do with set operations
        # (unseen words looked up once each). Positions are listed at once only for words that
        # start a phrase (its anchor); the others ("the", "border") only when a phrase found
        # by its anchor needs them.
        words_here = set(stems)
        for stem in words_here.difference(cache):
            self.lookup(stem)
        carriers: dict[int, list[str]] = {}  # vocabulary id -> the item's words that match it
        anchored: set[str] = set()
        by_anchor = self.by_anchor
        for stem in words_here & self._matching:
            for vid in cache[stem]:
                carriers.setdefault(vid, []).append(stem)
                if vid in by_anchor:
                    anchored.add(stem)
        if anchored:
            for pos, stem in [(p, s) for p, s in enumerate(stems) if s in anchored]:
                for vid in cache[stem]:
                    if vid not in by_anchor:
                        continue
                    if vid in where:
                        where[vid].append(pos)
                    else:
                        where[vid] = [pos]

        def positions(vid: int) -> list[int]:
            got = where.get(vid)
            if got is None:
                words_of = set(carriers[vid])
                got = where[vid] = [p for p, s in enumerate(stems) if s in words_of]
            return got

        if self.prefix_buckets and words is not None:
            for pos, word in enumerate(words):
                for vid in self.lookup_prefixes(word, stems[pos]):
                    where.setdefault(vid, []).append(pos)
        if (
            self.capital_ids
            and capitals is not None
            and not self.capital_ids.keys().isdisjoint(words_here)
        ):
            caps: Sequence[bool] | None = None
            for pos, s in enumerate(stems):
                acronym = self.capital_ids.get(s)
                if acronym is not None:
                    caps = capitals() if caps is None else caps
                    if pos < len(caps) and caps[pos]:
                        where.setdefault(acronym, []).append(pos)
        found: dict[int, list[Occurrence]] = {}
        present = carriers.keys() | where.keys()
        for vid, at in list(where.items()):
            for uid in by_anchor.get(vid, ()):
                ids = self.phrase_ids[uid]
                if len(ids) == 1:
                    found[uid] = [Occurrence(p, p) for p in at]
                    continue
                if not present.issuperset(ids):
                    continue
                seq = self.units[uid]
                assert isinstance(seq, Seq)
                occ = find_occurrences(
                    seq.slots, [positions(v) for v in ids], boundary, seq.exact, stems
                )
                if occ:
                    found[uid] = occ
        if self.triggers:
            compounds = {c for uid in list(found) for c in self.triggers.get(uid, ())}
            for cuid in compounds:

                def leaf(seq: Seq) -> list[Occurrence]:
                    return found.get(self.uid_of[seq], [])

                occ = evaluate(self.units[cuid], leaf, boundary, stems)
                if occ:
                    found[cuid] = occ
        return found
