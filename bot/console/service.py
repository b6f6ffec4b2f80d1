"""`policywatch run` without a Telegram token: poll on a schedule, print alerts, take commands.

Commands typed at the prompt go through the same `Commands` as Telegram's; the operator at the
console is an admin. APScheduler drives the ticks; each feed's schedule lives in the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import threading
from datetime import timedelta

from bot.app.clock import utcnow
from bot.app.feed_health import report_feed_health
from bot.app.firstrun import once_summary, starter_offer
from bot.app.rematching import RematchRunner, resume_pending
from bot.app.roles import Plan, Role, RoleKeeper, reclaim_dead_leases, sender_role
from bot.app.settings import Settings
from bot.app.stopping import Stopped, once_until_stopped, until_stopped
from bot.app.wiring import Poller, open_store, run_once, start_ticks
from bot.chat.commands import Commands
from bot.chat.replies import Caller
from bot.console.alerts import CONSOLE_CHAT_ID, enable_console, print_due_alerts
from bot.console.session import ConsoleSession
from watchers.poll.cycle import CycleReport

log = logging.getLogger(__name__)

CONSOLE = Caller(CONSOLE_CHAT_ID, "console", None, "console", is_admin=True, can_manage_chat=True)


async def run_console(settings: Settings, *, once: bool, role: Role = Role.ALL) -> int:
    store = await open_store(settings)
    await reclaim_dead_leases(store, utcnow(), starting=True)
    poller = Poller(store, settings)
    keeper = RoleKeeper(store, sender_role(None), utcnow, lease_seconds=settings.role_lease_seconds)
    try:
        plan = await keeper.start(role)
        if plan.note:
            print(plan.note, flush=True)
        if plan.send:
            await enable_console(store)
        if once:
            if not await store.list_feeds():
                print(starter_offer(), flush=True)
                return 0
            printed = 0

            async def deliver() -> None:
                nonlocal printed
                printed = await print_due_alerts(store)

            async def one_cycle() -> str:
                report = await run_once(poller, deliver if plan.send else None)
                return once_summary(report, printed)

            return await once_until_stopped(one_cycle)
        try:
            return await until_stopped(_serve(settings, poller, keeper, plan))
        except Stopped:
            return 0  # a service asked to stop has done its job
    finally:
        await keeper.stop()
        await poller.close()
        await store.close()


async def _serve(settings: Settings, poller: Poller, keeper: RoleKeeper, plan: Plan) -> int:
    alert_after = timedelta(seconds=settings.feed_alert_after)
    printing = plan.send

    async def tell(text: str) -> None:
        print(text, flush=True)

    async def after(report: CycleReport) -> None:
        if printing:
            await print_due_alerts(poller.store)
            await report_feed_health(poller.store, utcnow(), alert_after, tell)

    async def take_over() -> None:
        nonlocal printing
        await enable_console(poller.store)
        printing = True
        print("the other sender stopped: alerts appear here from now on", flush=True)

    scheduler = start_ticks(poller, settings, after) if plan.watch else None
    if plan.send:
        keeper.keep()
    elif plan.standby:
        keeper.keep(became_sender=take_over)

    async def tell_chat(_chat: int, text: str) -> None:
        print(text, flush=True)

    rematcher = RematchRunner(poller.store, utcnow, tell_chat)
    await resume_pending(poller.store, rematcher)
    commands = Commands(
        poller.store, utcnow, rematcher, prober=poller.probe, article_policy=poller.policy
    )
    # The prompt takes commands whether or not this process delivers alerts: standing by for
    # another sender (a `run --once` from cron still at work), commands only need the
    # database (QA: a console started then never read what was typed, /quit included).
    prompt = plan.send or plan.standby
    if prompt:
        print(
            "policywatch console: "
            + ("alerts appear here" if plan.send else "alerts appear here once that one stops")
            + "; type /help for commands, /quit to stop. "
            "Charts and exports are written to the current folder.",
            flush=True,
        )
    if not await poller.store.list_feeds():
        print(starter_offer(console=True), flush=True)
    try:
        if prompt:
            await _prompt(commands)
        else:
            await keeper.lost.wait()  # a watcher polls until it is stopped
        await rematcher.wait()
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        # Stopped by a signal: a re-match under way stops now; its theme stays marked pending
        # and the next start runs it again (after /quit it has already finished).
        for task in rematcher.tasks.values():
            task.cancel()
    return 0


def _input_lines() -> asyncio.Queue[str]:
    """Lines of standard input as they come ("" at its end), read by a daemon thread.

    Not the loop's default executor: a thread blocked in readline there would keep the
    process from exiting after a signal until someone pressed Enter.
    """
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[str] = asyncio.Queue()

    def read() -> None:
        while True:
            line = sys.stdin.readline() if sys.stdin else ""
            try:
                loop.call_soon_threadsafe(lines.put_nowait, line)
            except RuntimeError:  # the loop is closed: the console has stopped
                return
            if not line:
                return

    threading.Thread(target=read, name="console-input", daemon=True).start()
    return lines


async def _prompt(commands: Commands) -> None:
    """Read commands until end of input or /quit. Input that ends before any line (a service
    whose standard input is /dev/null) keeps polling; a script piped in stops at its end, as
    at a terminal (QA: `printf '/themes\n' | policywatch run` never exited)."""
    interactive = sys.stdin is not None and sys.stdin.isatty()
    session = ConsoleSession(commands, CONSOLE)
    lines = _input_lines()
    read_any = False
    while True:
        line = await lines.get()
        if not line:
            if interactive or read_any:
                return
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.Event().wait()  # no input at all: a service; poll until stopped
            return
        read_any = True
        if not await session.handle(line):
            return
