"""The documented limits of command arguments, and the one refusal every command gives.

A value over its limit is refused before anything is saved, with the limit in the answer, so a
command never half-saves or saves and then fails to say so. The README's command table lists
these numbers. Replies themselves are fitted to Telegram's sizes at the front end
(bot/telegram/handlers.py), whatever a command returns.
"""

from __future__ import annotations

import re

from matcher.themes import MAX_NAME_CHARS
from store.search_text import MAX_WORDS

MAX_SEARCH_WORDS = MAX_WORDS  # the store's full-text search decides; refused here before it

MAX_SEARCH_CHARS = 300  # characters of all of /search's words together
MAX_PHRASE_CHARS = 100  # a phrase of /keywords, /exclude and /preview add|exclude
MAX_THEME_NAME_CHARS = MAX_NAME_CHARS  # /addtheme's NAME: the rule `themes add` follows too
MAX_URL_CHARS = 2000  # /addfeed's URL
MAX_ECHO_CHARS = 60  # how much of a user's unknown word an answer repeats

_DIGITS = re.compile(r"[0-9]{1,9}")  # ASCII digits that fit a 32-bit id column


def too_long(what: str, text: str, limit: int) -> str | None:
    """The refusal for `text` over `limit` characters, or None if it fits."""
    if len(text) <= limit:
        return None
    return f"{what} is {len(text):,} characters long; the limit is {limit}. Nothing was changed."


def too_many_words(words: list[str]) -> str | None:
    """The refusal for a /search over its word or character limit, or None."""
    if len(words) > MAX_SEARCH_WORDS:
        return f"/search takes at most {MAX_SEARCH_WORDS} words; this one has {len(words):,}."
    total = len(" ".join(words))
    if total > MAX_SEARCH_CHARS:
        return f"/search takes at most {MAX_SEARCH_CHARS} characters; this one has {total:,}."
    return None


def small_int(text: str) -> int | None:
    """`text` as a non-negative id of at most 9 ASCII digits, else None."""
    return int(text) if _DIGITS.fullmatch(text) else None
