"""The Boolean query language of themes: parse, print back, split into concepts; no scoring.

Syntax (operators in any case in a query; in a single keyword only upper-case ones count, so
the keyword "Bosnia and Herzegovina" stays a phrase):

    query   := or ('AND' | 'NOT' | 'AND NOT') ...       NOT binds like AND: a NOT b = a AND NOT b;
                                                         -b before a word or quote is NOT b
    or      := and ('OR' and)*                           AND binds tighter than OR
    near    := primary ('NEAR/n' primary)*               within n words, either order, one field
    primary := '(' query ')' | '"exact phrase"' | words  words: one or more bare words
    word*   := a word that starts with `word` (at least 3 letters before the '*')

Bare words next to each other are one loose phrase, like a keyword: in order with at most two
words between them (two-word phrases also reversed), function words dropped ("restore ties"
finds "ties were restored"). A quoted phrase wants its words in that order, next to each other.
Two terms written side by side with no operator where one is quoted or bracketed is an error
(write AND, OR or NEAR/n between them). Curly quotes (as phones type them) are quotes.

`split_query` turns a query into what the scorer already knows: each top-level AND operand is a
required concept whose OR alternatives are its terms, each NOT operand an excluded context.
Matching (folding, stemming, fuzzy spelling) is done by the index; this module only reads text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from matcher.errors import MatcherError

__all__ = [
    "All",
    "Any",
    "Near",
    "Node",
    "Not",
    "QueryError",
    "SplitQuery",
    "Words",
    "looks_like_query",
    "misplaced_not",
    "parse_query",
    "parse_term",
    "split_query",
    "to_text",
]

MIN_PREFIX_LETTERS = 3
MAX_NEAR = 50
MAX_DEPTH = 30  # levels of '( )' or NOT, and terms chained by NEAR: far beyond any real query


class QueryError(MatcherError):
    """A query that cannot be read: where (1-based column) and what was expected there."""

    def __init__(self, column: int, expected: str) -> None:
        super().__init__(f"at column {column}: {expected}")
        self.column = column
        self.expected = expected


@dataclass(frozen=True)
class Words:
    """Words as written: bare (a loose phrase) or quoted (exact); a word may end with '*'."""

    words: tuple[str, ...]
    exact: bool = False


@dataclass(frozen=True)
class Near:
    """Both sides within n words of each other, in either order, in one field."""

    left: Node
    right: Node
    n: int


@dataclass(frozen=True)
class All:
    """Every part occurs somewhere in the item."""

    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Any:
    """At least one part occurs."""

    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """The part must not occur (an excluded context)."""

    part: Node
    column: int = field(default=0, compare=False)  # where it was written, for errors


Node = Words | Near | All | Any | Not

_QUOTES = {'"': '"', "\u201c": "\u201d", "\u201e": "\u201c", "\u00ab": "\u00bb", "\u201d": "\u201d"}
_CLOSERS = set('"\u201c\u201d\u00bb')
_NEAR = re.compile(r"near/(\d+)$", re.IGNORECASE)
_OPERATOR_HINT = re.compile(r"\b(?:AND|OR|NOT)\b|\bNEAR/\d")


@dataclass(frozen=True)
class _Tok:
    kind: str  # word, phrase, and, or, not, near, (, ), end
    text: str
    column: int
    n: int = 0


def _tokens(text: str, any_case: bool) -> list[_Tok]:
    out: list[_Tok] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            out.append(_Tok(ch, ch, i + 1))
            i += 1
        elif (
            ch == "-"
            and any_case
            and (i == 0 or text[i - 1].isspace() or text[i - 1] == "(")
            and i + 1 < len(text)
            and (text[i + 1].isalnum() or text[i + 1] in _QUOTES)
        ):
            # "Iran -Venezuela", as search engines write an exclusion: NOT (a hyphen inside
            # a word, "al-Assad", is part of the word)
            out.append(_Tok("not", "-", i + 1))
            i += 1
        elif ch in "!~+" and any_case and i + 1 < len(text) and text[i + 1].isalnum():
            # Other engines' marks ("!word" not, "~word" synonyms, "+word" required): read as
            # part of the word they would silently look for something else (QA)
            raise QueryError(
                i + 1,
                f"'{ch}' is not an operator here: write NOT word (or -word) to exclude, "
                "OR between alternatives; every word is required already",
            )
        elif ch in _QUOTES:
            end = next((j for j in range(i + 1, len(text)) if text[j] in _CLOSERS), -1)
            if end < 0:
                raise QueryError(i + 1, "this quote is never closed")
            inner = text[i + 1 : end]
            if not any(c.isalnum() for c in inner):
                raise QueryError(i + 1, "expected words inside the quotes")
            out.append(_Tok("phrase", inner, i + 1))
            i = end + 1
        else:
            j = i
            while (
                j < len(text) and not text[j].isspace() and text[j] not in "()" + "".join(_QUOTES)
            ):
                j += 1
            out.append(_word_token(text[i:j], i + 1, any_case))
            i = j
    out.append(_Tok("end", "", len(text) + 1))
    return out


def _word_token(word: str, column: int, any_case: bool) -> _Tok:
    key = word.upper() if any_case else word
    if key in ("AND", "OR", "NOT"):
        return _Tok(key.lower(), word, column)
    m = _NEAR.match(word)
    if m and (any_case or word.startswith("NEAR/")):
        n = int(m.group(1))
        if not 1 <= n <= MAX_NEAR:
            raise QueryError(column, f"NEAR/n takes n from 1 to {MAX_NEAR}")
        return _Tok("near", word, column, n)
    if word == "NEAR" or (any_case and word.casefold() == "near"):
        # Like and/or/not, a bare near is an operator word in a query: read silently as a
        # word, "talks near Vienna" would become a phrase of three words.
        raise QueryError(
            column,
            "NEAR needs a distance in words: write NEAR/5 (within 5 words), "
            'or quote the word to look for it ("near east")',
        )
    if any_case and word.upper().startswith("NEAR") and "/" in word:
        raise QueryError(column, "expected NEAR/n with a number n, e.g. NEAR/5")
    _check_word(word, column)
    return _Tok("word", word, column)


def _check_word(word: str, column: int) -> None:
    star = word.find("*")
    if star >= 0 and star != len(word) - 1:
        raise QueryError(column + star, "'*' may only end a word (prefix*)")
    if star >= 0:
        letters = sum(c.isalnum() for c in word[:-1])
        if letters < MIN_PREFIX_LETTERS:
            raise QueryError(
                column, f"a prefix needs at least {MIN_PREFIX_LETTERS} letters before '*'"
            )
    elif not any(c.isalnum() for c in word):
        raise QueryError(column, f"expected a word, got {word!r}")


def _describe(tok: _Tok) -> str:
    if tok.kind == "end":
        return "the end of the query"
    if tok.kind == "phrase":
        return f'"{tok.text}"'
    text = f"'{tok.text}'"  # as typed: repr() doubled a backslash (QA round 17)
    if "\\" in tok.text:
        text += " (a backslash escapes nothing: a phrase cannot hold a double quote)"
    return text


class _Parser:
    """Recursive descent; nesting is bounded (MAX_DEPTH) so no query can exhaust the stack."""

    def __init__(self, text: str, any_case: bool) -> None:
        self.toks = _tokens(text, any_case)
        self.i = 0
        self.depth = 0

    def _deeper(self, tok: _Tok) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError(
                tok.column,
                f"too deeply nested: at most {MAX_DEPTH} levels of '( )' or NOT in a query",
            )

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise QueryError(1, "expected a term, the query is empty")
        node = self.or_expr()
        tok = self.peek()
        if tok.kind == ")":
            raise QueryError(tok.column, "this ')' closes nothing")
        if tok.kind != "end":
            raise QueryError(tok.column, f"expected AND, OR, NOT or NEAR/n before {_describe(tok)}")
        return node

    def or_expr(self) -> Node:
        parts = [self.and_expr()]
        while self.peek().kind == "or":
            op = self.take()
            parts.append(self.and_expr(after=op))
        return parts[0] if len(parts) == 1 else Any(tuple(parts))

    def and_expr(self, after: _Tok | None = None) -> Node:
        parts = [self.unary(after)]
        while self.peek().kind in ("and", "not"):
            op = self.take()
            if op.kind == "not":
                parts.append(Not(self.near_expr(op), op.column))
            else:
                parts.append(self.unary(op))
        return parts[0] if len(parts) == 1 else All(tuple(parts))

    def unary(self, after: _Tok | None) -> Node:
        if self.peek().kind == "not":
            op = self.take()
            self._deeper(op)
            node = Not(self.unary(op), op.column)
            self.depth -= 1
            return node
        return self.near_expr(after)

    def near_expr(self, after: _Tok | None) -> Node:
        node = self.primary(after)
        chained = 0
        while self.peek().kind == "near":
            op = self.take()
            chained += 1
            if chained > MAX_DEPTH:
                raise QueryError(op.column, f"at most {MAX_DEPTH} NEAR/n in a row")
            node = Near(node, self.primary(op), op.n)
        nxt = self.peek()
        if nxt.kind in ("word", "phrase", "("):
            raise QueryError(nxt.column, f"expected AND, OR, NOT or NEAR/n before {_describe(nxt)}")
        return node

    def primary(self, after: _Tok | None) -> Node:
        tok = self.peek()
        if tok.kind == "(":
            self.take()
            self._deeper(tok)
            if self.peek().kind == ")":
                raise QueryError(self.peek().column, "expected a term inside '( )'")
            node = self.or_expr()
            close = self.peek()
            if close.kind != ")":
                raise QueryError(
                    close.column, f"expected ')' to close the '(' at column {tok.column}"
                )
            self.take()
            self.depth -= 1
            return node
        if tok.kind == "phrase":
            self.take()
            return Words(tuple(tok.text.split()), exact=True)
        if tok.kind == "word":
            words = []
            while self.peek().kind == "word":
                words.append(self.take().text)
            return Words(tuple(words))
        where = f" after {after.text.upper()}" if after is not None else ""
        if after is not None and after.kind == "near":
            where = f" after {after.text}"
        raise QueryError(tok.column, f"expected a term or '('{where}, got {_describe(tok)}")


def parse_query(text: str) -> Node:
    """Parse a query (operators in any case); QueryError says where and what was expected."""
    return _Parser(text, any_case=True).parse()


def looks_like_query(phrase: str) -> bool:
    """Whether a keyword uses query syntax (quotes, '*', brackets, upper-case operators)."""
    return any(c in phrase for c in '"*()\u201c\u201d\u201e\u00ab\u00bb') or bool(
        _OPERATOR_HINT.search(phrase)
    )


def parse_term(phrase: str) -> Node:
    """Parse one keyword: a plain phrase unless it uses query syntax (upper-case operators)."""
    if not looks_like_query(phrase):
        return Words(tuple(phrase.split()))
    return _Parser(phrase, any_case=False).parse()


def _wrap(node: Node, inside: type) -> str:
    text = to_text(node)
    loose = (isinstance(node, Any) and inside is not Any) or (
        isinstance(node, All) and inside is Near
    )
    return f"({text})" if loose else text


def to_text(node: Node) -> str:
    """The query text of node, with upper-case operators; parse_query reads it back equal."""
    if isinstance(node, Words):
        body = " ".join(node.words)
        return f'"{body}"' if node.exact else body
    if isinstance(node, Near):
        right = to_text(node.right)
        if isinstance(node.right, Near | All | Any):
            right = f"({right})"
        return f"{_wrap(node.left, Near)} NEAR/{node.n} {right}"
    if isinstance(node, Not):
        inner = to_text(node.part)
        return f"NOT ({inner})" if isinstance(node.part, All | Any) else f"NOT {inner}"
    if isinstance(node, All):
        return " AND ".join(_wrap(p, All) for p in node.parts)
    return " OR ".join(_wrap(p, Any) for p in node.parts)


@dataclass(frozen=True)
class SplitQuery:
    """A query as the scorer's shape: required concepts (their alternatives) and exclusions."""

    concepts: tuple[tuple[Node, ...], ...]
    exclusions: tuple[Node, ...]

    def text(self) -> str:
        """The query written back from its concepts and exclusions."""
        parts = [
            to_text(alts[0]) if len(alts) == 1 else to_text(Any(alts)) for alts in self.concepts
        ]
        # Alternatives are bracketed when anything follows or precedes them: "alpha OR bravo
        # NOT charlie" would read back as "alpha OR (bravo NOT charlie)" (QA).
        alone = len(self.concepts) == 1 and not self.exclusions
        wrapped = [
            f"({p})" if len(alts) > 1 and not alone else p
            for p, alts in zip(parts, self.concepts, strict=True)
        ]
        negs = [to_text(Not(n)) for n in self.exclusions]
        return " AND ".join(wrapped) + "".join(f" {n}" for n in negs)


