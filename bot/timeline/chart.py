"""Timeline charts: events over time as stacked bars coloured by stance, as a PNG a phone can read.

Headless (Agg, no pyplot state). Bars are per week for spans up to about a year, else per
month; the y axis has whole-number ticks and stops just above the tallest bar. A few events are
labelled, always the latest ones and then the most reported: each gets a number in a row above
the bars, joined to its bar by a thin guide, and a line under the chart says what it was
(date, who, stance). Numbers that would touch go up a row, so no two labels ever overlap;
`build_chart` returns every text it placed, so a test can measure them.
Does not query anything: the events arrive as `EventRow`s.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bot.chat.html import who_said
from store.records import EventRow

if TYPE_CHECKING:  # matplotlib itself is imported on the first chart: it is slow to import
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text

COLOURS = {"opposes": "#c0392b", "supports": "#27ae60", "unclear": "#95a5a6"}
STANCE_ORDER = ("opposes", "supports", "unclear")
LATEST = 2  # the newest events are always labelled
LABELS = 5  # at most this many labelled events in all
WIDTH_IN, DPI = 8.0, 150
PLOT_IN = 3.0  # height of the bars' area
TITLE_IN = 0.45
ROW_IN = 0.24  # one row of numbers above the bars
TICKS_IN = 0.5  # x tick labels (two rows with the concise date format)
LEGEND_IN = 0.3
LINE_IN = 0.22  # one line of the list under the chart
LEFT, RIGHT = 0.08, 0.97  # of the figure's width
LINE_CHARS = 95
MARKER_GAP_PX = 4  # clear space between two numbers in one row


@dataclass
class Chart:
    """A drawn chart and every piece of text on it (title, numbers, list, legend, ticks)."""

    figure: Figure
    labels: list[Text]  # the texts placed by this module; ticks are the axes' own

    def png(self) -> bytes:
        buf = io.BytesIO()
        self.figure.savefig(buf, format="png")
        return buf.getvalue()


def bucket(day: date, monthly: bool) -> date:
    if monthly:
        return day.replace(day=1)
    return day - timedelta(days=day.weekday())


def labelled(events: Sequence[EventRow], limit: int = LABELS) -> list[EventRow]:
    """The events worth a label, oldest first: the latest `LATEST`, then the most reported
    (the newer of two as reported)."""
    newest = sorted(events, key=lambda e: (e.day, e.id), reverse=True)
    most_reported = sorted(newest[LATEST:], key=lambda e: -e.source_count)  # stable: newest
    chosen = newest[:LATEST] + most_reported[: max(0, limit - LATEST)]
    return sorted(chosen, key=lambda e: (e.day, e.id))


def describe(n: int, e: EventRow) -> str:
    """`3  04 May 2023  Antony Blinken (Secretary of State): opposes`, one line long at most."""
    who = who_said(e.speaker, e.office, e.actor) or "unattributed"
    text = f"{n}  {e.day:%d %b %Y}  {who}: {e.stance}"
    return text if len(text) <= LINE_CHARS else text[: LINE_CHARS - 1] + "…"


def build_chart(title: str, events: Sequence[EventRow]) -> Chart:
    """Draw the chart; the figure's height grows with the rows of numbers and the list."""
    if not events:
        return _empty(title)
    import matplotlib.dates as mdates
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    days = [e.day for e in events]
    monthly = (max(days) - min(days)).days > 400
    width = 25 if monthly else 6
    chosen = labelled(events)

    fig = Figure(figsize=(WIDTH_IN, 5), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((LEFT, 0.3, RIGHT - LEFT, 0.5))
    tops = _bars(ax, events, monthly, width)
    top = max(tops.values())
    ax.set_ylim(0, top + max(0.5, round(top * 0.05)))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("statements per " + ("month" if monthly else "week"))
    locator = mdates.AutoDateLocator(maxticks=8)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    ax.spines[["top", "right"]].set_visible(False)
    # x limits fixed now, so numbers keep their horizontal place when the height changes
    ax.set_xlim(*ax.get_xlim())

    markers, rows = _markers(fig, ax, chosen, tops, monthly, width)
    lines = [describe(n, e) for n, e in enumerate(chosen, 1)]

    # Heights from the top down, in inches; the widths (and so the numbers' rows) stay put.
    above = TITLE_IN + rows * ROW_IN + 0.1
    below = TICKS_IN + LEGEND_IN + len(lines) * LINE_IN + 0.15
    height = above + PLOT_IN + below
    fig.set_size_inches(WIDTH_IN, height)
    ax.set_position((LEFT, below / height, RIGHT - LEFT, PLOT_IN / height))
    title_text = ax.set_title(_fit(title, 70), fontsize=12, pad=rows * ROW_IN * 72 + 8)

    legend_y = (below - TICKS_IN) / height
    legend = fig.legend(
        handles=[Patch(color=COLOURS[s], label=s) for s in STANCE_ORDER],
        loc="upper center",
        bbox_to_anchor=(0.5, legend_y),
        ncol=3,
        fontsize=8,
        frameon=False,
    )
    texts = [title_text, *markers, *legend.get_texts()]
    for i, line in enumerate(lines):
        y = (below - TICKS_IN - LEGEND_IN - (i + 0.8) * LINE_IN) / height
        texts.append(fig.text(0.02, y, line, fontsize=9, ha="left", va="center"))
    return Chart(fig, texts)


def _bars(ax: Axes, events: Sequence[EventRow], monthly: bool, width: int) -> Counter[date]:
    """Stacked bars per bucket and stance; returns each bucket's height."""
    import matplotlib.dates as mdates

    tops = Counter[date]()
    buckets = sorted({bucket(e.day, monthly) for e in events})
    for stance in STANCE_ORDER:
        counts = Counter(bucket(e.day, monthly) for e in events if e.stance == stance)
        if not counts:
            continue
        xs = [b for b in buckets if counts[b]]
        ax.bar(
            mdates.date2num(xs),  # type: ignore[no-untyped-call]
            [counts[b] for b in xs],
            width=width,
            bottom=[tops[b] for b in xs],
            color=COLOURS[stance],
            label=stance,
            align="edge",
        )
        for b in xs:
            tops[b] += counts[b]
    return tops


def _markers(
    fig: Figure,
    ax: Axes,
    chosen: Sequence[EventRow],
    tops: Counter[date],
    monthly: bool,
    width: int,
) -> tuple[list[Text], int]:
    """Numbers above the bars, one per bucket, each in the lowest row where it touches none.

    Returns the number texts and how many rows they use.
    """
    import matplotlib.dates as mdates
    from matplotlib.patches import ConnectionPatch
    from matplotlib.transforms import ScaledTranslation

    numbers: dict[date, list[int]] = defaultdict(list)
    for n, e in enumerate(chosen, 1):
        numbers[bucket(e.day, monthly)].append(n)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    base = ax.get_xaxis_transform()
    placed: list[list[tuple[float, float]]] = []  # per row: occupied x ranges in pixels
    texts = []
    for b in sorted(numbers):
        x = float(mdates.date2num(b)) + width / 2  # type: ignore[no-untyped-call]
        text = ax.text(
            x,
            1.0,
            ",".join(str(n) for n in numbers[b]),
            transform=base,
            ha="center",
            va="bottom",
            fontsize=8,
            fontweight="bold",
            clip_on=False,
        )
        box = text.get_window_extent(renderer)
        span = (box.x0 - MARKER_GAP_PX, box.x1 + MARKER_GAP_PX)
        row = next(
            (
                i
                for i, taken in enumerate(placed)
                if all(span[1] <= lo or span[0] >= hi for lo, hi in taken)
            ),
            len(placed),
        )
        if row == len(placed):
            placed.append([])
        placed[row].append(span)
        lift = 0.06 + row * ROW_IN
        text.set_transform(base + ScaledTranslation(0, lift, fig.dpi_scale_trans))
        guide = ConnectionPatch(
            xyA=(x, tops[b]),
            coordsA=ax.transData,
            xyB=(x, 1.0),
            coordsB=text.get_transform(),
            color="#888888",
            linewidth=0.6,
            linestyle=":",
            clip_on=False,
        )
        ax.add_artist(guide)
        texts.append(text)
    return texts, len(placed)


def _empty(title: str) -> Chart:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_IN, 4.5), dpi=DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    note = ax.text(
        0.5,
        0.5,
        "No statements recorded yet",
        ha="center",
        va="center",
        fontsize=14,
        transform=ax.transAxes,
    )
    ax.set_axis_off()
    return Chart(fig, [ax.set_title(_fit(title, 70), fontsize=12), note])


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_timeline_png(title: str, events: Sequence[EventRow]) -> bytes:
    return build_chart(title, events).png()


def draw_timeline(title: str, events: Sequence[EventRow], path: str | Path) -> None:
    Path(path).write_bytes(render_timeline_png(title, events))
