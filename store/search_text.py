"""The /search query language, and the text folding that the search index shares with it.

Pure: parses what a person typed into terms, folds text the way the index folds it, and
writes a term list as an SQLite FTS5 MATCH string or a PostgreSQL tsquery. Does not run
queries (store/search.py) nor create the index (migration 0006).

The language, the same on both databases:
  words          every word must appear (in the title or the summary), in any order
  "a phrase"     these words next to each other, in this order (“curly” quotes work too)
  assad*         a word starting with `assad` (at least MIN_PREFIX_CHARS before the `*`)
  "bashar al-ass"*   a phrase whose last word is a prefix
An Arabic word typed alone also finds its forms with the article and clitics (علاقات finds
العلاقات, للعلاقات) and with a pronoun written on (علاقاتها, سفارة finds سفارتها): it is a
prefix; a word with a letter only Turkish writes is a prefix (ilişki finds ilişkilerde); a *
inside a word is refused.
Case and Latin accents do not matter (`erdogan` finds `Erdoğan`); the four Turkish i's (I, İ,
i, ı) are one letter; Arabic harakat and tatweel are ignored and alef/hamza forms, teh
marbuta and alef maksura fold as in Lucene's ArabicNormalizer; Arabic-Indic digits are
digits. Any other character separates words, so `al-Assad` is the phrase "al assad" and
operators typed by habit (OR, NOT, -, parentheses) are searched for as text or ignored,
never passed to the database as syntax.

Folding happens in places that must agree: `fold` here (the query), SQLite's indexing
(`sqlite_index_fold` as items are indexed after a poll, `sqlite_fold_select` in the triggers
that take a deleted or edited item's text out: Arabic and dotless i; unicode61
remove_diacritics 2 does case and Latin accents) and the PostgreSQL function (`pg_fold_sql`:
all of it). Changing a table
here changes what the index holds: ship a migration that rebuilds it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from store.errors import StoreError

MAX_QUERY_CHARS = 1000  # checked before parsing: a pasted article is refused, not tokenized
MAX_WORDS = 20  # words in a query, each word of a phrase counted
MAX_WORD_CHARS = 50
MIN_PREFIX_CHARS = 2

QUOTES = '"“”„'  # straight, and the curly quotes phones type

_ARABIC_DELETE = [*range(0x064B, 0x0653), 0x0670, 0x0640]  # harakat, superscript alef, tatweel
_ARABIC_MAP = {
    "\u0622": "\u0627",  # alef with madda -> alef
    "\u0623": "\u0627",  # alef with hamza above -> alef
    "\u0625": "\u0627",  # alef with hamza below -> alef
    "\u0671": "\u0627",  # alef wasla -> alef
    "\u0629": "\u0647",  # teh marbuta -> heh
    "\u0649": "\u064a",  # alef maksura -> yeh
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # extended (Persian) digits
}
# What SQLite's tokenizer does not do by itself: Turkish dotless i, and the Arabic table.
SQLITE_EXTRA: dict[str, str] = {
    "\u0131": "i",
    **_ARABIC_MAP,
    **{chr(c): "" for c in _ARABIC_DELETE},
}


# Latin accents: after NFD, the combining marks that follow a Latin letter (what unicode61
# remove_diacritics 2 removes); marks on other scripts stay (Cyrillic й is not и).
LATIN_MARKS = r"([A-Za-z])[\u0300-\u036f]+"  # for PostgreSQL's regexp_replace, with \1
_LATIN_MARKS = re.compile(r"(?<=[A-Za-z])[\u0300-\u036f]+")  # the same, faster in Python
_EXTRA_CHARS = re.compile("[\u0600-\u06ff\u0131]")
LATIN_ACCENT = r"[\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f]"  # where NFD has work to do
_LATIN_ACCENT = re.compile(LATIN_ACCENT)


class SearchQueryError(StoreError, ValueError):
    """A search the store refuses; the message says why and what is allowed."""


@dataclass(frozen=True)
class Term:
    """One thing every result must contain."""

    words: tuple[str, ...]  # folded words in order; more than one: a phrase
    prefix: bool = False  # the last word is a prefix
    # A one-word term may also be found as these forms (the Arabic word with its article and
    # clitics), with the same prefix flag; each contains the word.
    variants: tuple[str, ...] = ()

    def forms(self) -> tuple[str, ...]:
        """The forms a one-word term is found as: the word, then its variants."""
        return (self.words[0], *self.variants) if len(self.words) == 1 else ()


# Arabic writes the article and the clitics "and", "with", "to", "as" onto the word: a search
# for علاقات ("relations") must find العلاقات, والعلاقات, بالعلاقات, للعلاقات (ل + ال is لل).
_AR_BEFORE = ("ال", "وال", "بال", "فال", "كال", "لل", "و", "ب", "ل", "ف")
_AR_BEFORE_ARTICLE = ("و", "ب", "ف", "ك")  # before a word typed with its article
_AR_LETTER = re.compile("[\u0621-\u064a]")
# Letters only Turkish (and a few other languages) write: such a word is searched with its
# endings, as Turkish adds them (ilişki finds ilişkiler, ilişkilerde).
_TURKISH_LETTERS = re.compile("[ğĞşŞıİçÇöÖüÜ]")


def _arabic_variants(word: str) -> tuple[str, ...]:
    if not _AR_LETTER.match(word) or len(word) < 3:
        return ()
    if word.startswith("ال"):
        forms = (*(c + word for c in _AR_BEFORE_ARTICLE), "لل" + word[2:])
    else:
        forms = tuple(c + word for c in _AR_BEFORE)
    # A pronoun written on ("its embassy": سفارتها) turns a teh marbuta (folded: ه) into ت;
    # the term is searched as a prefix, so the ت form finds every such ending (QA round 19).
    if word.endswith("ه") and len(word) >= 4:
        forms += tuple(f[:-1] + "ت" for f in (word, *forms))
    return forms


def _is_arabic_word(word: str) -> bool:
    return bool(_AR_LETTER.match(word)) and len(word) >= 3


def fold(text: str) -> str:
    """Text as the index sees it, before it is cut into words."""
    if text.isascii():
        return text.lower()
    if _EXTRA_CHARS.search(text):  # str.replace beats str.translate's dict lookups tenfold
        for src, dst in SQLITE_EXTRA.items():
            if src in text:
                text = text.replace(src, dst)
    if _LATIN_ACCENT.search(text):  # as PostgreSQL's CASE: only text with Latin accents
        text = unicodedata.normalize("NFD", text)
        text = unicodedata.normalize("NFC", _LATIN_MARKS.sub("", text))
    return text.lower()


_SQLITE_TABLE = str.maketrans(SQLITE_EXTRA)


def sqlite_index_fold(text: str) -> str:
    """Text as SQLite's index is given it: `sqlite_fold_select` in Python (SQLITE_EXTRA only;
    the tokenizer does case and Latin accents). Deleting from the contentless index needs
    the very text that was indexed, so the two must agree (tests/test_search.py)."""
    if text.isascii() or not _EXTRA_CHARS.search(text):
        return text
    return text.translate(_SQLITE_TABLE)


_WORD = re.compile(r"[^\W_]+")  # runs of letters and digits (str.isalnum)


def words(text: str) -> list[str]:
    """The folded words of a text: runs of letters and digits."""
    return _WORD.findall(fold(text))


def _chunks(text: str) -> list[tuple[str, bool, bool]]:
    """(text, is a quoted phrase, ends with *) in order; an unclosed quote is an error."""
    out: list[tuple[str, bool, bool]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in QUOTES:
            end = next((j for j in range(i + 1, n) if text[j] in QUOTES), -1)
            if end < 0:
                raise SearchQueryError(
                    f"A phrase has no closing quote: {text[i : i + 30]}… "
                    'Put "exact phrases" between two quotes.'
                )
            star = end + 1 < n and text[end + 1] == "*"
            out.append((text[i + 1 : end], True, star))
            i = end + 1 + star
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in QUOTES:
                j += 1
            chunk = text[i:j]
            out.append((chunk.rstrip("*"), False, chunk.endswith("*")))
            i = j
    return out


def parse_query(text: str) -> tuple[Term, ...]:
    """The terms of a typed search; SearchQueryError with the limit when it cannot be run."""
    if len(text) > MAX_QUERY_CHARS:
        raise SearchQueryError(
            f"The search is {len(text):,} characters long; it may be at most "
            f"{MAX_QUERY_CHARS:,} characters and {MAX_WORDS} words."
        )
    terms: list[Term] = []
    for chunk, quoted, star in _chunks(text):
        if not quoted and "*" in chunk:
            raise SearchQueryError(
                f"{chunk}: a * goes only at the end of a word, for the words that start "
                f"with it (such as {chunk.split('*')[0] or 'assad'}*)."
            )
        found = tuple(words(chunk))
        if not found:
            continue  # punctuation alone, such as a dash between words
        if star and len(found[-1]) < MIN_PREFIX_CHARS:
            raise SearchQueryError(
                f"{chunk}*: a prefix needs at least {MIN_PREFIX_CHARS} letters before the *."
            )
        if len(found) == 1 and not quoted:
            turkish = bool(_TURKISH_LETTERS.search(chunk))
            # Turkish and Arabic add endings to a word: both are searched as prefixes
            # (ilişki finds ilişkilerde, علاقات finds علاقاتها)
            suffixed = turkish or _is_arabic_word(found[0])
            terms.append(Term(found, prefix=star or suffixed, variants=_arabic_variants(found[0])))
        else:
            terms.append(Term(found, prefix=star))
    count = sum(len(t.words) for t in terms)
    if count > MAX_WORDS:
        raise SearchQueryError(
            f"The search has {count} words; it may have at most {MAX_WORDS} "
            "(each word of a phrase counts)."
        )
    for term in terms:
        for word in term.words:
            if len(word) > MAX_WORD_CHARS:
                raise SearchQueryError(
                    f"The word {word[:20]}… is {len(word)} characters long; "
                    f"at most {MAX_WORD_CHARS}."
                )
    if not terms:
        raise SearchQueryError(
            'Nothing to search for: give words, "exact phrases" or prefixes such as assad*.'
        )
    return tuple(terms)


def fts5_match(terms: tuple[Term, ...]) -> str:
    """An FTS5 MATCH string: each term a quoted phrase (a one-word term with variants: its
    forms ORed in parentheses), ANDed.

    Words hold only letters and digits, so the quotes cannot be closed from inside; they are
    doubled anyway, as FTS5 escapes them.
    """
    parts = []
    star = "*"
    for term in terms:
        if term.variants:
            forms = [f'"{w}"' + (star if term.prefix else "") for w in term.forms()]
            parts.append("(" + " OR ".join(forms) + ")")
            continue
        quoted = '"' + " ".join(term.words).replace('"', '""') + '"'
        parts.append(quoted + (star if term.prefix else ""))
    return " AND ".join(parts)


def tsquery(terms: tuple[Term, ...]) -> str:
    """A tsquery for `to_tsquery('simple', ...)`: quoted lexemes, <-> in phrases, & between."""
    parts = []
    for term in terms:
        if term.variants:
            forms = ["'" + w + "'" + (":*" if term.prefix else "") for w in term.forms()]
            parts.append("(" + " | ".join(forms) + ")")
            continue
        lexemes = ["'" + w.replace("\\", "\\\\").replace("'", "''") + "'" for w in term.words]
        if term.prefix:
            lexemes[-1] += ":*"
        parts.append("(" + " <-> ".join(lexemes) + ")")
    return " & ".join(parts)


SQLITE_STAGE = 12  # replace() calls nested in one expression (SQLite's parser allows ~29)


def sqlite_fold_select(keep: dict[str, str], fold_: dict[str, str], source: str = "") -> str:
    """A SELECT of `keep` as is and `fold_` with SQLITE_EXTRA applied, named by their keys.

    SQLite has no translate(); nested replace() calls do it, a stage of SQLITE_STAGE per
    subquery, since one expression nested deeper overflows SQLite's parser stack. Only text
    with a character of the table (Arabic, dotless i; a GLOB finds out) goes through them.
    """
    pairs = list(SQLITE_EXTRA.items())
    stages = [pairs[i : i + SQLITE_STAGE] for i in range(0, len(pairs), SQLITE_STAGE)]
    chars = "'*[' || char(1536) || '-' || char(1791) || char(305) || ']*'"  # U+0600-U+06FF, ı
    columns = [f"{expr} AS {name}" for name, expr in keep.items()]
    columns += [f"{expr} AS {name}" for name, expr in fold_.items()]
    columns += [f"({expr} GLOB {chars}) AS {name}_x" for name, expr in fold_.items()]
    query = f"SELECT {', '.join(columns)} {source}".rstrip()
    for n, stage in enumerate(stages):
        last = n == len(stages) - 1
        columns = list(keep)
        for name in fold_:
            chain = name
            for src, dst in stage:
                chain = f"replace({chain}, char({ord(src)}), '{dst}')"
            columns.append(f"CASE WHEN {name}_x THEN {chain} ELSE {name} END AS {name}")
            if not last:
                columns.append(f"{name}_x")
        query = f"SELECT {', '.join(columns)} FROM ({query})"
    return query


def pg_fold_sql(arg: str, collate: str) -> str:
    """A PostgreSQL expression folding `arg` as `fold` does, words apart by whitespace.

    The SQLITE_EXTRA replacements run only on text with Arabic or a dotless i (a regex test
    is cheaper than forty replace() calls); lower() and [:alnum:] take `collate`.
    """
    chain = arg
    for src, dst in SQLITE_EXTRA.items():
        chain = f"replace({chain}, U&'\\{ord(src):04X}', '{dst}')"
    extra = f"CASE WHEN {arg} ~ '[\\u0600-\\u06ff\\u0131]' THEN {chain} ELSE {arg} END"
    # NFD and NFC cost more than the rest together: only for text with a Latin accent.
    latin = (
        f"CASE WHEN t2 ~ '{LATIN_ACCENT}' THEN "
        f"normalize(regexp_replace(normalize(t2, NFD), '{LATIN_MARKS}', '\\1', 'g'), NFC) "
        "ELSE t2 END"
    )
    # ASCII whitespace is left alone (a match per space made this the slowest step); the
    # parser of to_tsvector splits on it, and every other non-alphanumeric becomes a space.
    spaced = f"regexp_replace(lower(t3{collate}), '[^[:alnum:] \\t\\n\\r]+', ' ', 'g')"
    return f"(SELECT {spaced} FROM (SELECT {latin} AS t3 FROM (SELECT {extra} AS t2) a) b)"


def occurrences(term: Term, tokens: list[str]) -> int:
    """How many times the term (a word, a phrase, a prefix) appears in folded tokens."""
    n = len(term.words)
    if term.variants:
        forms = term.forms()
        if term.prefix:
            return sum(1 for t in tokens if t.startswith(forms))
        return sum(1 for t in tokens if t in forms)
    if n == 1 and not term.prefix:
        return tokens.count(term.words[0])
    last = n - 1
    count = 0
    for i in range(len(tokens) - last):
        for j, word in enumerate(term.words):
            token = tokens[i + j]
            if not (token.startswith(word) if term.prefix and j == last else token == word):
                break
        else:
            count += 1
    return count


TITLE_WEIGHT = 2.5  # a word in the title counts as much as 2.5 in the summary
K1, B = 1.2, 0.75  # BM25's term-frequency saturation and length normalization


def relevance(terms: tuple[Term, ...], docs: list[tuple[str, str]]) -> list[float]:
    """A BM25F-like score of each (title, summary), higher is better, among these documents.

    Every document matches every term (the index found them), so the inverse document
    frequency is the same for all of them and is left out; what ranks is how often the
    terms appear, the title counting TITLE_WEIGHT times, against the document's length.
    """
    folded = [(words(title), words(summary)) for title, summary in docs]
    lengths = [TITLE_WEIGHT * len(t) + len(s) for t, s in folded]
    average = (sum(lengths) / len(lengths)) if lengths else 1.0
    scores = []
    for (title, summary), length in zip(folded, lengths, strict=True):
        norm = K1 * (1 - B + B * length / (average or 1.0))
        score = 0.0
        for term in terms:
            tf = TITLE_WEIGHT * occurrences(term, title) + occurrences(term, summary)
            score += tf * (K1 + 1) / (tf + norm)
        scores.append(score)
    return scores
