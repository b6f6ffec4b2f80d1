"""The timeline chart is readable on a phone: no two labels overlap (measured with matplotlib's
renderer), whole-number y ticks, a y axis that stops just above the tallest bar, and the latest
events labelled. For the seed timeline, a crowded one of 60 statements, and ten years whose
newest labels are a month apart."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import pytest
from matplotlib.axes import Axes
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from bot.timeline.chart import bucket, build_chart, render_timeline_png
from store.records import EventRow
from tests.chart_events import crowded_events, decade_events, seed_events

TIMELINES = {
    "seed": seed_events(),
    "crowded": crowded_events(60),
    "decade": decade_events(),  # the newest labels in neighbouring months: they must stack
}


def _shown_ticks(
    locs: Sequence[float], labels: Sequence[Text], view: tuple[float, float]
) -> list[Text]:
    low, high = sorted(view)
    return [t for loc, t in zip(locs, labels, strict=True) if low <= loc <= high]


def _all_texts(chart_labels: Sequence[Text], figure_axes: Sequence[Axes]) -> list[Text]:
    """The chart's own texts, and the axes' tick labels (those in view) and axis labels."""
    texts = list(chart_labels)
    for ax in figure_axes:
        texts += _shown_ticks(ax.get_xticks(), ax.get_xticklabels(), ax.get_xlim())
        texts += _shown_ticks(ax.get_yticks(), ax.get_yticklabels(), ax.get_ylim())
        texts += [ax.yaxis.label, ax.xaxis.get_offset_text()]
    return [t for t in texts if t.get_visible() and t.get_text().strip()]


def _overlap(a: Bbox, b: Bbox) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


@pytest.mark.parametrize("name", TIMELINES)
def test_no_two_labels_overlap(name: str) -> None:
    chart = build_chart("Normalization with Assad", TIMELINES[name])
    chart.figure.canvas.draw()
    renderer = chart.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    texts = _all_texts(chart.labels, chart.figure.axes)
    assert len(texts) > 10
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    figure_box = chart.figure.bbox
    for i, (text_a, a) in enumerate(boxes):
        assert figure_box.x0 <= a.x0 and a.x1 <= figure_box.x1, f"{text_a!r} leaves the picture"
        assert figure_box.y0 <= a.y0 and a.y1 <= figure_box.y1, f"{text_a!r} leaves the picture"
        for text_b, b in boxes[i + 1 :]:
            assert not _overlap(a, b), f"{text_a!r} overlaps {text_b!r}"


@pytest.mark.parametrize("name", TIMELINES)
def test_whole_number_ticks_and_an_axis_just_above_the_tallest_bar(name: str) -> None:
    events = TIMELINES[name]
    chart = build_chart("t", events)
    chart.figure.canvas.draw()
    ax = chart.figure.axes[0]
    low, high = ax.get_ylim()
    monthly = (max(e.day for e in events) - min(e.day for e in events)).days > 400
    tallest = max(Counter(bucket(e.day, monthly) for e in events).values())
    assert tallest < high <= tallest + max(1, tallest * 0.1)
    shown = [t for t in ax.get_yticks() if low <= t <= high]
    assert shown and all(float(t).is_integer() for t in shown)


@pytest.mark.parametrize("name", TIMELINES)
def test_the_latest_events_are_labelled(name: str) -> None:
    events: list[EventRow] = TIMELINES[name]
    chart = build_chart("t", events)
    listed = "\n".join(t.get_text() for t in chart.labels)
    for latest in sorted(events, key=lambda e: (e.day, e.id))[-2:]:
        assert f"{latest.day:%d %b %Y}" in listed


def test_a_chart_is_a_png_even_without_events() -> None:
    assert render_timeline_png("t", [])[:4] == b"\x89PNG"
    assert render_timeline_png("t", seed_events())[:4] == b"\x89PNG"
