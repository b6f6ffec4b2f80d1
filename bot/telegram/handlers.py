"""Telegram handlers: turn updates into Callers, call Commands, show Replies.

Thin on purpose (STYLE habit 8): every decision lives in bot/chat/user.py and bot/chat/admin.py,
which the console shares. This module knows Telegram's shapes: chats, members, buttons,
group administrators, migrations.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field, replace
from html import escape
from typing import Any

from telegram import (
    ChatMember,
    ChatMemberUpdated,
    InputFile,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import (
    Application,
    CallbackContext,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ExtBot,
    MessageHandler,
    filters,
)

from bot.app.clock import utcnow
from bot.app.errors import KNOWN_ERRORS
from bot.chat.commands import Commands
from bot.chat.html import (
    CAPTION_LIMIT,
    MESSAGE_LIMIT,
    TOAST_LIMIT,
    plain_text,
    trim_message,
    trim_plain,
)
from bot.chat.limits import MAX_ECHO_CHARS
from bot.chat.replies import Caller, Reply
from bot.telegram.delivery import chat_gone, keyboard, retry_after_seconds, topic_gone

log = logging.getLogger(__name__)
ADMINS_TTL = 300.0  # seconds a group's administrator list is trusted


@dataclass
class BotData:
    """Typed `bot_data`: what every handler needs."""

    commands: Commands
    admin_ids: frozenset[int]
    link_previews: bool = False
    group_admins: dict[int, tuple[float, frozenset[int]]] = field(default_factory=dict)


Context = CallbackContext[ExtBot[None], dict[object, object], dict[object, object], BotData]


async def _group_admins(context: Context, chat_id: int) -> frozenset[int]:
    data = context.bot_data
    cached = data.group_admins.get(chat_id)
    if cached and time.monotonic() - cached[0] < ADMINS_TTL:
        return cached[1]
    try:
        members = await context.bot.get_chat_administrators(chat_id)
    except TelegramError as exc:
        log.warning("could not ask chat %s for its administrators: %s", chat_id, exc)
        return frozenset()
    admins = frozenset(m.user.id for m in members)
    data.group_admins[chat_id] = (time.monotonic(), admins)
    return admins


async def caller_of(update: Update, context: Context) -> Caller:
    chat = update.effective_chat
    user = update.effective_user
    assert chat is not None
    is_admin = user is not None and user.id in context.bot_data.admin_ids
    can_manage = chat.type == ChatType.PRIVATE or is_admin
    message = update.effective_message
    as_group = message is not None and message.sender_chat is not None
    anonymous = as_group and message.sender_chat.id == chat.id  # type: ignore[union-attr]
    if anonymous and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
        # An administrator posting as the group ("Remain anonymous"): Telegram lets only
        # administrators do that, and names no user (QA round 17: they were refused).
        can_manage = True
    elif not can_manage and user is not None and chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
        can_manage = user.id in await _group_admins(context, chat.id)
    name = None
    if anonymous:
        name = "an anonymous administrator"
    elif user is not None:
        name = f"@{user.username}" if user.username else user.full_name
    return Caller(
        chat.id, chat.type, user.id if user else None, name, is_admin, can_manage, topic_of(update)
    )


def topic_of(update: Update) -> int:
    """The forum topic an update came from (0: none, or the General topic).

    Only a message in a forum topic counts: a reply thread elsewhere (or in General) has a
    message_thread_id too, and sending there fails with "message thread not found".
    """
    message = update.effective_message
    if message is None or not getattr(message, "is_topic_message", False):
        return 0
    return int(getattr(message, "message_thread_id", None) or 0)


def fit_reply(reply: Reply) -> Reply:
    """The reply within Telegram's sizes: 4,096 characters of text, 1,024 of a caption, 200 of
    a button's answer. Every reply goes through here, so a command's success is always told."""
    limit = (
        CAPTION_LIMIT if reply.photo is not None or reply.document is not None else MESSAGE_LIMIT
    )
    toast = reply.toast
    if toast is not None:
        toast = trim_plain(plain_text(toast), TOAST_LIMIT)
    return replace(reply, text=trim_message(reply.text, limit), toast=toast)


REPLY_ATTEMPTS = 3  # a reply Telegram turns away for a moment is sent this many times at most
REPLY_WAIT_CAP = 20.0  # seconds a reply waits for Telegram's flood control, in all
REPLY_BACKOFF = 1.0  # seconds before the second try after a 5xx or a dropped connection


class ReplyNotSent(Exception):
    """A command ran but its answer could not be posted: Telegram kept refusing it for a while
    (flood control, 5xx) or the send timed out. Said in the log, never to the chat: a "that
    failed" there would be false (the command ran) and would hit the same refusal."""

    def __init__(self, chat_id: int, cause: TelegramError) -> None:
        super().__init__(f"the answer to chat {chat_id} was not sent: {cause}")
        self.chat_id = chat_id
        self.cause = cause


