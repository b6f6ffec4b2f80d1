"""Themes that learn: a small per-theme model fitted on labelled items, and how it is applied.

Pure: it neither stores labels nor reads files. `fit_model` takes a theme, its labelled items
and their rule signals (what the scorer found: the rule score, missing required concepts,
concepts in the title, an exclusion, exemplar likeness, the item's meaningful stems) and
returns a `LearnedModel`, or None while the labels are too few. `LearnedModel.adjust` turns an
item's signals into points added to the rule score; the scorer applies it.

The model is a logistic regression *on top of the rules*: the rule decision is a fixed offset
(`(score - threshold) / 25` logits, minus 3 per missing required concept) and the fitted
weights only add to it. With an L2 penalty pulling every weight to 0, few labels leave the
rules as they were; the learned part is clipped to `cap` points (default 60) either way.
Guard rails, so one bad press cannot flip a theme:
- no model until there are MIN_PER_CLASS labels of each kind;
- the L2 penalty (`L2`), and leave-one-out features while fitting (a label never votes for
  itself);
- the learned points are capped, an excluded context still blocks, and an item may miss at
  most one required concept (of three or more) and still be matched.

Features (all about the item and the labels, none about one theme's group names, so a model
survives /keywords edits): `words` (naive-Bayes log-odds of its stems, from the labels),
`like_relevant` / `like_not` (highest stem-set cosine to a relevant / not relevant label),
`title` (share of required concepts found in the title), `missing`, `excluded`, `exemplar`,
and `meaning`: how much nearer the item's meaning (`matcher.meaning`, a static embedding of
title and summary) is to the relevant labels' average than to the not relevant labels'. Words
need a stem to recur in labels before they count; meaning generalises from a few ("Belgium
bans ..." near "France bans ..." labelled not relevant, "Montana bans ..." near a US state's
ban labelled relevant).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

__all__ = [
    "FEATURES",
    "L2",
    "LEARNED",
    "MIN_PER_CLASS",
    "LearnedModel",
    "Signals",
    "fit_model",
    "model_from_json",
    "model_to_json",
]

LEARNED = "learned"  # the theme option holding the fitted model (JSON text)
FEATURES = (
    "words",
    "like_relevant",
    "like_not",
    "title",
    "missing",
    "excluded",
    "exemplar",
    "meaning",
)
MIN_PER_CLASS = 5  # labels of each kind before a model takes effect
L2 = 0.3  # penalty on the squared weights (and bias); chosen by 2-fold CV inside tune halves
POINTS_PER_LOGIT = 25.0  # the rule score's scale in the model: 25 points = 1 logit
GATE_POINTS = 30.0  # points a missing required concept costs a learned theme
DEFAULT_CAP = 60.0  # the most points the labels may add or take away
MAX_KEPT = 150  # the latest labels of each kind kept for the likeness features (speed)
MIN_WORD_LABELS = 2  # a stem must occur in this many labels to get a word weight
MEANING_SCALE = 10.0  # cosine differences are ~0.1 apart; scaled to the other features' range


@dataclass(frozen=True)
class Signals:
    """What the rules found in one item for one theme: the model's input."""

    rule: float  # the rule score before learning (gate-missing items: their found points)
    missing: int  # required concepts not found
    required: int  # required concepts the theme has
    in_title: int  # required concepts found in the title
    excluded: bool  # an excluded context occurs
    exemplar: float  # highest stem-set cosine to an exemplar, 0..1
    content: frozenset[str]  # the item's meaningful stems
    text: str = ""  # title and summary, for the meaning feature ("" leaves it out)


def _cosine(a: frozenset[str], b: frozenset[str], common: int | None = None) -> float:
    if not a or not b:
        return 0.0
    n = len(a & b) if common is None else common
    return n / math.sqrt(len(a) * len(b))


def _word_table(
    relevant: Sequence[frozenset[str]], not_relevant: Sequence[frozenset[str]]
) -> tuple[dict[str, int], dict[str, int]]:
    pos: dict[str, int] = {}
    neg: dict[str, int] = {}
    for sets, counts in ((relevant, pos), (not_relevant, neg)):
        for s in sets:
            for w in s:
                counts[w] = counts.get(w, 0) + 1
    return pos, neg


def _log_odds(cp: int, cn: int, n_pos: int, n_neg: int) -> float:
    """Smoothed log-odds of a stem in relevant vs not relevant labels (add-one)."""
    return math.log((cp + 1) / (n_pos + 2)) - math.log((cn + 1) / (n_neg + 2))


