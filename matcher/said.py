"""What an attribution reader found: one "someone said something" in a text; no dates, no stance.

The English, Arabic and Turkish readers (`statements`, `speech_ar`, `speech_tr`) each turn a
text into `Said` records; `statements` then dates them, reads their stance and folds the
records of one speaker on one day into one statement. Also a quote-aware sentence splitter for
the Arabic and Turkish readers. It does not decide relevance or who is an official beyond the
role words it is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["Role", "Said", "is_commentator_role", "mostly_quoted", "sentences_quoted"]

_QUOTED_RUN = re.compile(r"[“\"«„]([^”\"»“]*)[”\"»]?")


_OPENS_QUOTED = re.compile(r"\s*(?:[^\w\s]\s*)?[\"“”«»‘’']")


def mostly_quoted(content: str) -> bool:
    """Whether reported words are the speaker's own: most of them inside quotation marks.

    "normalization "would be a historic mistake" and urged Washington to oppose it" is a
    paraphrase holding a quoted fragment (QA: it was shown in quotation marks).
    """
    letters = sum(map(str.isalnum, content))
    if not letters or not _OPENS_QUOTED.match(content):
        # "the kingdom would reopen its embassy "within weeks", calling the move "a step
        # toward ..."": words that open unquoted are the reporter's telling (QA round 19)
        return False
    quoted = sum(map(str.isalnum, "".join(m.group(1) for m in _QUOTED_RUN.finditer(content))))
    return quoted * 2 > letters


Role = Literal["official", "commentator"]


@dataclass(frozen=True)
class Said:
    """One attribution: who (as far as the text says), what, and where in the text.

    `pos` is where the attribution is written (its sentence is searched first for the day),
    `qpos` where the content starts; `keys` are words of the text that name the speaker, used
    to find the day in another sentence that names them with a verb of saying.
    A denial ("sources denied that the leaders would meet") reports no side of its own.
    """

    pos: int
    qpos: int
    speaker: str | None
    office: str | None
    actor: str | None
    content: str
    direct: bool
    role: Role = "official"
    keys: tuple[str, ...] = ()
    denial: bool = False  # "denied that ...": the content is what is denied, not a stance
    earlier: bool = False  # "had said", "في وقت سابق", "daha önce": another, earlier occasion
    # The sentence an anaphoric act refers back to ("announced the decision"): its side is
    # the statement's when the words themselves take none.
    context: str = ""


_COMMENTATOR = re.compile(
    r"research|analyst|expert|professor|scholar|fellow|commentator|columnist|academic|"
    r"think tank|köşe yaz|yazar|uzman|analist|akademisyen|gazeteci|editör|muhabir|yorumcu|"
    r"باحث|محلل|خبير|كاتب|أكاديمي|\bformer\b|\beski\b|السابق",
    re.IGNORECASE,
)


def is_commentator_role(role: str | None) -> bool:
    """Whether an office or role names someone quoted for analysis, not for a government."""
    return bool(role and _COMMENTATOR.search(role))


_OPEN = {"“": "”", "«": "»"}
# "Hz.", "Dr.", "St.", and the Arabic "د." (Dr.) and "م." (Eng.) before a name
_ABBREV = re.compile(r"(?<!\w)(?:[A-ZÇŞĞİÖÜ][a-zçşğıöü]{0,2}|[a-z]|[دم])$")


def sentences_quoted(text: str) -> list[tuple[int, int]]:
    """Sentence spans that never end inside a quotation ("“... . ...”" stays one sentence).

    A sentence ends at . ! ? ؟ followed by a space, a capital or a line break, or at a line
    break; straight double quotes toggle.
    """
    spans: list[tuple[int, int]] = []
    start, i, n = 0, 0, len(text)
    closing: list[str] = []
    while i < n:
        ch = text[i]
        if ch in _OPEN:
            closing.append(_OPEN[ch])
        elif closing and ch == closing[-1]:
            closing.pop()
        elif ch == '"':
            if closing and closing[-1] == '"':
                closing.pop()
            else:
                closing.append('"')
        if ch == "\n":
            closing.clear()
            if i > start:
                spans.append((start, i))
            start = i + 1
        elif ch in ".!?؟" and not closing and not _ABBREV.search(text, max(0, i - 4), i):
            nxt = text[i + 1] if i + 1 < n else " "
            after = text[i + 1 : i + 3]
            if nxt.isspace() or (nxt.isupper() and not text[i - 1 : i].isupper()) or after == "":
                spans.append((start, i + 1))
                start = i + 1
        i += 1
    if start < n:
        spans.append((start, n))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        if e > s:
            out.append((s, e))
    return out
