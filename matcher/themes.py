"""Theme and term-group values, their validation and admin edits; no scoring, no file access.

A theme is either written as term groups (TOML, the shipped theme) or as a Boolean query
(`with_query`): the query is kept in `options["query"]` (so every store that keeps options
keeps it) and compiled here into required groups, one per top-level AND operand, and
exclusions, one per NOT. Edits to a query theme (`with_keyword`, `with_exclusion`...) rewrite
the query and compile it again, so the query text and the groups never disagree. A theme
with no group at all (just made by /addtheme) is valid and matches nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date

from matcher.errors import MatcherError
from matcher.learning import LEARNED, model_from_json
from matcher.query import (
    Any,
    Near,
    Node,
    Not,
    QueryError,
    SplitQuery,
    Words,
    misplaced_not,
    parse_query,
    parse_term,
    split_query,
    to_text,
)
from matcher.text import normalize_text, tokenize

__all__ = [
    "OptionValue",
    "TermGroup",
    "Theme",
    "ThemeError",
    "keyword_targets",
    "new_theme_problem",
    "slug_from",
    "validate_theme",
    "with_exclusion",
    "with_keyword",
    "with_query",
    "with_threshold",
    "without_exclusion",
    "without_keyword",
]

OptionValue = str | int | float | bool

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")  # any stored theme (older ones may be long)
DEFAULT_THRESHOLD = 50  # a new theme's: `themes add`, /addtheme, a TOML theme that gives none
MIN_SLUG_CHARS = 2  # a new theme's slug (/addtheme and `themes add` share new_theme_problem)
MAX_SLUG_CHARS = 40  # short enough to type and to fit a button's data
MAX_NAME_CHARS = 100  # a new theme's display name
_NEW_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
QUERY = "query"  # the option holding a query theme's text
KEYWORDS_GROUP = "keywords"
CONCEPTS_WEIGHT = 90.0  # the required concepts of a query share these points (proximity: 10)


class ThemeError(MatcherError):
    """A theme definition or edit is invalid; the message names the theme and the field."""


class WhichConcept(ThemeError):
    """A phrase to add shares no word with any concept of a query theme: the admin must say
    which concept it widens. The message offers one /keywords command per concept; `asked`
    words the same question for another command (/preview asks it with its own)."""

    def __init__(self, theme: Theme, phrase: str) -> None:
        self.concepts = tuple(g.name for g in theme.groups)
        self.slug, self.phrase = theme.slug, phrase
        super().__init__(self.asked(f"/keywords {theme.slug} add"))

    def asked(self, command: str, quote: str = "") -> str:
        tries = "\n".join(
            f"{command} {quote}{name}: {self.phrase}{quote}" for name in self.concepts
        )
        return (
            f"“{self.phrase}” shares no word with a concept of {self.slug}; an OR alternative "
            f"widens the concept it joins, so say which one:\n{tries}"
        )


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

    @property
    def query(self) -> str | None:
        """The Boolean query the theme was written as, or None for a theme of term groups."""
        q = self.options.get(QUERY)
        return q if isinstance(q, str) and q.strip() else None

    def group(self, name: str) -> TermGroup | None:
        """The group called name, or None."""
        for g in self.groups:
            if g.name == name:
                return g
        return None


def _fail(theme: str, fieldname: str, why: str) -> ThemeError:
    return ThemeError(f"theme {theme!r}: {fieldname}: {why}")


def _already(theme: str, phrase: str, where: str) -> ThemeError:
    """An edit that changes nothing, in an admin's words (no field path: it is typed in chat)."""
    return ThemeError(f"{phrase!r} is already there, {where}, in theme {theme!r}")


def _last_term(theme: str, concept: str) -> ThemeError:
    return ThemeError(
        f"concept {concept!r} of theme {theme!r} cannot lose its last term; "
        "change the whole query instead (/query)"
    )


def _check_text(slug: str, fieldname: str, phrase: object) -> str:
    if not isinstance(phrase, str):
        raise _fail(slug, fieldname, f"expected text, got {type(phrase).__name__}")
    if not normalize_text(phrase).replace('"', "").replace("'", "").strip():
        raise _fail(slug, fieldname, f"empty phrase {phrase!r}")
    return phrase


def _check_phrase(slug: str, fieldname: str, phrase: object) -> str:
    """A term or an excluded context: text that reads as a keyword (see query.parse_term)."""
    phrase = _check_text(slug, fieldname, phrase)
    try:
        node = parse_term(phrase)
    except QueryError as exc:
        raise _fail(slug, fieldname, f"{phrase!r}: {exc}") from None
    bad = misplaced_not(node)
    if bad is not None:
        raise _fail(slug, fieldname, f"{phrase!r}: {bad[1]}")
    return phrase


