"""HTML for command answers (lists, timelines, feeds); every feed-derived string is escaped.

Alerts are rendered in bot/chat/html.py; this module reuses its message fitting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from html import escape

from bot.app.words import counted
from bot.chat.buttons import subscription_data
from bot.chat.durations import human_duration
from bot.chat.html import STANCE_MARK, Button, role_note, said_words, shorten, who_said
from matcher.prefixes import PrefixReach
from store.records import (
    ArticleTrouble,
    AuditRow,
    EventRow,
    EventSource,
    FeedRow,
    ItemRow,
    MatchView,
    OutboxStats,
    ThemeSpec,
)
from watchers.poll.schedule import overdue_by


def trim(text: str, limit: int) -> str:
    """One line, cut at a word boundary with an ellipsis."""
    return shorten(" ".join(text.split()), limit)


def when(moment: datetime | None) -> str:
    if moment is None:
        return "never"
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def link(title: str, url: str | None, limit: int = 120) -> str:
    text = escape(trim(title, limit))
    if url and url.lower().startswith(("http://", "https://")):
        return f'<a href="{escape(url, quote=True)}">{text}</a>'
    return text


def theme_list(themes: Sequence[ThemeSpec], followed: set[str]) -> tuple[str, list[list[Button]]]:
    if not themes:
        return "No themes yet.", []
    lines = ["<b>Themes</b>"]
    buttons = []
    for t in themes:
        mark = "✅ " if t.slug in followed else ""
        lines.append(f"{mark}<b>{escape(t.name)}</b> (<code>{escape(t.slug)}</code>)")
        if t.description:
            lines.append(f"  {escape(trim(t.description, 200))}")
        if t.slug in followed:
            data = subscription_data(t.slug, follow=False, from_list=True)
            buttons.append([Button(f"Unsubscribe: {trim(t.name, 40)}", data)])
        else:
            data = subscription_data(t.slug, follow=True, from_list=True)
            buttons.append([Button(f"Subscribe: {trim(t.name, 40)}", data)])
    return "\n".join(lines), buttons


def matches_list(title: str, rows: Sequence[MatchView], *, themes: bool = False) -> str:
    """Matched items, newest first; with `themes` (several themes listed together) each item
    once, naming the themes it matched."""
    if not rows:
        return f"<b>{escape(title)}</b>\nNothing matched yet."
    lines = [f"<b>{escape(title)}</b>"]
    matched: dict[tuple[int, str], list[MatchView]] = {}
    for m in rows:  # one line per item, or per item and theme
        matched.setdefault((m.item.id, "" if themes else m.theme_slug), []).append(m)
    for group in matched.values():
        m = group[0]
        named = f" · {escape(', '.join(g.theme_slug for g in group))}" if themes else ""
        lines.append(
            f"• {m.item.published_at:%Y-%m-%d} · {escape(trim(m.item.source, 40))} · "
            f"{max(g.score for g in group)}{named}\n  {link(m.item.title, m.item.link)}"
        )
    return "\n".join(lines)


def items_list(title: str, rows: Sequence[ItemRow]) -> str:
    if not rows:
        return f"<b>{escape(title)}</b>\nNo stored item has all of these words and phrases."
    lines = [f"<b>{escape(title)}</b>"]
    for it in rows:
        lines.append(
            f"• {it.published_at:%Y-%m-%d} · {escape(trim(it.source, 40))}\n"
            f"  {link(it.title, it.link)}"
        )
    return "\n".join(lines)


def who(event: EventRow) -> str:
    return who_said(event.speaker, event.office, event.actor) or "unattributed"


def timeline_entry(event: EventRow, sources: Sequence[EventSource]) -> str:
    said = event.quote or event.headline
    quote = (
        said_words(escape(trim(said, 220)), event.direct)
        if event.quote
        else escape(trim(said, 220))
    )
    links = ", ".join(link(s.source, s.link, 30) for s in sources[:5])
    more = f" +{len(sources) - 5}" if len(sources) > 5 else ""
    count = f"{len(sources)} source" + ("s" if len(sources) != 1 else "")
    return (
        f"<b>{event.day.isoformat()}</b> · {STANCE_MARK.get(event.stance, event.stance)}\n"
        f"<i>{escape(who(event))}</i>{role_note(event.role)}: {quote}\n"
        f"{count}: {links}{more}"
    )


REACH_ITEMS = 500  # the newest stored items a query's prefixes are tried on


def prefix_reach_text(reaches: Sequence[PrefixReach], items: int) -> str:
    """Plain text: the words each prefix* of a query takes in the newest stored items."""
    if not reaches:
        return ""
    lines = [f"what each prefix takes in the newest {items} stored items:"]
    for r in reaches:
        took = ", ".join(f"{w} ({n})" for w, n in r.words) or "nothing yet"
        lines.append(f"• {r.written} {took}")
    taken = next((r for r in reaches if len(r.words) > 1), None)
    if taken is not None:
        meant = " OR ".join(w for w, _ in taken.words[:2])
        lines.append(
            f"A word you did not mean? Write the words meant instead of {taken.written}: {meant}"
        )
    return "\n".join(lines)


ARTICLE_TROUBLE_WINDOW = timedelta(days=7)  # the failed article fetches /feeds counts


def article_line(trouble: ArticleTrouble | None, full_text: bool) -> str | None:
    """What /feeds says of a feed's article fetching: off, or its recent failures."""
    if not full_text:
        return "articles: not fetched (full text off for this feed)"
    if trouble is None:
        return None
    parts = []
    if trouble.failed:
        parts.append(f"{trouble.failed} could not be fetched this week")
    if trouble.retrying:
        parts.append(f"{trouble.retrying} to be tried again")
    last = f"; last: {trim(trouble.last_error, 160)}" if trouble.last_error else ""
    return f"articles: {', '.join(parts)}{last}"


