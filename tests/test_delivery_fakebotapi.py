"""The fake Bot API server speaks enough Telegram for the real python-telegram-bot."""

from __future__ import annotations

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fakebotapi import TEST_TOKEN, FakeBotAPI, check_html, running_application


def bot_for(server: FakeBotAPI) -> Bot:
    return Bot(server.token, base_url=server.bot_base_url, base_file_url=server.file_base_url)


def app_for(server: FakeBotAPI):  # type: ignore[no-untyped-def]
    return (
        ApplicationBuilder()
        .token(server.token)
        .base_url(f"{server.base_url}/bot")
        .base_file_url(f"{server.base_url}/file/bot")
        .build()
    )


def test_the_test_token_is_obviously_fake() -> None:
    import re

    assert not re.fullmatch(r"\d{8,10}:[A-Za-z0-9_-]{35}", TEST_TOKEN)


async def test_the_real_bot_sends_and_edits_messages(fake_bot_api: FakeBotAPI) -> None:
    async with bot_for(fake_bot_api) as bot:
        assert bot.username == fake_bot_api.bot_username
        markup = InlineKeyboardMarkup([[InlineKeyboardButton("👍", callback_data="fb:1:1")]])
        sent = await bot.send_message(
            42, "<b>hi</b> &amp; bye", parse_mode=ParseMode.HTML, reply_markup=markup
        )
        assert sent.message_id == 1 and sent.text == "hi & bye" and sent.chat.id == 42
        assert sent.reply_markup == markup
        assert fake_bot_api.sent_messages(42)[0].callback_data == ["fb:1:1"]
        edited = await bot.edit_message_text("again", chat_id=42, message_id=sent.message_id)
        assert not isinstance(edited, bool) and edited.text == "again"
        photo = await bot.send_photo(-5, b"\x89PNG fake", caption="chart")
        assert photo.photo and photo.caption == "chart"
        (message,) = fake_bot_api.sent_messages(42)
        assert message.edits == 1 and message.callback_data == []  # an edit drops the keyboard
        assert fake_bot_api.sent_messages(-5)[0].file == b"\x89PNG fake"
        await bot.set_my_commands([("start", "Start")])
        assert [c.command for c in await bot.get_my_commands()] == ["start"]


async def test_faults_come_back_as_ptb_exceptions(fake_bot_api: FakeBotAPI) -> None:
    async with bot_for(fake_bot_api) as bot:
        fake_bot_api.fail_next("sendMessage", 429, retry_after=7)
        with pytest.raises(RetryAfter) as info:
            await bot.send_message(1, "x")
        assert str(info.value).startswith("Flood control exceeded")
        fake_bot_api.fail_next("sendMessage", 403, chat_id=2)
        await bot.send_message(3, "other chats are fine")
        with pytest.raises(Forbidden):
            await bot.send_message(2, "x")
        fake_bot_api.fail_next("sendMessage", "chat not found")
        with pytest.raises(BadRequest, match=r"[Cc]hat not found"):
            await bot.send_message(4, "x")
        with pytest.raises(BadRequest, match="parse entities"):
            await bot.send_message(5, "a <unknown> tag", parse_mode=ParseMode.HTML)
        assert [m.chat_id for m in fake_bot_api.sent_messages()] == [3]


def test_html_checking_refuses_what_telegram_refuses() -> None:
    assert check_html('<a href="https://x?a=1&amp;b=2">a &lt; b</a>') == "a < b"
    for bad in ["a < b", "AT&T", "<b>open", "<b><i>x</b></i>", "<div>x</div>", "x > y"]:
        with pytest.raises(Exception, match="parse entities"):
            check_html(bad)


async def test_an_application_gets_commands_and_button_presses(fake_bot_api: FakeBotAPI) -> None:
    app = app_for(fake_bot_api)
    seen: list[str] = []

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat and update.effective_message
        seen.append(f"start {context.args}")
        await update.effective_message.reply_text("welcome")

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.callback_query
        seen.append(f"button {update.callback_query.data}")
        await update.callback_query.answer("noted")

    async def member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.my_chat_member
        seen.append(f"member {update.my_chat_member.new_chat_member.status}")

    async def migrated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message
        seen.append(f"migrate {update.effective_message.migrate_to_chat_id}")

    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    app.add_handler(ChatMemberHandler(member, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, migrated))
    async with running_application(app):
        fake_bot_api.inject_message(10, "/start", user_id=10, username="alice")
        (reply,) = await fake_bot_api.wait_for_messages(1, chat_id=10)
        assert reply.text == "welcome"
        fake_bot_api.inject_message(-20, f"/start@{fake_bot_api.bot_username} x", 11, "group")
        await fake_bot_api.wait_for_messages(1, chat_id=-20)
        fake_bot_api.inject_callback(10, reply.message_id, "fb:7:1", user_id=10)
        await fake_bot_api.wait_for(lambda: fake_bot_api.calls("answerCallbackQuery"))
        fake_bot_api.inject_my_chat_member(-30, "group", "member", "left", user_id=11)
        fake_bot_api.inject_migration(-20, -10020)
        await fake_bot_api.wait_for(lambda: len(seen) >= 6, what="handlers")
    assert seen[:5] == ["start []", "start ['x']", "button fb:7:1", "member left", "migrate -10020"]
    assert seen[5] == "migrate None"  # the new supergroup's "migrated from" message


async def test_group_admins_are_reported(fake_bot_api: FakeBotAPI) -> None:
    fake_bot_api.set_admins(-40, [7], owner_id=6)
    async with bot_for(fake_bot_api) as bot:
        admins = await bot.get_chat_administrators(-40)
        assert [(a.user.id, a.status) for a in admins] == [(6, "creator"), (7, "administrator")]
        assert (await bot.get_chat_member(-40, 8)).status == "member"
        assert (await bot.get_chat(-40)).type == "group"


async def test_json_bodies_work_as_well_as_forms(fake_bot_api: FakeBotAPI) -> None:
    import httpx

    url = f"{fake_bot_api.bot_base_url}{fake_bot_api.token}/sendMessage"
    async with httpx.AsyncClient() as client:
        ok = (await client.post(url, json={"chat_id": 9, "text": "123"})).json()
        bad = await client.post(url.replace("TEST", "WRONG"), json={"chat_id": 9, "text": "x"})
    assert ok["ok"] and ok["result"]["text"] == "123"  # a numeric text stays a string
    assert bad.status_code == 401
    assert fake_bot_api.sent_messages(9)[0].text == "123"


async def test_updates_are_confirmed_by_offset(fake_bot_api: FakeBotAPI) -> None:
    first = fake_bot_api.inject_message(3, "hello")
    async with bot_for(fake_bot_api) as bot:
        (update,) = await bot.get_updates(timeout=0)
        assert update.update_id == first["update_id"] and update.message
        assert update.message.text == "hello"
        assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()
