"""`policywatch run` with a Telegram token: bot, watchers and delivery in one process.

One update receiver and one sender per token (Telegram's limits are per token). The poll
cycle runs on PTB's JobQueue (APScheduler); each feed's schedule lives in the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes

from bot.clock import utcnow
from bot.commands import ADMIN_HELP, USER_HELP, Commands
from bot.console import disable_console
from bot.delivery import Deliverer
from bot.pacing import Pacer
from bot.runtime import Watcher, open_store
from bot.settings import Settings
from bot.telegram_front import BotData, add_handlers

log = logging.getLogger(__name__)


def build_application(settings: Settings, data: BotData) -> Application:  # type: ignore[type-arg]
    assert settings.telegram_bot_token
    base = settings.telegram_api_base_url.rstrip("/")
    return (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .context_types(ContextTypes(bot_data=lambda: data))
        .concurrent_updates(False)
        .build()
    )


async def set_commands(app: Application, admin_ids: frozenset[int]) -> None:  # type: ignore[type-arg]
    """Telegram's menu: user commands for everyone, admin commands in admins' own scope."""
    users = [BotCommand(name, desc[:256]) for name, desc in USER_HELP]
    admins = users + [BotCommand(name, desc[:256]) for name, desc in ADMIN_HELP]
    await app.bot.set_my_commands(users, scope=BotCommandScopeDefault())
    for admin in admin_ids:
        try:
            await app.bot.set_my_commands(admins, scope=BotCommandScopeChat(admin))
        except TelegramError as exc:  # an admin who never opened the bot has no chat yet
            log.warning("could not set admin commands for %s: %s", admin, exc)


async def run_telegram(settings: Settings, *, once: bool) -> int:
    store = await open_store(settings)
    await disable_console(store)
    watcher = Watcher(store, settings)
    commands = Commands(store, utcnow)
    data = BotData(commands, settings.admin_ids, settings.link_previews)
    app = build_application(settings, data)
    deliverer = Deliverer(
        store, app.bot, Pacer(), link_previews=settings.link_previews,
        give_up_after=settings.delivery_give_up_after, now=utcnow,
    )
    try:
        async with app:
            if once:
                await store.poll_feeds_now(utcnow())
                await watcher.cycle()
                await deliverer.deliver_due()
                return 0
            add_handlers(app, list(commands.handlers()))
            await set_commands(app, settings.admin_ids)
            await _serve(app, settings, watcher, deliverer)
    finally:
        await watcher.close()
        await store.close()
    return 0


async def _serve(app: Application, settings: Settings, watcher: Watcher, deliverer: Deliverer) -> None:  # type: ignore[type-arg]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)

    async def tick(_context: object) -> None:
        await watcher.cycle()

    assert app.job_queue is not None, "install python-telegram-bot[job-queue]"
    app.job_queue.run_repeating(
        tick, interval=max(5.0, min(60.0, settings.poll_interval)), first=0.0,
        job_kwargs={"max_instances": 1, "coalesce": True},
    )
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(allowed_updates=["message", "callback_query", "my_chat_member"])
    delivery = asyncio.create_task(deliverer.run_forever(stop))
    log.info("policywatch is running as @%s", app.bot.username)
    try:
        await stop.wait()
    finally:
        stop.set()
        await asyncio.wait_for(delivery, timeout=10)
        await app.updater.stop()
        await app.stop()
