"""A Boolean query proposed from a theme's examples: who and what they share; pure.

`propose_query(texts)` reads example articles (title and lead) and writes a query of two
concepts: **who** (names written capitalised inside a sentence: people, states, capitals,
bodies) and **what** (other meaningful words), each the words most of the examples share,
most frequent first. An admin accepts it with a button or edits it with /query. It does not
score anything and it never sees other themes.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from matcher.scoring import _STOP
from matcher.text import normalize_text, stem

__all__ = ["propose_query"]

MAX_TERMS = 4  # alternatives per concept
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SENTENCE = re.compile(r"(?<=[.!?…])\s+")
# Capitalised words that are not names: sentence furniture, days, months, titles.
_NOT_NAMES_TEXT = """
    the a an and but in on at for of to with by from as it its this that these those he she
    they we i his her their our after before while when where why how what who said says
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december mr mrs ms dr president minister
    prime foreign secretary state officials official government"""
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())


def _names_and_words(text: str) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Names (as written), other meaningful words (folded), and capitalised words opening a
    sentence (names or not: `propose_query` decides) of one text, with counts."""
    names: Counter[str] = Counter()
    words: Counter[str] = Counter()
    opening: Counter[str] = Counter()
    for sentence in _SENTENCE.split(text):
        for k, m in enumerate(_WORD.finditer(sentence)):
            raw = m.group().strip("'’-")
            low = normalize_text(raw)
            if len(low) < 3 or low in _NOT_NAMES:
                continue
            name = raw.rstrip("'’s") if raw.endswith(("'s", "’s")) else raw
            if raw[0].isupper() and (k > 0 or raw.isupper()):
                names[name] += 1
            elif raw[0].isupper():
                opening[name] += 1
            elif raw[0].islower() and len(low) >= 4 and low not in _STOP:
                words[low] += 1
    return names, words, opening


def _shared(counts: Sequence[Counter[str]], key: str) -> list[str]:
    """Terms in at least half the texts (all when there are two), most texts then most uses."""
    need = len(counts) if len(counts) <= 2 else math.ceil(len(counts) / 2)
    in_texts: Counter[str] = Counter()
    uses: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for c in counts:
        seen = set()
        for term, n in c.items():
            k = stem(normalize_text(term)) if key == "stem" else normalize_text(term)
            shown.setdefault(k, term)
            uses[k] += n
            if k not in seen:
                in_texts[k] += 1
                seen.add(k)
    ranked = sorted(
        (k for k in in_texts if in_texts[k] >= need and (len(counts) > 1 or uses[k] >= 2)),
        key=lambda k: (-in_texts[k], -uses[k], k),
    )
    return [shown[k] for k in ranked]


def _what_term(word: str) -> str:
    """A word as a query term: a prefix of its stem when that is long enough (negotiat*)."""
    s = stem(word)
    return f"{s}*" if len(s) >= 5 and s != word else word


def propose_query(texts: Sequence[str]) -> str | None:
    """`(who OR ...) AND (what OR ...)` from what the texts share; None if they share nothing."""
    parsed = [_names_and_words(t) for t in texts if t.strip()]
    if not parsed:
        return None
    # A word opening a sentence ("Iran said ...") is a name when some example writes it
    # capitalised inside a sentence too (QA: the examples' state was left out of "who").
    known = {n for names, _, _ in parsed for n in names}
    who = _shared(
        [
            names + Counter({w: c for w, c in opening.items() if w in known})
            for names, _, opening in parsed
        ],
        "name",
    )[:MAX_TERMS]
    what_words = _shared([w for _, w, _ in parsed], "stem")
    what: list[str] = []
    for w in what_words:
        term = _what_term(w)
        if term not in what:
            what.append(term)
        if len(what) == MAX_TERMS:
            break

    def concept(terms: list[str]) -> str:
        quoted = [f'"{t}"' if " " in t else t for t in terms]
        return quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")"

    parts = [concept(t) for t in (who, what) if t]
    return " AND ".join(parts) if parts else None