async def send_reply(context: Context, chat_id: int, reply: Reply, thread_id: int = 0) -> None:
    """Post a command's answer, trying again while Telegram asks to wait (within
    REPLY_WAIT_CAP) or answers 5xx; a timed-out send is not repeated, as it may have arrived.
    Raises ReplyNotSent when the answer is given up; Forbidden and BadRequest as they come."""
    waited = 0.0
    for attempt in range(1, REPLY_ATTEMPTS + 1):
        try:
            await _send_reply_once(context, chat_id, reply, thread_id)
            return
        except RetryAfter as exc:
            wait = retry_after_seconds(exc)
            if attempt == REPLY_ATTEMPTS or waited + wait > REPLY_WAIT_CAP:
                raise ReplyNotSent(chat_id, exc) from exc
            waited += wait
            await asyncio.sleep(wait)
        except TimedOut as exc:
            raise ReplyNotSent(chat_id, exc) from exc
        except (BadRequest, Forbidden):
            raise
        except NetworkError as exc:  # 5xx and dropped connections (BadRequest is one too)
            if attempt == REPLY_ATTEMPTS:
                raise ReplyNotSent(chat_id, exc) from exc
            await asyncio.sleep(REPLY_BACKOFF * attempt)


async def _send_reply_once(
    context: Context, chat_id: int, reply: Reply, thread_id: int = 0
) -> None:
    previews = LinkPreviewOptions(is_disabled=not context.bot_data.link_previews)
    topic = thread_id or None  # answer in the forum topic the command came from
    reply = fit_reply(reply)
    if reply.photo is not None:
        await context.bot.send_photo(
            chat_id,
            photo=reply.photo,
            caption=reply.text,
            parse_mode=ParseMode.HTML,
            message_thread_id=topic,
        )
    elif reply.document is not None:
        name, content = reply.document
        await context.bot.send_document(
            chat_id,
            document=InputFile(content, filename=name),
            caption=reply.text,
            parse_mode=ParseMode.HTML,
            message_thread_id=topic,
        )
    elif reply.text:
        await context.bot.send_message(
            chat_id,
            reply.text,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard(reply.buttons),
            link_preview_options=previews,
            message_thread_id=topic,
        )


async def on_command(update: Update, context: Context) -> None:
    """Any /command, with or without @BotName: parse, run, answer in the same chat."""
    message = update.effective_message
    if message is None or not message.text:
        return
    head = message.text.split()[0][1:]
    name, _, addressee = head.partition("@")
    name = name.lower()
    bot_name = (context.bot.username or "").lower()
    if addressee and addressee.lower() != bot_name:
        return  # a command for another bot in the same group
    known = name in context.bot_data.commands.handlers()
    if not known and not addressee and message.chat.type != ChatType.PRIVATE:
        return  # in a group, stay quiet about commands that may be another bot's
    caller = await caller_of(update, context)
    typed = message.text.strip()[len(message.text.split()[0]) :].strip()
    caller = replace(caller, text=typed)
    reply = await context.bot_data.commands.run(caller, name, list(context.args or []))
    await send_reply(context, caller.chat_id, reply, caller.thread_id)


