"""Scores items against themes through one shared term index, with reasons; no statements."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date
from typing import Protocol

from matcher.index import CompiledTerm, Occurrence, TermIndex, compile_phrase
from matcher.learning import GATE_POINTS, LEARNED, LearnedModel, Signals, model_from_json
from matcher.meaning import item_text as meaning_text
from matcher.results import ItemText, MatchResult, Reason
from matcher.text import fold_words, stem_words, tokenize, word_spans
from matcher.themes import Theme

__all__ = ["DEFAULTS", "Scorer", "learned_model", "score_with_hits", "uses_meaning"]

# Knobs a theme may override in its options; the values are points on the 0..100 scale.
DEFAULTS: dict[str, float] = {
    "window": 12,  # words within which the required groups must meet for the proximity points
    "proximity": 10,  # points when they do
    "exemplar": 15,  # points at full similarity to an exemplar
    "exemplar_low": 0.10,  # similarity below which exemplars add nothing
    "exemplar_high": 0.30,  # similarity at which they add everything
    "exclude_penalty": 40,  # points an excluded context takes away
    "until_penalty": 45,  # points taken from items published after options.until
}
UNTIL_UNLESS = -2  # term kind of the options.until_unless phrases (exclusions are -1)
MIN_RELAXED = 3  # required groups a learned theme needs before an item may miss one of them
BOUNDARY = 1_000_000  # summary token numbers start here, so nothing spans title and summary

_STOP_WORDS = """
that this with from have been were they their there which would about after before into
over said says also than them will what when where while more most other some such only
very just then these those being does did doing could should because between through
during under again further once here both each same your ours year years first since time
president minister government officials country countries people state states week month
told news
"""
_STOP = frozenset(_STOP_WORDS.split())


def _opt(theme: Theme, key: str) -> float:
    v = theme.options.get(key, DEFAULTS[key])
    return float(v) if isinstance(v, int | float) and not isinstance(v, bool) else DEFAULTS[key]


def _until(theme: Theme) -> date | None:
    v = theme.options.get("until")
    return date.fromisoformat(v) if isinstance(v, str) else None


def until_unless(theme: Theme) -> list[str]:
    """Phrases (option "until_unless", split on ";") that keep an item after options.until.

    They say the item is about the old relations ("normalization with Assad", "Assad era"),
    not about the government that followed.
    """
    raw = theme.options.get("until_unless")
    return [p.strip() for p in raw.split(";") if p.strip()] if isinstance(raw, str) else []


def content_stems(words: Sequence[str], stems: Sequence[str]) -> frozenset[str]:
    """Stems that carry meaning, for exemplar similarity (short and common words dropped)."""
    return frozenset(s for w, s in zip(words, stems, strict=True) if len(w) >= 4 and w not in _STOP)


def _text_content(text: str) -> frozenset[str]:
    """content_stems of a whole text (an exemplar), through the same quick pass as items."""
    words = fold_words(text)
    return content_stems(words, stem_words(words))


@dataclass
class _Prepared:
    """An item split into words once for all themes: folded words and stems, title first.

    Offsets are found only when a reason quotes the item: most items open no theme's gate, and
    the index needs nothing but stems.
    """

    item: ItemText
    words: list[str]
    stems: list[str]
    n_title: int
    spans: list[tuple[int, int]] | None = None  # each word's (start, end) in its field
    _content: frozenset[str] | None = None
    _capitals: list[bool] | None = None

    def content(self) -> frozenset[str]:
        """The item's meaningful stems, computed once for all themes' exemplars."""
        if self._content is None:
            self._content = content_stems(self.words, self.stems)
        return self._content

    def capitals(self) -> list[bool]:
        """Which words the item writes in capitals ("US", not "us"), found when a term asks."""
        if self._capitals is None:
            if self.spans is None:
                self.spans = word_spans(self.item.title) + word_spans(self.item.summary)
            out = []
            for i, (start, end) in enumerate(self.spans):
                field = self.item.title if i < self.n_title else self.item.summary
                written = field[start:end]
                out.append(len(written) >= 2 and written.isupper())
            self._capitals = out
        return self._capitals

    def quote(self, first: int, last: int) -> tuple[str, str, int]:
        """Field name, original text and start offset of words first..last (one field)."""
        if self.spans is None:
            self.spans = word_spans(self.item.title) + word_spans(self.item.summary)
        start, end = self.spans[first][0], self.spans[last][1]
        if first < self.n_title:
            return "title", self.item.title[start:end], start
        return "summary", self.item.summary[start:end], start

    def number(self, index: int) -> int:
        """Word number in the item's word stream (summary numbers start at BOUNDARY)."""
        return index if index < self.n_title else BOUNDARY + index - self.n_title


