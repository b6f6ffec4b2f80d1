"""The undo rule for a theme change: put back only what one audit entry changed, or refuse.

Pure (no SQL, no clock): it compares three versions of a theme in `ThemeSpec.to_json` form,
`before` and `after` the entry and `current`, part by part, as a three-way merge does. A part
the entry changed goes back to its `before` value if nobody changed it since; parts it did not
change keep their current value, so later changes survive. If a later change touched the same
part, undoing is refused and `blocking_entries` names the later entries to undo first.

Parts, each compared as a whole: name, description, threshold, exemplars, the terms (groups,
exclusions and the Boolean query they are compiled from, which change together), and each
other option on its own (e.g. the learned model). Why whole terms: a query theme's keyword
edit rewrites the query text, so two keyword edits of a query theme always overlap; refusing
is safer than merging query texts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

TERMS_OPTIONS = ("query", "exclude_anywhere")  # options that belong to the terms
TERMS = "terms"
LEARNED = "option:learned"  # the fitted model: derived from the labels, re-fitted after undo
PART_WORDS = {
    "name": "name",
    "description": "description",
    "threshold": "threshold",
    "exemplars": "examples",
    TERMS: "keywords, exclusions and query",
    LEARNED: "learned model",
}

Theme = Mapping[str, Any]


def theme_parts(theme: Theme) -> dict[str, Any]:
    """The theme split into the parts undo compares (values as they are in the JSON)."""
    options = dict(theme.get("options") or {})
    parts: dict[str, Any] = {
        "name": theme.get("name"),
        "description": theme.get("description", ""),
        "threshold": theme.get("threshold"),
        "exemplars": list(theme.get("exemplars") or []),
        TERMS: (
            list(theme.get("groups") or []),
            list(theme.get("exclude") or []),
            *(options.get(k) for k in TERMS_OPTIONS),
        ),
    }
    for key, value in options.items():
        if key not in TERMS_OPTIONS:
            parts[f"option:{key}"] = value
    return parts


def changed_parts(before: Theme, after: Theme) -> frozenset[str]:
    """The parts that differ between two versions of a theme."""
    old, new = theme_parts(before), theme_parts(after)
    return frozenset(p for p in old.keys() | new.keys() if old.get(p) != new.get(p))


def part_words(parts: frozenset[str] | set[str]) -> str:
    """`threshold, keywords, exclusions and query`: the parts as an admin reads them."""
    return ", ".join(sorted(PART_WORDS.get(p, p.removeprefix("option:")) for p in parts))


@dataclass(frozen=True)
class ThemeUndo:
    """What undoing one theme change does (the store saves `theme`) or why it may not."""

    theme: dict[str, Any] | None  # the theme to store; None when refused
    undone: frozenset[str]  # the parts that go back to how they were before the entry
    blocked: frozenset[str]  # parts the entry changed that a later change changed again


def decide_theme_undo(before: Theme, after: Theme, current: Theme) -> ThemeUndo:
    """Undo only the parts `before` -> `after` changed, on `current`; refuse on overlap."""
    changed = changed_parts(before, after)
    old, new, now = theme_parts(before), theme_parts(after), theme_parts(current)
    blocked = frozenset(p for p in changed if now.get(p) not in (new.get(p), old.get(p)))
    if blocked:
        return ThemeUndo(None, frozenset(), blocked)
    undone = frozenset(p for p in changed if now.get(p) != old.get(p))
    theme = _with_parts(current, {p: old.get(p) for p in undone})
    return ThemeUndo(theme, undone, frozenset())


def decide_teaching_undo(before: Theme, after: Theme, current: Theme) -> ThemeUndo:
    """Undo a teaching step: as `decide_theme_undo`, with the learned model left out.

    The model is derived from the labels: the caller fits it again on the labels left once
    the step's labels are taken back, so a later change of the model (another teaching step)
    never blocks, and the theme returned keeps the current model until that fit. A part the
    step changed besides (an example it added) is decided as for any theme change.
    """
    without = {LEARNED: None}
    decision = decide_theme_undo(
        _with_parts(before, without), _with_parts(after, without), _with_parts(current, without)
    )
    if decision.theme is None:
        return decision
    kept = _with_parts(decision.theme, {LEARNED: theme_parts(current).get(LEARNED)})
    return ThemeUndo(kept, decision.undone, decision.blocked)


def blocking_entries(
    blocked: frozenset[str], later: Sequence[tuple[int, Theme | None, Theme | None]]
) -> list[int]:
    """The later entries (id, before, after) that changed a blocked part, newest first.

    An entry that did not record both versions may have changed anything, so it is named too.
    """
    named = [
        entry
        for entry, before, after in later
        if before is None or after is None or changed_parts(before, after) & blocked
    ]
    return sorted(named, reverse=True)


def _with_parts(theme: Theme, parts: Mapping[str, Any]) -> dict[str, Any]:
    result = dict(theme)
    options = dict(theme.get("options") or {})
    for part, value in parts.items():
        if part == TERMS:
            groups, exclude, *extra = value
            result["groups"], result["exclude"] = list(groups), list(exclude)
            for key, option in zip(TERMS_OPTIONS, extra, strict=True):
                _set_option(options, key, option)
        elif part.startswith("option:"):
            _set_option(options, part.removeprefix("option:"), value)
        else:
            result[part] = value
    result["options"] = options
    return result


def _set_option(options: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        options.pop(key, None)
    else:
        options[key] = value
