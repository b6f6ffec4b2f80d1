"""Pulls every statement out of a text: speaker, office, state, quote, stance, day; not relevance.

Rule-based. The language's reader (`speech_en`, `speech_ar`, `speech_tr`) finds who said what;
this module dates each attribution, reads its stance, folds those of one source on one day into
one statement, and picks the key one. `extract_statements` returns all statements of an item;
`extract_statement` the key one.
It does not guess: fields it cannot read are None, the stance is "unclear", and a day the text
does not give is the publication day with `day_basis="published"`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Literal

from matcher.dates import Day, all_days, late_in_day, pick_day
from matcher.said import Role, Said, is_commentator_role, sentences_quoted
from matcher.speech_ar import said_ar
from matcher.speech_en import KEY_WORDS, SAY_ALL_RE, fold_key, said_en, sentences_en
from matcher.speech_tr import english_office, said_tr
from matcher.stance import Language, language_of, stance_of
from matcher.text import normalize_text

__all__ = ["DayBasis", "Stance", "Statement", "extract_statement", "extract_statements"]

Stance = Literal["opposes", "supports", "unclear"]
DayBasis = Literal["stated", "approximate", "published", "none"]


@dataclass(frozen=True)
class Statement:
    """Who said what about the theme, with the stance and the day it was said.

    `said_on` is the day the text gives (exact, or approximate for "last week"; None when the
    text gives none). `day` is the day to show: `said_on`, else the publication day;
    `day_basis` says which ("stated", "approximate", "published"; "none" for an empty result).
    `direct` is True for a quote in quotation marks, False for reported speech. `role` is
    "commentator" for researchers, analysts and columnists quoted for analysis.
    """

    speaker: str | None
    office: str | None
    actor: str | None
    quote: str | None
    stance: Stance
    said_on: date | None
    direct: bool = False
    role: Role = "official"
    day: date | None = None
    day_basis: DayBasis = "none"
    lang: str = "en"


_SAME_DAY = re.compile(r"\b(?:the same day|that same day|on the same day)\b", re.IGNORECASE)


def _sentence_of(said: Said, text: str, sents: list[tuple[int, int]]) -> str:
    """The sentence a statement's verb stands in."""
    return next((text[a:b] for a, b in sents if a <= said.pos < b), "")


_LOOSE_POSSESSIVE = re.compile(r"(\w) ([’']s\b)")


def _sentence_spans(text: str, lang: str) -> list[tuple[int, int]]:
    return sentences_en(text) if lang == "en" else sentences_quoted(text)


_QUOTED_SPAN = re.compile(r"“[^“”\n]*”|«[^«»\n]*»|\"[^\"\n]*\"")
# "Niger's junta, which seized power on July 26, ordered ... on Friday": a day inside a
# relative clause dates what the clause tells, not the words; "who said on Monday" still counts.
_RELATIVE = re.compile(
    r"\b(?:who|which)\s+(?!(?:has\s+|had\s+|also\s+)?(?:said|says|told|stated|announced|added|"
    r"noted|declared)\b)[^,.;:\n“”\"]*"
)


def _day_outside_quotes(
    days: list[Day], quoted: list[tuple[int, int]], s: int, e: int
) -> Day | None:
    """A day word of the narration in [s, e), not one inside somebody's quoted words."""
    free = [d for d in days if not any(a <= d.start < b for a, b in quoted)]
    return pick_day(free, s, e)


# "announced the decision", "أعلن ... القرار", "kararı açıkladı": the act named in the sentence
# before.
_ANAPHOR = re.compile(
    r"\b(?:the|this|that) (?:decision|move|step)\b|(?:^|\s)(?:ال|هذا ال)قرار(?:\s|$)|"
    r"\b(?:bu )?kararı\b"
)


