"""Telegram's side of channels: asking whether the bot may post in one, and forwarded posts.

`channel_lookup(bot)` answers bot/chat/team.py's question "which channel is this, and may I
post there?" with getChat and getChatMember (the bot must be an administrator allowed to post).
A post forwarded from a channel into a private chat offers the channel's subscription. Thin,
like bot/telegram/handlers.py: the decisions are in bot/chat/team.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from telegram import Bot, MessageOriginChannel, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import Application, MessageHandler, filters

from bot.chat.desk import ChannelCheck, ChannelLookup
from bot.telegram.handlers import Context, caller_of, send_reply

log = logging.getLogger(__name__)


def channel_lookup(bot_of: Callable[[], Bot]) -> ChannelLookup:
    """Checks a channel with the bot `bot_of()` returns when asked (built after the commands)."""

    async def lookup(ref: str) -> ChannelCheck:
        bot = bot_of()
        target: str | int = int(ref) if ref.lstrip("-").isdigit() else ref
        try:
            chat = await bot.get_chat(target)
        except TelegramError as exc:
            return ChannelCheck(None, None, f"Telegram does not show me {ref}: {exc}")
        if chat.type != ChatType.CHANNEL:
            return ChannelCheck(None, None, f"{ref} is a {chat.type} chat, not a channel.")
        title = chat.title or chat.username
        try:
            me = await bot.get_chat_member(chat.id, bot.id)
        except TelegramError as exc:
            return ChannelCheck(
                None, title, f"I cannot see my rights in {title}: {exc}", seen_id=chat.id
            )
        if me.status != ChatMemberStatus.ADMINISTRATOR or not getattr(
            me, "can_post_messages", False
        ):
            return ChannelCheck(
                None,
                title,
                f"Make me an administrator of {title} with the right to post messages, "
                "then try again.",
                seen_id=chat.id,
            )
        return ChannelCheck(chat.id, title)

    return lookup


async def on_forward(update: Update, context: Context) -> None:
    """A channel's post forwarded to the bot in a private chat: offer to subscribe it."""
    message = update.effective_message
    if message is None or not isinstance(message.forward_origin, MessageOriginChannel):
        return
    channel = message.forward_origin.chat
    caller = await caller_of(update, context)
    reply = await context.bot_data.commands.channel_forwarded(caller, channel.id, channel.title)
    await send_reply(context, caller.chat_id, reply)


def add_team_handlers(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & filters.FORWARDED, on_forward))