def _contains_not(node: Node) -> bool:
    if isinstance(node, Not):
        return True
    if isinstance(node, Words):
        return False
    parts = (node.left, node.right) if isinstance(node, Near) else node.parts
    return any(_contains_not(p) for p in parts)


def _split(slug: str, text: str) -> SplitQuery:
    try:
        return split_query(parse_query(text))
    except QueryError as exc:
        raise _fail(slug, QUERY, str(exc)) from None


def new_theme_problem(slug: str, name: str) -> str | None:
    """Why a new theme cannot have this slug or name, saying what to type; None if it can.

    The one rule for every front end that creates a theme, so the chat and the shell agree.
    """
    if not _NEW_SLUG.match(slug):
        return (
            f"slug {slug!r}: use lowercase letters, digits and hyphens, starting with a letter "
            "or digit, e.g. iran-deal"
        )
    if not MIN_SLUG_CHARS <= len(slug) <= MAX_SLUG_CHARS:
        return (
            f"slug {slug!r} is {len(slug)} character{'s' if len(slug) != 1 else ''} long; use "
            f"{MIN_SLUG_CHARS} to {MAX_SLUG_CHARS}"
        )
    if not name.strip():
        return 'the name is empty; give the theme a name, e.g. "Iran nuclear deal"'
    if len(name) > MAX_NAME_CHARS:
        return f"the name is {len(name):,} characters long; the limit is {MAX_NAME_CHARS}"
    return None


