"""/feeds shows every feed: a page at a time, failing feeds first, with what to type for the
rest. Driven through the console's command loop (an admin at the console) and the bot's
button data."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import update

from bot.chat.buttons import FeedsPress, feeds_data, parse_button
from bot.chat.commands import Commands
from bot.chat.replies import Caller
from bot.console.service import CONSOLE
from bot.console.session import ConsoleSession
from store import Store
from store.schema import feeds

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
FAILING = (5, 17, 26)


async def _many_feeds(store: Store) -> None:
    for n in range(1, 29):
        await store.add_feed(f"https://outlet{n}.example/rss.xml", NOW, f"Outlet {n}")
    async with store.writing() as conn:
        await conn.execute(
            update(feeds)
            .where(feeds.c.id.in_(FAILING))
            .values(failures=3, last_error="not found (HTTP 404)")
        )


def _ids(page: str) -> list[int]:
    return [int(n) for n in re.findall(r"^(\d+) Outlet", page, re.MULTILINE)]


async def test_feeds_pages_show_every_feed_once_failing_ones_first(
    store: Store, tmp_path: Path
) -> None:
    await _many_feeds(store)
    out = io.StringIO()
    console = ConsoleSession(Commands(store, lambda: NOW), CONSOLE, out, tmp_path)

    async def type_(line: str) -> str:
        start = out.tell()
        await console.handle(line)
        return out.getvalue()[start:]

    first = await type_("/feeds")
    assert "Feeds (28, 3 failing, listed first) · page 1 of" in first
    assert _ids(first)[:3] == list(FAILING)
    assert "not found (HTTP 404)" in first
    assert re.search(r"…and \d+ more: /feeds 2", first)
    assert "Next »" in first

    seen = _ids(first)
    page = first
    while "Next »" in page:
        page = await type_("next")
        seen += _ids(page)
    assert sorted(seen) == list(range(1, 29)), "every feed on exactly one page"
    assert "more: /feeds" not in page, "the last page promises nothing more"

    assert _ids(await type_("/feeds 2")) == _ids(await type_("/feeds 2")), "pages are stable"
    assert "Usage: /feeds [PAGE]" in await type_("/feeds two")


async def test_a_feeds_page_button_is_for_admins_only(store: Store) -> None:
    await _many_feeds(store)
    commands = Commands(store, lambda: NOW)
    assert parse_button(feeds_data(2)) == FeedsPress(2)
    member = Caller(42, "private", 7, "member", is_admin=False, can_manage_chat=True)
    refused = await commands.press(member, feeds_data(2))
    assert refused.toast == "Only the bot's admins can see the feeds." and not refused.text
    shown = await commands.press(CONSOLE, feeds_data(2))
    assert "page 2 of" in shown.text and shown.edit
