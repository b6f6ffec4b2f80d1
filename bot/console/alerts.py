"""The console front end: alerts printed to a terminal, commands typed at a prompt.

Used when no Telegram token is set. The console is chat 0 in the store, following every theme,
so its alerts go through the same outbox as Telegram's and are printed once.
"""

from __future__ import annotations

import sys
from typing import TextIO

from bot.app.clock import utcnow
from bot.chat.html import alert_quote, has_quotation_marks, plain_text
from bot.digest.making import make_due_digests
from bot.digest.render import render_digest
from store import Store
from store.records import AlertView
from store.themes import CONSOLE_CHAT_TYPE

CONSOLE_CHAT_ID = 0


def format_alert(alert: AlertView) -> str:
    """Plain-text alert: theme, score, date, source, title, link, who said what, why."""
    lines = [
        f"[{alert.theme_slug}] score {alert.score} | {alert.day.isoformat()} | {alert.source}",
        f"  {alert.title}",
    ]
    if alert.link:
        lines.append(f"  {alert.link}")
    who = alert.speaker or alert.office
    if who and alert.speaker and alert.office:
        who = f"{alert.speaker} ({alert.office})"
    quote, direct = alert_quote(alert)
    if who or quote:
        said = f"  {who or 'unnamed'}" + (" (commentator)" if alert.role == "commentator" else "")
        said += f", {alert.stance}" if alert.stance != "unclear" else ""
        if quote:
            said += (
                f": reported: {quote}"
                if direct is False
                else f": {quote}"
                if has_quotation_marks(quote)
                else f': "{quote}"'
            )
        lines.append(said)
    lines.append(f"  why: {alert.brief}")
    return "\n".join(lines)


async def enable_console(store: Store) -> None:
    """Make the console a chat that follows every theme (themes added later follow it as they
    are made: store/themes.py). Every theme is followed when the chat is first made; after
    that the console's own /unsubscribe holds across restarts."""
    now = utcnow()
    first = await store.get_chat(CONSOLE_CHAT_ID) is None
    await store.upsert_chat(CONSOLE_CHAT_ID, CONSOLE_CHAT_TYPE, "console", now)
    if first:
        await store.subscribe_all(CONSOLE_CHAT_ID, now)


async def disable_console(store: Store) -> None:
    """With Telegram running, nobody reads the console: queue nothing for it."""
    if await store.get_chat(CONSOLE_CHAT_ID) is not None:
        await store.deactivate_chat(CONSOLE_CHAT_ID, "Telegram front end in use", utcnow())


async def print_due_alerts(store: Store, out: TextIO = sys.stdout) -> int:
    """Print every pending console alert (and due digest), marking each sent once printed."""
    printed = await print_due_digests(store, out)
    while True:
        rows = await store.due_alerts(utcnow(), limit=100, chat_id=CONSOLE_CHAT_ID)
        if not rows:
            return printed
        for row in rows:
            print(format_alert(row.alert), file=out, flush=True)
            await store.mark_sent(row.id, utcnow(), None)
            printed += 1


async def print_due_digests(store: Store, out: TextIO = sys.stdout) -> int:
    """Make the digests due now (every chat's) and print the console's (after /digest)."""
    await make_due_digests(store, utcnow())
    rows = await store.due_digests(utcnow(), chat_id=CONSOLE_CHAT_ID)
    for row in rows:
        print(plain_text(render_digest(row).text), file=out, flush=True)
        await store.mark_sent(row.id, utcnow(), None)
    return len(rows)