def _with_context(said: Said, text: str, sents: list[tuple[int, int]]) -> Said:
    """The sentence before, when the attribution refers back to an act ("the decision")."""
    here = next((i for i, (s, e) in enumerate(sents) if s <= said.pos < e), None)
    if here is None or here == 0:
        return said
    s, _e = sents[here]
    attribution = text[s : said.qpos] + " " + said.content[:60]
    if not _ANAPHOR.search(attribution):
        return said
    ps, pe = sents[here - 1]
    return replace(said, context=text[ps:pe])


# "TAHRAN, 13 Haziran (Xinhua) --", "WASHINGTON, May 5 (Reuters) -": a dateline dates the
# report, not anybody's words.
_DATELINE = re.compile(
    r"(?m)^[A-ZÇĞİÖŞÜ][A-ZÇĞİÖŞÜ .'’-]{2,30},[^\n]{1,40}?(?:\([^)\n]{1,30}\)\s*)?(?:--|—|–|-)\s"
)
_CLAUSE_START = re.compile(r"[,;]|\b(?:while|and|but|whereas)\b")
_CLAUSE_WORD = re.compile(r";|\b(?:while|and|but|whereas)\b")


def _day_of(
    said: Said,
    text: str,
    sents: list[tuple[int, int]],
    days: list[Day],
    quoted: list[tuple[int, int]],
    others: Sequence[Said] = (),
    own: bool = False,
) -> Day | None:
    """The day in the attribution's sentence, else the content's, else a sentence naming them.

    In the attribution's sentence the words before the content come first: "X said on Tuesday
    that the ministers will meet on Sunday" was said on Tuesday. A sentence that attributes
    words to someone else is not searched for this speaker's day.
    """
    foreign = [
        o.pos
        for o in others
        if o.speaker != said.speaker or o.office != said.office or o.actor != said.actor
    ]
    # Records that split a shared sentence: another source, or the same person again ("In
    # November, Erdogan said ..., and in mid-December, he said ...").
    strangers = [
        o.pos
        for o in others
        if o is not said
        and o.pos != said.pos
        and (
            (o.pos in foreign and not _same_source(o, said))
            or (o.speaker is not None and o.speaker == said.speaker)
        )
    ]
    for anchor in (said.pos, said.qpos):
        for s, e in sents:
            if s <= anchor < e:
                # "Erdogan said this month ..., while Assad has said ...": each speaker's
                # part of a shared sentence is searched, not the other's.
                before = [p for p in strangers if s <= p < said.pos]
                if before:
                    cut = max(before)
                    words = _CLAUSE_WORD.search(text, cut, said.pos)
                    clause = list(_CLAUSE_START.finditer(text, cut, said.pos))
                    s = words.end() if words else clause[-1].end() if clause else said.pos
                e = min([e, *(p for p in strangers if said.pos < p < e)])
                if s <= said.pos < said.qpos < e:
                    got = _day_outside_quotes(days, quoted, s, said.qpos)
                    if got:
                        return got
                got = _day_outside_quotes(days, quoted, s, e)
                if got:
                    return got
    if own:
        return None
    keyed = [
        (abs(s - said.pos), s, e)
        for s, e in sents
        if any(k and k in text[s:e] for k in said.keys)
        and not any(s <= p < e for p in foreign)
        and (
            SAY_ALL_RE.search(text[s:e])
            or re.search(
                r"قال|أكد|اكد|أعلن|صرح|جدد|dedi|söyle|açıkla|belirt|konuş|yanıtla", text[s:e]
            )
        )
    ]
    for _, s, e in sorted(keyed):
        got = _day_outside_quotes(days, quoted, s, e)
        if got:
            return got
    # Last: an earlier sentence that names the speaker with an exact day, whatever its verb
    # ("Shoukry on Monday visited Damascus. ... Shoukry said ...").
    name = said.speaker.split()[-1] if said.speaker else None
    if name:
        earlier = [
            (s, e)
            for s, e in sents
            if e <= said.pos and name in text[s:e] and not any(s <= p < e for p in foreign)
        ]
        for s, e in reversed(earlier):
            got = _day_outside_quotes(days, quoted, s, e)
            if got and got.precision == "day":
                return got
    return None