def _has_not(node: Node) -> Not | None:
    if isinstance(node, Not):
        return node
    if isinstance(node, Near):
        return _has_not(node.left) or _has_not(node.right)
    if isinstance(node, All | Any):
        for p in node.parts:
            found = _has_not(p)
            if found is not None:
                return found
    return None


_ALONE = "a NOT cannot stand alone on one side of OR: write (a OR c) NOT b, or a OR (c NOT b)"
_IN_NEAR = "a NOT cannot be inside a side of NEAR: write (a NEAR/3 b) NOT c"
_IN_NOT = "a NOT inside a NOT is not read: narrow the whole query instead (a NOT b NOT c)"
_ONLY_NOTS = "expected a term beside NOT, not only NOTs"


def misplaced_not(node: Node) -> tuple[Not, str] | None:
    """A NOT that narrows nothing it can be read against, and what to write instead: alone on
    one side of OR ("a OR NOT b"), inside a side of NEAR, inside another NOT, or an AND of NOTs
    only. A NOT beside a term inside an AND ("a NOT b" as one alternative of OR) is fine: that
    alternative counts only in an item without b.
    """
    if isinstance(node, Not):
        return node, _ALONE
    if isinstance(node, Near):
        inside = _has_not(node.left) or _has_not(node.right)
        return (inside, _IN_NEAR) if inside is not None else None
    if isinstance(node, Any):
        for p in node.parts:
            found = misplaced_not(p)
            if found is not None:
                return found
        return None
    if isinstance(node, All):
        wanted = [p for p in node.parts if not isinstance(p, Not)]
        for p in node.parts:
            if isinstance(p, Not):
                inner = _has_not(p.part)
                if inner is not None:
                    return inner, _IN_NOT
                if not wanted:
                    return p, _ONLY_NOTS
            else:
                found = misplaced_not(p)
                if found is not None:
                    return found
    return None


