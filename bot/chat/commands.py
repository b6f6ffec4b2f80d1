"""The bot's commands as one object the front ends call: `run` a command, `press` a button.

Routes to the group that owns each command (`user`, `admin`, `team`, `teach`, each on one
`Desk`), and refuses admin commands to callers who are not admins, logged. Front ends stay
thin: they build a Caller, call `run` or `press`, and show the Reply. Decides no answer itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from html import escape

from bot.app.rematching import RematchRunner
from bot.chat.admin import AdminCommands
from bot.chat.desk import ChannelLookup, Desk, Handler, Prober
from bot.chat.html import shorten
from bot.chat.limits import MAX_ECHO_CHARS
from bot.chat.replies import Caller, Reply
from bot.chat.teach import TeachCommands
from bot.chat.team import TeamCommands
from bot.chat.user import ADMIN_HELP, USER_HELP, UserCommands
from store import Store
from watchers.fetch.client import FetchPolicy

__all__ = ["ADMIN_HELP", "USER_HELP", "Commands"]

log = logging.getLogger(__name__)

# Commands whose first argument is a theme: a display name of several words may stand there
# ("/query Ties between states" shows that theme's query; it once set "between states" as the
# query of the theme the first word resolved to).
THEME_FIRST = frozenset(
    {
        "query",
        "keywords",
        "exclude",
        "threshold",
        "preview",
        "example",
        "labels",
        "learn",
        "unlabel",
        "removetheme",
        "subscribe",
        "unsubscribe",
        "latest",
        "timeline",
        "export",
    }
)


def slug_first(args: Sequence[str], names: dict[str, str | None]) -> list[str]:
    """`args` with its longest run of two or more leading words that is exactly one theme's
    display name (any case) replaced by that theme's slug; unchanged when none is, or when the
    name is two themes' (None in `names`: the resolver then names both)."""
    for k in range(len(args), 1, -1):
        slug = names.get(" ".join(args[:k]).casefold())
        if slug is not None:
            return [slug, *args[k:]]
    return list(args)


class Commands:
    """Every command and button of the bot, for one store, clock and front end."""

    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime],
        rematcher: RematchRunner | None = None,
        *,
        prober: Prober | None = None,
        article_policy: FetchPolicy | None = None,
        channels: ChannelLookup | None = None,
    ) -> None:
        self.desk = Desk(store, clock, rematcher, prober, article_policy or FetchPolicy(), channels)
        self.teach = TeachCommands(self.desk)
        self.admin = AdminCommands(self.desk, self.teach)
        self.team = TeamCommands(self.desk)
        self.user = UserCommands(self.desk, self.admin, self.team, self.teach)
        self._admin_only = {**self.admin.admin_handlers(), **self.teach.teach_handlers()}

    @property
    def store(self) -> Store:
        return self.desk.store

    @property
    def rematcher(self) -> RematchRunner | None:
        return self.desk.rematcher

    def handlers(self) -> dict[str, Handler]:
        return {**self.user.handlers(), "digest": self.team.digest, **self._admin_only}

    async def run(self, caller: Caller, name: str, args: Sequence[str]) -> Reply:
        """Answer `/name args`; unknown commands get the help."""
        handler = self.handlers().get(name.lower())
        if handler is None:
            asked = escape(shorten(name, MAX_ECHO_CHARS))
            help_text = (await self.user.help(caller, [])).text
            return Reply(f"Unknown command /{asked}.\n\n{help_text}")
        if name.lower() in self._admin_only and not caller.is_admin:
            log.warning(
                "refused /%s from non-admin user %s in chat %s",
                name,
                caller.user_id,
                caller.chat_id,
            )
            return Reply("⛔ Only the bot's admins can do that.")
        if name.lower() in THEME_FIRST and len(args) >= 2:
            args = slug_first(args, await self._display_names())
        return await handler(caller, list(args))

    async def _display_names(self) -> dict[str, str | None]:
        """Folded display name -> slug, None for a name two themes share."""
        names: dict[str, str | None] = {}
        for theme in await self.store.list_themes():
            key = theme.name.casefold()
            names[key] = None if key in names and names[key] != theme.slug else theme.slug
        return names

    async def press(self, caller: Caller, data: str) -> Reply:
        """Answer a button press (the data may be forged: it is parsed and checked first)."""
        return await self.user.press(caller, data)

    async def channel_forwarded(self, caller: Caller, chat_id: int, title: str | None) -> Reply:
        """A post forwarded from a channel: offer the channel's subscription."""
        return await self.team.channel_forwarded(caller, chat_id, title)
