"""Text folding, tokens with offsets, a light stemmer and furniture stripping; no theme logic."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = [
    "Token",
    "fold",
    "fold_words",
    "normalize_text",
    "stem",
    "strip_furniture",
    "tokenize",
    "word_spans",
]

# Characters folded to something other than their NFKD base, or to a fixed class.
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_APOSTROPHES = "'\u2018\u2019\u201a\u201b\u02bc\u02bb\u0060\u00b4\u2032\uff07"
_QUOTES = '"\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u301d\u301e\uff02'
_DELETE = (
    "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u0640"  # soft hyphen, zero widths, tatweel
)
_ARABIC = {
    "\u0671": "\u0627",  # alef wasla -> alef
    "\u0649": "\u064a",  # alef maksura -> yeh
    "\u0629": "\u0647",  # teh marbuta -> heh
    "\u0621": "",  # lone hamza
    "\u06cc": "\u064a",  # Farsi yeh -> yeh
    "\u06a9": "\u0643",  # keheh -> kaf
}
_SPECIAL: dict[str, str] = {
    "\u0131": "i",
    "\u00df": "ss",
    "\u00f8": "o",
    "\u0142": "l",
    "\u0111": "d",
}
_SPECIAL.update(dict.fromkeys(_DASHES, " "))
_SPECIAL.update(dict.fromkeys(_APOSTROPHES, "'"))
_SPECIAL.update(dict.fromkeys(_QUOTES, '"'))
_SPECIAL.update(dict.fromkeys(_DELETE, ""))
_SPECIAL.update(_ARABIC)


def _fold_char(ch: str) -> str:
    """Fold one character: casefold, decompose, drop combining marks, map specials."""
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    folded = ch
    for _ in range(3):  # until stable: some compatibility letters decompose to capitals
        step = unicodedata.normalize("NFKD", folded.casefold())
        step = "".join(_SPECIAL.get(c, c) for c in step if not unicodedata.combining(c))
        if step == folded:
            break
        folded = step
    return " " if folded and folded.isspace() else folded


class _FoldTable(dict[int, str]):
    """A str.translate table that folds characters lazily and remembers length changes."""

    def __init__(self) -> None:
        super().__init__()
        self.odd: set[str] = set()  # characters whose fold is not exactly one character

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = ch if ch.isascii() and not ch.isupper() and ch not in _SPECIAL else _fold_char(ch)
        if len(folded) != 1:
            self.odd.add(ch)
        self[code] = folded
        return folded


_TABLE = _FoldTable()


def fold(text: str) -> tuple[str, list[int] | None]:
    """Fold text for matching; return it with a map to original offsets (None when identical).

    Folding keeps one character per character almost always (accents, Arabic forms, dashes to
    spaces), so offsets usually map one to one and no map is built.
    """
    folded = text.translate(_TABLE)
    if len(folded) == len(text) and (not _TABLE.odd or _TABLE.odd.isdisjoint(text)):
        return folded, None
    offsets: list[int] = []
    for i, ch in enumerate(text):
        offsets.extend([i] * len(_TABLE[ord(ch)]))
    offsets.append(len(text))
    return folded, offsets


def normalize_text(text: str) -> str:
    """Case fold, fold accents and Arabic forms, unify dashes/quotes, collapse whitespace."""
    return " ".join(fold(text)[0].split())


_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Token:
    """A word of a field: its folded text, its stem and where it sits in the original."""

    text: str
    stem: str
    start: int
    end: int


def _located_words(text: str) -> Iterator[tuple[str, int, int]]:
    """Each folded word with its (start, end) in the original text."""
    folded, offsets = fold(text)
    for m in _WORD.finditer(folded):
        s, e = m.span()
        if offsets is not None:
            s, e = offsets[s], offsets[e - 1] + 1
        yield m.group(), s, e


def tokenize(text: str) -> list[Token]:
    """Split text into folded word tokens carrying offsets into the original text."""
    return [Token(word, stem(word), s, e) for word, s, e in _located_words(text)]


class _WordTable(dict[int, str]):
    """A str.translate table: a character's fold, with what _WORD does not match as spaces."""

    def __missing__(self, code: int) -> str:
        got = "".join(c if _WORD.fullmatch(c) else " " for c in _TABLE[code])
        self[code] = got
        return got


_WORDS_TABLE = _WordTable()


def fold_words(text: str) -> list[str]:
    """The folded words of text, as tokenize's Token.text, without offsets or Token objects.

    Most items open no theme's gate and need only their words' stems; building a Token per
    word costs several times more than finding the words. One translate and a split give the
    same words as _WORD over fold(text), since no word character is whitespace.
    """
    return text.translate(_WORDS_TABLE).split()


def word_spans(text: str) -> list[tuple[int, int]]:
    """Where each word of fold_words(text) sits in text: tokenize's (start, end), in order."""
    return [(s, e) for _, s, e in _located_words(text)]


class _StemCache(dict[str, str]):
    """word -> stem, filled on a miss; up to STEM_CACHE_MAX words, then misses are not kept.

    A dict subclass with __missing__ so that `stem_words` maps a whole item's words in C: a
    Python call per word (7 million in a first poll of 35,000 items) cost more than the
    lookups themselves."""

    def __missing__(self, word: str) -> str:
        got = _stem(word)
        if len(self) < STEM_CACHE_MAX:
            self[word] = got
        return got


