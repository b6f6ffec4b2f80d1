"""`policywatch run` with a Telegram token: bot, watchers and delivery, as the role says.

One update receiver and one sender per token (Telegram's limits are per token): the process
holding the sender role (bot/app/roles.py). Any number of processes poll feeds; ticks come
from APScheduler (bot/app/wiring.py) and each feed's schedule lives in the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes

from bot.app.clock import utcnow
from bot.app.errors import SetupError
from bot.app.feed_health import report_feed_health
from bot.app.firstrun import once_summary, starter_offer
from bot.app.rematching import RematchRunner, resume_pending
from bot.app.roles import Role, RoleKeeper, reclaim_dead_leases, sender_role
from bot.app.settings import Settings
from bot.app.stopping import Stopped, once_until_stopped, until_stopped
from bot.app.wiring import Poller, open_store, run_once, start_ticks, tick_seconds
from bot.chat.commands import ADMIN_HELP, USER_HELP, Commands
from bot.chat.html import MESSAGE_LIMIT, trim_plain
from bot.console.alerts import disable_console
from bot.digest.making import make_due_digests
from bot.telegram.delivery import Deliverer, deliver_until_idle
from bot.telegram.handlers import BotData, add_handlers
from bot.telegram.pacing import PacedRateLimiter, Pacer
from bot.telegram.team import add_team_handlers, channel_lookup
from bot.telegram.webhook import start_webhook
from store import Store
from watchers.poll.cycle import CycleReport

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
        role: Role = Role.ALL,
        poll_timeout: int = 10,
        pacer: Pacer | None = None,
        keeper: RoleKeeper | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.settings = settings
        self.clock = clock  # commands, delivery and digests; tests move it past a downtime
        self.store = store
        self.role = role
        self.poll_timeout = poll_timeout
        self.poller = Poller(store, settings)
        self.keeper = keeper or RoleKeeper(
            store,
            sender_role(settings.telegram_bot_token),
            utcnow,
            lease_seconds=settings.role_lease_seconds,
        )
        self.commands = Commands(
            store,
            clock,
            RematchRunner(store, clock, self._notify),
            prober=self.poller.probe,
            article_policy=self.poller.policy,
            channels=channel_lookup(lambda: self.app.bot),
        )
        self.pacer = pacer or Pacer()
        self.app = build_application(
            settings,
            BotData(self.commands, settings.admin_ids, settings.link_previews),
            self.pacer,
        )
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
        self._scheduler: AsyncIOScheduler | None = None
        self._watch_lost: asyncio.Task[None] | None = None
        self._duties: asyncio.Task[None] | None = None
        self.sending = False

    async def _notify(self, chat_id: int, text: str) -> None:
        try:
            await self.app.bot.send_message(chat_id, trim_plain(text, MESSAGE_LIMIT))
        except TelegramError as exc:
            log.warning("could not tell chat %s: %s", chat_id, exc)

    async def check_feed_health(self) -> None:
        async def tell_admins(text: str) -> None:
            for admin in self.settings.admin_ids:
                await self._notify(admin, text)

        await report_feed_health(
            self.store, self.clock(), timedelta(seconds=self.settings.feed_alert_after), tell_admins
        )

    async def _initialize(self) -> None:
        """PTB's start (it asks Telegram who the bot is): a token Telegram rejects or an API
        that cannot be reached becomes one line for the operator, the token never in it."""
        base = self.settings.telegram_api_base_url
        try:
            await self.app.initialize()
        except InvalidToken:
            bot_id = (self.settings.telegram_bot_token or "").partition(":")[0]
            raise SetupError(
                f"TELEGRAM_BOT_TOKEN (bot {bot_id}) was rejected by the Bot API at {base}: copy "
                "it again from @BotFather (/mybots, API Token)"
            ) from None
        except NetworkError as exc:
            raise SetupError(
                f"cannot reach the Telegram Bot API at {base}: {exc.message}; check the "
                "network and TELEGRAM_API_BASE_URL"
            ) from None

    async def _initialize_unless_watcher(self) -> None:
        """A watcher only polls: it never talks to Telegram, so it starts (and polls) while
        the Bot API cannot be reached (QA: it refused to start)."""
        if self.role is not Role.WATCHER:
            await self._initialize()

    async def once(self) -> str:
        """One poll-and-deliver cycle, without receiving updates (delivering only as the
        sender); its one-line summary."""
        await self._initialize_unless_watcher()
        try:
            if not await self.store.list_feeds():
                return starter_offer()
            plan = await self.keeper.start(self.role)
            if plan.note:
                log.warning("%s", plan.note)
            sent = 0

            async def deliver() -> None:
                nonlocal sent
                await make_due_digests(self.store, self.clock())
                sent = (await deliver_until_idle(self.deliverer)).sent

            report = await run_once(self.poller, deliver if plan.send else None)
            return once_summary(report, sent)
        finally:
            await self.keeper.stop()
            await self.app.shutdown()
            await self.poller.close()

    async def start(self) -> None:
        """Start what the role and the sender lease say: polling, sending, or both."""
        await self._initialize_unless_watcher()
        if not await self.store.list_feeds():
            print(starter_offer(), flush=True)
        if self.commands.rematcher is not None:
            await resume_pending(self.store, self.commands.rematcher)
        plan = await self.keeper.start(self.role)
        if plan.note:
            log.warning("%s", plan.note)
        if plan.watch:
            self._scheduler = start_ticks(self.poller, self.settings, self._after_cycle)
        if plan.send:
            await self.start_sending()
            self.keeper.keep()
        elif plan.standby:
            self.keeper.keep(became_sender=self.start_sending)

    async def _after_cycle(self, report: CycleReport) -> None:
        if self.sending and report.alerts_enqueued:
            self.deliverer.wake()  # send now rather than at the delivery loop's next look

    async def _sender_duties(self) -> None:
        """What only the sender does every tick: digests that are due, feed-health notices."""
        while not self._stop.is_set():
            try:
                if await make_due_digests(self.store, self.clock()):
                    self.deliverer.wake()
                await self.check_feed_health()
            except Exception:  # a database hiccup: the next tick tries again
                log.warning("sender duties failed; trying again next tick", exc_info=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), tick_seconds(self.settings))

    async def start_sending(self) -> None:
        """Receive updates and deliver the outbox: only the holder of the sender role does."""
        await disable_console(self.store)
        add_handlers(self.app, list(self.commands.handlers()))
        add_team_handlers(self.app)
        await set_commands(self.app, self.settings.admin_ids)
        await self.app.start()
        assert self.app.updater is not None
        if self.settings.webhook_url:
            await start_webhook(self.app.updater, self.settings, ALLOWED_UPDATES)
        else:
            await self.app.updater.start_polling(
                poll_interval=0.0, timeout=self.poll_timeout, allowed_updates=ALLOWED_UPDATES
            )
        self._delivery = asyncio.create_task(self.deliverer.run_forever(self._stop))
        self._watch_lost = asyncio.create_task(self._stop_sending_when_lost())
        # Digests missed while the bot was down are made at once, then at every tick.
        self._duties = asyncio.create_task(self._sender_duties())
        self.sending = True
        log.info("policywatch is sending as @%s", self.app.bot.username)

    async def _stop_sending_when_lost(self) -> None:
        """Another process took the role (this one was paused past its lease): stop sending."""
        await self.keeper.lost.wait()
        self.sending = False
        self._stop.set()
        if self.app.updater is not None and self.app.updater.running:
            await self.app.updater.stop()

    async def stop(self) -> None:
        self._stop.set()
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
        if self._watch_lost is not None:
            self._watch_lost.cancel()
        if self._duties is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._duties, timeout=15)
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
        await self.keeper.stop()
        await self.app.shutdown()
        await self.poller.close()


async def run_telegram(settings: Settings, *, once: bool, role: Role = Role.ALL) -> int:
    store = await open_store(settings)
    await reclaim_dead_leases(store, utcnow(), starting=True)
    service = TelegramService(settings, store, role=role)
    try:
        if once:
            return await once_until_stopped(service.once)
        await service.start()
        try:
            await until_stopped(asyncio.Event().wait())
        except Stopped:
            pass  # a service asked to stop has done its job
        finally:
            await service.stop()
    finally:
        await store.close()
    return 0
