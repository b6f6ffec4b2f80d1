"""Themes to and from TOML, and the TOML shipped in the package; reads no other files."""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Sequence
from importlib import resources
from typing import Any

from matcher.themes import (
    DEFAULT_THRESHOLD,
    QUERY,
    TermGroup,
    Theme,
    ThemeError,
    validate_theme,
    with_query,
)

__all__ = ["dump_themes_toml", "load_themes_toml", "shipped_themes_toml"]


def shipped_themes_toml() -> str:
    """The text of every matcher/themes/*.toml in the package, concatenated in name order."""
    folder = resources.files("matcher").joinpath("themes")
    parts = [
        entry.read_text(encoding="utf-8")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".toml")
    ]
    return "\n".join(parts)


def _texts(slug: str, fieldname: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ThemeError(f"theme {slug!r}: {fieldname}: expected a list of texts")
    return tuple(value)


def _theme_from_table(i: int, table: object) -> Theme:
    if not isinstance(table, dict):
        raise ThemeError(f"theme #{i + 1}: expected a [[themes]] table")
    slug = table.get("slug")
    if not isinstance(slug, str):
        raise ThemeError(f"theme #{i + 1}: slug: missing or not text")
    known = {"slug", "name", "description", "threshold", "groups", "exclude", "exemplars", QUERY}
    unknown = sorted(set(table) - known - {"options"})
    if unknown:
        raise ThemeError(f"theme {slug!r}: {unknown[0]}: unknown field")
    if "name" not in table:
        raise ThemeError(f"theme {slug!r}: name: missing")
    query = table.get(QUERY)
    if query is not None:
        if not isinstance(query, str):
            raise ThemeError(f"theme {slug!r}: query: expected text")
        if table.get("groups") or table.get("exclude"):
            raise ThemeError(
                f"theme {slug!r}: query: a query theme takes its terms and exclusions from the "
                "query; remove its groups and exclude, or the query"
            )
    raw_groups = table.get("groups", [])
    if not isinstance(raw_groups, list):
        raise ThemeError(f"theme {slug!r}: groups: expected [[themes.groups]] tables")
    groups = []
    for j, g in enumerate(raw_groups):
        if not isinstance(g, dict):
            raise ThemeError(f"theme {slug!r}: groups[{j}]: expected a table")
        gname = g.get("name", f"#{j + 1}")
        for key in ("name", "weight", "terms"):
            if key not in g:
                raise ThemeError(f"theme {slug!r}: groups.{gname}.{key}: missing")
        weight = g["weight"]
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise ThemeError(f"theme {slug!r}: groups.{gname}.weight: must be a number")
        groups.append(
            TermGroup(
                name=g["name"],
                weight=float(weight),
                required=g.get("required", False),
                terms=_texts(slug, f"groups.{gname}.terms", g["terms"]),
            )
        )
    options = table.get("options", {})
    if not isinstance(options, dict):
        raise ThemeError(f"theme {slug!r}: options: expected a table")
    if query is not None:
        options = {k: v for k, v in options.items() if k != QUERY}
    theme = Theme(
        slug=slug,
        name=table["name"],
        description=table.get("description", ""),
        threshold=table.get("threshold", DEFAULT_THRESHOLD),  # as `themes add` defaults
        groups=tuple(groups),
        exclude=_texts(slug, "exclude", table.get("exclude", [])),
        exemplars=_texts(slug, "exemplars", table.get("exemplars", [])),
        options=dict(options),
    )
    if query is not None:
        return with_query(validate_theme(theme), query)
    return validate_theme(theme)


def load_themes_toml(text: str, source: str = "themes file") -> list[Theme]:
    """Parse themes from TOML ([[themes]] tables); ThemeError names the theme and the field.

    `source` names the file in messages ("themes.toml: not valid TOML: ... (at line 3,
    column 7)").
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ThemeError(f"{source}: not valid TOML: {exc}") from exc
    unknown = sorted(set(data) - {"themes"})
    if unknown:
        raise ThemeError(f"{source}: {unknown[0]}: unknown top-level key")
    tables = data.get("themes", [])
    if not isinstance(tables, list):
        raise ThemeError(f"{source}: themes: expected [[themes]] tables")
    themes = [_theme_from_table(i, t) for i, t in enumerate(tables)]
    slugs: set[str] = set()
    for t in themes:
        if t.slug in slugs:
            raise ThemeError(f"theme {t.slug!r}: slug: defined twice")
        slugs.add(t.slug)
    return themes


def _str(value: str) -> str:
    out = json.dumps(value, ensure_ascii=False)
    return out.replace("\x7f", "\\u007f")


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _str(value)
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _list(values: Sequence[str], indent: str = "") -> str:
    if not values:
        return "[]"
    inner = "".join(f"{indent}  {_str(v)},\n" for v in values)
    return "[\n" + inner + indent + "]"


def _key(key: str) -> str:
    bare = key and all(c.isascii() and (c.isalnum() or c in "-_") for c in key)
    return key if bare else _str(key)


def dump_themes_toml(themes: Sequence[Theme]) -> str:
    """Write themes as TOML that load_themes_toml reads back to equal themes.

    A query theme is written with its `query` and without the groups and exclusions compiled
    from it.
    """
    lines: list[str] = []
    for t in themes:
        query = t.query
        head = [
            "[[themes]]",
            f"slug = {_str(t.slug)}",
            f"name = {_str(t.name)}",
            f"description = {_str(t.description)}",
            f"threshold = {_value(t.threshold)}",
        ]
        if query is not None:
            head.append(f"query = {_str(query)}")
        else:
            head.append(f"exclude = {_list(t.exclude)}")
        lines += [*head, f"exemplars = {_list(t.exemplars)}", ""]
        options = {k: v for k, v in t.options.items() if k != QUERY or query is None}
        if options:
            lines.append("[themes.options]")
            lines += [f"{_key(k)} = {_value(v)}" for k, v in options.items()]
            lines.append("")
        for g in () if query is not None else t.groups:
            lines += [
                "[[themes.groups]]",
                f"name = {_str(g.name)}",
                f"weight = {_value(float(g.weight))}",
                f"required = {_value(g.required)}",
                f"terms = {_list(g.terms)}",
                "",
            ]
    return "\n".join(lines)