def _alternatives(node: Node) -> tuple[Node, ...]:
    return node.parts if isinstance(node, Any) else (node,)


def split_query(node: Node) -> SplitQuery:
    """Each top-level AND operand a concept (its OR parts the terms), each NOT an exclusion.

    A NOT among the top-level operands narrows the whole query ("a AND b NOT c", also inside
    a bracketed AND that is itself an operand); one inside an alternative of OR narrows that
    alternative ("a OR (b NOT c)": b counts only in an item without c). Alone on one side of
    OR or NEAR it means nothing to find, so QueryError says so.
    """
    operands: list[Node] = []
    pending = [node]
    while pending:
        n = pending.pop(0)
        if isinstance(n, All):
            pending[0:0] = list(n.parts)
        else:
            operands.append(n)
    concepts: list[tuple[Node, ...]] = []
    exclusions: list[Node] = []
    for op in operands:
        if isinstance(op, Not):
            inner = _has_not(op.part)
            if inner is not None:
                raise QueryError(inner.column, "expected a term after NOT, not another NOT")
            exclusions.extend(_alternatives(op.part))
            continue
        bad = misplaced_not(op)
        if bad is not None:
            raise QueryError(bad[0].column, bad[1])
        concepts.append(_alternatives(op))
    if not concepts:
        raise QueryError(1, "expected at least one term that is not after NOT")
    return SplitQuery(tuple(concepts), tuple(exclusions))


def phrase_note(node: Node) -> str | None:
    """A word for the admin whose whole query is bare words ("Canada tariffs"): that is one
    loose phrase, not every word anywhere, and misses "Canada will not impose tariffs"."""
    if not isinstance(node, Words) or node.exact or len(node.words) < 2:
        return None
    text = " ".join(node.words)
    return (
        f'"{text}" is one phrase: its words in order, at most two words apart. For items '
        f"that hold each of them anywhere, write {' AND '.join(node.words)}."
    )