def _prepare(item: ItemText) -> _Prepared:
    """The quick pass: words and stems only, the same words tokenize finds."""
    title = fold_words(item.title)
    words = title + fold_words(item.summary)
    return _Prepared(item, words, stem_words(words), len(title))


def _prepare_tokens(item: ItemText) -> _Prepared:
    """The full pass through tokenize, for the reference path to check the quick one against."""
    title = tokenize(item.title)
    tokens = title + tokenize(item.summary)
    words, stems = [t.text for t in tokens], [t.stem for t in tokens]
    return _Prepared(item, words, stems, len(title), [(t.start, t.end) for t in tokens])


Hits = dict[int, list[Occurrence]]  # term number (in theme's own list) -> occurrences


def score_with_hits(
    theme: Theme,
    terms: Sequence[CompiledTerm],
    hits: Hits,
    prepared: _Prepared,
    exemplars: Sequence[frozenset[str]],
    *,
    explain: bool = False,
    model: Adjuster | None = None,
) -> MatchResult:
    """Turn one theme's term occurrences into a score, a decision and its reasons.

    terms are the theme's compiled phrases, hits maps their positions in that list to
    occurrences (word indexes into prepared.words, title first). With explain, an item that
    misses a required group still gets its points and reasons, plus a "gate" reason per
    missing group; it never matches.
    """
    reasons: list[Reason] = []
    raw = 0.0
    present: dict[int, list[int]] = {}  # group index -> token numbers of its hits
    excluded = False

    def reason(group: str, term: CompiledTerm, occ: Occurrence, points: float) -> Reason:
        where, found, start = prepared.quote(occ.first, occ.last)
        return Reason(group, term.phrase, found, where, start, points)

    by_kind: dict[int, list[tuple[CompiledTerm, Occurrence, list[Occurrence]]]] = {}
    for ti in sorted(hits):
        occs = hits[ti]
        by_kind.setdefault(terms[ti].kind, []).append((terms[ti], occs[0], occs))
    required = [gi for gi, g in enumerate(theme.groups) if g.required]
    missing = [gi for gi in required if gi not in by_kind]
    allowed = 1 if model is not None and len(required) >= MIN_RELAXED else 0
    if (not hits or len(missing) > allowed) and not explain:
        # A required group is missing: the item is not about the theme at all, and scores 0.
        return MatchResult(theme.slug, 0, False, ())
    for gi, group in enumerate(theme.groups):
        found = sorted(by_kind.get(gi, ()), key=lambda x: x[1].first)
        if not found:
            continue
        present[gi] = [prepared.number(o.first) for _, _, occs in found for o in occs]
        raw += group.weight
        for k, (term, occ, _) in enumerate(found):
            reasons.append(reason(group.name, term, occ, group.weight if k == 0 else 0.0))

    if len(required) >= 2 and not missing:
        window = _opt(theme, "window")
        first, *rest = required
        for a in sorted(present[first]):
            if all(any(abs(a - b) <= window for b in present[g]) for g in rest):
                points = _opt(theme, "proximity")
                raw += points
                where = "title" if a < BOUNDARY else "summary"
                reasons.append(
                    Reason("proximity", f"within {int(window)} words", "", where, 0, points)
                )
                break

    best_exemplar = 0.0
    if exemplars and (not missing or model is not None):
        best_exemplar, ex_points = _exemplar_reason(theme, prepared, exemplars, reasons)
        raw += ex_points

    excl = sorted(by_kind.get(-1, ()), key=lambda x: x[1].first)
    if excl:
        anywhere = theme.options.get("exclude_anywhere") is True
        penalty = _opt(theme, "exclude_penalty")
        raw -= penalty
        for k, (term, occ, occs) in enumerate(excl):
            reasons.append(reason("exclude", term, occ, -penalty if k == 0 else 0.0))
            excluded = excluded or anywhere or any(o.first < prepared.n_title for o in occs)

    until = _until(theme)
    pub = prepared.item.published
    if until is not None and pub is not None and raw > 0:
        day = (pub.astimezone(UTC) if pub.tzinfo else pub).date()
        if day > until:
            keep = sorted(by_kind.get(UNTIL_UNLESS, ()), key=lambda x: x[1].first)
            if keep:
                term, occ, _ = keep[0]
                reasons.append(reason("until", term, occ, 0.0))
            else:
                penalty = _opt(theme, "until_penalty")
                raw = min(raw, 100.0) - penalty
                reasons.append(
                    Reason("until", until.isoformat(), day.isoformat(), "published", 0, -penalty)
                )

    if model is not None and len(missing) <= allowed:
        signals = Signals(
            rule=max(0.0, min(100.0, raw)),
            missing=len(missing),
            required=len(required),
            in_title=sum(
                any(x < BOUNDARY for x in present[gi]) for gi in required if gi in present
            ),
            excluded=bool(excl),
            exemplar=best_exemplar,
            content=prepared.content(),
            text=meaning_text(prepared.item.title, prepared.item.summary),
        )
        for gi in missing:
            reasons.append(Reason("gate", theme.groups[gi].name, "", "title", 0, -GATE_POINTS))
        points = round(model.adjust(signals), 1)
        reasons.append(
            Reason("learned", f"{model.n_relevant}+{model.n_not} labels", "", "summary", 0, points)
        )
        raw = min(raw, 100.0) - GATE_POINTS * len(missing) + points
        score = max(0, min(100, math.floor(raw + 0.5)))
        matched = not excluded and score >= theme.threshold
        return MatchResult(theme.slug, score, matched, tuple(reasons))
    for gi in missing:
        reasons.append(Reason("gate", theme.groups[gi].name, "", "title", 0, 0.0))
    score = max(0, min(100, math.floor(raw + 0.5)))
    matched = not missing and not excluded and score >= theme.threshold
    return MatchResult(theme.slug, score, matched, tuple(reasons))


