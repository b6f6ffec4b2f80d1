"""Inline-button data: every kind of `callback_data` the bot draws, built and parsed here only.

A press comes back as a string anyone can forge, so `parse_button` turns it into one typed
value or raises `ButtonDataError` saying why: numbers are ASCII digits within the range their
column holds, a theme is named by a slug (or a short hash of a long one), and the whole is at
most Telegram's 64 bytes. Kinds:

    sub:THEME[:list]     unsub:THEME[:list]      follow / stop following a theme
    fb:MATCH:1|0                                 feedback on an alert's match
    tl:OFFSET:THEME|since|until|s|who            a /timeline page
    feeds:PAGE                                   a /feeds page (admins only)
    rmfeed:ID:ASKER  rmtheme:THEME:ASKER  undo:ENTRY:ASKER   an admin's confirmation
    usequery:THEME:ASKER                                      accept a proposed query
    cancel:ASKER                                 its Cancel button

Does not look anything up: whether an id exists, whether the presser may act and whether the
alert reached the chat are decided by the commands (bot/chat/user.py, bot/chat/admin.py).
Imports nothing of ours, so the renderers can use it freely.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Literal

CALLBACK_DATA_LIMIT = 64  # bytes: Telegram's limit on an inline button's callback_data
MAX_ROW_ID = 2**31 - 1  # ids of feeds, matches and audit entries are 32-bit integer columns
MAX_USER_ID = 2**53 - 1  # Telegram user ids have at most 52 significant bits
MAX_OFFSET = 1_000_000  # a /timeline page offset (200,000 pages of 5 events)
MAX_PAGE = 100_000  # a /feeds page number
LONG_SLUG = 24  # longer slugs are named by a hash in button data, so the rest still fits

_INT = re.compile(r"[0-9]{1,16}")  # ASCII only: int() would also take "٣" and "³" fails it
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
_HASHED = re.compile(r"~[0-9a-f]{8}")
_DATE = re.compile(r"[0-9]{1,4}[dwmy]|[0-9]{4}(-[0-9]{1,2}){0,2}")
_STANCE = re.compile(r"[osu]?[OC]?")  # the stance's first letter, then the role's, capital

Action = Literal["rmfeed", "rmtheme", "undo", "usequery"]


class ButtonDataError(ValueError):
    """Button data we did not draw, or drew in a version that is gone; says what is wrong."""


@dataclass(frozen=True)
class SubscriptionPress:
    theme: str  # a theme reference: the slug, or "~" and a hash of a long slug
    follow: bool  # sub (True) or unsub (False)
    from_list: bool  # pressed under the theme list, which is redrawn; else under an alert


@dataclass(frozen=True)
class FeedbackPress:
    match_id: int  # the alert's match, 1..MAX_ROW_ID
    relevant: bool
    # the match's item: SQLite may give a removed match's id to a new match, so a stale
    # button must not vote on that one; None on buttons sent before it was carried
    item_id: int | None = None


@dataclass(frozen=True)
class TimelinePress:
    theme: str  # a theme reference
    offset: int  # 0..MAX_OFFSET
    since: str | None  # date filters as typed (2023, 2023-01, 30d)
    until: str | None
    stance: str | None  # the stance's first letter: o, s or u
    who: str | None
    role: str | None = None  # the role's first letter: o (official) or c (commentator)


@dataclass(frozen=True)
class FeedsPress:
    page: int  # 1..MAX_PAGE


@dataclass(frozen=True)
class ConfirmPress:
    action: Action
    target: str  # a feed id or audit entry id (digits), or a theme reference
    asker: int  # the admin who asked; only they may confirm


@dataclass(frozen=True)
class CancelPress:
    asker: int  # the admin who asked; only they may cancel


@dataclass(frozen=True)
class ChannelPress:
    """A bot admin chose a theme for a channel whose post was forwarded (`ch:CHAT:THEME`)."""

    chat_id: int
    theme: str


ButtonPress = (
    SubscriptionPress
    | FeedbackPress
    | TimelinePress
    | FeedsPress
    | ConfirmPress
    | CancelPress
    | ChannelPress
)


# --- building -------------------------------------------------------------------------------


def fits_callback(data: str) -> bool:
    return 1 <= len(data.encode("utf-8")) <= CALLBACK_DATA_LIMIT


def theme_ref(slug: str) -> str:
    """How a button names a theme: its slug, or `~` and 8 hex digits of a hash if it is long."""
    if len(slug) <= LONG_SLUG:
        return slug
    return "~" + hashlib.blake2s(slug.encode(), digest_size=4).hexdigest()


def refers_to(ref: str, slug: str) -> bool:
    return theme_ref(slug) == ref


def subscription_data(slug: str, *, follow: bool, from_list: bool) -> str:
    return f"{'sub' if follow else 'unsub'}:{theme_ref(slug)}" + (":list" if from_list else "")


def channel_data(chat_id: int, slug: str) -> str:
    return f"ch:{chat_id}:{theme_ref(slug)}"


def feedback_data(match_id: int, *, relevant: bool, item_id: int | None = None) -> str:
    item = "" if item_id is None else f":{item_id}"
    return f"fb:{match_id}:{1 if relevant else 0}{item}"


def timeline_data(
    slug: str,
    offset: int,
    since: str | None = None,
    until: str | None = None,
    stance: str | None = None,
    who: str | None = None,
    role: str | None = None,
) -> str:
    """`tl:OFFSET:THEME|since|until|sR|who`, with `who` shortened until it fits 64 bytes.

    The fourth field is the stance's first letter, then the role's in capitals (O or C).
    """
    name = who or ""
    filters = (stance or "")[:1] + (role or "")[:1].upper()
    fields = [theme_ref(slug), since or "", until or "", filters]
    head = f"tl:{offset}:" + "|".join(fields)
    while True:
        data = f"{head}|{name}"
        if fits_callback(data) or not name:
            return data
        name = name[:-1]


def feeds_data(page: int) -> str:
    return f"feeds:{page}"


def confirm_data(action: Action, target: str | int, asker: int | None) -> str:
    ref = theme_ref(str(target)) if action in ("rmtheme", "usequery") else str(target)
    return f"{action}:{ref}:{asker or 0}"


def cancel_data(asker: int | None) -> str:
    return f"cancel:{asker or 0}"


# --- parsing --------------------------------------------------------------------------------


def parse_button(data: str) -> ButtonPress:
    """The typed press behind `data`, or ButtonDataError with the reason."""
    try:
        size = len(data.encode("utf-8"))
    except UnicodeEncodeError:
        raise ButtonDataError("not valid UTF-8") from None
    if not 1 <= size <= CALLBACK_DATA_LIMIT:
        raise ButtonDataError(f"{size} bytes, not 1 to {CALLBACK_DATA_LIMIT}")
    kind, sep, rest = data.partition(":")
    if not sep:
        raise ButtonDataError("no kind: prefix")
    if kind in ("sub", "unsub"):
        theme, _, origin = rest.partition(":")
        if origin not in ("", "list"):
            raise ButtonDataError(f"unknown origin {origin!r}")
        return SubscriptionPress(_theme(theme), kind == "sub", origin == "list")
    if kind == "fb":
        match_id, _, verdict = rest.partition(":")
        verdict, _, item = verdict.partition(":")
        if verdict not in ("0", "1"):
            raise ButtonDataError(f"verdict {verdict!r} is not 0 or 1")
        item_id = _int(item, 1, MAX_ROW_ID, "item id") if item else None
        return FeedbackPress(_int(match_id, 1, MAX_ROW_ID, "match id"), verdict == "1", item_id)
    if kind == "tl":
        return _timeline(rest)
    if kind == "feeds":
        return FeedsPress(_int(rest, 1, MAX_PAGE, "page"))
    if kind in ("rmtheme", "usequery"):
        target, _, asker = rest.partition(":")
        theme_action: Action = "rmtheme" if kind == "rmtheme" else "usequery"
        return ConfirmPress(theme_action, _theme(target), _int(asker, 0, MAX_USER_ID, "asker"))
    if kind in ("rmfeed", "undo"):
        target, _, asker = rest.partition(":")
        number = str(_int(target, 1, MAX_ROW_ID, "id"))
        action: Action = "rmfeed" if kind == "rmfeed" else "undo"
        return ConfirmPress(action, number, _int(asker, 0, MAX_USER_ID, "asker"))
    if kind == "cancel":
        return CancelPress(_int(rest, 0, MAX_USER_ID, "asker"))
    if kind == "ch":
        chat, _, theme = rest.partition(":")
        if not chat.startswith("-"):
            raise ButtonDataError("a channel's id is negative")
        return ChannelPress(-_int(chat[1:], 1, MAX_USER_ID, "channel id"), _theme(theme))
    raise ButtonDataError(f"unknown kind {kind[:16]!r}")


def _int(text: str, low: int, high: int, what: str) -> int:
    if not _INT.fullmatch(text):
        raise ButtonDataError(f"{what} {text[:20]!r} is not a number of at most 16 digits")
    value = int(text)
    if not low <= value <= high:
        raise ButtonDataError(f"{what} {value} is outside {low}..{high}")
    return value


def _theme(ref: str) -> str:
    if not (_SLUG.fullmatch(ref) or _HASHED.fullmatch(ref)):
        raise ButtonDataError(f"{ref[:20]!r} is not a theme")
    return ref


def _timeline(rest: str) -> TimelinePress:
    offset, _, fields = rest.partition(":")
    parts = fields.split("|", 4)
    if len(parts) != 5:
        raise ButtonDataError("a timeline page needs theme|since|until|stance|who")
    theme, since, until, stance, who = parts
    for day in (since, until):
        if day and not _DATE.fullmatch(day):
            raise ButtonDataError(f"{day[:12]!r} is not a date filter")
    if not _STANCE.fullmatch(stance):
        raise ButtonDataError(f"{stance[:4]!r} is not a stance")
    role = stance[-1:].lower() if stance[-1:].isupper() else None
    stance = stance.rstrip("OC")
    return TimelinePress(
        theme=_theme(theme),
        offset=_int(offset, 0, MAX_OFFSET, "offset"),
        since=since or None,
        until=until or None,
        stance=stance or None,
        who=who or None,
        role=role,
    )
