"""Pulls the key quote, speaker, office, actor, stance and day out of a text; not relevance.

Rule-based and English-first: it reads the attribution patterns of wire copy ("State Department
spokesman Ned Price told reporters", "a State Department spokesperson said:"). It does not
guess: fields it cannot read are None and the stance is "unclear".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal

from matcher.dates import DAY_RE, resolve_day
from matcher.stance import stance_of
from matcher.text import normalize_text

__all__ = ["Stance", "Statement", "extract_statement"]

Stance = Literal["opposes", "supports", "unclear"]


@dataclass(frozen=True)
class Statement:
    """Who said what about the theme, with the stance and the day it was said."""

    speaker: str | None
    office: str | None
    actor: str | None
    quote: str | None
    stance: Stance
    said_on: date | None


_CAP = r"(?:[A-Z]|[ÇŞĞİÖÜÂÉÈÀ])[\w’'\-]+"
_NAME = rf"{_CAP}(?:\s+(?:al-|bin\s+|de\s+|van\s+)?{_CAP}){{0,2}}"
_ORG_CORE = (
    r"(?:State\s+Department|State\s+Dept\.?|Department\s+of\s+State|Foreign\s+Ministry|"
    r"Foreign\s+Office|White\s+House|Kremlin|Pentagon|Elysee|Élysée)"
)
_ORG = rf"(?:(?:U\.?S\.?|US|American)\s+)?{_ORG_CORE}"
_COUNTRY = (
    r"(?:Turkey|Jordan|Egypt|Saudi\s+Arabia|Iraq|Oman|Qatar|Bahrain|Kuwait|Lebanon|Russia|Iran|"
    r"Italy|France|Germany|Britain|China|Tunisia|Algeria|Morocco|the\s+UAE|UAE|Syria|Israel)"
)
_NAT = (
    rf"(?:{_COUNTRY}['’]s|Turkish|Syrian|Saudi|Emirati|Jordanian|Egyptian|Iraqi|Omani|"
    r"Qatari|Bahraini|Kuwaiti|Lebanese|Russian|Iranian|Italian|French|German|British|Chinese|US|U\.S\.|American|EU|"
    r"UN|Arab\s+League)"
)
_ROLE = (
    r"(?:[Ss]pokes(?:person|man|woman)|Secretary\s+of\s+State|Secretary-General|"
    r"[Ss]ecretary|top\s+(?:US|U\.S\.|American)\s+diplomat|[Ff]oreign\s+[Mm]inister|"
    r"[Dd]efen[cs]e\s+[Mm]inister|[Pp]rime\s+[Mm]inister|President|[Ee]nvoy|[Aa]mbassador|"
    r"[Mm]inister)"
)
_SAY = r"(?:said|says|told|tells|added|noted|stated|stressed|wrote|warned|insisted)"
_NOT_NAMES = {"The", "A", "An", "In", "On", "It", "He", "She", "We", "They", "This", "That"}

_PERSON_FULL = re.compile(
    rf"(?:(?P<org>{_ORG})\s+|(?P<nat>{_NAT})\s+)?(?P<role>{_ROLE})\s+(?P<name>{_NAME})"
)
_PERSON_APPOS = re.compile(
    rf"(?P<name>{_NAME}),\s+(?:the\s+|a\s+)?(?P<role>{_ROLE})\s+(?:for|of|at)\s+"
    rf"(?:the\s+)?(?P<org>{_ORG})"
)
_ORG_NAME = re.compile(rf"(?P<org>{_ORG})\s+(?P<name>{_NAME})\s+{_SAY}")
_OFFICE_ONLY = re.compile(
    rf"\b(?:[Aa]n?|[Tt]he)\s+(?P<org>{_ORG}|[Dd]epartment|[Mm]inistry)\s+"
    r"(?P<role>spokes(?:person|man|woman))\b"
)
_SURNAME = re.compile(rf"(?:\b(?P<a>{_CAP})\s+{_SAY}\b|\b{_SAY}\s+(?P<b>{_CAP})\b)")
_INSTITUTION = re.compile(
    rf"\b(?:[Tt]he\s+)?(?P<inst>(?:(?:US|U\.S\.)\s+)?State\s+Department|[Dd]epartment|"
    rf"White\s+House|Foreign\s+Ministry|[Mm]inistry)\s+(?:on\s+\w+\s+|late\s+on\s+\w+\s+)?{_SAY}"
)

_ACTORS = {
    "state department": "United States",
    "department of state": "United States",
    "white house": "United States",
    "pentagon": "United States",
    "secretary of state": "United States",
    "us": "United States",
    "u.s.": "United States",
    "american": "United States",
    "kremlin": "Russia",
    "elysee": "France",
    "élysée": "France",
    "turkish": "Turkey",
    "syrian": "Syria",
    "saudi": "Saudi Arabia",
    "emirati": "United Arab Emirates",
    "jordanian": "Jordan",
    "egyptian": "Egypt",
    "iraqi": "Iraq",
    "omani": "Oman",
    "qatari": "Qatar",
    "bahraini": "Bahrain",
    "kuwaiti": "Kuwait",
    "lebanese": "Lebanon",
    "russian": "Russia",
    "iranian": "Iran",
    "italian": "Italy",
    "french": "France",
    "german": "Germany",
    "british": "United Kingdom",
    "chinese": "China",
    "eu": "European Union",
    "un": "United Nations",
    "arab league": "Arab League",
    "turkey": "Turkey",
    "jordan": "Jordan",
    "egypt": "Egypt",
    "saudi arabia": "Saudi Arabia",
    "iraq": "Iraq",
    "oman": "Oman",
    "qatar": "Qatar",
    "bahrain": "Bahrain",
    "kuwait": "Kuwait",
    "lebanon": "Lebanon",
    "russia": "Russia",
    "iran": "Iran",
    "italy": "Italy",
    "france": "France",
    "germany": "Germany",
    "britain": "United Kingdom",
    "china": "China",
    "tunisia": "Tunisia",
    "algeria": "Algeria",
    "morocco": "Morocco",
    "the uae": "United Arab Emirates",
    "uae": "United Arab Emirates",
    "israel": "Israel",
    "syria": "Syria",
    "washington": "United States",
    "ankara": "Turkey",
    "riyadh": "Saudi Arabia",
    "amman": "Jordan",
    "cairo": "Egypt",
    "moscow": "Russia",
    "damascus": "Syria",
    "united states": "United States",
    "united nations": "United Nations",
    "european union": "European Union",
}


@dataclass(frozen=True)
class _Mention:
    """A possible source of the quote found in the text."""

    kind: int  # 0 person, 1 office without a name, 2 institution, 3 surname only
    start: int
    end: int
    name: str | None
    role: str | None
    org: str | None
    nat: str | None


def _clean_ws(s: str) -> str:
    return " ".join(s.split())


def _mentions(text: str) -> list[_Mention]:
    out: list[_Mention] = []
    for m in _PERSON_FULL.finditer(text):
        name = _trim_name(m.group("name"))
        if name:
            out.append(
                _Mention(
                    0, m.start(), m.end(), name, m.group("role"), m.group("org"), m.group("nat")
                )
            )
    for m in _PERSON_APPOS.finditer(text):
        name = _trim_name(m.group("name"))
        if name:
            out.append(_Mention(0, m.start(), m.end(), name, m.group("role"), m.group("org"), None))
    for m in _ORG_NAME.finditer(text):
        name = _trim_name(m.group("name"))
        if name:
            out.append(_Mention(0, m.start(), m.end(), name, "spokesperson", m.group("org"), None))
    for m in _OFFICE_ONLY.finditer(text):
        out.append(_Mention(1, m.start(), m.end(), None, m.group("role"), m.group("org"), None))
    for m in _INSTITUTION.finditer(text):
        out.append(_Mention(2, m.start(), m.end(), None, None, m.group("inst"), None))
    for m in _SURNAME.finditer(text):
        sur = m.group("a") or m.group("b")
        if not sur or sur in _NOT_NAMES:
            continue
        if sur.casefold() in _ACTORS or sur.isupper():
            # "the US said", "Washington says": a state speaks, no person or office.
            out.append(_Mention(2, m.start(), m.end(), None, None, None, sur))
        elif not _is_org_word(sur):
            out.append(_Mention(3, m.start(), m.end(), sur, None, None, None))
    return out


def _is_org_word(word: str) -> bool:
    return word.casefold() in {
        "department",
        "ministry",
        "house",
        "office",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "washington",
        "statement",
        "dept",
    }


def _trim_name(name: str) -> str | None:
    words = name.split()
    while words and (words[-1] in _NOT_NAMES or _is_org_word(words[-1])):
        words.pop()
    if not words or words[0] in _NOT_NAMES:
        return None
    return " ".join(words)


_QUOTE_PATTERNS = (
    re.compile(r"“([^“”]{12,}?)”"),
    re.compile(r"\"([^\"\n]{12,}?)\""),
    re.compile(r"“([^“”\n]{12,})(?=\n|$)"),  # an opening quote the page never closed
    re.compile(r"(?:^|(?<=[\s(]))‘([^‘’]{20,}?)’(?=[\s,.;:)]|$)"),
    # Straight single quotes, as headlines and some wires use them; an apostrophe inside
    # ("Syria's") ends the attempt rather than risk a false quote.
    re.compile(r"(?:^|(?<=[\s(]))'([^'\n]{20,}?)'(?=[\s,.;:)]|$)"),
)
_KEY_WORDS = (
    ("normaliz", 5),
    ("normalis", 5),
    ("rehabilitat", 2),
    ("relations", 1),
    ("ties", 1),
    ("support", 1),
    ("oppose", 1),
    ("assad", 1),
    ("regime", 1),
    ("damascus", 1),
)


def _quotes(text: str) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    for pat in _QUOTE_PATTERNS:
        for m in pat.finditer(text):
            if any(s <= m.start() < e for s, e, _ in spans):
                continue
            body = _clean_ws(m.group(1)).strip(" ,")
            if len(body.split()) >= 4:
                spans.append((m.start(), m.end(), body))
    return sorted(spans)


def _key_quote(quotes: list[tuple[int, int, str]]) -> tuple[int, int, str] | None:
    best, best_score = None, -1
    for q in quotes:
        low = q[2].casefold()
        score = sum(w for k, w in _KEY_WORDS if k in low)
        if score > best_score:
            best, best_score = q, score
    return best


def _distance(m: _Mention, qs: int, qe: int, text: str) -> int:
    """How far a mention is from the quote as an attribution; 999 when it cannot be one.

    After the quote it must sit in the same sentence (", Price told reporters"); before it,
    the same paragraph is best ("a State Department spokesperson said: ...").
    """
    if m.start >= qe:
        between = text[qe : m.start]
        closed = text[max(qs, qe - 3) : qe]
        if "\n" in between or re.search(r"[.!?]", between) or re.search(r"[.!?]", closed):
            return 999
        return m.start - qe
    if m.end <= qs:
        gap = qs - m.end + 5
        return gap + 100 if "\n" in text[m.end : qs] else gap
    return 400  # inside the quote


def _canon_org(org: str | None) -> str | None:
    if not org:
        return None
    o = _clean_ws(org)
    low = o.casefold()
    if any(k in low for k in ("state department", "state dept", "department of state")) or (
        low == "department"
    ):
        return "State Department"
    if low == "ministry":
        return "Foreign Ministry"
    return re.sub(r"^(?:U\.?S\.?|US|American)\s+", "", o)


def _canon_role(role: str | None, org: str | None, text: str) -> str | None:
    if not role:
        return org
    r = _clean_ws(role).casefold()
    if r.startswith("spokes"):
        return f"{org} spokesperson" if org else "spokesperson"
    if r == "secretary of state" or "diplomat" in r:
        return "Secretary of State"
    if r == "secretary":
        us = "State Department" in text or "Secretary of State" in text
        return "Secretary of State" if us else "Secretary"
    return " ".join(w.capitalize() if w.islower() else w for w in _clean_ws(role).split())


# Officials often named without their country in short items ("Erdogan says ...").
_KNOWN_SPEAKERS = {
    "erdogan": "Turkey",
    "cavusoglu": "Turkey",
    "fidan": "Turkey",
    "akar": "Turkey",
    "blinken": "United States",
    "price": "United States",
    "patel": "United States",
    "miller": "United States",
    "assad": "Syria",
    "mekdad": "Syria",
    "safadi": "Jordan",
    "shoukry": "Egypt",
    "tajani": "Italy",
    "guterres": "United Nations",
    "borrell": "European Union",
    "gheit": "Arab League",
}


def _actor(m: _Mention | None, office: str | None, title: str, speaker: str | None) -> str | None:
    keys = []
    if m is not None:
        keys += [m.nat or "", m.org or "", m.role or ""]
    keys.append(office or "")
    if speaker:
        known = _KNOWN_SPEAKERS.get(normalize_text(speaker).split()[-1])
        if known:
            keys.append(known.casefold())
    for k in keys:
        low = re.sub(r"['’]s$", "", _clean_ws(k).casefold())
        for word, actor in _ACTORS.items():
            if (
                low == word
                or low.startswith(word + " ")
                or low.endswith(" " + word)
                or (len(word) > 4 and word in low)
            ):
                return actor
    lead = re.match(rf"\s*(?:{_COUNTRY}|{_NAT})\b", title)
    if lead:
        word = re.sub(r"['’]s$", "", _clean_ws(lead.group()).casefold())
        lead_actor = _ACTORS.get(word)
        if lead_actor and lead_actor != "Syria":
            return lead_actor
    return None


_SPEAKS_AFTER = re.compile(rf"(?:,[^,.;]{{0,80}},)?\s+(?:\w+\s+){{0,2}}?{_SAY}\b")
_SPEAKS_BEFORE = re.compile(rf"\b{_SAY}\s+(?:that\s+)?$")


def _speaks(m: _Mention, text: str) -> bool:
    """Whether the text makes this mention say something ("X told reporters", "said X")."""
    if _SPEAKS_AFTER.match(text, m.end):
        return True
    return bool(_SPEAKS_BEFORE.search(text[max(0, m.start - 20) : m.start]))


def _full_name(surname: str, mentions: list[_Mention]) -> _Mention | None:
    for m in mentions:
        if m.kind == 0 and m.name and m.name.split()[-1] == surname and " " in m.name:
            return m
    for m in mentions:
        if m.kind == 0 and m.name and m.name.split()[-1] == surname:
            return m
    return None


def _org_for(m: _Mention, text: str) -> str | None:
    """The body a spokesperson speaks for: written with the role, else the first in the text."""
    if m.org:
        return _canon_org(m.org)
    if m.role and m.role.casefold().startswith("spokes"):
        found = re.search(_ORG, text)
        return _canon_org(found.group()) if found else None
    return None


def _office_for(name: str, mentions: list[_Mention], text: str) -> str | None:
    """The office written next to this person anywhere in the text, most specific first."""
    best: str | None = None
    for m in mentions:
        if m.kind == 0 and m.name and m.name.split()[-1] == name.split()[-1]:
            office = _canon_role(m.role, _org_for(m, text), text)
            if office and (best is None or len(office) > len(best)):
                best = office
    return best


_SENT_END = re.compile(r"(?<=[.!?])[”\"’]?\s+(?=[A-Z“\"])|\n+")


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENT_END.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if e > s]


def _said_on(text: str, published: date, anchors: list[int], keywords: list[str]) -> date | None:
    sents = _sentences(text)

    def day_in(s: int, e: int) -> date | None:
        m = DAY_RE.search(text, s, e)
        return resolve_day(m, published) if m else None

    for a in anchors:
        for s, e in sents:
            if s <= a < e:
                got = day_in(s, e)
                if got:
                    return got
    pivot = anchors[0] if anchors else 0
    keyed = [
        (abs(s - pivot), s, e)
        for s, e in sents
        if any(k in text[s:e] for k in keywords) and re.search(_SAY, text[s:e])
    ]
    for _, s, e in sorted(keyed):
        got = day_in(s, e)
        if got:
            return got
    return None


def extract_statement(title: str, text: str, published: datetime) -> Statement:
    """Read the key statement of an item: quote, speaker, office, actor, stance and day.

    text is usually title + newline + summary. The key quote is the one with most theme words;
    its source is the attribution nearest to it (wire copy puts it right after the quote).
    """
    pub_day = (published.astimezone(UTC) if published.tzinfo else published).date()
    quotes = _quotes(text)
    key = _key_quote(quotes)
    mentions = _mentions(text)
    chosen: _Mention | None = None
    if key is not None:
        qs, qe, _ = key
        near = [m for m in mentions if _distance(m, qs, qe, text) <= 250]
        near.sort(key=lambda m: (_distance(m, qs, qe, text) // 40, m.kind))
        if near:
            chosen = near[0]
            if chosen.kind == 2:
                inside = [m for m in mentions if m.kind == 0 and qs <= m.start < qe]
                if inside:
                    chosen = inside[0]
    if chosen is None:
        # No quote: only someone the text says spoke ("..., Tajani said") is a speaker.
        people = sorted(
            (m for m in mentions if m.kind == 3 or (m.kind in (0, 1) and _speaks(m, text))),
            key=lambda m: (m.kind == 1, m.start),
        )
        chosen = people[0] if people else None

    speaker = office = None
    if chosen is not None:
        if chosen.kind == 3 and chosen.name:
            full = _full_name(chosen.name, mentions)
            # A bare surname nobody names in full is trusted only when the headline has it
            # ("Erdogan says ..."); in body text it is too often "Treasury said".
            bare_ok = re.search(rf"\b{re.escape(chosen.name)}\s+{_SAY}", title) is not None
            speaker = full.name if full else (chosen.name if bare_ok else None)
            if full is not None:
                office = _office_for(full.name or "", mentions, text)
        elif chosen.kind == 0 and chosen.name:
            full = _full_name(chosen.name.split()[-1], mentions)
            speaker = full.name if full and full.name else chosen.name
            office = _office_for(speaker, mentions, text)
        elif chosen.kind == 1:
            office = _canon_role(chosen.role, _org_for(chosen, text), text)
        elif chosen.kind == 2:
            office = _canon_org(chosen.org)
    actor = _actor(chosen, office, title, speaker)
    quote = key[2] if key else None

    stance = stance_of(quote or "")
    if stance == "unclear" and chosen is not None:
        s, e = next(((s, e) for s, e in _sentences(text) if s <= chosen.start < e), (0, 0))
        stance = stance_of(text[s:e])
    if stance == "unclear":
        stance = stance_of(title)

    anchors = [
        a for a in (chosen.start if chosen else None, key[1] if key else None) if a is not None
    ]
    keywords = [w for w in (speaker.split()[-1] if speaker else None, office) if w]
    if office and "State Department" in office:
        keywords += ["State Department", "department"]
    if office == "Secretary of State":
        keywords += ["Secretary", "State Department"]
    said_on = _said_on(text, pub_day, anchors, keywords) if (speaker or office) else None
    return Statement(speaker, office, actor, quote, stance, said_on)