_KEY_WORDS_ALL = (
    *KEY_WORDS,
    ("تطبيع", 5),
    ("طبيع", 3),
    ("علاقات", 1),
    ("الأسد", 1),
    ("normalleş", 5),
    ("esad", 1),
    ("esed", 1),
    ("görüş", 1),
    ("ilişkiler", 1),
    ("büyükelçi", 2),
    ("سفار", 2),
    ("سفير", 2),
    ("الجامعة العربية", 2),
    ("جامعة الدول العربية", 2),
    ("عودة", 1),
    ("embass", 2),
    ("ambassador", 2),
    ("arab league", 2),
    # the acts of a rupture: "declared persona non grata", "expels two diplomats"
    ("persona non grata", 2),
    ("diplomat", 1),
    ("envoy", 1),
    ("expel", 1),
)


def _theme_weight(content: str) -> int:
    low = content.casefold()
    return sum(w for k, w in _KEY_WORDS_ALL if k in low)


# Offices one person holds, as "the president" or "the minister" names them without a name.
_PERSON_OFFICE = re.compile(
    r"(?:(?:Deputy|Prime|Foreign|Defen[cs]e)\s+)?(?:President|Minister|Prime Minister)"
)


def _same_source(a: Said, b: Said) -> bool:
    if a.speaker and b.speaker:
        # A named person is one source whatever state a sentence seems to tie them to
        # ("Mısır Dışişleri Bakanı Şukri" and "Şukri, Mısır ve Türkiye'nin ...").
        return fold_key(a.speaker) == fold_key(b.speaker)
    if a.actor and b.actor and a.actor != b.actor:
        return False  # the Saudi Foreign Minister is not the Iranian one
    if a.role != b.role:
        return False
    one, other = (a, b) if a.speaker else (b, a)
    if one.speaker:  # a person and an office or a state
        if other.office and one.office:
            if other.office in one.office:
                return True
            if other.office == "Government" and other.actor is not None:
                # A government's words are delivered by one of its officials ("the government
                # said on Monday it would recall its diplomats" and the minister who told the
                # briefing).
                return other.actor == one.actor
            if "spokes" in other.office and "spokes" in one.office:
                # "a spokesperson for the League said" and "said Jane Roe, its spokeswoman"
                return other.actor is None or one.actor is None or other.actor == one.actor
            # "the State Department said" and its Assistant Secretary of State, spokesperson ...
            word = {"State Department": "State", "Foreign Ministry": "Foreign"}.get(other.office)
            return word is not None and word in one.office and other.actor == one.actor
        if (
            other.office
            and (other.actor is None or one.actor is None or other.actor == one.actor)
            and _PERSON_OFFICE.fullmatch(other.office)
        ):
            # "Trump says ...", then "..., the president says"; "..., Vucic says", then
            # "Serbian president says ...": an office with no name (of no state, or the
            # named person's), in a text that named its holder: one statement, not two.
            return one.office is None
        if other.office:  # "a spokesperson said ..." and "Patel replied": one briefing
            # but "a Defense Ministry source" is not the President of that state.
            speaks_for = "spokes" in other.office.casefold() or other.office in (
                "State Department",
                "Foreign Ministry",
            )
            return speaks_for and other.actor is not None and other.actor == one.actor
        return other.actor is not None and other.actor == one.actor
    if a.office and b.office:
        return a.office in b.office or b.office in a.office
    return a.actor is not None and a.actor == b.actor and not (a.office and b.office)


@dataclass
class _Group:
    members: list[tuple[Said, Day | None]]

    @property
    def day(self) -> Day | None:
        days = [d for _, d in self.members if d is not None]
        exact = [d for d in days if d.precision == "day"]
        pick = exact or days
        return pick[0] if pick else None


LEAD_DAYS_BACK = 7  # a lead sentence's day further back is background, not the story's day


@dataclass(frozen=True)
class _Lead:
    day: Day
    sentence: tuple[int, int]