async def on_button(update: Update, context: Context) -> None:
    """A button press: always answered (a short note), so the client stops waiting."""
    query = update.callback_query
    if query is None:
        return
    if query.data is None or update.effective_chat is None:
        log.warning(
            "refused button without data or chat from user %s",
            update.effective_user.id if update.effective_user else None,
        )
        await query.answer("This button is not valid here.")
        return
    caller = await caller_of(update, context)
    reply = fit_reply(await context.bot_data.commands.press(caller, query.data))
    await query.answer(reply.toast)
    if not reply.text:
        return
    if reply.edit and query.message is not None:
        try:
            await query.edit_message_text(
                reply.text,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard(reply.buttons),
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        except BadRequest as exc:
            why = str(exc).lower()
            if "not modified" in why:
                return
            if "not found" not in why and "can't be edited" not in why:
                raise
            # The message under the button was deleted (or is too old to edit): the answer
            # comes as a new message instead.
            await send_reply(context, caller.chat_id, reply, caller.thread_id)
    else:
        await send_reply(context, caller.chat_id, reply, caller.thread_id)


def _joined(change: ChatMemberUpdated) -> bool | None:
    """True when the bot was added, False when removed or blocked, None otherwise."""
    present = (ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER, ChatMember.RESTRICTED)
    was = change.old_chat_member.status in present
    now = change.new_chat_member.status in present
    if was == now:
        return None
    return now


async def on_my_membership(update: Update, context: Context) -> None:
    change = update.my_chat_member
    if change is None:
        return
    chat = change.chat
    joined = _joined(change)
    store = context.bot_data.commands.store
    if joined:
        await store.upsert_chat(chat.id, chat.type, chat.title or chat.username, utcnow())
        if chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
            await context.bot.send_message(
                chat.id,
                "👋 Hello! I post alerts on the themes this group follows and answer "
                "/timeline THEME. Group admins choose themes with /themes or /subscribe THEME.",
            )
    elif joined is False:
        reason = "blocked the bot" if chat.type == ChatType.PRIVATE else "removed the bot"
        await store.deactivate_chat(chat.id, reason, utcnow())
        log.info("chat %s %s: deliveries stopped", chat.id, reason)


async def on_migration(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or message.migrate_to_chat_id is None:
        return
    await context.bot_data.commands.store.migrate_chat(
        message.chat.id, message.migrate_to_chat_id, utcnow()
    )
    log.info("group %s became supergroup %s", message.chat.id, message.migrate_to_chat_id)


async def on_error(update: object, context: Context) -> None:
    """The edge for errors a handler did not answer: a known one is told as its own one line;
    anything else is logged with its traceback and the user is told it was logged."""
    error = context.error
    if isinstance(error, ReplyNotSent):
        # The command ran; only its answer is lost (QA: "That failed on our side" was sent,
        # at once, to the chat Telegram had just told to wait, and the user retried a change
        # that had been made).
        log.warning("%s; the command itself ran", error)
        return
    chat = update.effective_chat if isinstance(update, Update) else None
    if chat is not None and isinstance(error, TelegramError) and chat_gone(error):
        # The reply could not reach the chat: the user blocked the bot (or it was removed, or
        # the chat deleted) after writing. Its command has run; deliveries to that chat stop,
        # as a refused alert stops them (QA: an ERROR with a traceback at every such reply).
        await context.bot_data.commands.store.deactivate_chat(
            chat.id, f"reply refused: {error}", utcnow()
        )
        log.info("chat %s refused a reply (%s): deliveries stopped", chat.id, error)
        return
    if chat is not None and isinstance(error, TelegramError) and topic_gone(error):
        # A reply to a command typed in a forum topic closed or deleted since: the command
        # ran, and nothing can be posted there (QA: an ERROR with a traceback each time).
        log.info(
            "chat %s: the topic of a command closed before its reply (%s); reply dropped",
            chat.id,
            error,
        )
        return
    known = isinstance(error, KNOWN_ERRORS)
    if known:
        log.warning("handler refused: %s", error)
        text = escape(str(error))[: MAX_ECHO_CHARS * 4]
    else:
        log.error("handler failed: %s", error, exc_info=error)
        text = "That failed on our side and was logged for the operator; please try again later."
    if isinstance(update, Update) and update.callback_query is not None:
        with contextlib.suppress(TelegramError):  # answered already, or too late: nothing to do
            await update.callback_query.answer(trim_plain(plain_text(text), TOAST_LIMIT))
        return
    if isinstance(update, Update) and update.effective_chat is not None:
        with contextlib.suppress(TelegramError):
            await context.bot.send_message(
                update.effective_chat.id,
                text,
                parse_mode=ParseMode.HTML,
                message_thread_id=topic_of(update) or None,
            )


def add_handlers(app: Application[Any, Any, Any, Any, Any, Any], names: list[str]) -> None:
    app.add_handler(CommandHandler(names, on_command))
    app.add_handler(MessageHandler(filters.COMMAND, on_command))  # unknown commands get help
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(ChatMemberHandler(on_my_membership, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migration))
    app.add_error_handler(on_error)
