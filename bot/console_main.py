"""`policywatch run` without a Telegram token: poll on a schedule, print alerts, take commands.

Commands typed at the prompt go through the same `Commands` as Telegram's; the operator at the
console is an admin. APScheduler drives the ticks; each feed's schedule lives in the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import utcnow
from bot.commands import Commands
from bot.console import CONSOLE_CHAT_ID, enable_console, print_due_alerts
from bot.console_session import ConsoleSession
from bot.feed_health import report_feed_health
from bot.firstrun import once_summary, starter_offer
from bot.rematching import RematchRunner
from bot.replies import Caller
from bot.runtime import Watcher, open_store
from bot.settings import Settings

log = logging.getLogger(__name__)

CONSOLE = Caller(CONSOLE_CHAT_ID, "console", None, "console", is_admin=True, can_manage_chat=True)


async def run_console(settings: Settings, *, once: bool) -> int:
    store = await open_store(settings)
    watcher = Watcher(store, settings)
    try:
        await enable_console(store)
        if once:
            if not await store.list_feeds():
                print(starter_offer(), flush=True)
                return 0
            await store.poll_feeds_now(utcnow())
            report = await watcher.cycle()
            printed = await print_due_alerts(store)
            print(once_summary(report, printed), flush=True)
            return 0
        return await _serve(settings, watcher)
    finally:
        await watcher.close()
        await store.close()


async def _tick(watcher: Watcher, alert_after: timedelta) -> None:
    async def tell(text: str) -> None:
        print(text, flush=True)

    try:
        await watcher.cycle()
        await print_due_alerts(watcher.store)
        await report_feed_health(watcher.store, utcnow(), alert_after, tell)
    except asyncio.CancelledError:
        # Stopping mid-cycle is safe: each feed's poll is one transaction, redone next time.
        log.info("poll cycle interrupted by shutdown")


async def _serve(settings: Settings, watcher: Watcher) -> int:
    scheduler = AsyncIOScheduler(timezone="UTC")
    tick = max(5.0, min(60.0, settings.poll_interval))
    scheduler.add_job(
        _tick,
        "interval",
        seconds=tick,
        args=[watcher, timedelta(seconds=settings.feed_alert_after)],
        max_instances=1,
        coalesce=True,
        next_run_time=utcnow(),
    )
    scheduler.start()
    commands = Commands(watcher.store, utcnow, prober=watcher.probe)

    async def tell(_chat: int, text: str) -> None:
        print(text, flush=True)

    commands.rematcher = RematchRunner(watcher.store, utcnow, tell)
    print(
        "policywatch console: alerts appear here; type /help for commands, /quit to stop. "
        "Charts and exports are written to the current folder.",
        flush=True,
    )
    if not await watcher.store.list_feeds():
        print(starter_offer(console=True), flush=True)
    try:
        await _prompt(commands)
        await commands.rematcher.wait()
    finally:
        scheduler.shutdown(wait=False)
    return 0


async def _prompt(commands: Commands) -> None:
    """Read commands until end of input or /quit; without a terminal, just keep polling."""
    loop = asyncio.get_running_loop()
    interactive = sys.stdin is not None and sys.stdin.isatty()
    session = ConsoleSession(commands, CONSOLE)
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline) if sys.stdin else ""
        if not line:
            if interactive:
                return
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.Event().wait()  # no input at all: a service; poll until stopped
            return
        if not await session.handle(line):
            return