def _lead_day(
    sents: list[tuple[int, int]],
    title_end: int,
    days: list[Day],
    quoted: list[tuple[int, int]],
    pub_day: date,
) -> _Lead | None:
    """The one exact day the first sentence after the headline gives, outside quotes, within
    a week before publication, and that sentence; else None."""
    lead = next(((a, b) for a, b in sents if a >= title_end and b - a > 20), None)
    if lead is None:
        return None
    found = {
        d.day: d
        for d in days
        if lead[0] <= d.start < lead[1]
        and d.precision == "day"
        and not any(a <= d.start < b for a, b in quoted)
        and 0 <= (pub_day - d.day).days <= LEAD_DAYS_BACK
    }
    return _Lead(next(iter(found.values())), lead) if len(found) == 1 else None


def _days_agree(a: Day, b: Day) -> bool:
    """Same day, or an approximate day ("earlier this week") that may be the other."""
    if a.precision == "day" and b.precision == "day":
        return a.day == b.day
    slack = 16 if "month" in (a.precision, b.precision) else 4
    return abs((a.day - b.day).days) <= slack


def _polarity(stance: str) -> int:
    return {"opposes": -1, "supports": 1}.get(stance, 0)


def _key_rank(s: Said, title_end: int) -> tuple[int, int, int, int, int]:
    """The key quote: the body's words rather than the headline's (a headline retells what
    the body quotes), theme words, a quotation rather than a paraphrase, most theme words, the
    first."""
    weight = _theme_weight(s.content)
    pure_quote = s.direct and not re.search(r"[“”\"«»]", s.content)
    return (int(s.qpos >= title_end), int(weight > 0), int(pure_quote), weight, -s.qpos)


# A commentator argues for or against ("should", "must", "called on ... to", "will not help");
# without such words their words are analysis, which takes no side.
_ARGUES = re.compile(
    r"\b(?:should|must|ought to|need to|needs to|call(?:s|ed|ing)? (?:on|for)|urg(?:e|es|ed|ing)|"
    r"will not help|would be a mistake|mistake to)\b|"
    r"(?:يجب|ينبغي|لا بد|ضرور)|(?:\bmeli\b|\bmalı\b|\bmeli(?:dir|yiz)\b|\bmalı(?:dır|yız)\b)",
    re.IGNORECASE,
)


def _group_statement(
    g: _Group, language: Language, title: str, single: bool, pub_day: date, title_end: int
) -> Statement:
    saids = [s for s, _ in g.members]
    speakers = [s.speaker for s in saids if s.speaker]
    speaker = max(speakers, key=lambda n: (len(n.split()), len(n))) if speakers else None
    offices = [s.office for s in saids if s.office and s.speaker] or [
        s.office for s in saids if s.office
    ]
    office = max(offices, key=len) if offices else None
    actors = [s.actor for s in saids if s.actor and (s.speaker or s.office)] or [
        s.actor for s in saids if s.actor
    ]
    actor = actors[0] if actors else None
    sourced = [s for s in saids if s.speaker or s.office] or saids  # a state alone: not key
    if not any(_theme_weight(s.content) for s in sourced):
        # "Minister X announced the decision at a press conference": the act the state's
        # record tells ("Algeria decided on Tuesday to cut ties") is the statement's substance.
        sourced = saids
    key = max(sourced, key=lambda s: _key_rank(s, title_end))
    stance: Stance = "unclear" if key.denial else stance_of(key.content, language)
    if stance == "unclear":
        total = sum(_polarity(stance_of(s.content, language)) for s in saids if not s.denial)
        stance = "opposes" if total < 0 else "supports" if total > 0 else "unclear"
    if stance == "unclear":
        # "The minister announced the decision ...": the side of the act it refers back to.
        total = sum(_polarity(stance_of(s.context, language)) for s in saids if s.context)
        stance = "opposes" if total < 0 else "supports" if total > 0 else "unclear"
    if stance == "unclear" and title:
        named = speaker and fold_key(speaker) in normalize_text(title)
        if (single or named) and not any(s.denial for s in saids):
            stance = stance_of(title, language)
    role: Role = (
        "commentator"
        if any(s.role == "commentator" for s in saids) or is_commentator_role(office)
        else "official"
    )
    if role == "commentator" and not any(_ARGUES.search(s.content) for s in saids):
        stance = "unclear"  # analysis and predictions take no side; only arguing does
    if role == "commentator":
        # only a state the analyst's own words name ("Former US Ambassador"), never one a
        # report of them took from the headline
        actor = next((s.actor for s in saids if s.role == "commentator" and s.actor), None)
    day = g.day
    basis: DayBasis
    if day is None:
        said_on, shown, basis = None, pub_day, "published"
    else:
        said_on, shown = day.day, day.day
        basis = "stated" if day.precision == "day" else "approximate"
    if language == "tr" and office:
        office = english_office(office)  # offices are named in English in every language
    return Statement(
        speaker,
        office,
        actor,
        bounded_quote(key.content),
        stance,
        said_on,
        direct=key.direct,
        role=role,
        day=shown,
        day_basis=basis,
        lang=language,
    )