FEEDS_PER_PAGE = 10  # at most; fewer when their lines would not fit one message
FEEDS_ROOM = 3600  # characters for a page's feeds, leaving room for the footer


def feeds_in_order(rows: Sequence[FeedRow]) -> list[FeedRow]:
    """Failing feeds first (most failures first), so an admin sees them on page 1."""
    return sorted(rows, key=lambda f: (f.failures == 0, -f.failures, f.id))


def feed_pages(blocks: Sequence[str], room: int = FEEDS_ROOM) -> list[range]:
    """Consecutive blocks per page: as many as fit `room`, at most FEEDS_PER_PAGE, at least
    one. Deterministic, so `/feeds 2` shows the same feeds the footer promised."""
    pages: list[range] = []
    start = used = 0
    for n, block in enumerate(blocks):
        size = len(block) + 1
        if n > start and (used + size > room or n - start >= FEEDS_PER_PAGE):
            pages.append(range(start, n))
            start, used = n, 0
        used += size
    if start < len(blocks):
        pages.append(range(start, len(blocks)))
    return pages


def feed_block(f: FeedRow, trouble: ArticleTrouble | None, now: datetime | None = None) -> str:
    """One feed's lines on /feeds: title, URL, state, polls, and why it fails; with `now`,
    a feed nobody has polled long after it was due says so instead of "ok"."""
    state = "✅ ok" if f.failures == 0 else f"⚠️ failing ×{f.failures}"
    late = overdue_by(f.next_poll_at, now) if now is not None else None
    if late is not None:
        state = f"⏰ overdue by {human_duration(late.total_seconds())}"
    every = f" (every {human_duration(f.interval_seconds)})" if f.interval_seconds else ""
    if f.failures:
        every = " (retried with a growing wait while it fails)"  # not its usual interval (QA)
    lines = [
        f"<b>{f.id}</b> {escape(trim(f.title or f.url, 60))}\n"
        f"  <code>{escape(trim(f.url, 100))}</code>\n"
        f"  {state} · last poll {when(f.last_polled_at)} · {counted(f.item_count, 'item')}\n"
        f"  next poll {when(f.next_poll_at)}{every}"
    ]
    if f.last_error:
        lines.append(f"  error: {escape(trim(f.last_error, 200))}")
    if f.note:
        lines.append(f"  note: {escape(trim(f.note, 200))}")
    articles = article_line(trouble, f.full_text)
    if articles:
        lines.append(f"  {escape(articles)}")
    return "\n".join(lines)


