"""The /timeline answer in a chat: one page of events with paging buttons, a chart, an export.

Button state lives in `callback_data` (theme, offset, filters; the format is bot/chat/buttons.py),
so paging keeps working after a restart. Pages are sized to stay under Telegram's 4096
characters.
"""

from __future__ import annotations

from datetime import date
from html import escape

from bot.app.words import counted
from bot.chat.buttons import MAX_OFFSET, TimelinePress, timeline_data
from bot.chat.html import Button, trim_message
from bot.chat.replies import Reply
from bot.chat.views import timeline_entry
from bot.timeline.chart import render_timeline_png
from bot.timeline.query import (
    ROLES,
    STANCES,
    QueryError,
    TimelineQuery,
    as_csv,
    as_json,
    load_rows,
    select_events,
)
from store import Store

PAGE = 5


def encode(q: TimelineQuery, offset: int) -> str:
    """The button data of page `offset` (bot/chat/buttons.py owns the format)."""
    return timeline_data(q.slug, offset, q.since, q.until, q.stance, q.who, q.role)


def page_query(press: TimelinePress, slug: str) -> TimelineQuery:
    """The query a page button stands for, its theme reference resolved to `slug`."""
    stance = next((s for s in STANCES if press.stance and s.startswith(press.stance)), None)
    role = next((r for r in ROLES if press.role and r.startswith(press.role)), None)
    return TimelineQuery(slug, press.since, press.until, press.who, stance, role)


def describe(q: TimelineQuery) -> str:
    parts = []
    if q.since or q.until:
        parts.append(f"{q.since or '…'} to {q.until or 'today'}")
    if q.who:
        parts.append(f"who: {q.who}")
    if q.stance:
        parts.append(f"stance: {q.stance}")
    if q.role:
        parts.append(f"{q.role}s only")
    return f" ({'; '.join(parts)})" if parts else ""


async def timeline_reply(store: Store, q: TimelineQuery, *, offset: int, today: date) -> Reply:
    try:
        events, total = await select_events(
            store, q, today, offset=offset, limit=PAGE, newest_first=True
        )
    except QueryError as exc:
        return Reply(
            f"{escape(str(exc))}\nUsage: /timeline THEME [since] [until] [who:NAME] "
            "[stance:opposes] [role:official] [chart]"
        )
    if total == 0:
        return Reply(_nothing(q))
    title = f"<b>Timeline: {escape(q.slug)}</b>{escape(describe(q))}"
    if offset >= total:  # the archive shrank since the button was drawn
        offset = max(0, (total - 1) // PAGE * PAGE)
        events, total = await select_events(
            store, q, today, offset=offset, limit=PAGE, newest_first=True
        )
    sources = await store.event_sources([e.id for e in events])
    # Oldest at the top of the page, so a page reads in chronological order.
    entries = [timeline_entry(e, sources.get(e.id, [])) for e in reversed(events)]
    first, last = offset + 1, min(offset + PAGE, total)
    header = f"{title}\nevents {total - last + 1}–{total - first + 1} of {total}, oldest first"
    text = trim_message(header + "\n\n" + "\n\n".join(entries))
    last_page = (total - 1) // PAGE * PAGE
    pages: list[tuple[str, int]] = []
    if offset + PAGE < total:
        pages += [("⏮ First", last_page), ("« Older", offset + PAGE)]
    if offset > 0:
        pages += [("Newer »", max(offset - PAGE, 0)), ("Latest ⏭", 0)]
    # A page past MAX_OFFSET gets no button: the button parser would refuse its data.
    row = [Button(label, encode(q, at)) for label, at in pages if at <= MAX_OFFSET]
    return Reply(text, [row] if row else [])


def _nothing(q: TimelineQuery) -> str:
    """The answer when no statement is there to show, draw or export."""
    title = f"<b>Timeline: {escape(q.slug)}</b>{escape(describe(q))}"
    if q.words():
        return (
            f"{title}\nNo statement matches these filters; /timeline {escape(q.slug)} shows "
            "them all."
        )
    return f"{title}\nNo statements recorded yet."


async def chart_reply(store: Store, q: TimelineQuery, name: str, today: date) -> Reply:
    try:
        events, total = await select_events(store, q, today)  # sources are not drawn
    except QueryError as exc:
        return Reply(escape(str(exc)))
    if total == 0:  # no empty picture (QA)
        return Reply(_nothing(q))
    png = render_timeline_png(f"{name}{describe(q)}", events)
    return Reply(
        f"<b>{escape(name)}</b>: {counted(total, 'statement')}{escape(describe(q))}", photo=png
    )


async def export_reply(store: Store, q: TimelineQuery, fmt: str, today: date) -> Reply:
    try:
        rows = await load_rows(store, q, today)
    except QueryError as exc:
        return Reply(escape(str(exc)))
    if not rows:  # no empty file (QA)
        return Reply(_nothing(q))
    body = as_csv(rows) if fmt == "csv" else as_json(rows)
    name = f"{q.slug}-timeline.{fmt}"
    # A CSV file opens in spreadsheets, which read it as UTF-8 only after a byte-order mark
    # (Excel garbles Arabic and Turkish text without one).
    data = body.encode("utf-8-sig" if fmt == "csv" else "utf-8")
    return Reply(
        f"{counted(len(rows), 'event')} of <b>{escape(q.slug)}</b> with their sources",
        document=(name, data),
    )
