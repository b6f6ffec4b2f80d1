"""Teaching a theme with labelled items: fit its model, and what the labels change; pure.

`with_labels(theme, labels)` scores the labelled items with the theme's rules alone, fits
`matcher.learning.fit_model` on their signals and returns the theme with the model in its
options (or without one while the labels are too few), plus a `TeachReport`. `label_replay`
counts how many labelled items each of two versions of a theme matches. Labels come from
the caller (feedback buttons, /example, `themes teach`); nothing here stores them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from matcher.learning import LEARNED, MIN_PER_CLASS, Signals, fit_model, model_to_json
from matcher.propose import _names_and_words
from matcher.results import ItemText
from matcher.scoring import _STOP, Scorer
from matcher.themes import Theme, validate_theme

__all__ = [
    "Label",
    "LabelReplay",
    "TeachReport",
    "label_replay",
    "untaught",
    "with_labels",
    "words_beyond",
]


@dataclass(frozen=True)
class Label:
    """An item someone judged for a theme: relevant or not."""

    item: ItemText
    relevant: bool


@dataclass(frozen=True)
class TeachReport:
    """What a fit used and whether the model is in effect."""

    relevant: int  # labels of each kind given
    not_relevant: int
    used_relevant: int  # of those, the ones the rules reach (all but one concept found)
    used_not: int
    active: bool  # a model was fitted and is in the theme
    # words most relevant labels beyond the theme's terms share, and not relevant ones rarely
    # use: a fit can only score what the terms reach, so these are for the query (`beyond`)
    beyond_words: tuple[str, ...] = ()

    @property
    def beyond(self) -> int:
        """Relevant labels the theme's terms do not reach: no fit can ever match such items."""
        return self.relevant - self.used_relevant

    def needs(self) -> str:
        """What is missing before the labels take effect ("" when they do)."""
        if self.active:
            return ""
        more = [
            f"{MIN_PER_CLASS - n} more {kind}"
            for n, kind in ((self.used_relevant, "relevant"), (self.used_not, "not relevant"))
            if n < MIN_PER_CLASS
        ]
        need = f"needs {' and '.join(more)} (at least {MIN_PER_CLASS} of each kind)"
        if (self.used_relevant, self.used_not) == (self.relevant, self.not_relevant):
            return need
        # Labels of items that never reach the theme's terms teach the model nothing.
        return (
            f"{self.used_relevant} relevant and {self.used_not} not relevant of them reach "
            f"its terms; it {need.replace('(at least', 'that do (at least', 1)}"
        )


def untaught(theme: Theme) -> Theme:
    """The theme with its rules only (no learned model)."""
    if LEARNED not in theme.options:
        return theme
    options = {k: v for k, v in theme.options.items() if k != LEARNED}
    return replace(theme, options=options)


def with_labels(theme: Theme, labels: Sequence[Label]) -> tuple[Theme, TeachReport]:
    """The theme re-fitted on labels (the model replaced, or removed if too few labels)."""
    rules = untaught(theme)
    scorer = Scorer([rules])
    labelled: list[tuple[Signals, bool]] = []
    missed: list[ItemText] = []  # relevant items its terms do not reach
    for label in labels:
        signals = scorer.signals(label.item, rules.slug)
        if signals is not None:
            labelled.append((signals, label.relevant))
        elif label.relevant:
            missed.append(label.item)
    model = fit_model(rules.threshold, labelled)
    n_pos = sum(label.relevant for label in labels)
    used_pos = sum(y for _, y in labelled)
    report = TeachReport(
        relevant=n_pos,
        not_relevant=len(labels) - n_pos,
        used_relevant=used_pos,
        used_not=len(labelled) - used_pos,
        active=model is not None,
        beyond_words=words_beyond(missed, [label.item for label in labels if not label.relevant]),
    )
    if model is None:
        return rules, report
    options = dict(rules.options)
    options[LEARNED] = model_to_json(model)
    return validate_theme(replace(rules, options=options)), report


BEYOND_SHOWN = 5  # words shown for the relevant labels beyond a theme's terms
BEYOND_SHARE = 0.25  # a word of at least this share of them (and of two)...
BEYOND_PRECISION = 0.7  # ...that not relevant labels use this rarely beside them


def words_beyond(missed: Sequence[ItemText], not_relevant: Sequence[ItemText]) -> tuple[str, ...]:
    """Words (names as written, other words folded) that many relevant items the theme's terms
    miss share, and that the not relevant items rarely use, most shared first: what the
    query lacks, for the admin to add (QA of 2026-12-01: a query of phrases joined by OR
    reached 41 of 60 relevant labels, and no fit can add the other 19)."""
    if not missed:
        return ()

    def terms(item: ItemText) -> set[str]:
        names, words, opening = _names_and_words(f"{item.title}. {item.summary}")
        return {*names, *words, *opening}

    pos: Counter[str] = Counter(t for item in missed for t in terms(item))
    neg: Counter[str] = Counter(t for item in not_relevant for t in terms(item))
    need = max(2, math.ceil(BEYOND_SHARE * len(missed)))
    ranked = sorted(
        (
            t
            for t, n in pos.items()
            if n >= need and n / (n + neg[t]) >= BEYOND_PRECISION and t.casefold() not in _STOP
        ),
        key=lambda t: (-pos[t], neg[t], t),
    )
    return tuple(ranked[:BEYOND_SHOWN])


@dataclass(frozen=True)
class LabelReplay:
    """Of the labelled items, how many each version of a theme matches."""

    relevant: int
    relevant_before: int
    relevant_after: int
    not_relevant: int
    not_relevant_before: int
    not_relevant_after: int

    def line(self) -> str:
        return (
            f"of {self.relevant} marked relevant, {self.relevant_before} match now and "
            f"{self.relevant_after} would; of {self.not_relevant} marked not relevant, "
            f"{self.not_relevant_before} match now and {self.not_relevant_after} would"
        )


def label_replay(before: Theme, after: Theme, labels: Sequence[Label]) -> LabelReplay:
    """How the labelled items fare under two versions of a theme (same slug)."""
    a, b = Scorer([before]), Scorer([after])
    counts = [0] * 6
    for label in labels:
        k = 0 if label.relevant else 3
        counts[k] += 1
        counts[k + 1] += a.score_one(label.item, before.slug).matched
        counts[k + 2] += b.score_one(label.item, after.slug).matched
    return LabelReplay(*counts)
