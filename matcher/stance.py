"""Reads the stance of a statement toward restoring relations, with negation; no theme lookup."""

from __future__ import annotations

import re
from typing import Literal

__all__ = ["stance_of"]

# Verbs that take a side. Nouns of the topic itself ("normalization") are not cues:
# "when it comes to normalization" says nothing about the speaker's side.
_SUPPORT = re.compile(
    r"^(?:normali[sz](?:e|es|ed|ing)|restor(?:e|es|ed|ing)|reopen(?:s|ed|ing)?|"
    r"upgrad(?:e|es|ed|ing)|rehabilitat(?:e|es|ed|ing)|reestablish(?:es|ed|ing)?|"
    r"welcom(?:e|es|ed|ing)|support(?:s|ed|ing)?|endors(?:e|es|ed|ing)|readmit(?:s|ted|ting)?|"
    r"reinstat(?:e|es|ed|ing)|embrac(?:e|es|ed|ing)|favou?r(?:s|ed|ing)?|back(?:s|ed|ing)|"
    r"engag(?:e|es|ed|ing)|appoint(?:s|ed|ing)?|resum(?:e|es|ed|ing))$"
)
_OPPOSE = re.compile(
    r"^(?:oppos(?:e|es|ed|ing)|reject(?:s|ed|ing)?|condemn(?:s|ed|ing)?|"
    r"denounc(?:e|es|ed|ing)|warn(?:s|ed|ing)?|discourag(?:e|es|ed|ing)|"
    r"refus(?:e|es|ed|ing)|disappoint(?:s|ed|ing)?|troubl(?:e|es|ed|ing)|concern(?:s|ed)?)$"
)
# "opposition" is a cue only as "opposition to ..." ("the Syrian opposition" is the rebels);
# "against" only before a relations word ("against normalization", not "help against covid").
_OPPOSE_PHRASES = re.compile(
    r"\bopposition to\b|\bagainst (?:any |the |a )?(?:normali|rapprochement|rehabilitat|engag)"
)
# A clause takes a side on this theme only if it speaks of relations or contacts.
_TOPIC = re.compile(
    r"normali|relation|\bties\b|rapprochement|rehabilitat|engag|embass|ambassador|readmi|"
    r"reinstat|recogni|legitimi|upgrad|restor|reopen|isolation|arab league|arab fold|visit|"
    r"\btrip\b|meeting|talks|summit|invitation|return|reconcil"
)
_IDIOMS = ((re.compile(r"\bno reason not to\b"), "to"), (re.compile(r"\bnot only\b"), ""))
_NEGATORS = frozenset({"not", "no", "never", "t", "nor", "neither", "cannot", "without"})
_CLAUSE = re.compile(r"[.;:!?]|\bbut\b|\bhowever\b")
_WORD = re.compile(r"[a-z]+")


def _clause_polarity(clause: str) -> int:
    """The side taken by the first cue of a clause; later cues are its objects."""
    if not _TOPIC.search(clause):
        return 0
    clause = _OPPOSE_PHRASES.sub(" opposes ", clause)
    words = _WORD.findall(clause)
    for i, w in enumerate(words):
        support = bool(_SUPPORT.match(w))
        oppose = not support and bool(_OPPOSE.match(w))
        if not (support or oppose):
            continue
        negated = any(x in _NEGATORS for x in words[max(0, i - 4) : i])
        if support:
            return -1 if negated else 1
        return 0 if negated else -1  # "does not oppose" takes no side
    return 0


def stance_of(text: str) -> Literal["opposes", "supports", "unclear"]:
    """Sum the clauses' sides: refusals ("will not normalize", "not the time to") oppose."""
    low = text.casefold().replace("’", "'").replace("won't", "will not").replace("n't", " not")
    for pattern, repl in _IDIOMS:
        low = pattern.sub(repl, low)
    total = sum(_clause_polarity(c) for c in _CLAUSE.split(low) if c.strip())
    if total < 0:
        return "opposes"
    if total > 0:
        return "supports"
    return "unclear"