STEM_CACHE_MAX = 500_000
_STEM_CACHE = _StemCache()
_EN_RULES: tuple[tuple[str, str], ...] = (
    ("isations", "iz"),
    ("izations", "iz"),
    ("isation", "iz"),
    ("ization", "iz"),
    ("ising", "iz"),
    ("izing", "iz"),
    ("ised", "iz"),
    ("ized", "iz"),
    ("ises", "iz"),
    ("izes", "iz"),
    ("ise", "iz"),
    ("ize", "iz"),
    ("ations", "at"),
    ("ation", "at"),
    ("ating", "at"),
    ("ated", "at"),
    ("ates", "at"),
    ("ate", "at"),
    ("ments", ""),
    ("ment", ""),
    ("ions", "ion"),
    ("ies", "y"),
    ("ing", ""),
    ("ed", ""),
    ("es", "e"),
    ("s", ""),
)
# British spellings the -ise/-our rules do not reach.
_BRITISH = {
    "defence": "defense",
    "defences": "defenses",
    "offence": "offense",
    "offences": "offenses",
    "licence": "license",
    "centre": "center",
    "centres": "centers",
    "programme": "program",
    "programmes": "programs",
    "travelled": "traveled",
    "travelling": "traveling",
}
_PEOPLES_IN_I = frozenset(
    [
        "saudi",
        "israeli",
        "iraqi",
        "qatari",
        "kuwaiti",
        "omani",
        "bahraini",
        "yemeni",
        "emirati",
        "pakistani",
        "somali",
        "afghani",
        "bangladeshi",
        "azeri",
        "azerbaijani",
        "nepali",
        "kashmiri",
        "houthi",
        "sunni",
        "yazidi",
        "alawi",
        "pashtuni",
        "punjabi",
        "bengali",
        "thai",
    ]
)
_AR_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال")
_AR_PROCLITICS = ("و", "ب", "ل", "ف", "ك")


def _ar_suffix(word: str) -> str:
    """An Arabic word without "its"/"their two" written onto it: سفارتها ("its embassy") is
    سفارة, علاقاتها is علاقات (QA round 19: a term found neither). The teh marbuta, folded to
    heh, is written ت before the suffix. Not ـه ("his"): a folded teh marbuta ends words in ه
    too, nor ـهم, which ends words of their own (تفاهم, "understanding")."""
    for suffix in ("هما", "ها"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            return base[:-1] + "ه" if base.endswith("ت") and not base.endswith("ات") else base
    return word


def _stem(word: str) -> str:
    if len(word) <= 3 or word.isdigit():
        return word
    if "\u0600" <= word[0] <= "\u06ff":
        for p in _AR_PREFIXES:
            if word.startswith(p) and len(word) - len(p) >= 3:
                return _ar_suffix(word[len(p) :])
        if word.startswith(_AR_PROCLITICS) and len(word) >= 5:
            # و, ب, ل, ف, ك written onto a word without its article: لتطبيع is تطبيع ("to
            # normalise", QA round 17), as /search already reads it. A word of four letters
            # keeps its first (بشار, كتاب): three-letter roots begin with these letters too.
            return _ar_suffix(word[1:])
        return _ar_suffix(word)
    word = _BRITISH.get(word, word)
    if len(word) > 5 and word.endswith(("our", "ours")):
        word = re.sub(r"our(s?)$", r"or\1", word)  # neighbour, favour -> neighbor, favor
    for suffix, repl in _EN_RULES:
        if word.endswith(suffix) and len(word) - len(suffix) >= (5 if "ment" in suffix else 3):
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                # "crisis", "basis" keep their "s"; peoples in -i do not: "Saudis" are
                # "Saudi", "Iraqis" "Iraqi" (a query for Saudi missed "Saudis signal ...")
                return word[:-1] if word[:-1] in _PEOPLES_IN_I else word
            word = word[: -len(suffix)] + repl
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def stem(word: str) -> str:
    """A light, cached stemmer so inflections meet (normalize/normalising -> normaliz).

    It only needs to map a term and its inflections to the same key; fuzzy lookup in the index
    covers what it misses.
    """
    return _STEM_CACHE[word]


def stem_words(words: list[str]) -> list[str]:
    """`stem` of each word, in order."""
    return list(map(_STEM_CACHE.__getitem__, words))


_FURNITURE_EXACT = {
    "must read",
    "more news",
    "latest news",
    "logo wide",
    "helpful keywords",
    "please enter your comment!",
    "please enter your name here",
    "become a patron at patreon!",
    "related",
    "related posts",
    "read more",
    "share this",
    "advertisement",
    "subscribe",
    "leave a reply",
    "you may also like",
    "popular",
    "trending",
}
_FURNITURE_RE = re.compile(
    r"""^(?:
        liked\ it\?\ take\ a\ second\ to\ support\ .*\ on\ patreon!?
      | -?\d{1,2}(?:[.,]\d)?\ ?°?\ ?[cf]                # a weather line: "1.6 C"
      | frankfurt\ am\ main | berlin | london | paris | new\ york   # a lone city under it
      | (?:share|follow\ us)\ on\ \w+
      | author:.*
      | photo:.*
    )$""",
    re.VERBOSE,
)


def strip_furniture(text: str) -> str:
    """Remove page furniture lines (menus, weather, comment and donation prompts) from text.

    Only whole lines are removed, so a sentence that happens to contain "Must read" survives.
    A city line is furniture only right after a weather line.
    """
    out: list[str] = []
    prev_weather = False
    for line in text.splitlines():
        key = " ".join(line.split()).casefold()
        if not key:
            out.append("")
            continue
        is_weather = bool(re.fullmatch(r"-?\d{1,2}(?:[.,]\d)?\s?°?\s?[cf]", key))
        if key in _FURNITURE_EXACT or is_weather:
            prev_weather = is_weather
            continue
        m = _FURNITURE_RE.fullmatch(key)
        if m and (not key[0].isalpha() or not _is_city(key) or prev_weather):
            prev_weather = False
            continue
        prev_weather = False
        out.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def _is_city(key: str) -> bool:
    return key in {"frankfurt am main", "berlin", "london", "paris", "new york"}