MAX_QUOTE_CHARS = 600  # a quote is a sentence or two; text with no sentence ends is cut


def bounded_quote(text: str) -> str:
    """The quote, cut after its last sentence end before MAX_QUOTE_CHARS (else at a word) and
    marked with an ellipsis: a summary without full stops once made a 12,000-character quote."""
    if len(text) <= MAX_QUOTE_CHARS:
        return text
    head = text[:MAX_QUOTE_CHARS]
    end = max(head.rfind(". "), head.rfind("! "), head.rfind("? "))
    if end >= MAX_QUOTE_CHARS // 3:
        return head[: end + 1]
    space = head.rfind(" ")
    return (head[:space] if space > 0 else head).rstrip(" ,;:") + "…"


def _repeats(st: Statement, earlier: list[Statement]) -> bool:
    """The same words of the same source on the same day, found twice in one item (a text
    repeating itself): one statement."""
    return any(
        e.quote == st.quote
        and e.said_on == st.said_on
        and e.actor == st.actor
        and (e.speaker == st.speaker or None in (e.speaker, st.speaker))
        and (e.office == st.office or None in (e.office, st.office))
        for e in earlier
    )


_ARABIC_MARKS = re.compile("[\u064b-\u0652\u0670]")


# One quotation in a said's words: «...», “...” or "..." (its closing mark included).
_ONE_QUOTE = re.compile(r"«([^«»]+)»|“([^“”]+)”|\"([^\"]+)\"")
_OPENING = re.compile(r"[«“]")
_UNTIL_CLOSING = re.compile(r"([^«»“”\"]+)[»”\"]\s*[،,.]?\s*\S")


def _inside_quote(said: Said) -> Said:
    """The words of a quotation, without what the sentence adds around it: "«...»، وذلك بعد
    لقائه ..." and "yaptığı açıklamada, «...» dedi" are the quoted words (QA). Only when the
    text holds one quotation of at least four words and little else beside it."""
    found = list(_ONE_QUOTE.finditer(said.content))
    if not found and not _OPENING.search(said.content):
        # The opening mark was just before the words ("إن «عودة ... المنطقة»، وذلك ..."): they
        # end at the closing one.
        head = _UNTIL_CLOSING.match(said.content)
        if head and len(head.group(1).split()) >= 4:
            return replace(said, content=head.group(1).strip(), direct=True)
        return said
    if len(found) != 1:
        return said
    m = found[0]
    inner = next(g for g in m.groups() if g is not None)
    if len(inner.split()) < 4 or len(inner) < 0.5 * len(said.content.strip()):
        return said
    start = said.content.find(inner)
    return replace(said, content=inner.strip(), qpos=said.qpos + max(0, start), direct=True)


_GLUED_SENTENCE = re.compile(r"(?<=[a-z]{2})([.!?][”\"’]?|[”\"’][.!?])([A-Z“][a-z]|“[A-Z])")
# A standfirst glued to the first paragraph with no stop at all ("remain frostyFrance’s
# foreign minister has said"): a word of small letters running into a capitalised word.
_GLUED_STANDFIRST = re.compile(r"(?<=\b[a-z]{4})(?=[A-Z][a-z])|(?<=[a-z]{5})(?=[A-Z][a-z]{2})")