def _words_score(content: Iterable[str], weights: Mapping[str, float]) -> float:
    total, n = 0.0, 0
    for s in content:
        w = weights.get(s)
        if w is not None:
            total += w
            n += 1
    return total / math.sqrt(n + 1)


@dataclass
class LearnedModel:
    """A fitted model: weights per FEATURES, word log-odds and the labels' stem sets."""

    weights: tuple[float, ...]
    bias: float
    words: dict[str, float]
    relevant: tuple[frozenset[str], ...]
    not_relevant: tuple[frozenset[str], ...]
    n_relevant: int  # labels it was fitted on, of each kind
    n_not: int
    cap: float = DEFAULT_CAP
    # unit vectors of the relevant and the not relevant labels' average meaning (None: a
    # model fitted before the meaning feature, whose weight for it is then 0)
    centroids: tuple[tuple[float, ...], tuple[float, ...]] | None = None
    _index: tuple[dict[str, tuple[int, ...]], list[float]] | None = field(
        default=None, repr=False, compare=False
    )
    _arrays: tuple[Any, Any] | None = field(default=None, repr=False, compare=False)

    def _likeness(self, content: frozenset[str]) -> tuple[float, float]:
        """Highest cosine to a relevant and to a not relevant label, via an inverted index."""
        if self._index is None:
            labels = (*self.relevant, *self.not_relevant)
            postings: dict[str, list[int]] = {}
            for i, label in enumerate(labels):
                for w in label:
                    postings.setdefault(w, []).append(i)
            roots = [math.sqrt(len(label)) or 1.0 for label in labels]
            self._index = ({w: tuple(ids) for w, ids in postings.items()}, roots)
        if not content:
            return 0.0, 0.0
        postings_of, roots = self._index
        hits = Counter(chain.from_iterable(postings_of[w] for w in content if w in postings_of))
        split = len(self.relevant)
        best_pos = best_neg = 0.0
        for i, n in hits.items():
            cos = n / roots[i]
            if i < split:
                if cos > best_pos:
                    best_pos = cos
            elif cos > best_neg:
                best_neg = cos
        root = math.sqrt(len(content))
        return best_pos / root, best_neg / root

    def features(self, s: Signals) -> list[float]:
        like_pos, like_neg = self._likeness(s.content)
        return _vector(
            s, _words_score(s.content, self.words), like_pos, like_neg, self._meaning(s.text)
        )

    def _meaning(self, text: str) -> float:
        if self.centroids is None or not text or not any(self.weights[-1:]):
            return 0.0
        from matcher.meaning import embed

        if self._arrays is None:
            import numpy as np

            pos_list, neg_list = self.centroids
            self._arrays = (
                np.asarray(pos_list, dtype=np.float32),
                np.asarray(neg_list, dtype=np.float32),
            )
        vector = embed(text)
        pos, neg = self._arrays
        return MEANING_SCALE * (float(vector @ pos) - float(vector @ neg))

    def adjust(self, s: Signals) -> float:
        """Points the labels add to (or take from) this item's rule score, within +-cap."""
        z = self.bias + sum(w * x for w, x in zip(self.weights, self.features(s), strict=True))
        return max(-self.cap, min(self.cap, z * POINTS_PER_LOGIT))


def _vector(
    s: Signals, words: float, like_pos: float, like_neg: float, meaning: float
) -> list[float]:
    title = s.in_title / s.required if s.required else 0.0
    return [
        words,
        like_pos,
        like_neg,
        title,
        float(s.missing),
        float(s.excluded),
        s.exemplar,
        meaning,
    ]


def _unit(v: Any) -> Any:
    norm = float((v @ v) ** 0.5)
    return v / norm if norm > 0 else v


def _meanings(labelled: Sequence[tuple[Signals, bool]]) -> tuple[list[float], Any, Any] | None:
    """Each label's meaning feature, leaving the label out of the averages it is compared
    with, and the two unit averages the model keeps; None when no label has text."""
    texts = [s.text for s, _ in labelled]
    if not any(texts):
        return None
    from matcher.meaning import embed_many

    vectors = embed_many(texts)
    ys = [y for _, y in labelled]
    sum_pos = sum((v for v, y in zip(vectors, ys, strict=True) if y), vectors[0] * 0)
    sum_neg = sum((v for v, y in zip(vectors, ys, strict=True) if not y), vectors[0] * 0)
    out = []
    for v, y in zip(vectors, ys, strict=True):
        pos = _unit(sum_pos - v if y else sum_pos)
        neg = _unit(sum_neg if y else sum_neg - v)
        out.append(MEANING_SCALE * (float(v @ pos) - float(v @ neg)))
    return out, _unit(sum_pos), _unit(sum_neg)


