"""One name across two scripts: "Erdogan" typed in a chat and "أردوغان" read from an Arabic wire.

A name is reduced to its consonant skeleton: each letter to a sound class (ب and b and p are
B, ف and f and v are F), vowels, alef, waw and yeh dropped, doubled classes written once, the
Arabic article dropped. Latin letters that Arabic writes in more than one way give several
skeletons ("c" is K, J or S; "v" is F or nothing); an Arabic word gives one. Two words name
the same person when a skeleton of one is a skeleton of the other, or (for a Turkish compound
that Arabic writes as two words, "جاويش أوغلو") lies within the other name's whole skeleton.

Pure; knows no names. Does not transliterate for display, and does not compare two names of one
script (`lookup.name_matches` does that with spelling tolerance).
"""

from __future__ import annotations

from functools import lru_cache
from itertools import islice, product

from matcher.text import normalize_text

MIN_SKELETON = 3  # "Ali" -> "L" would match half the names of a theme

_ARABIC = {
    "ب": "B", "پ": "B", "ت": "T", "ط": "T", "ث": "S", "س": "S", "ش": "S", "ص": "S",
    "ج": "J", "چ": "J", "ح": "H", "ه": "H", "خ": "K", "ق": "K", "ك": "K", "د": "D", "ض": "D",
    "ذ": "Z", "ز": "Z", "ظ": "Z", "ر": "R", "غ": "G", "گ": "G", "ف": "F", "ڤ": "F",
    "ل": "L", "م": "M", "ن": "N",
}  # fmt: skip
_LATIN = {
    "b": ("B",), "p": ("B",), "t": ("T",), "d": ("D",), "f": ("F",), "v": ("F", ""),
    "g": ("G",), "h": ("H",), "j": ("J",), "k": ("K",), "q": ("K",), "l": ("L",),
    "m": ("M",), "n": ("N",), "r": ("R",), "s": ("S",), "z": ("Z",), "x": ("KS",),
    "c": ("K", "J", "S"),
}  # fmt: skip
_DIGRAPHS = {"sh": "S", "ch": "J", "kh": "K", "gh": "G", "dh": "D", "ph": "F", "th": "T"}
_ARTICLES = {"al", "el", "ال"}
_MAX_VARIANTS = 12


def is_arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


def _collapse(parts: list[str]) -> str:
    out: list[str] = []
    for p in "".join(parts):
        if not out or out[-1] != p:
            out.append(p)
    return "".join(out)


@lru_cache(maxsize=2048)
def word_skeletons(word: str) -> frozenset[str]:
    """The consonant skeletons a word may be written as (several for a Latin word)."""
    word = normalize_text(word)
    if is_arabic(word):
        if word.startswith("ال") and len(word) > 4:
            word = word[2:]
        return frozenset({_collapse([_ARABIC.get(c, "") for c in word])} - {""})
    options: list[tuple[str, ...]] = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2]
        if pair in _DIGRAPHS:
            options.append((_DIGRAPHS[pair],))
            i += 2
            continue
        options.append(_LATIN.get(word[i], ("",)))
        i += 1
    variants: set[str] = set()
    for combo in product(*options):
        variants.add(_collapse(list(combo)))
        if len(variants) >= _MAX_VARIANTS:
            break
    return frozenset(variants - {""})


def _words(name: str) -> list[str]:
    return [w for w in normalize_text(name).replace("-", " ").split() if w not in _ARTICLES]


def _opens_with_vowel(word: str) -> bool:
    """A Latin word opening with a vowel, an Arabic one with alef or ain (article dropped)."""
    if is_arabic(word):
        word = word[2:] if word.startswith("ال") and len(word) > 4 else word
        return word[:1] in ("ا", "أ", "إ", "آ", "ع", "ء")
    return word[:1] in ("a", "e", "i", "o", "u")


def _same_word(a: str, b: str) -> bool:
    """One word in each script that sound alike. A two-consonant skeleton is too common to
    trust alone ("Assad" and "Saad" are both S-D): the words must also both open with a vowel
    or both with a consonant."""
    shared = {s for s in word_skeletons(a) & word_skeletons(b) if len(s) >= MIN_SKELETON - 1}
    if any(len(s) >= MIN_SKELETON for s in shared):
        return True
    return bool(shared) and _opens_with_vowel(a) == _opens_with_vowel(b)


def same_name_across_scripts(query: str, name: str) -> bool:
    """Does every word of `query` sound like a word of `name` written in the other script?
    False when both are in one script: that is for a spelling comparison, not this."""
    if is_arabic(query) == is_arabic(name):
        return False
    words, wanted = _words(name), _words(query)
    if not words or not wanted:
        return False
    spellings = product(*(sorted(word_skeletons(w)) for w in words))
    whole = ["".join(c) for c in islice(spellings, _MAX_VARIANTS)]
    for w in wanted:
        if any(_same_word(w, n) for n in words):
            continue
        # "Cavusoglu" is one word, "جاويش أوغلو" two: within the whole name's skeleton
        long = {s for s in word_skeletons(w) if len(s) >= MIN_SKELETON + 1}
        if not any(s in joined for s in long for joined in whole):
            return False
    return True
