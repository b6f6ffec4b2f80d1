"""`policywatch run` with a Telegram token: bot, watchers and delivery in one process.

One update receiver and one sender per token (Telegram's limits are per token). The poll
cycle runs on PTB's JobQueue (APScheduler); each feed's schedule lives in the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes

from bot.app.clock import utcnow
from bot.app.feed_health import report_feed_health
from bot.app.rematching import RematchRunner
from bot.app.settings import Settings
from bot.app.wiring import Watcher, open_store
from bot.chat.user import ADMIN_HELP, USER_HELP, Commands
from bot.console.alerts import disable_console
from bot.digest.making import make_due_digests
from bot.telegram.delivery import Deliverer, deliver_until_idle
from bot.telegram.handlers import BotData, add_handlers
from bot.telegram.pacing import PacedRateLimiter, Pacer
from bot.telegram.team import add_team_handlers, channel_lookup
from bot.telegram.webhook import start_webhook
from store import Store

log = logging.getLogger(__name__)
App = Application[Any, Any, Any, Any, Any, Any]
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]


def build_application(settings: Settings, data: BotData, pacer: Pacer) -> App:
    assert settings.telegram_bot_token
    base = settings.telegram_api_base_url.rstrip("/")
    return (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        # PTB builds bot_data by calling this factory once; ours hands over the wiring.
        .context_types(ContextTypes(bot_data=lambda: data))  # type: ignore[call-overload]
        # Command replies and alerts share one pacer: Telegram's limits are per token.
        .rate_limiter(PacedRateLimiter(pacer))
        .build()
    )


async def set_commands(app: App, admin_ids: frozenset[int]) -> None:
    """Telegram's menu: user commands for everyone, admin commands in admins' own scope."""
    users = [BotCommand(name, desc[:256]) for name, desc in USER_HELP]
    admins = users + [BotCommand(name, desc[:256]) for name, desc in ADMIN_HELP]
    await app.bot.set_my_commands(users, scope=BotCommandScopeDefault())
    for admin in admin_ids:
        try:
            await app.bot.set_my_commands(admins, scope=BotCommandScopeChat(admin))
        except TelegramError as exc:  # an admin who never opened the bot has no chat yet
            log.warning("could not set admin commands for %s: %s", admin, exc)


class TelegramService:
    """The bot, the watcher ticks and the delivery loop; start() and stop() bound its life."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        *,
        poll_timeout: int = 10,
        pacer: Pacer | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.settings = settings
        self.clock = clock  # commands, delivery and digests; tests move it past a downtime
        self.store = store
        self.poll_timeout = poll_timeout
        self.watcher = Watcher(store, settings)
        self.commands = Commands(store, clock, prober=self.watcher.probe)
        self.pacer = pacer or Pacer()
        self.app = build_application(
            settings,
            BotData(self.commands, settings.admin_ids, settings.link_previews),
            self.pacer,
        )
        self.commands.rematcher = RematchRunner(store, clock, self._notify)
        self.commands.channels = channel_lookup(self.app.bot)
        self.deliverer = Deliverer(
            store,
            self.app.bot,
            self.pacer,
            link_previews=settings.link_previews,
            give_up_after=settings.delivery_give_up_after,
            now=clock,
        )
        self._stop = asyncio.Event()
        self._delivery: asyncio.Task[None] | None = None

    async def _notify(self, chat_id: int, text: str) -> None:
        try:
            await self.app.bot.send_message(chat_id, text)
        except TelegramError as exc:
            log.warning("could not tell chat %s: %s", chat_id, exc)

    async def check_feed_health(self) -> None:
        async def tell_admins(text: str) -> None:
            for admin in self.settings.admin_ids:
                await self._notify(admin, text)

        await report_feed_health(
            self.store, utcnow(), timedelta(seconds=self.settings.feed_alert_after), tell_admins
        )

    async def once(self) -> None:
        """One poll-and-deliver cycle, without receiving updates."""
        await self.app.initialize()
        try:
            await self.store.poll_feeds_now(utcnow())
            await self.watcher.cycle()
            await make_due_digests(self.store, self.clock())
            await deliver_until_idle(self.deliverer)
        finally:
            await self.app.shutdown()
            await self.watcher.close()

    async def start(self) -> None:
        await disable_console(self.store)
        await self.app.initialize()
        add_handlers(self.app, list(self.commands.handlers()))
        add_team_handlers(self.app)
        await set_commands(self.app, self.settings.admin_ids)

        async def tick(_context: object) -> None:
            # First, so a slow poll cannot hold a digest that is due.
            if await make_due_digests(self.store, self.clock()):
                self.deliverer.wake()
            report = await self.watcher.cycle()
            if report.alerts_enqueued:
                self.deliverer.wake()  # send now rather than at the delivery loop's next look
            await self.check_feed_health()

        assert self.app.job_queue is not None, "install python-telegram-bot[job-queue]"
        self.app.job_queue.run_repeating(
            tick,
            interval=max(1.0, min(60.0, self.settings.poll_interval)),
            first=0.0,
            job_kwargs={"max_instances": 1, "coalesce": True},
        )
        # A digest whose time passed while the bot was down is made now, not at the first tick.
        await make_due_digests(self.store, self.clock())
        await self.app.start()
        assert self.app.updater is not None
        if self.settings.webhook_url:
            await start_webhook(self.app.updater, self.settings, ALLOWED_UPDATES)
        else:
            await self.app.updater.start_polling(
                poll_interval=0.0, timeout=self.poll_timeout, allowed_updates=ALLOWED_UPDATES
            )
        self._delivery = asyncio.create_task(self.deliverer.run_forever(self._stop))
        log.info("policywatch is running as @%s", self.app.bot.username)

    async def stop(self) -> None:
        self._stop.set()
        if self.commands.rematcher is not None:
            for task in self.commands.rematcher.tasks.values():
                task.cancel()
            await self.commands.rematcher.wait()
        if self._delivery is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._delivery, timeout=15)
        if self.app.updater is not None and self.app.updater.running:
            await self.app.updater.stop()
        if self.app.running:
            await self.app.stop()
        await self.app.shutdown()
        await self.watcher.close()


async def run_telegram(settings: Settings, *, once: bool) -> int:
    store = await open_store(settings)
    service = TelegramService(settings, store)
    try:
        if once:
            await service.once()
            return 0
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        await service.start()
        try:
            await stop.wait()
        finally:
            await service.stop()
    finally:
        await store.close()
    return 0
