"""Resolves day words against a publication date, in English, Arabic and Turkish; no clock.

"on Tuesday", "On August 25th", "Dec.15", "yesterday", "يوم أمس الأربعاء", "الأحد", "dün",
"Salı günü", "7 Temmuz'da" name a day; "last week", "earlier this month", "الأسبوع الماضي",
"geçen hafta", "in November" only a week or a month, and resolve to an approximate day with a
precision that says so. A day is never after the publication day: a weekday is the latest such
day on or before it, a month-day without a year the latest on or before it. Nothing here knows
which sentence the day belongs to (the statement extractor decides that).

Publication times are stored in UTC and a feed's own offset is not kept, so an item out late in
the UTC day may be the next day where it was written: "on Wednesday" in an Arabic or Turkish
item out at 22:30 UTC on a Tuesday (00:30 in Ankara or Riyadh, a Wednesday) is that morning,
not six days back. For such an item a weekday that would go back six days is read as the
publication day (at most a day early, never after it); see `late_in_day`. An English item is
never read so: at that hour New York, London and Tunis are still on the publication day, and
"said on Tuesday" in a Monday-evening item is last week's Tuesday (QA).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Literal

__all__ = [
    "DAY_RE",
    "Day",
    "all_days",
    "find_day",
    "late_in_day",
    "pick_day",
    "resolve",
    "resolve_day",
]

Precision = Literal["day", "week", "month"]

# From this UTC hour on, where Arabic and Turkish news is written (Ankara, Riyadh, Baghdad
# at UTC+3) it is the next day.
LATE_UTC_HOUR = 21
EAST_LANGUAGES = frozenset({"ar", "tr"})
PLAN_DAYS = 150  # a month and day up to this far after publication is a plan, not last year's


def late_in_day(published: datetime, lang: str) -> bool:
    """Whether an item in `lang` came out so late in its UTC day that where that language is
    written it was already tomorrow (Arabic and Turkish only: English is written everywhere)."""
    when = published.astimezone(UTC) if published.tzinfo else published
    return lang in EAST_LANGUAGES and when.hour >= LATE_UTC_HOUR


@dataclass(frozen=True)
class Day:
    """A resolved day expression: the day, how precise it is, and where it was written."""

    day: date
    precision: Precision
    start: int
    end: int


_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
# Arabic weekday names after folding-free matching (hamza forms both accepted).
_AR_WEEKDAYS = {
    "الاثنين": 0,
    "الإثنين": 0,
    "الأثنين": 0,
    "الثلاثاء": 1,
    "الأربعاء": 2,
    "الاربعاء": 2,
    "الخميس": 3,
    "الجمعة": 4,
    "السبت": 5,
    "الأحد": 6,
    "الاحد": 6,
}
_TR_WEEKDAYS = {
    "pazartesi": 0,
    "salı": 1,
    "çarşamba": 2,
    "perşembe": 3,
    "cuma": 4,
    "cumartesi": 5,
    "pazar": 6,
}
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan", "ocak", "يناير", "كانون الثاني"),
            ("february", "feb", "şubat", "فبراير", "شباط"),
            ("march", "mar", "mart", "مارس", "آذار"),
            ("april", "apr", "nisan", "أبريل", "ابريل", "نيسان"),
            ("may", "mayıs", "مايو", "أيار"),
            ("june", "jun", "haziran", "يونيو", "حزيران"),
            ("july", "jul", "temmuz", "يوليو", "تموز"),
            ("august", "aug", "ağustos", "أغسطس", "آب"),
            ("september", "sep", "sept", "eylül", "سبتمبر", "أيلول"),
            ("october", "oct", "ekim", "أكتوبر", "تشرين الأول"),
            ("november", "nov", "kasım", "نوفمبر", "تشرين الثاني"),
            ("december", "dec", "aralık", "ديسمبر", "كانون الأول"),
        ]
    )
    for m in names
}
_MONTH_ALT = "|".join(re.escape(m) for m in sorted(_MONTHS, key=len, reverse=True))
_AR_UNITS = [
    "الأول",
    "الثاني",
    "الثالث",
    "الرابع",
    "الخامس",
    "السادس",
    "السابع",
    "الثامن",
    "التاسع",
]
# Arabic ordinal days: "في السابع من مايو", "الحادي والعشرين من مارس".
_AR_ORDINALS = {
    **{w: i + 1 for i, w in enumerate([*_AR_UNITS, "العاشر"])},
    "الحادي عشر": 11,
    **{f"{w} عشر": i + 12 for i, w in enumerate(_AR_UNITS[1:])},
    "العشرين": 20,
    "الحادي والعشرين": 21,
    **{f"{w} والعشرين": i + 22 for i, w in enumerate(_AR_UNITS[1:])},
    "الثلاثين": 30,
    "الحادي والثلاثين": 31,
}
_AR_ORD_ALT = "|".join(w.replace(" ", r"\s+") for w in sorted(_AR_ORDINALS, key=len, reverse=True))
_AR_WD_ALT = "|".join(sorted(_AR_WEEKDAYS, key=len, reverse=True))
_TR_WD_ALT = "|".join(sorted(_TR_WEEKDAYS, key=len, reverse=True))
# Arabic words carry attached prefixes (و "and", ب "on"), so they are bounded by hand.
_AR_L = r"(?<![\w])[وب]?"
_AR_R = r"(?![\w])"

# A day the text pins down, or a week or month it names. Longest forms first.
DAY_RE = re.compile(
    # Every form starts a word: the look-behind turns the engine away from the middle of a
    # word at once instead of trying each form there (it was a sixth of reading statements).
    rf"""(?<!\w)(?:
        \b(?P<relweek>last\s+week|earlier\s+this\s+week|(?<!later\s)(?<!next\s)this\s+week|
            geçen\s+hafta|geçtiğimiz\s+hafta)\b
      | \b(?P<relmonth>earlier\s+this\s+month|last\s+month|(?<!later\s)(?<!next\s)this\s+month|
            geçen\s+ay|geçtiğimiz\s+ay|bu\s+ay\s+başında)\b
      | {_AR_L}(?P<ar_relweek>الأسبوع\s+الماضي|الاسبوع\s+الماضي){_AR_R}
      | {_AR_L}(?P<ar_relmonth>الشهر\s+الماضي){_AR_R}
      | {_AR_L}(?P<ar_before>أمس\s+الأول|أول\s+أمس|أول\s+من\s+أمس){_AR_R}
      | {_AR_L}(?:يوم\s+)?(?P<ar_rel>أمس|امس|اليوم)(?:\s+(?P<ar_wd2>{_AR_WD_ALT}))?{_AR_R}
      | (?<!\w)(?:في\s+)?(?P<ar_ord>{_AR_ORD_ALT})\s+من\s+(?:شهر\s+)?(?P<month3>{_MONTH_ALT})(?!\w)
      | (?<!\w)(?:geçen|geçtiğimiz)\s+(?P<tr_wd2>{_TR_WD_ALT})(?!\w)
      | {_AR_L}(?:يوم\s+)?(?P<ar_wd>{_AR_WD_ALT}){_AR_R}
      | \b(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b
      | (?<!\w)(?P<tr_wd>{_TR_WD_ALT})\s+günü\b
      | \b(?P<month>{_MONTH_ALT})\.?\s*(?P<mday>\d{{1,2}})(?:st|nd|rd|th)?\b
        (?:,?\s*(?P<year>\d{{4}}))?
      | \b(?P<dday>\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?:of\s+)?(?P<month2>{_MONTH_ALT})
        (?:['’](?:da|de|ta|te|nda|nde))?(?!\w)\.?(?:\s*(?P<year2>\d{{4}}))?
      | \b(?:in\s+(?:mid-?\s?)?|last\s+|mid-)
        (?P<month_only>january|february|march|april|may|june|july|august|september|
            october|november|december)\b(?!\s+\d)
      | (?<!\w)(?P<month_only2>{_MONTH_ALT})\s+(?:sonu|başı|başında|ayında|ortasında)(?!\w)
      | {_AR_L}(?:في\s+)?(?:شهر\s+)?(?P<month_only3>{_MONTH_ALT})\s+الماضي{_AR_R}
      | \b(?P<rel>yesterday|today|dün|dünkü|bugün)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)


def resolve(
    match: re.Match[str], published: date, *, late: bool = False
) -> tuple[date, Precision] | None:
    """The day an expression means when written on `published`, and how precise it is.

    late (see `late_in_day`): the item may have been written on the next day, so a weekday
    six days back is more likely that local day, and is read as the publication day.
    """
    g = match.groupdict()
    if g["relweek"] or g["ar_relweek"]:
        word = (g["relweek"] or "").casefold()
        back = 3 if "this week" in word else 7
        return published - timedelta(days=back), "week"
    if g["relmonth"] or g["ar_relmonth"]:
        word = (g["relmonth"] or "").casefold()
        if "this month" in word or "bu ay" in word:
            first = published.replace(day=1)
            return first + (published - first) / 2, "month"
        last = published.replace(day=1) - timedelta(days=1)
        return last.replace(day=15), "month"
    if g["ar_before"]:
        return published - timedelta(days=2), "day"
    wd = g["weekday"] or g["ar_wd"] or g["ar_wd2"] or g["tr_wd"] or g["tr_wd2"]
    if g["ar_rel"] and not g["ar_wd2"]:
        back = 0 if g["ar_rel"] == "اليوم" else 1
        return published - timedelta(days=back), "day"
    if wd:
        if g["weekday"]:
            want = _WEEKDAYS.index(wd.lower())
        elif g["tr_wd"] or g["tr_wd2"]:
            want = _TR_WEEKDAYS[wd.lower().replace("i̇", "i")]
        else:
            want = _AR_WEEKDAYS[wd]
        back = (published.weekday() - want) % 7
        if back == 6 and late and not (g["ar_rel"] or g["tr_wd2"] or _said_last(match)):
            back = 0  # written after local midnight east of UTC: that day, not last week's
        return published - timedelta(days=back), "day"
    if g["rel"]:
        word = g["rel"].casefold()
        back = 1 if word in ("yesterday", "dün", "dünkü") else 0
        return published - timedelta(days=back), "day"
    month_word = g["month_only"] or g["month_only2"] or g["month_only3"]
    if month_word:
        month = _MONTHS[month_word.lower()]
        back = (published.month - month) % 12
        if back > 5:
            return None  # "will meet in February", written in January: a plan, not a past day
        if back == 0:
            return published, "month"
        year = published.year if month < published.month else published.year - 1
        return date(year, month, 15), "month"
    month_name = g["month"] or g["month2"] or g["month3"]
    day_s = (
        g["mday"]
        or g["dday"]
        or (str(_AR_ORDINALS[" ".join(g["ar_ord"].split())]) if g["ar_ord"] else None)
    )
    year_s = g["year"] or g["year2"]
    if not month_name or not day_s:
        return None
    month, day = _MONTHS[month_name.lower()], int(day_s)
    year = int(year_s) if year_s else published.year
    try:
        got = date(year, month, day)
    except ValueError:
        return None
    if got > published:
        if year_s or (got - published).days <= PLAN_DAYS:
            # A day after publication is a plan, not when something was said ("to resume
            # flights on May 25", written on May 16); one far ahead is last year's ("on
            # December 28", written in January).
            return None
        try:
            got = date(year - 1, month, day)
        except ValueError:
            return None
    return got, "day"


_LAST_BEFORE = re.compile(r"\b(?:last|past|previous)\s+$", re.IGNORECASE)
_LAST_AFTER = re.compile(r"\s*(?:الماضي|الفائت)(?!\w)")


def _said_last(match: re.Match[str]) -> bool:
    """Whether a weekday is written as last week's: "last Wednesday", "الأربعاء الماضي"."""
    text = match.string
    return bool(
        _LAST_BEFORE.search(text, max(0, match.start() - 12), match.start())
        or _LAST_AFTER.match(text, match.end())
    )


def resolve_day(match: re.Match[str], published: date) -> date | None:
    """The exact day an expression means when written on `published`; None for a week or month."""
    got = resolve(match, published)
    return got[0] if got and got[1] == "day" else None


def all_days(text: str, published: date, *, late: bool = False) -> list[Day]:
    """Every day expression of a text that resolves, in order (one pass over the text)."""
    out: list[Day] = []
    for m in DAY_RE.finditer(text):
        if text.startswith(("'s ", "’s "), m.end()):
            continue  # "last month's ambush", "Sunday's vote": an event's day, not the words'
        got = resolve(m, published, late=late)
        if got is None:
            continue
        day = Day(got[0], got[1], m.start(), m.end())
        if (
            out
            and out[-1].precision == "day"
            and day.precision == "day"
            and _WEEKDAY_THEN_DATE.fullmatch(text, out[-1].start, day.start)
        ):
            # "on Thursday, August 31": the weekday names the date that follows it.
            out[-1] = replace(day, start=out[-1].start)
            continue
        out.append(day)
    return out


_WEEKDAY_THEN_DATE = re.compile(
    r"(?:[Mm]on|[Tt]ues|[Ww]ednes|[Tt]hurs|[Ff]ri|[Ss]atur|[Ss]un)day,?\s+(?:the\s+)?"
)


def pick_day(days: list[Day], start: int, end: int) -> Day | None:
    """Of days found by `all_days`, the first exact one in [start, end), else the first."""
    inside = [d for d in days if start <= d.start < end]
    exact = [d for d in inside if d.precision == "day"]
    pick = exact or inside
    return pick[0] if pick else None


def find_day(text: str, start: int, end: int, published: date, *, late: bool = False) -> Day | None:
    """The first day expression in text[start:end] that resolves, preferring exact days."""
    best: Day | None = None
    for m in DAY_RE.finditer(text, start, end):
        got = resolve(m, published, late=late)
        if got is None:
            continue
        day = Day(got[0], got[1], m.start(), m.end())
        if day.precision == "day":
            return day
        best = best or day
    return best
