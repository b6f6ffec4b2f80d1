"""What every group of commands shares: the store and the clock, the services a front end
hands over, and the answers that must read alike in every command.

The groups (`user`, `admin`, `team`, `teach`) are separate classes that each take one `Desk`;
`bot.chat.commands.Commands` routes a command or a button press to the group that owns it.
Does not decide any command's answer itself.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from html import escape

from bot.app.rematching import RematchRunner
from bot.chat.buttons import refers_to
from bot.chat.html import trim_message
from bot.chat.limits import MAX_ECHO_CHARS
from bot.chat.replies import Caller, Reply
from bot.chat.views import trim
from matcher.lookup import Lookup, did_you_mean, find_theme
from store import Store
from watchers.fetch.client import FetchPolicy
from watchers.poll.probe import Probe

log = logging.getLogger(__name__)
Prober = Callable[[str], Awaitable[Probe]]
Handler = Callable[[Caller, list[str]], Awaitable[Reply]]


@dataclass(frozen=True)
class ChannelCheck:
    """What Telegram says about a channel: its id and title, or why the bot cannot post."""

    chat_id: int | None
    title: str | None
    problem: str | None = None
    # The channel's id when Telegram shows it but the bot cannot post there (removed, or
    # not an administrator): enough to list or end its subscriptions, not to add one.
    seen_id: int | None = None


ChannelLookup = Callable[[str], Awaitable[ChannelCheck]]


@dataclass
class Desk:
    """The store, the clock and the services of the front end the commands run in."""

    store: Store
    clock: Callable[[], datetime]
    rematcher: RematchRunner | None = None  # background re-matching after a theme change
    prober: Prober | None = None  # checks a URL before /addfeed adds it
    # /example fetches through the feeds' guard; private addresses only if feeds may.
    article_policy: FetchPolicy = field(default_factory=FetchPolicy)
    channels: ChannelLookup | None = None  # Telegram's answer on a channel (None: console)


class Group:
    """A group of commands on a desk, with the answers every group gives alike."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    @property
    def store(self) -> Store:
        return self.desk.store

    @property
    def clock(self) -> Callable[[], datetime]:
        return self.desk.clock

    @property
    def rematcher(self) -> RematchRunner | None:
        return self.desk.rematcher

    @staticmethod
    def fit(text: str) -> str:
        """One message's worth: long lists are trimmed, never split mid-tag."""
        return trim_message(text)

    async def resolve_theme(self, query: str) -> tuple[str | None, Reply]:
        """The theme meant by `query`, or a reply saying there is none and what to type."""
        themes = await self.store.list_themes()
        found = find_theme(query, [(t.slug, t.name) for t in themes])
        if found.slug is not None:
            return found.slug, Reply("")
        asked = escape(trim(query, MAX_ECHO_CHARS))
        offered = [f"<code>{escape(s)}</code>" for s in found.suggestions]
        if found.ambiguous:
            return None, Reply(
                f"“{asked}” names several themes: {', '.join(offered)}. Use the slug."
            )
        hint = f" Did you mean {did_you_mean(Lookup(None, tuple(offered)))}?" if offered else ""
        known = ", ".join(f"<code>{escape(t.slug)}</code>" for t in themes) or "none yet"
        return None, Reply(f"No theme “{asked}”.{hint}\nThemes: {known}")

    async def slug_of_ref(self, ref: str) -> str | None:
        """The theme a button's reference names (its slug, or a hash of a long one)."""
        themes = await self.store.list_themes()
        return next((t.slug for t in themes if refers_to(ref, t.slug)), None)

    async def _audit(
        self,
        caller: Caller,
        action: str,
        target: str,
        before: object,
        after: object,
        undo: dict[str, object] | None = None,
        undoes: int | None = None,
    ) -> int:
        """Log a change with what undoing it needs (`undo`), if it can be undone."""
        return await self.store.record_audit(
            at=self.clock(),
            actor_id=caller.user_id,
            actor_name=caller.user_name,
            action=action,
            target=target,
            before=before,
            after=after,
            snapshot=undo,
            undoes=undoes,
        )

    def refuse_command(self, caller: Caller, command: str, reason: str, answer: str) -> str:
        """Log a refused command (a member not allowed to change the chat) and give the
        answer, as the bot-admin commands and the buttons are logged."""
        log.warning(
            "refused /%s from user %s in chat %s: %s",
            command,
            caller.user_id,
            caller.chat_id,
            reason,
        )
        return answer

    def refuse_press(self, caller: Caller, press: object, reason: str, toast: str) -> Reply:
        """Log a refused button press like a refused command, and answer the button."""
        log.warning(  # %r: forged data cannot start a fake log line
            "refused button %r from user %s in chat %s: %s",
            press,
            caller.user_id,
            caller.chat_id,
            reason,
        )
        return Reply("", toast=toast)
