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
        # (key, scorer) replaced as one object: threads sharing a cache never see a mixed pair.
        self._built: tuple[tuple[tuple[str, int], ...], Scorer] | None = None

    def get(self, specs: Sequence[ThemeSpec]) -> Scorer:
        key = tuple((s.slug, s.version) for s in specs)
        built = self._built
        if built is None or built[0] != key:
            built = self._built = (key, Scorer([theme_from_spec(s) for s in specs]))
        return built[1]
