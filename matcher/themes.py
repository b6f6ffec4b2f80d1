"""Theme and term-group values, their validation and admin edits; no scoring, no file access."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from matcher.errors import MatcherError
from matcher.text import normalize_text

__all__ = [
    "OptionValue",
    "TermGroup",
    "Theme",
    "ThemeError",
    "validate_theme",
    "with_exclusion",
    "with_keyword",
    "with_threshold",
    "without_exclusion",
    "without_keyword",
]

OptionValue = str | int | float | bool

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


class ThemeError(MatcherError):
    """A theme definition or edit is invalid; the message names the theme and the field."""


@dataclass(frozen=True)
class TermGroup:
    """Terms that play one role in a theme (who, what, actors...) and what they can add."""

    name: str
    weight: float
    required: bool
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Theme:
    """A tracked concept: weighted term groups, excluded contexts, exemplars and a threshold."""

    slug: str
    name: str
    description: str
    threshold: int
    groups: tuple[TermGroup, ...]
    exclude: tuple[str, ...] = ()
    exemplars: tuple[str, ...] = ()
    options: dict[str, OptionValue] = field(default_factory=dict)

    def group(self, name: str) -> TermGroup | None:
        """The group called name, or None."""
        for g in self.groups:
            if g.name == name:
                return g
        return None


def _fail(theme: str, fieldname: str, why: str) -> ThemeError:
    return ThemeError(f"theme {theme!r}: {fieldname}: {why}")


def _check_phrase(slug: str, fieldname: str, phrase: object) -> str:
    if not isinstance(phrase, str):
        raise _fail(slug, fieldname, f"expected text, got {type(phrase).__name__}")
    if not normalize_text(phrase).replace('"', "").replace("'", "").strip():
        raise _fail(slug, fieldname, f"empty phrase {phrase!r}")
    return phrase


def validate_theme(theme: Theme) -> Theme:
    """Return theme unchanged if it is well formed, else raise ThemeError naming the field."""
    slug = theme.slug if isinstance(theme.slug, str) else repr(theme.slug)
    if not isinstance(theme.slug, str) or not _SLUG.match(theme.slug):
        raise _fail(slug, "slug", "use lowercase letters, digits and '-' (at most 63)")
    if not isinstance(theme.name, str) or not theme.name.strip():
        raise _fail(slug, "name", "must be a non-empty text")
    if not isinstance(theme.description, str):
        raise _fail(slug, "description", "must be text")
    if isinstance(theme.threshold, bool) or not isinstance(theme.threshold, int):
        raise _fail(slug, "threshold", "must be an integer from 0 to 100")
    if not 0 <= theme.threshold <= 100:
        raise _fail(slug, "threshold", f"{theme.threshold} is outside 0..100")
    if not theme.groups:
        raise _fail(slug, "groups", "a theme needs at least one term group")
    seen: set[str] = set()
    for i, g in enumerate(theme.groups):
        where = f"groups[{i}]"
        if not isinstance(g.name, str) or not g.name.strip():
            raise _fail(slug, f"{where}.name", "must be a non-empty text")
        if g.name in seen:
            raise _fail(slug, f"{where}.name", f"duplicate group {g.name!r}")
        seen.add(g.name)
        if isinstance(g.weight, bool) or not isinstance(g.weight, int | float):
            raise _fail(slug, f"groups.{g.name}.weight", "must be a number from 0 to 100")
        if not 0 <= g.weight <= 100:
            raise _fail(slug, f"groups.{g.name}.weight", f"{g.weight} is outside 0..100")
        if not isinstance(g.required, bool):
            raise _fail(slug, f"groups.{g.name}.required", "must be true or false")
        if not g.terms:
            raise _fail(slug, f"groups.{g.name}.terms", "a group needs at least one term")
        for t in g.terms:
            _check_phrase(slug, f"groups.{g.name}.terms", t)
    for p in theme.exclude:
        _check_phrase(slug, "exclude", p)
    for e in theme.exemplars:
        _check_phrase(slug, "exemplars", e)
    for key, value in theme.options.items():
        if not isinstance(value, str | int | float | bool):
            raise _fail(slug, f"options.{key}", "must be text, a number or true/false")
    _check_options(slug, theme.options)
    return theme


def _is_iso_date(value: object) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _check_options(slug: str, options: dict[str, OptionValue]) -> None:
    until = options.get("until")
    if until is not None and not _is_iso_date(until):
        raise _fail(slug, "options.until", "must be a date written YYYY-MM-DD")
    for key in ("window", "proximity", "exemplar", "exclude_penalty", "until_penalty"):
        v = options.get(key)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int | float) or v < 0):
            raise _fail(slug, f"options.{key}", "must be a number >= 0")


def _same(a: str, b: str) -> bool:
    return normalize_text(a) == normalize_text(b)


def keyword_groups(theme: Theme) -> list[str]:
    """Groups that /keywords add writes to: option "keyword_groups" (comma list), else the first.

    The shipped theme names its broad required gate and its strong relations group, so an
    admin's phrase both opens the gate and carries the group's full weight.
    """
    raw = theme.options.get("keyword_groups")
    names = [n.strip() for n in str(raw).split(",") if n.strip()] if raw else []
    known = [n for n in names if theme.group(n) is not None]
    return known or [theme.groups[0].name]


def with_keyword(theme: Theme, phrase: str) -> Theme:
    """Add phrase to the theme's keyword groups (see keyword_groups); ThemeError if present."""
    _check_phrase(theme.slug, "keywords", phrase)
    phrase = " ".join(phrase.split())
    targets = keyword_groups(theme)
    groups = []
    for g in theme.groups:
        if g.name in targets:
            if any(_same(t, phrase) for t in g.terms):
                raise _fail(theme.slug, f"groups.{g.name}.terms", f"{phrase!r} is already there")
            g = replace(g, terms=(*g.terms, phrase))
        groups.append(g)
    return validate_theme(replace(theme, groups=tuple(groups)))


