"""Translating between the store's theme records and the matcher's themes.

The store must not import the matcher and the matcher must not import the store; this module
is where the two shapes meet, and it keeps one scorer per set of theme versions.
"""

from __future__ import annotations

from collections.abc import Sequence

from matcher import Scorer, TermGroup, Theme
from store.records import GroupSpec, ThemeSpec


def theme_from_spec(spec: ThemeSpec) -> Theme:
    return Theme(
        slug=spec.slug,
        name=spec.name,
        description=spec.description,
        threshold=spec.threshold,
        groups=tuple(TermGroup(g.name, g.weight, g.required, g.terms) for g in spec.groups),
        exclude=spec.exclude,
        exemplars=spec.exemplars,
        options=dict(spec.options),
    )


def spec_from_theme(theme: Theme, version: int = 1) -> ThemeSpec:
    return ThemeSpec(
        slug=theme.slug,
        name=theme.name,
        description=theme.description,
        threshold=theme.threshold,
        groups=tuple(GroupSpec(g.name, g.weight, g.required, g.terms) for g in theme.groups),
        exclude=theme.exclude,
        exemplars=theme.exemplars,
        options=dict(theme.options),
        version=version,
    )


class ScorerCache:
    """Rebuilds the scorer's term index only when a theme was added, removed or changed."""

    def __init__(self) -> None:
        self._key: tuple[tuple[str, int], ...] | None = None
        self._scorer: Scorer | None = None

    def get(self, specs: Sequence[ThemeSpec]) -> Scorer:
        key = tuple((s.slug, s.version) for s in specs)
        if self._scorer is None or key != self._key:
            self._scorer = Scorer([theme_from_spec(s) for s in specs])
            self._key = key
        return self._scorer
