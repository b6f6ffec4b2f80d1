"""Team commands: /digest for a chat or a forum topic, and following a theme in a channel.

`/digest daily HH:MM | weekly DAY HH:MM | off` gives the chat (or the topic it is typed in) one
message a day or week instead of single alerts (bot/digest/). A channel cannot type commands,
so a bot admin subscribes it from a private chat: `/subscribe THEME @channel` (or its -100 id),
or by forwarding one of its posts and pressing a theme; `/mysubs @channel` and
`/unsubscribe THEME @channel` are the way back. Whether the bot may post there is
Telegram's to say: the front end passes a `ChannelLookup`; without one (the console) channels
are refused with the reason.
"""

from __future__ import annotations

import re
from datetime import datetime
from html import escape

from bot.app.words import counted
from bot.chat.buttons import channel_data
from bot.chat.desk import ChannelCheck, ChannelLookup, Group
from bot.chat.html import Button
from bot.chat.replies import Caller, Reply
from bot.digest.schedule import USAGE, Schedule, ScheduleError, next_due, parse_schedule
from store import UnknownTheme
from store.records import DigestScheduleRow

# `@name`, or any negative chat id: a short one (`-100123`) is still meant as a channel, and
# Telegram (or, at the console, the answer that channels need Telegram) says whether it is one.
CHANNEL_REF = re.compile(r"^(@[A-Za-z][A-Za-z0-9_]{3,31}|-\d{1,16})$")


def channel_target(word: str) -> bool:
    """`@name` or a negative id (-100…): the channel a /subscribe is for."""
    return bool(CHANNEL_REF.match(word))


SINGLE_ALERTS = "single alerts"


def describe(row: DigestScheduleRow) -> str:
    return Schedule(row.every, row.weekday, row.minute_of_day, row.tz).describe()


def _when(at: datetime) -> str:
    return f"{at.day} {at:%b %Y %H:%M} UTC"


def _plain(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text)[:190]


# How a stopped channel's recorded reason reads in a reply to a bot admin.
_STOPPED_BECAUSE = {
    "removed the bot": "I was removed from the channel, or may no longer post there",
    "blocked the bot": "I was blocked",
}


