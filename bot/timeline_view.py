"""The /timeline answer in a chat: one page of events with paging buttons.

Button state lives in `callback_data` (theme, offset, filters), so paging keeps working after
a restart. Pages are sized to stay under Telegram's 4096-character limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from bot.dates import DateError, parse_day
from bot.render import Button, trim_message
from bot.replies import Reply
from bot.views import timeline_entry
from store import Store

PAGE = 5


async def timeline_reply(
    store: Store, slug: str, filters: Sequence[str], *, offset: int, today: date
) -> Reply:
    since = until = None
    try:
        if len(filters) >= 1:
            since = parse_day(filters[0], today)
        if len(filters) >= 2:
            until = parse_day(filters[1], today, end=True)
    except DateError as exc:
        return Reply(f"{escape(str(exc))}\nUsage: /timeline THEME [since] [until]")
    events, total = await store.timeline_page(
        slug, since=since, until=until, offset=offset, limit=PAGE, newest_first=True
    )
    span = ""
    if since or until:
        span = f" ({since or '…'} to {until or 'today'})"
    if total == 0:
        return Reply(f"<b>Timeline: {escape(slug)}</b>{escape(span)}\nNo statements recorded yet.")
    sources = await store.event_sources([e.id for e in events])
    # Oldest at the top of the page, so a page reads in chronological order.
    entries = [timeline_entry(e, sources.get(e.id, [])) for e in reversed(events)]
    first, last = offset + 1, min(offset + PAGE, total)
    header = (
        f"<b>Timeline: {escape(slug)}</b>{escape(span)}\n"
        f"events {total - last + 1}–{total - first + 1} of {total}, oldest first"
    )
    text = trim_message(header + "\n\n" + "\n\n".join(entries))
    tail = ":".join(f for f in filters[:2])
    nav = []
    if offset + PAGE < total:
        nav.append(Button("« Older", f"tl:{slug}:{offset + PAGE}:{tail}"[:64]))
    if offset > 0:
        nav.append(Button("Newer »", f"tl:{slug}:{max(offset - PAGE, 0)}:{tail}"[:64]))
    return Reply(text, [nav] if nav else [])
