"""The pacer keeps each chat, each group and the whole bot within Telegram's limits."""

from __future__ import annotations

import itertools

from telegram import Update
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from bot.telegram.pacing import Limits, PacedRateLimiter, Pacer
from tests.clocks import FakeClock
from tests.fakebotapi import FakeBotAPI, running_application


def pacer() -> tuple[Pacer, FakeClock, list[tuple[int, float]]]:
    clock = FakeClock(start=0.0)
    return Pacer(Limits(), clock=clock, sleep=clock.sleep), clock, []


async def send(p: Pacer, clock: FakeClock, log: list[tuple[int, float]], chat_id: int) -> None:
    await p.acquire(chat_id)
    log.append((chat_id, clock.now))


async def test_one_chat_gets_at_most_one_message_a_second() -> None:
    p, clock, log = pacer()
    for _ in range(4):
        await send(p, clock, log, 7)
    times = [t for _, t in log]
    assert all(b - a >= 1.0 - 1e-9 for a, b in itertools.pairwise(times))


async def test_a_group_gets_at_most_twenty_messages_a_minute() -> None:
    p, clock, log = pacer()
    for _ in range(45):
        await send(p, clock, log, -100)
    times = [t for _, t in log]
    for i in range(20, len(times)):
        assert times[i] - times[i - 20] >= 60.0 - 1e-9
    assert times[20] - times[0] < 61.0  # and no slower than needed


async def test_all_chats_together_get_about_thirty_a_second() -> None:
    p, clock, log = pacer()
    for chat in range(1, 301):
        await send(p, clock, log, chat)
    times = [t for _, t in log]
    span = times[-1] - times[0]
    rate = (len(times) - 1) / span
    assert 27.0 <= rate <= 30.0
    for i in range(30, len(times)):
        assert times[i] - times[i - 30] >= 1.0  # never 31 in one second


async def test_a_429_holds_the_chat_for_retry_after_but_not_the_others() -> None:
    p, clock, log = pacer()
    await send(p, clock, log, 1)
    p.hold(1, 30.0)
    held_at = clock.now
    await send(p, clock, log, 2)
    assert clock.now - held_at < 1.0
    await send(p, clock, log, 1)
    assert clock.now - held_at >= 30.0


async def test_no_limits_means_no_waiting() -> None:
    clock = FakeClock(start=0.0)
    p = Pacer(Limits.unlimited(), clock=clock, sleep=clock.sleep)
    for _ in range(100):
        await p.acquire(5)
    assert clock.now == 0.0


async def test_command_replies_share_the_pacer_through_ptbs_rate_limiter_hook(
    fake_bot_api: FakeBotAPI,
) -> None:
    clock = FakeClock(start=0.0)
    shared = Pacer(clock=clock, sleep=clock.sleep)
    app = (
        ApplicationBuilder()
        .token(fake_bot_api.token)
        .base_url(fake_bot_api.bot_base_url)
        .rate_limiter(PacedRateLimiter(shared))
        .build()
    )

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message
        await update.effective_message.reply_text("one")
        await update.effective_message.reply_text("two")

    app.add_handler(CommandHandler("start", start))
    async with running_application(app):
        fake_bot_api.inject_message(5, "/start")
        await fake_bot_api.wait_for_messages(2, chat_id=5)
    assert shared.ready_at(5) >= 2.0  # two replies to chat 5 took two of its 1-second slots
    assert clock.now >= 1.0