def extract_statements(title: str, text: str, published: datetime) -> list[Statement]:
    """Every statement an item reports, one per speaker (or office, or state) and day.

    text is usually title + newline + summary, or the article's main text. Quotes of one
    speaker on one day are one statement whose quote is the one with most theme words; a
    state or office speaking without a person ("the department said") joins the person of
    that office or state. Statements come in the order the text reports them.
    """
    pub_day = (published.astimezone(UTC) if published.tzinfo else published).date()
    if "&" in text:
        # Feeds that escape their HTML twice leave entities in the text once it is read
        # ("Washington &#039;does not support&#039; ..."): no pattern reads a quote in them.
        title, text = html.unescape(title), html.unescape(text)
    lang = language_of(text)
    if lang == "ar":
        # Short vowels and shadda are optional in Arabic and rare in news, but one written
        # ("المتحدِّث", "إنَّ") hid an office or a particle from every pattern: read without.
        title, text = _ARABIC_MARKS.sub("", title), _ARABIC_MARKS.sub("", text)
        saids = [_inside_quote(s) for s in said_ar(text)]
    elif lang == "tr":
        saids = [_inside_quote(s) for s in said_tr(text)]
    else:
        # Some feeds lose the space between sentences ("on Monday.Officials said", "the
        # crisis.“We are recalling"): a quote or subject glued to the last word is found by no
        # pattern. A sentence end (two small letters, a stop) before a capital or an opening
        # quote gets its space back.
        text = _GLUED_SENTENCE.sub(r"\1 \2", text)
        # "Nicaragua ’s government": a possessive a feed wrote apart
        title, text = _LOOSE_POSSESSIVE.sub(r"\1\2", title), _LOOSE_POSSESSIVE.sub(r"\1\2", text)
        text = _GLUED_STANDFIRST.sub(". ", text)
        saids = said_en(title, text)
    sents = _sentence_spans(text, lang)
    saids = [_with_context(s, text, sents) for s in saids]
    datelines = [(m.start(), m.end()) for m in _DATELINE.finditer(text)]
    found_days = all_days(text, pub_day, late=late_in_day(published, lang))
    days = [d for d in found_days if not any(a <= d.start < b for a, b in datelines)]
    quoted = [(m.start(), m.end()) for m in _QUOTED_SPAN.finditer(text)]
    if lang == "en":
        quoted += [(m.start(), m.end()) for m in _RELATIVE.finditer(text)]
    groups: list[_Group] = []
    last_day: Day | None = None  # the day of the statement before, for "the same day"
    for s in saids:
        day = _day_of(s, text, sents, days, quoted, saids)
        if day is None and last_day is not None and _SAME_DAY.search(_sentence_of(s, text, sents)):
            day = last_day  # "Lavrov said the same day that ...": the day of the one before
        last_day = day or last_day
        own = day is not None and _day_of(s, text, sents, days, quoted, saids, own=True) == day
        for g in groups:
            gday = g.day
            compatible = day is None or gday is None or _days_agree(gday, day)
            if (
                own
                and gday is None
                and day is not None
                and (pub_day - day.day).days > 7
                and any(o.speaker for o, _ in g.members)
            ):
                # "X said ... . X said at a press conference on 11 July ...": a later record
                # dated in its own sentence weeks back is another occasion than the undated
                # ones before it (which are news of the day).
                compatible = False
            if s.speaker and any(
                o.speaker and fold_key(o.speaker) != fold_key(s.speaker) for o, _ in g.members
            ):
                continue  # a statement has one speaker: Blinken does not join Price's
            if any(o.earlier != s.earlier for o, _ in g.members):
                continue  # "had earlier called for ...": another occasion
            sourced = bool(s.speaker or s.office)
            if compatible and any(
                _same_source(s, o)
                for o, _ in g.members
                # a state speaking alone is no glue between its officials (the headline
                # "Algeria breaks ties" does not make its minister and president one source)
                if o.speaker or o.office or not sourced
            ):
                g.members.append((s, day))
                break
        else:
            groups.append(_Group([(s, day)]))
    # A state or body speaking alone ("the US has said") joins a statement of that state.
    kept: list[_Group] = []
    for g in groups:
        bare = all(not s.speaker and not s.office for s, _ in g.members)
        hosts = [
            h
            for h in groups
            if h is not g
            and any(o.speaker or o.office for o, _ in h.members)
            and h.members[0][0].role == "official"
            and (
                g.day is None
                or (h.day is not None and _days_agree(g.day, h.day))
                # an undated official of an item about the day's act speaks that day
                or (h.day is None and (pub_day - g.day.day).days <= 1)
            )
        ]
        host = next((h for h in hosts if h.members[0][0].actor == g.members[0][0].actor), None)
        stateless = [
            h
            for h in groups
            if h is not g
            and any(o.speaker or o.office for o, _ in h.members)
            and not any(o.actor for o, _ in h.members)
            and h.members[0][0].role == "official"
            and (
                h.day is None
                or (g.day is not None and _days_agree(g.day, h.day))
                # an undated state (a headline: news of the day) and an official that day
                or (g.day is None and (pub_day - h.day.day).days <= 1)
            )
        ]
        if host is None and len(stateless) == 1 and (g.day is not None or bare):
            # "Algeria decided on Tuesday to cut ties ... Foreign Minister X announced the
            # decision", "Tehran warns ... / Government spokeswoman X said on Monday": the one
            # official of no stated state, on that day, speaks for it.
            host = stateless[0]
        if bare and host is not None:
            host.members.extend(g.members)
        else:
            kept.append(g)
    single = len(kept) == 1
    title_end = len(title) if title and text.startswith(title) else 0
    lead = _lead_day(sents, title_end, days, quoted, pub_day)
    out: list[Statement] = []
    for g in kept:
        if (
            g.day is None
            and lead is not None
            and not any(s.earlier for s, _ in g.members)
            and not any(
                lead.sentence[0] <= s.pos < lead.sentence[1]
                for s in saids
                if all(s is not m for m, _ in g.members)
            )
        ):
            # An undated statement of the item's story is of the day its lead sentence tells
            # ("... met on Wednesday in Riyadh ... The agency added: ..."), unless that
            # sentence is someone else's statement ("X said on Tuesday ... Y also said ...").
            g.members[0] = (g.members[0][0], lead.day)
        st = _group_statement(g, lang, title, single, pub_day, title_end)
        if not _repeats(st, out):
            out.append(st)
    return out


