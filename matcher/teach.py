"""Teaching a theme with labelled items: fit its model, and what the labels change; pure.

`with_labels(theme, labels)` scores the labelled items with the theme's rules alone, fits
`matcher.learning.fit_model` on their signals and returns the theme with the model in its
options (or without one while the labels are too few), plus a `TeachReport`. `label_replay`
counts how many labelled items each of two versions of a theme matches. Labels come from
the caller (feedback buttons, /example, `themes teach`); nothing here stores them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from matcher.learning import LEARNED, MIN_PER_CLASS, Signals, fit_model, model_to_json
from matcher.results import ItemText
from matcher.scoring import Scorer
from matcher.themes import Theme, validate_theme

__all__ = ["Label", "LabelReplay", "TeachReport", "label_replay", "untaught", "with_labels"]


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
    for label in labels:
        signals = scorer.signals(label.item, rules.slug)
        if signals is not None:
            labelled.append((signals, label.relevant))
    model = fit_model(rules.threshold, labelled)
    n_pos = sum(label.relevant for label in labels)
    used_pos = sum(y for _, y in labelled)
    report = TeachReport(
        relevant=n_pos,
        not_relevant=len(labels) - n_pos,
        used_relevant=used_pos,
        used_not=len(labelled) - used_pos,
        active=model is not None,
    )
    if model is None:
        return rules, report
    options = dict(rules.options)
    options[LEARNED] = model_to_json(model)
    return validate_theme(replace(rules, options=options)), report


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
