"""`policywatch run` without a Telegram token: poll on a schedule, print alerts, take commands.

Commands typed at the prompt go through the same `Commands` as Telegram's; the operator at the
console is an admin. APScheduler drives the ticks; each feed's schedule lives in the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shlex
import sys
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app.clock import utcnow
from bot.app.feed_health import report_feed_health
from bot.app.rematching import RematchRunner
from bot.app.settings import Settings
from bot.app.wiring import Watcher, open_store
from bot.chat.html import plain_text
from bot.chat.replies import Caller
from bot.chat.user import Commands
from bot.console.alerts import CONSOLE_CHAT_ID, enable_console, print_due_alerts

log = logging.getLogger(__name__)

CONSOLE = Caller(CONSOLE_CHAT_ID, "console", None, "console", is_admin=True, can_manage_chat=True)


async def run_console(settings: Settings, *, once: bool) -> int:
    store = await open_store(settings)
    watcher = Watcher(store, settings)
    try:
        await enable_console(store)
        if once:
            await store.poll_feeds_now(utcnow())
            await watcher.cycle()
            await print_due_alerts(store)
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
        "policywatch console: alerts appear here; type /help for commands, /quit to stop.",
        flush=True,
    )
    if not await watcher.store.list_feeds():
        print(
            "No feeds yet: /addfeed URL here, or `policywatch feeds add URL` "
            "(`--allow-file PATH` for a local file).",
            flush=True,
        )
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
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline) if sys.stdin else ""
        if not line:
            if interactive:
                return
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.Event().wait()  # no input at all: a service; poll until stopped
            return
        line = line.strip()
        if not line:
            continue
        if line in ("/quit", "/exit", "quit", "exit"):
            return
        try:
            words = shlex.split(line)
        except ValueError:
            words = line.split()
        name = words[0].lstrip("/").split("@")[0]
        reply = await commands.run(CONSOLE, name, words[1:])
        print(plain_text(reply.text), flush=True)
        for row in reply.buttons:
            print("  " + "  ".join(f"[{b.text}: {b.callback_data}]" for b in row), flush=True)