class TeamCommands(Group):
    """Digests, forum topics and channels: what a team's chat follows, and how."""

    @property
    def channels(self) -> ChannelLookup | None:
        """Telegram's answer on a channel; None at the console."""
        return self.desk.channels

    async def digest(self, caller: Caller, args: list[str]) -> Reply:
        here = "This topic" if caller.thread_id else "This chat"
        if not args:
            row = await self.store.digest_schedule_of(caller.chat_id, caller.thread_id)
            mode = SINGLE_ALERTS if row is None else f"a digest {escape(describe(row))}"
            return Reply(f"{here} gets {mode}.\n{escape(USAGE)}")
        if not caller.can_manage_chat:
            return Reply(
                self.refuse_command(
                    caller,
                    "digest",
                    "not a chat admin",
                    "⛔ Only this group's admins can change how it gets alerts.",
                )
            )
        try:
            schedule = parse_schedule(args)
        except ScheduleError as exc:
            return Reply(escape(str(exc)))
        now = self.clock()
        current = await self.store.digest_schedule_of(caller.chat_id, caller.thread_id)
        before = SINGLE_ALERTS if current is None else f"a digest {describe(current)}"
        if schedule is None:
            released = await self.store.clear_digest(caller.chat_id, caller.thread_id, now)
            if released is None:
                return Reply(f"{here} gets single alerts already.")
            await self._audit_digest(caller, before, SINGLE_ALERTS)
            verb = "is" if released == 1 else "are"
            waiting = (
                f" The {counted(released, 'alert')} waiting for the digest {verb} sent now."
                if released
                else ""
            )
            return Reply(f"{here} is back to single alerts.{waiting}")
        await self.store.upsert_chat(caller.chat_id, caller.chat_type, None, now)
        folded = await self.store.set_digest(
            caller.chat_id,
            caller.thread_id,
            schedule.every,
            schedule.weekday,
            schedule.minute_of_day,
            schedule.tz,
            now,
        )
        await self._audit_digest(caller, before, f"a digest {schedule.describe()}")
        text = (
            f"🗞 {here} now gets one digest {escape(schedule.describe())} instead of single "
            f"alerts; the next is due {_when(next_due(schedule, now))}."
        )
        if folded:
            text += f" The {counted(folded, 'alert')} not sent yet will be in it."
        return Reply(text + " /digest off goes back to alerts.")

    async def _audit_digest(self, caller: Caller, before: str, after: str) -> None:
        """What the chat got before and gets now ("single alerts", "a digest every day at
        08:00 UTC"): /audit read "(new) → off" for a digest turned off."""
        topic = f" topic {caller.thread_id}" if caller.thread_id else ""
        await self.store.record_audit(
            at=self.clock(),
            actor_id=caller.user_id,
            actor_name=caller.user_name,
            action="digest",
            target=f"{caller.chat_id}{topic}",
            before=before,
            after=after,
        )

    def _admins_only(self, caller: Caller, command: str, what: str) -> Reply:
        """A channel command refused to someone who is not a bot admin, logged as every
        refusal is."""
        answer = f"⛔ Only the bot's admins can {what}"
        return Reply(self.refuse_command(caller, command, "not an admin", answer))

    async def subscribe_channel(self, caller: Caller, theme: list[str], ref: str) -> Reply:
        """`/subscribe THEME @channel`, by a bot admin, for a channel the bot may post in."""
        if not caller.is_admin:
            return self._admins_only(caller, "subscribe", "subscribe a channel.")
        slug, problem = await self.resolve_theme(" ".join(theme))
        if slug is None:
            return problem
        check = await self._check_channel(ref)
        if check.chat_id is None:
            return Reply(escape(check.problem or f"{ref} is not a channel I can post in."))
        return Reply(await self._follow_in_channel(caller, check, slug))

    async def unsubscribe_channel(self, caller: Caller, theme: list[str], ref: str) -> Reply:
        """`/unsubscribe THEME @channel` (or its -100 id), by a bot admin."""
        if not caller.is_admin:
            return self._admins_only(caller, "unsubscribe", "change what a channel follows.")
        slug, problem = await self.resolve_theme(" ".join(theme))
        if slug is None:
            return problem
        chat_id, title, why = await self._channel_id(ref)
        if chat_id is None:
            return Reply(escape(why or f"{ref} is not a channel I know."))
        try:
            changed = await self.store.unsubscribe(chat_id, slug)
        except UnknownTheme:
            return Reply(f"No theme {escape(slug)} any more.")
        await self.store.record_audit(
            at=self.clock(),
            actor_id=caller.user_id,
            actor_name=caller.user_name,
            action="unsubscribe",
            target=f"{chat_id}:{slug}",
        )
        name = escape(title or ref)
        if changed:
            return Reply(f"Channel <b>{name}</b> no longer follows <b>{escape(slug)}</b>.")
        return Reply(f"Channel <b>{name}</b> did not follow <b>{escape(slug)}</b>.")

    async def channel_subscriptions(self, caller: Caller, ref: str) -> Reply:
        """`/mysubs @channel`: what a channel follows, for a bot admin (a channel cannot ask)."""
        if not caller.is_admin:
            return self._admins_only(caller, "mysubs", "see what a channel follows.")
        chat_id, title, why = await self._channel_id(ref)
        if chat_id is None:
            return Reply(escape(why or f"{ref} is not a channel I know."))
        slugs = await self.store.subscriptions_of(chat_id)
        known = await self.store.get_chat(chat_id)
        # a channel named by its id is shown by the title it had when it was last seen (QA 13)
        name = escape(title or (known.title if known is not None else None) or ref)
        stopped = await self._delivery_stopped(chat_id, why)
        if not slugs:
            # with delivery stopped, /subscribe is refused: say what to do first (QA round 13)
            lines = [
                f"Channel <b>{name}</b> follows no theme."
                + ("" if stopped else f" /subscribe THEME {escape(ref)} adds one.")
            ]
        else:
            lines = [
                f"Channel <b>{name}</b> follows:",
                *(f"• {escape(s)}" for s in slugs),
                f"/unsubscribe THEME {escape(ref)} stops one.",
            ]
        if stopped:
            lines.insert(0, stopped)
        return Reply("\n".join(lines))

    async def _delivery_stopped(self, chat_id: int, problem: str | None) -> str | None:
        """Why nothing reaches a channel now, when that is so (QA: /mysubs listed a removed
        bot's channel's themes as if their alerts still went out)."""
        row = await self.store.get_chat(chat_id)
        if row is not None and not row.active:
            reason = row.inactive_reason or "Telegram refused"
            # the reason is recorded from the chat's side ("removed the bot"): say it as ours
            why = escape(_STOPPED_BECAUSE.get(reason, reason))
            return (
                f"⚠️ Nothing is delivered there: {why}. Add me back as an administrator "
                "who may post, and alerts start again."
            )
        if problem:
            return f"⚠️ Nothing can be delivered there now. {escape(problem)}"
        return None

    async def _channel_id(self, ref: str) -> tuple[int | None, str | None, str | None]:
        """(chat id, title, problem) of the channel `ref` names. A -100… id needs no lookup:
        a channel that removed the bot must still be unsubscribable; a @name asks Telegram,
        which shows a public channel's id even where the bot can no longer post (the
        problem then says so)."""
        try:
            return int(ref), None, None
        except ValueError:
            check = await self._check_channel(ref)
            if check.chat_id is None and check.seen_id is not None:
                return check.seen_id, check.title, check.problem
            return check.chat_id, check.title, check.problem

    async def channel_forwarded(self, caller: Caller, chat_id: int, title: str | None) -> Reply:
        """A post forwarded from a channel: offer its subscription, one button per theme."""
        if not caller.is_admin:
            return self._admins_only(caller, "subscribe", "subscribe a channel.")
        check = await self._check_channel(str(chat_id))
        name = escape(title or str(chat_id))
        if check.chat_id is None:
            return Reply(escape(check.problem or "I cannot post in that channel."))
        follows = await self.store.subscriptions_of(chat_id)
        # only themes it does not follow yet (QA: ➕ was offered for a followed theme)
        buttons = [
            [Button(f"➕ {t.name}", channel_data(chat_id, t.slug))]
            for t in await self.store.list_themes()
            if t.slug not in follows
        ]
        now = f" It follows: {escape(', '.join(follows))}." if follows else ""
        if not buttons:
            return Reply(
                f"Channel <b>{name}</b> ({chat_id}) follows every theme.{now} "
                f"/unsubscribe THEME {chat_id} stops one."
            )
        return Reply(
            f"Channel <b>{name}</b> ({chat_id}).{now} Choose a theme it should follow, or type "
            f"/subscribe THEME {chat_id}",
            buttons,
        )

    async def press_channel(self, caller: Caller, rest: str) -> Reply:
        chat, _, slug = rest.partition(":")
        if not caller.is_admin:
            return self.refuse_press(
                caller,
                f"channel:{rest}",
                "not an admin",
                "Only the bot's admins can subscribe a channel.",
            )
        check = await self._check_channel(chat)
        if check.chat_id is None:
            return Reply("", toast=_plain(check.problem or "I cannot post in that channel."))
        return Reply("", toast=_plain(await self._follow_in_channel(caller, check, slug)))

    async def _check_channel(self, ref: str) -> ChannelCheck:
        if self.channels is None:
            return ChannelCheck(None, None, "Channels can only be subscribed through Telegram.")
        return await self.channels(ref)

    async def _follow_in_channel(self, caller: Caller, check: ChannelCheck, slug: str) -> str:
        assert check.chat_id is not None
        now = self.clock()
        await self.store.upsert_chat(check.chat_id, "channel", check.title, now)
        try:
            changed = await self.store.subscribe(check.chat_id, slug, now)
        except UnknownTheme:
            return f"No theme {escape(slug)} any more."
        await self.store.record_audit(
            at=now,
            actor_id=caller.user_id,
            actor_name=caller.user_name,
            action="subscribe",
            target=f"{check.chat_id}:{slug}",
        )
        name = escape(check.title or str(check.chat_id))
        if changed:
            return f"✅ Channel <b>{name}</b> now follows <b>{escape(slug)}</b>."
        return f"Channel <b>{name}</b> already follows <b>{escape(slug)}</b>."
