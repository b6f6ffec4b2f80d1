"""A digest as one Telegram message: the period's statements grouped by theme, and a chart.

Fitted to 4,096 characters: statements are added while they fit, and each theme with more
than fit ends with "… and N more" and the /timeline command that shows them all. Every string
from a feed is escaped (bot/chat/html.py). Does not send, query or read the clock.
"""

from __future__ import annotations

import html
from collections import Counter
from datetime import datetime

from bot.app.words import counted
from bot.chat.html import (
    MESSAGE_LIMIT,
    QUOTE_MAX,
    STANCE_MARK,
    RenderedMessage,
    esc,
    format_day,
    role_note,
    safe_url,
    said_words,
    tg_len,
    trim_message,
    who_said,
)
from store.records import AlertView, DigestRow, EventRow

CHART_MIN = 5  # statements on one theme before a chart says more than the list
DIGEST_QUOTE = min(QUOTE_MAX, 240)  # a digest line is a reminder; the link has the rest
FOOTER_ROOM = 110  # room kept for each theme's "… and N more: /timeline ..." line


def _when(at: datetime) -> str:
    return f"{at.day} {at:%b %Y %H:%M} UTC"


def _line(alert: AlertView) -> str:
    """`• 9 May 2023 · ⛔ Foreign Minister (Kuwait): “...” — Source`: who spoke with their
    office and state, and the side taken, as an alert says them (an office speaking without a
    name keeps its office)."""
    speaker = who_said(alert.speaker, alert.office, alert.actor)
    who = f"<b>{esc(speaker, 120)}</b>{role_note(alert.role)}" if speaker else ""
    said = (
        said_words(esc(alert.quote, DIGEST_QUOTE), alert.direct)
        if alert.quote
        else esc(alert.title, 200)
    )
    source = esc(alert.source, 60)
    if alert.link and safe_url(alert.link):
        source = f'<a href="{html.escape(alert.link, quote=True)}">{source}</a>'
    mark = STANCE_MARK.get(alert.stance, alert.stance).split(" ")[0]
    return f"• {format_day(alert)} · {mark} " + (f"{who}: " if who else "") + f"{said} — {source}"


def render_digest(row: DigestRow, limit: int = MESSAGE_LIMIT) -> RenderedMessage:
    """The digest message: header, then per theme its statements (as many as fit)."""
    by_theme: dict[str, list[AlertView]] = {}
    # Each theme's statements in the order they were made (they arrive in the order found).
    for alert in sorted(row.alerts, key=lambda a: a.day):
        by_theme.setdefault(alert.theme_slug, []).append(alert)
    count = len(row.alerts)
    lines = [
        f"🗞 <b>Digest</b>: {count} statement{'s' if count != 1 else ''}",
        f"{_when(row.period_start)} → {_when(row.period_end)}",
    ]
    budget = limit - FOOTER_ROOM * len(by_theme)
    used = sum(tg_len(line) + 1 for line in lines)
    for slug, alerts in by_theme.items():
        heading = f"\n<b>{esc(alerts[0].theme_name, 100)}</b> ({len(alerts)})"
        lines.append(heading)
        used += tg_len(heading) + 1
        shown = 0
        for alert in alerts:
            line = _line(alert)
            if used + tg_len(line) + 1 > budget:
                break
            lines.append(line)
            used += tg_len(line) + 1
            shown += 1
        if shown < len(alerts):
            since = min(a.day for a in alerts).isoformat()
            more = f"… and {len(alerts) - shown} more: /timeline {esc(slug, 64)} {since}"
            lines.append(more)
            used += tg_len(more) + 1
    return RenderedMessage(trim_message("\n".join(lines), limit))


def digest_chart(row: DigestRow) -> tuple[bytes, str] | None:
    """A timeline chart of the digest's busiest theme, with its caption; None when too few."""
    if not row.alerts:
        return None
    slug, count = Counter(a.theme_slug for a in row.alerts).most_common(1)[0]
    if count < CHART_MIN:
        return None
    from bot.timeline.chart import render_timeline_png

    alerts = [a for a in row.alerts if a.theme_slug == slug]
    events = [
        EventRow(
            id=a.event_id,
            theme_slug=a.theme_slug,
            day=a.day,
            speaker=a.speaker,
            office=a.office,
            actor=None,
            quote=a.quote,
            stance=a.stance,
            headline=a.title,
            link=a.link,
            source_count=1,
            first_published=a.published_at,
            created_at=a.published_at,
        )
        for a in alerts
    ]
    name = alerts[0].theme_name
    caption = f"📊 {esc(name, 100)}: {counted(count, 'statement')} of this digest, by stance"
    return render_timeline_png(f"{name}: this digest", events), caption