def _exemplar_reason(
    theme: Theme, prepared: _Prepared, exemplars: Sequence[frozenset[str]], reasons: list[Reason]
) -> tuple[float, float]:
    """Best similarity and points for reading like an exemplar (cosine on meaningful stems)."""
    mine = prepared.content()
    if not mine:
        return 0.0, 0.0
    best, best_i, shared = 0.0, -1, frozenset[str]()
    for i, ex in enumerate(exemplars):
        common = mine & ex
        sim = len(common) / math.sqrt(len(mine) * len(ex)) if ex else 0.0
        if sim > best:
            best, best_i, shared = sim, i, common
    low, high = _opt(theme, "exemplar_low"), _opt(theme, "exemplar_high")
    frac = 0.0 if high <= low else max(0.0, min(1.0, (best - low) / (high - low)))
    points = round(_opt(theme, "exemplar") * frac, 1)
    if points <= 0:
        return best, 0.0
    label = " ".join(theme.exemplars[best_i].split()[:8]) + "..."
    words = ", ".join(sorted(shared)[:10])
    reasons.append(Reason("exemplar", label, words, "summary", 0, points))
    return best, points


class Adjuster(Protocol):
    """What score_with_hits needs of a learned model (LearnedModel, or a _Probe)."""

    n_relevant: int
    n_not: int

    def adjust(self, s: Signals) -> float: ...


@dataclass
class _Probe:
    """A model that adds nothing and keeps the signals it was shown (for fitting)."""

    n_relevant: int = 0
    n_not: int = 0
    seen: list[Signals] = field(default_factory=list)

    def adjust(self, s: Signals) -> float:
        self.seen.append(s)
        return 0.0