def _rank(st: Statement) -> tuple[int, ...]:
    return (
        int(st.role == "official"),
        _theme_weight(st.quote or "") + 3 * int(st.stance != "unclear"),
        int(bool(st.speaker or st.office)),
        int(st.said_on is not None),
    )


def extract_statement(title: str, text: str, published: datetime) -> Statement:
    """The key statement of an item: the official one with most theme words and a stance.

    The best of `extract_statements`; an empty Statement (all None, "unclear") when the text
    reports none.
    """
    return _key_statement(extract_statements(title, text, published))


def _key_statement(found: list[Statement]) -> Statement:
    if not found:
        return Statement(None, None, None, None, "unclear", None)
    return max(found, key=_rank)


def reported_statements(title: str, summary: str, published: datetime) -> tuple[Statement, ...]:
    """The statements a matched item reports, the key one first; never empty.

    Commentators quoted for analysis are left out when an official statement is there: the
    timeline is of policy statements (docs/matcher.md). An item with no attributable statement
    still reports one (its headline's), as the key statement.
    """
    text = f"{title}\n{summary}"
    found = extract_statements(title, text, published)  # once: it was a fifth of a worker's CPU
    key = _key_statement(found)
    others = [s for s in found if s != key]
    return (key, *(s for s in others if s.role == "official"))