def slug_from(text: str) -> str | None:
    """A new theme's slug made of `text` ("Iran-Deal" -> "iran-deal", "Iran nuclear deal" ->
    "iran-nuclear-deal"): lowercase, accents dropped, other characters a hyphen, cut at a
    hyphen to fit. None when nothing of it can be a slug (no Latin letter or digit)."""
    spaced = "".join(c if c.isalnum() else " " for c in text.lower())  # dashes of any kind
    folded = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if len(slug) > MAX_SLUG_CHARS:
        cut = slug[: MAX_SLUG_CHARS + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else cut[:MAX_SLUG_CHARS]
    return slug if len(slug) >= MIN_SLUG_CHARS else None


def validate_theme(theme: Theme) -> Theme:
    """Return theme unchanged if it is well formed, else raise ThemeError naming the field."""
    slug = theme.slug if isinstance(theme.slug, str) else repr(theme.slug)
    if not isinstance(theme.slug, str) or not _SLUG.match(theme.slug):
        raise _fail(
            slug,
            "slug",
            "use lowercase letters, digits and hyphens, starting with a letter or digit",
        )
    if not isinstance(theme.name, str) or not theme.name.strip():
        raise _fail(slug, "name", "must be a non-empty text")
    if not isinstance(theme.description, str):
        raise _fail(slug, "description", "must be text")
    if isinstance(theme.threshold, bool) or not isinstance(theme.threshold, int):
        raise _fail(slug, "threshold", "must be an integer from 0 to 100")
    if not 0 <= theme.threshold <= 100:
        raise _fail(slug, "threshold", f"{theme.threshold} is outside 0..100")
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
        _check_text(slug, "exemplars", e)
    for key, value in theme.options.items():
        if not isinstance(value, str | int | float | bool):
            raise _fail(slug, f"options.{key}", "must be text, a number or true/false")
    if QUERY in theme.options:
        if not isinstance(theme.options[QUERY], str):
            raise _fail(slug, QUERY, "must be text")
        _split(slug, str(theme.options[QUERY]))
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
    learned = options.get(LEARNED)
    if learned is not None:
        try:
            model_from_json(str(learned))
        except ValueError as exc:
            raise _fail(slug, f"options.{LEARNED}", str(exc)) from None
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
    admin's phrase both opens the gate and carries the group's full weight. A theme with no
    group gets one: "keywords".
    """
    if not theme.groups:
        return [KEYWORDS_GROUP]
    raw = theme.options.get("keyword_groups")
    names = [n.strip() for n in str(raw).split(",") if n.strip()] if raw else []
    known = [n for n in names if theme.group(n) is not None]
    return known or [theme.groups[0].name]


def _stems(text: str) -> set[str]:
    return {t.stem for t in tokenize(text.replace("*", " "))}


def keyword_targets(
    theme: Theme, concept: str | None = None, phrase: str | None = None
) -> list[str]:
    """The groups (concepts) with_keyword(theme, phrase, concept) adds to; ThemeError if unknown.

    concept may be a group's name in any case or spacing. Without one, a query theme (with no
    keyword_groups option) takes the phrase into the concept sharing most words with it
    ("nuclear talks" joins the concept holding "talks"); when it shares a word with none and
    the query has several concepts, ThemeError asks which one (QA: "IAEA" joined "Iran",
    widening it to every IAEA report); other themes use keyword_groups.
    """
    if concept is None:
        if phrase is not None and theme.query is not None and "keyword_groups" not in theme.options:
            words = _stems(phrase)
            shared = [len(words & _stems(" ".join(g.terms))) for g in theme.groups]
            if shared and max(shared) > 0:
                return [theme.groups[shared.index(max(shared))].name]
            if len(theme.groups) > 1:
                raise WhichConcept(theme, phrase)
        return keyword_groups(theme)
    for g in theme.groups:
        if _same(g.name, concept):
            return [g.name]
    names = ", ".join(g.name for g in theme.groups) or "none yet"
    raise _fail(theme.slug, "keywords", f"no concept {concept!r}; its concepts: {names}")


def _concept_names(concepts: tuple[tuple[Node, ...], ...]) -> list[str]:
    """Each concept named after its first words ("Iran", "North Sea"), unique in the theme."""
    names: list[str] = []
    for alts in concepts:
        first = alts[0]
        while not isinstance(first, Words):  # the leftmost words name the concept
            first = first.left if isinstance(first, Near) else first.parts[0]  # type: ignore[union-attr]
        base = " ".join(first.words[:3]).rstrip("*") or "concept"
        name, k = base, 2
        while any(_same(name, n) for n in names):
            name, k = f"{base} {k}", k + 1
        names.append(name)
    return names


def with_query(theme: Theme, text: str) -> Theme:
    """The theme written as a Boolean query: required concepts and exclusions replace its own.

    Each top-level AND operand becomes a required group (its OR alternatives the terms), each
    NOT operand an excluded context, blocking the match wherever it occurs (option
    exclude_anywhere). ThemeError (with the column and what was expected) changes nothing.
    """
    text = " ".join(text.split())
    split = _split(theme.slug, text)
    return _from_split(theme, split, text)


def _from_split(theme: Theme, split: SplitQuery, text: str) -> Theme:
    names = _concept_names(split.concepts)
    weight = round(CONCEPTS_WEIGHT / len(split.concepts), 2)
    groups = tuple(
        TermGroup(name, weight, True, tuple(to_text(a) for a in alts))
        for name, alts in zip(names, split.concepts, strict=True)
    )
    options = dict(theme.options)
    options[QUERY] = text
    options.setdefault("exclude_anywhere", True)
    changed = replace(
        theme, groups=groups, exclude=tuple(to_text(n) for n in split.exclusions), options=options
    )
    return validate_theme(changed)


def _query_term(slug: str, fieldname: str, phrase: str) -> Node:
    """A phrase given to a query theme, read as query text; NOT has its own commands."""
    _check_phrase(slug, fieldname, phrase)
    try:
        node = parse_query(phrase)
    except QueryError as exc:
        raise _fail(slug, fieldname, f"{phrase!r}: {exc}") from None
    if _contains_not(node):
        raise _fail(slug, fieldname, f"{phrase!r}: NOT cannot be part of one term")
    return node


def _alts(node: Node) -> tuple[Node, ...]:
    return node.parts if isinstance(node, Any) else (node,)


def _same_node(a: Node, b: Node) -> bool:
    return normalize_text(to_text(a)) == normalize_text(to_text(b))


def with_keyword(theme: Theme, phrase: str, concept: str | None = None) -> Theme:
    """Add phrase to the theme's keyword groups (keyword_targets); ThemeError if present.

    A query theme gets the phrase as one more OR alternative of that concept (its query is
    rewritten); a theme with no group becomes a query theme of that one phrase.
    """
    _check_phrase(theme.slug, "keywords", phrase)
    phrase = " ".join(phrase.split())
    targets = keyword_targets(theme, concept, phrase)
    query = theme.query
    if query is not None or not theme.groups:
        node = _query_term(theme.slug, "keywords", phrase)
        if query is None:
            return with_query(theme, to_text(node))
        split = _split(theme.slug, query)
        concepts = []
        for name, alts in zip(_concept_names(split.concepts), split.concepts, strict=True):
            if name in targets:
                if any(_same_node(a, n) for a in alts for n in _alts(node)):
                    raise _already(theme.slug, phrase, f"in concept {name!r}")
                alts = (*alts, *_alts(node))
            concepts.append(alts)
        new = SplitQuery(tuple(concepts), split.exclusions)
        return _from_split(theme, new, new.text())
    groups = []
    for g in theme.groups:
        if g.name in targets:
            if any(_same(t, phrase) for t in g.terms):
                raise _already(theme.slug, phrase, f"in concept {g.name!r}")
            g = replace(g, terms=(*g.terms, phrase))
        groups.append(g)
    return validate_theme(replace(theme, groups=tuple(groups)))


def without_keyword(theme: Theme, phrase: str) -> Theme:
    """Remove phrase from every group holding it; ThemeError if absent or a group would empty."""
    query = theme.query
    if query is not None:
        node = _query_term(theme.slug, "keywords", phrase)
        split = _split(theme.slug, query)
        concepts = []
        names = _concept_names(split.concepts)
        for name, alts in zip(names, split.concepts, strict=True):
            left = tuple(a for a in alts if not _same_node(a, node))
            if not left:
                raise _last_term(theme.slug, name)
            concepts.append(left)
        if sum(map(len, concepts)) == sum(map(len, split.concepts)):
            terms = "; ".join(
                f"{name}: " + ", ".join(to_text(a) for a in alts)
                for name, alts in zip(names, split.concepts, strict=True)
            )
            raise _fail(
                theme.slug,
                "keywords",
                f"{phrase!r} is not a term of any concept (its terms: {terms}); a term that "
                f"holds NOT or NEAR changes only with the whole query: /query {theme.slug} ...",
            )
        new = SplitQuery(tuple(concepts), split.exclusions)
        return _from_split(theme, new, new.text())
    found = False
    groups = []
    for g in theme.groups:
        kept = tuple(t for t in g.terms if not _same(t, phrase))
        if len(kept) != len(g.terms):
            found = True
            if not kept:
                raise _last_term(theme.slug, g.name)
        groups.append(replace(g, terms=kept))
    if not found:
        raise _fail(theme.slug, "keywords", f"{phrase!r} is not a term of any group")
    return replace(theme, groups=tuple(groups))


def with_exclusion(theme: Theme, phrase: str) -> Theme:
    """Add an excluded context phrase; ThemeError if it is already there.

    A query theme gets "NOT phrase" added to its query.
    """
    _check_phrase(theme.slug, "exclude", phrase)
    phrase = " ".join(phrase.split())
    query = theme.query
    if query is not None:
        node = _query_term(theme.slug, "exclude", phrase)
        split = _split(theme.slug, query)
        if any(_same_node(e, n) for e in split.exclusions for n in _alts(node)):
            raise _already(theme.slug, phrase, "excluded")
        new = SplitQuery(split.concepts, (*split.exclusions, *_alts(node)))
        return _from_split(theme, new, new.text())
    if any(_same(p, phrase) for p in theme.exclude):
        raise _already(theme.slug, phrase, "excluded")
    return replace(theme, exclude=(*theme.exclude, phrase))


def without_exclusion(theme: Theme, phrase: str) -> Theme:
    """Remove an excluded context phrase; ThemeError if absent."""
    query = theme.query
    if query is not None:
        node = _query_term(theme.slug, "exclude", phrase)
        split = _split(theme.slug, query)
        left = tuple(e for e in split.exclusions if not _same_node(e, node))
        if len(left) == len(split.exclusions):
            raise _fail(theme.slug, "exclude", f"{phrase!r} is not an excluded phrase")
        new = SplitQuery(split.concepts, left)
        return _from_split(theme, new, new.text())
    kept = tuple(p for p in theme.exclude if not _same(p, phrase))
    if len(kept) == len(theme.exclude):
        raise _fail(theme.slug, "exclude", f"{phrase!r} is not an excluded phrase")
    return replace(theme, exclude=kept)


def with_threshold(theme: Theme, threshold: int) -> Theme:
    """Set the threshold; ThemeError outside 0..100."""
    if isinstance(threshold, bool) or not isinstance(threshold, int):
        raise _fail(theme.slug, "threshold", "must be an integer from 0 to 100")
    if not 0 <= threshold <= 100:
        raise _fail(theme.slug, "threshold", f"{threshold} is not from 0 to 100")
    return replace(theme, threshold=threshold)
