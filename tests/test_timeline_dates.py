"""Dates as people type them for /timeline, /export and `policywatch timeline`: every form a
person can type gets a day or an answer that shows the forms, never an error of our own; and
the CSV export's cells stay text in a spreadsheet."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date

import pytest

from bot.timeline.dates import DateError, parse_day
from bot.timeline.query import as_csv
from tests.chart_events import event

TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("typed", "day"),
    [("30d", date(2026, 10, 31)), ("6m", date(2026, 5, 30)), ("2y", date(2024, 11, 30))],
)
def test_spans_back_from_today(typed: str, day: date) -> None:
    assert parse_day(typed, TODAY) == day


@pytest.mark.parametrize("typed", ["9999y", "2026y", "9999m", "9999w", "9999d"])
def test_spans_reaching_before_the_year_one_are_refused_or_kept_in_range(typed: str) -> None:
    try:
        assert parse_day(typed, TODAY) >= date(1, 1, 1)
    except DateError as refused:
        assert "reaches back before the year 1" in str(refused)


def test_a_csv_export_keeps_feed_text_from_running_as_a_formula() -> None:
    hostile = replace(
        event(1, date(2023, 5, 9), "-Sam", "@office", None, "opposes", 1),
        headline='=HYPERLINK("https://evil.example","click")',
        quote="+1 for ties, he said",
    )
    (row,) = list(csv.DictReader(io.StringIO(as_csv([(hostile, [])]))))
    assert row["headline"].startswith("'=HYPERLINK")
    assert row["quote"] == "'+1 for ties, he said"
    assert row["speaker"] == "'-Sam" and row["office"] == "'@office"
    assert row["date"] == "2023-05-09"
