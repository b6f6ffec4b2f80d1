"""Timeline charts: events over time as stacked bars coloured by stance, as a PNG.

Headless (Agg). Bars are per week for spans up to about a year, else per month; the events
with the most sources are labelled. Sized to be readable on a phone screen.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from store.records import EventRow

COLOURS = {"opposes": "#c0392b", "supports": "#27ae60", "unclear": "#95a5a6"}
LABELS = 3


def _bucket(day: date, monthly: bool) -> date:
    if monthly:
        return day.replace(day=1)
    return day - timedelta(days=day.weekday())


def render_timeline_png(title: str, events: Sequence[EventRow]) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=150)
    try:
        if not events:
            ax.text(
                0.5,
                0.5,
                "No statements recorded yet",
                ha="center",
                va="center",
                fontsize=14,
                transform=ax.transAxes,
            )
            ax.set_axis_off()
        else:
            days = [e.day for e in events]
            monthly = (max(days) - min(days)).days > 400
            width = 25 if monthly else 6
            buckets = sorted({_bucket(d, monthly) for d in days})
            bottom = Counter[date]()
            for stance in ("opposes", "supports", "unclear"):
                counts = Counter(_bucket(e.day, monthly) for e in events if e.stance == stance)
                if not counts:
                    continue
                xs = [b for b in buckets if counts[b]]
                ax.bar(
                    mdates.date2num(xs),  # type: ignore[no-untyped-call]
                    [counts[b] for b in xs],
                    width=width,
                    bottom=[bottom[b] for b in xs],
                    color=COLOURS[stance],
                    label=stance,
                    align="edge",
                )
                for b in xs:
                    bottom[b] += counts[b]
            top = max(bottom.values())
            ax.set_ylim(0, top * 1.6 + 0.6)
            biggest = sorted(events, key=lambda e: (-e.source_count, e.day))[:LABELS]
            for n, e in enumerate(sorted(biggest, key=lambda e: e.day)):
                who = e.speaker or e.office or e.actor or ""
                text = f"{e.day:%d %b %Y}" + (f"\n{who}" if who else "")
                if len(text) > 45:
                    text = text[:44] + "…"
                x = _bucket(e.day, monthly)
                centre = x + timedelta(days=width / 2)
                ax.annotate(
                    text,
                    (centre, bottom[x]),
                    xytext=(0, 10 + 22 * (n % 2)),
                    textcoords="offset points",
                    fontsize=8,
                    ha="center",
                    arrowprops={"arrowstyle": "-", "color": "#555", "lw": 0.6},
                )
            ax.set_ylabel("statements per " + ("month" if monthly else "week"))
            locator = mdates.AutoDateLocator(maxticks=8)  # type: ignore[no-untyped-call]
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(
                mdates.ConciseDateFormatter(locator)  # type: ignore[no-untyped-call]
            )
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
            ax.legend(loc="upper right", fontsize=8, frameon=False)
            ax.spines[["top", "right"]].set_visible(False)
        ax.set_title(title, fontsize=12)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        return buf.getvalue()
    finally:
        plt.close(fig)


def draw_timeline(title: str, events: Sequence[EventRow], path: str | Path) -> None:
    Path(path).write_bytes(render_timeline_png(title, events))