def learned_model(theme: Theme) -> LearnedModel | None:
    """The theme's fitted model (option "learned"), or None; ThemeError-free: a model that
    cannot be read is ignored here (validate_theme refuses it when a theme is saved)."""
    raw = theme.options.get(LEARNED)
    if not isinstance(raw, str) or not raw:
        return None
    try:
        return model_from_json(raw)
    except ValueError:
        return None


def uses_meaning(theme: Theme) -> bool:
    """Whether scoring the theme reads meaning vectors (a taught model that weighs them):
    a process that scores it loads the meaning model (matcher/meaning.py, ~60 MB)."""
    model = learned_model(theme)
    return model is not None and model.centroids is not None and model.weights[-1] != 0


class Scorer:
    """Scores items against many themes at once through one index of all their terms."""

    def __init__(self, themes: Sequence[Theme]) -> None:
        self._themes = tuple(themes)
        self._slugs = {t.slug: i for i, t in enumerate(self._themes)}
        self._theme_terms: list[list[CompiledTerm]] = []
        all_terms: list[CompiledTerm] = []
        for ti, theme in enumerate(self._themes):
            local: list[CompiledTerm] = []
            phrases = [(gi, p) for gi, g in enumerate(theme.groups) for p in g.terms]
            phrases += [(-1, p) for p in theme.exclude]
            phrases += [(UNTIL_UNLESS, p) for p in until_unless(theme)]
            for kind, phrase in phrases:
                ct = compile_phrase(ti, kind, phrase)
                if ct is None:
                    continue
                local.append(ct)
                all_terms.append(ct)
            self._theme_terms.append(local)
        self._index = TermIndex(all_terms)
        uids = iter(self._index.term_uid)
        self._theme_uids = [[next(uids) for _ in local] for local in self._theme_terms]
        # Themes' required groups as bits; themes without any get a 0 bit on every phrase.
        self._required_mask: list[int] = []
        self._gate_owners: dict[int, list[tuple[int, int]]] = {}
        for ti, theme in enumerate(self._themes):
            required = [gi for gi, g in enumerate(theme.groups) if g.required]
            self._required_mask.append(sum(1 << k for k in range(len(required))))
            bits = {gi: 1 << k for k, gi in enumerate(required)}
            for term, uid in zip(self._theme_terms[ti], self._theme_uids[ti], strict=True):
                if term.kind in bits or not required:
                    owners = self._gate_owners.setdefault(uid, [])
                    owners.append((ti, bits.get(term.kind, 0)))
        self._exemplars = [[_text_content(e) for e in t.exemplars] for t in self._themes]
        self._models = [learned_model(t) for t in self._themes]
        # A learned theme with 3+ required groups is scored when all but one of them occur.
        self._min_bits = [
            bin(mask).count("1") - 1
            if model is not None and bin(mask).count("1") >= MIN_RELAXED
            else 0
            for mask, model in zip(self._required_mask, self._models, strict=True)
        ]
        self._empty = [MatchResult(t.slug, 0, False, ()) for t in self._themes]

    @property
    def themes(self) -> tuple[Theme, ...]:
        """The themes, in the order results come back."""
        return self._themes

    def _hits_by_theme(self, prepared: _Prepared) -> dict[int, Hits]:
        """Hits of the themes whose required groups all occur; the others cannot match.

        Required phrases are checked first with plain bit masks, so a phrase shared by every
        theme (a country in each actors group) costs nothing for themes whose gates stay shut.
        """
        found = self._index.hits(
            prepared.stems, prepared.n_title, prepared.words, prepared.capitals
        )
        masks: dict[int, int] = {}
        for uid in found:
            for ti, bit in self._gate_owners.get(uid, ()):
                masks[ti] = masks.get(ti, 0) | bit
        per: dict[int, Hits] = {}
        for ti, mask in masks.items():
            if mask != self._required_mask[ti] and (
                not self._min_bits[ti] or bin(mask).count("1") < self._min_bits[ti]
            ):
                continue
            hits: Hits = {}
            for local, uid in enumerate(self._theme_uids[ti]):
                occ = found.get(uid)
                if occ is not None:
                    hits[local] = occ
            per[ti] = hits
        return per

    def score(self, item: ItemText) -> list[MatchResult]:
        """One result per theme, in the order given; themes no term touched score 0."""
        prepared = _prepare(item)
        per = self._hits_by_theme(prepared)
        out = list(self._empty)
        for ti, hits in per.items():
            out[ti] = score_with_hits(
                self._themes[ti],
                self._theme_terms[ti],
                hits,
                prepared,
                self._exemplars[ti],
                model=self._models[ti],
            )
        return out

    def explain(self, item: ItemText, slug: str) -> MatchResult:
        """score_one for a person asking why: gate failures keep their points and reasons.

        score_one gives 0 and no reasons when a required group is missing; here the found
        groups still add up and a "gate" reason (term = the group's name) names each missing
        one. matched is the same as score_one's. KeyError for an unknown slug.
        """
        ti = self._slugs[slug]
        prepared = _prepare(item)
        found = self._index.hits(
            prepared.stems, prepared.n_title, prepared.words, prepared.capitals
        )
        hits: Hits = {}
        for local, uid in enumerate(self._theme_uids[ti]):
            occ = found.get(uid)
            if occ is not None:
                hits[local] = occ
        return score_with_hits(
            self._themes[ti],
            self._theme_terms[ti],
            hits,
            prepared,
            self._exemplars[ti],
            explain=True,
            model=self._models[ti],
        )

    def signals(self, item: ItemText, slug: str) -> Signals | None:
        """What the rules find in item for the theme, as a learned model reads it.

        None when the item misses more required groups than a learned theme may (one, of three
        or more): no model would ever score it. KeyError for an unknown slug.
        """
        ti = self._slugs[slug]
        prepared = _prepare(item)
        found = self._index.hits(
            prepared.stems, prepared.n_title, prepared.words, prepared.capitals
        )
        hits: Hits = {}
        for local, uid in enumerate(self._theme_uids[ti]):
            occ = found.get(uid)
            if occ is not None:
                hits[local] = occ
        probe = _Probe()
        score_with_hits(
            self._themes[ti],
            self._theme_terms[ti],
            hits,
            prepared,
            self._exemplars[ti],
            model=probe,
        )
        return probe.seen[0] if probe.seen else None

    def score_one(self, item: ItemText, slug: str) -> MatchResult:
        """The result for one theme; KeyError for an unknown slug."""
        ti = self._slugs[slug]
        prepared = _prepare(item)
        hits = self._hits_by_theme(prepared).get(ti)
        if not hits:
            return self._empty[ti]
        return score_with_hits(
            self._themes[ti],
            self._theme_terms[ti],
            hits,
            prepared,
            self._exemplars[ti],
            model=self._models[ti],
        )

    def reference_score(
        self, item: ItemText, match: Callable[[str, str], bool] | None = None
    ) -> list[MatchResult]:
        """The slow path: every phrase of every theme compared word by word with the item.

        It shares the scoring rules but neither the index nor the quick word pass (it splits
        the item with tokenize), so it checks the index, its cache and that pass.
        """
        from matcher.index import reference_occurrences, stems_match

        same = functools.lru_cache(maxsize=None)(match or stems_match)  # per call, no index
        prepared = _prepare_tokens(item)
        out = []
        for ti, theme in enumerate(self._themes):
            hits: Hits = {}
            for li, term in enumerate(self._theme_terms[ti]):
                occ = reference_occurrences(
                    term.expr,
                    prepared.words,
                    prepared.stems,
                    prepared.n_title,
                    same,
                    prepared.capitals(),
                )
                if occ:
                    hits[li] = occ
            if hits:
                out.append(
                    score_with_hits(
                        theme,
                        self._theme_terms[ti],
                        hits,
                        prepared,
                        self._exemplars[ti],
                        model=self._models[ti],
                    )
                )
            else:
                out.append(self._empty[ti])
        return out