def feeds_list(rows: Sequence[FeedRow], trouble: Mapping[int, ArticleTrouble] | None = None) -> str:
    """The first page of /feeds."""
    return feeds_page(rows, trouble)[0]


def feeds_page(
    rows: Sequence[FeedRow],
    trouble: Mapping[int, ArticleTrouble] | None = None,
    page: int = 1,
    now: datetime | None = None,
) -> tuple[str, int]:
    """Page `page` of /feeds (failing feeds first) and the number of pages.

    A page past the last shows the last one. The footer says how many feeds are on other
    pages and what to type for the next, so no feed is hidden without a word.
    """
    if not rows:
        return "No feeds yet. Add one with /addfeed URL", 1
    ordered = feeds_in_order(rows)
    blocks = [feed_block(f, (trouble or {}).get(f.id), now) for f in ordered]
    pages = feed_pages(blocks)
    asked = page
    page = min(max(page, 1), len(pages))
    shown = pages[page - 1]
    failing = sum(1 for f in rows if f.failures)
    head = f"<b>Feeds</b> ({len(rows)}"
    head += f", {failing} failing, listed first)" if failing else ")"
    if len(pages) > 1 or asked != page:
        head += f" · page {page} of {len(pages)}"
    if asked != page:
        head += f" (there is no page {asked})"
    lines = [head, *(blocks[n] for n in shown)]
    if now is not None and any(overdue_by(f.next_poll_at, now) for f in rows):
        # said once, above the feeds (QA: under each of eight feeds it was noise)
        lines.insert(
            1,
            "⏰ feeds are overdue: no policywatch process is polling them; start `policywatch "
            "run` (or one with --role watcher beside the sender)",
        )
    if page < len(pages):
        more = len(rows) - shown.stop
        lines.append(f"\n…and {more} more: /feeds {page + 1}")
    return "\n".join(lines), len(pages)


def stats_text(
    counts: dict[str, int], outbox: OutboxStats, failed: Sequence[tuple[int, int, str | None]]
) -> str:
    lines = [
        "<b>Stats</b>",
        " · ".join(f"{k}: {v}" for k, v in counts.items()),
        f"alerts: {outbox.sent} sent, {outbox.pending} pending, {outbox.failed} failed, "
        f"{outbox.dropped} dropped",
    ]
    for row_id, chat_id, error in failed:
        lines.append(f"  failed #{row_id} to chat {chat_id}: {escape(trim(error or '', 120))}")
    return "\n".join(lines)


def audit_text(rows: Sequence[AuditRow]) -> str:
    if not rows:
        return "The audit log is empty."
    lines = ["<b>Latest changes</b>"]
    for r in rows:
        actor = r.actor_name or (str(r.actor_id) if r.actor_id else "operator")
        change = ""
        was, now = r.before, r.after
        if r.action.endswith(" remove") and was is None:
            was, now = now, None  # entries logged before removals were written as removals
        if was is not None or now is not None:
            before = "(new)" if was is None else _audit_value(was)
            after = "(removed)" if now is None else _audit_value(now)
            change = f": {escape(trim(before, 80))} → {escape(trim(after, 80))}"
        undo = ""
        if r.undone_by is not None:
            undo = f" <i>(undone by {r.undone_by})</i>"
        elif r.snapshot is not None:
            undo = f" · /undo {r.id}"
        lines.append(
            f"{r.id}. {when(r.at)} {escape(actor)} <b>{escape(r.action)}</b> "
            f"{escape(trim(r.target, 80))}{change}{undo}"
        )
    return "\n".join(lines)


def _audit_value(value: object) -> str:
    """A logged before/after as a person reads it: `id 3, title Reuters`, empty parts left out;
    a teaching step's counts and model in words (QA: `labels [1, 0]`, `model True`)."""
    if isinstance(value, dict):
        return ", ".join(_audit_part(k, v) for k, v in value.items() if v is not None) or "(empty)"
    return str(value)


def _audit_part(key: str, value: object) -> str:
    if key == "labels" and isinstance(value, list) and len(value) == 2:
        return f"labels {value[0]} relevant, {value[1]} not"
    if key == "model" and isinstance(value, bool):
        return "learned model in use" if value else "rules only"
    if key == "what":
        return f"“{value}”"
    return f"{key} {value}"
