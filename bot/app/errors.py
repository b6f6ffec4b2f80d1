"""The bot's own errors: one base, mapped to one line (CLI) or one reply (chat) at the edge.

    BotError
    ├── SettingsError   a setting or settings file we cannot use (bot.app.settings); exit 2
    ├── UsageError      a command asked for something that is not there or not possible
    ├── QueryError      a timeline query we cannot read (bot.timeline.query)
    └── DateError       a date we cannot read (bot.timeline.dates)

The errors of matcher, store and watchers have bases of their own (MatcherError, StoreError,
WatcherError); `KNOWN_ERRORS` lists the four bases an edge maps to a message.
"""

from __future__ import annotations

from matcher.errors import MatcherError
from store.errors import StoreError
from watchers.errors import WatcherError

__all__ = ["KNOWN_ERRORS", "BotError", "SetupError", "UsageError"]


class BotError(Exception):
    """Base of the errors bot/ raises itself; the message says what to do."""


class UsageError(BotError):
    """A command asked for something that is not there or cannot be done as asked."""


class SetupError(BotError):
    """A service the bot needs refused it or could not be reached at start (a token Telegram
    rejects, an API address that answers nothing): a setting or the network to fix."""


KNOWN_ERRORS: tuple[type[Exception], ...] = (BotError, MatcherError, StoreError, WatcherError)