def offset(s: Signals, threshold: int) -> float:
    """The rule decision in logits: what the model starts from and adds to."""
    return (s.rule - GATE_POINTS * s.missing - threshold) / POINTS_PER_LOGIT


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (a is small and positive definite)."""
    n = len(b)
    m = [[*row, b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(c + 1, n):
            f = m[r][c] / m[c][c]
            for k in range(c, n + 1):
                m[r][k] -= f * m[c][k]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][k] * x[k] for k in range(r + 1, n))) / m[r][r]
    return x


def _loss(
    beta: Sequence[float],
    xs: Sequence[list[float]],
    offsets: Sequence[float],
    ys: Sequence[bool],
    l2: float,
) -> float:
    total = 0.5 * l2 * sum(b * b for b in beta)
    for x, o, y in zip(xs, offsets, ys, strict=True):
        z = o + sum(b * v for b, v in zip(beta, x, strict=True))
        # log(1 + e^z) - y z, written to stay finite for any z
        total += max(z, 0.0) + math.log1p(math.exp(-abs(z))) - (z if y else 0.0)
    return total


def _newton(
    rows: Sequence[list[float]], offsets: Sequence[float], ys: Sequence[bool], l2: float
) -> list[float]:
    """Weights (bias last) of an L2-penalised logistic regression with fixed offsets.

    Newton steps, halved until the penalised loss goes down (labels that separate cleanly
    would otherwise make a full step overshoot).
    """
    d = len(rows[0]) + 1
    beta = [0.0] * d
    xs = [[*r, 1.0] for r in rows]
    loss = _loss(beta, xs, offsets, ys, l2)
    for _ in range(50):
        grad = [l2 * b for b in beta]
        hess = [[l2 if i == j else 0.0 for j in range(d)] for i in range(d)]
        for x, o, y in zip(xs, offsets, ys, strict=True):
            z = o + sum(b * v for b, v in zip(beta, x, strict=True))
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            g, h = p - float(y), p * (1.0 - p)
            for i in range(d):
                grad[i] += g * x[i]
                hi = h * x[i]
                row = hess[i]
                for j in range(i + 1):
                    row[j] += hi * x[j]
        for i in range(d):
            for j in range(i):
                hess[j][i] = hess[i][j]
        step = _solve(hess, grad)
        t = 1.0
        for _ in range(30):
            trial = [b - t * s for b, s in zip(beta, step, strict=True)]
            trial_loss = _loss(trial, xs, offsets, ys, l2)
            if trial_loss <= loss:
                break
            t /= 2
        else:
            break
        beta, moved, loss = trial, t * max(abs(s) for s in step), trial_loss
        if moved < 1e-7:
            break
    return beta


def fit_model(
    threshold: int,
    labelled: Sequence[tuple[Signals, bool]],
    *,
    l2: float | None = None,
    cap: float = DEFAULT_CAP,
    min_per_class: int = MIN_PER_CLASS,
) -> LearnedModel | None:
    """Fit the theme's model on its labelled items' signals; None while too few labels.

    Each label's own words and stems are left out of its features (leave-one-out), so a
    label's fitted weight comes from what the other labels say about it.
    """
    l2 = L2 if l2 is None else l2
    pos_sets = [s.content for s, y in labelled if y]
    neg_sets = [s.content for s, y in labelled if not y]
    n_pos, n_neg = len(pos_sets), len(neg_sets)
    if n_pos < min_per_class or n_neg < min_per_class:
        return None
    cpos, cneg = _word_table(pos_sets, neg_sets)
    pos_ids = [k for k, (_, y) in enumerate(labelled) if y][-MAX_KEPT:]
    neg_ids = [k for k, (_, y) in enumerate(labelled) if not y][-MAX_KEPT:]
    kept = pos_ids + neg_ids
    meanings = _meanings(labelled)
    rows: list[list[float]] = []
    for k, (s, y) in enumerate(labelled):
        own = 1 if y else 0
        table = {}
        for w in s.content:
            cp, cn = cpos.get(w, 0) - own, cneg.get(w, 0) - (1 - own)
            if cp + cn >= MIN_WORD_LABELS:
                table[w] = _log_odds(cp, cn, n_pos - own, n_neg - (1 - own))
        best_pos = best_neg = 0.0
        for j in kept:  # the labels the model keeps: the likeness it will see when applied
            if j == k:
                continue
            t, ty = labelled[j]
            cos = _cosine(s.content, t.content)
            if ty:
                best_pos = max(best_pos, cos)
            else:
                best_neg = max(best_neg, cos)
        meaning = meanings[0][k] if meanings is not None else 0.0
        rows.append(_vector(s, _words_score(s.content, table), best_pos, best_neg, meaning))
    offsets = [offset(s, threshold) for s, _ in labelled]
    beta = _newton(rows, offsets, [y for _, y in labelled], l2)
    words = {
        w: round(_log_odds(cp, cneg.get(w, 0), n_pos, n_neg), 3)
        for w, cp in cpos.items()
        if cp + cneg.get(w, 0) >= MIN_WORD_LABELS
    }
    words.update(
        (w, round(_log_odds(0, cn, n_pos, n_neg), 3))
        for w, cn in cneg.items()
        if w not in cpos and cn >= MIN_WORD_LABELS
    )
    return LearnedModel(
        weights=tuple(round(b, 4) for b in beta[:-1]),
        bias=round(beta[-1], 4),
        words=words,
        relevant=tuple(pos_sets[-MAX_KEPT:]),
        not_relevant=tuple(neg_sets[-MAX_KEPT:]),
        n_relevant=n_pos,
        n_not=n_neg,
        cap=cap,
        centroids=None
        if meanings is None
        else (
            tuple(round(float(x), 5) for x in meanings[1]),
            tuple(round(float(x), 5) for x in meanings[2]),
        ),
    )


def model_to_json(model: LearnedModel) -> str:
    """The model as compact JSON text, for the theme option LEARNED."""
    return json.dumps(
        {
            "v": 2,
            "meaning": None if model.centroids is None else [list(c) for c in model.centroids],
            "features": list(FEATURES),
            "weights": list(model.weights),
            "bias": model.bias,
            "cap": model.cap,
            "labels": [model.n_relevant, model.n_not],
            "words": model.words,
            "relevant": [" ".join(sorted(s)) for s in model.relevant],
            "not_relevant": [" ".join(sorted(s)) for s in model.not_relevant],
        },
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
    )


def model_from_json(text: str) -> LearnedModel:
    """Read model_to_json's text; ValueError saying what is wrong."""
    try:
        data = json.loads(text)
        version = data.get("v")
        features = list(FEATURES) if version == 2 else list(FEATURES[:-1])
        if version not in (1, 2) or data.get("features") != features:
            raise ValueError("written by another version; fit it again (/learn THEME)")
        weights = tuple(float(w) for w in data["weights"])
        if len(weights) != len(features):
            raise ValueError(f"expected {len(features)} weights, got {len(weights)}")
        weights += (0.0,) * (len(FEATURES) - len(weights))  # v1: fitted without meaning
        centroids = None
        if data.get("meaning") is not None:
            pos, neg = (tuple(float(x) for x in c) for c in data["meaning"])
            if len(pos) != len(neg):
                raise ValueError("the two meaning averages differ in length")
            centroids = (pos, neg)
        n_pos, n_neg = (int(n) for n in data["labels"])
        cap = float(data["cap"])
        if not 0 < cap <= DEFAULT_CAP:
            raise ValueError(f"cap {cap:g} is outside 0..{DEFAULT_CAP:g} points")
        if not all(math.isfinite(w) for w in (*weights, float(data["bias"]))):
            raise ValueError("a weight or the bias is not a finite number")
        return LearnedModel(
            weights=weights,
            bias=float(data["bias"]),
            words={str(k): float(v) for k, v in dict(data["words"]).items()},
            relevant=tuple(frozenset(str(s).split()) for s in data["relevant"]),
            not_relevant=tuple(frozenset(str(s).split()) for s in data["not_relevant"]),
            n_relevant=n_pos,
            n_not=n_neg,
            cap=cap,
            centroids=centroids,
        )
    except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as exc:
        raise ValueError(f"learned model: {exc}") from None