def without_keyword(theme: Theme, phrase: str) -> Theme:
    """Remove phrase from every group holding it; ThemeError if absent or a group would empty."""
    found = False
    groups = []
    for g in theme.groups:
        kept = tuple(t for t in g.terms if not _same(t, phrase))
        if len(kept) != len(g.terms):
            found = True
            if not kept:
                raise _fail(theme.slug, f"groups.{g.name}.terms", "cannot remove its last term")
        groups.append(replace(g, terms=kept))
    if not found:
        raise _fail(theme.slug, "keywords", f"{phrase!r} is not a term of any group")
    return replace(theme, groups=tuple(groups))


def with_exclusion(theme: Theme, phrase: str) -> Theme:
    """Add an excluded context phrase; ThemeError if it is already there."""
    _check_phrase(theme.slug, "exclude", phrase)
    phrase = " ".join(phrase.split())
    if any(_same(p, phrase) for p in theme.exclude):
        raise _fail(theme.slug, "exclude", f"{phrase!r} is already there")
    return replace(theme, exclude=(*theme.exclude, phrase))


def without_exclusion(theme: Theme, phrase: str) -> Theme:
    """Remove an excluded context phrase; ThemeError if absent."""
    kept = tuple(p for p in theme.exclude if not _same(p, phrase))
    if len(kept) == len(theme.exclude):
        raise _fail(theme.slug, "exclude", f"{phrase!r} is not an excluded phrase")
    return replace(theme, exclude=kept)


def with_threshold(theme: Theme, threshold: int) -> Theme:
    """Set the threshold; ThemeError outside 0..100."""
    if isinstance(threshold, bool) or not isinstance(threshold, int):
        raise _fail(theme.slug, "threshold", "must be an integer from 0 to 100")
    if not 0 <= threshold <= 100:
        raise _fail(theme.slug, "threshold", f"{threshold} is outside 0..100")
    return replace(theme, threshold=threshold)
