"""Dates as people type them for /timeline, /export and `policywatch timeline`: every form a
person can type gets a day or an answer that shows the forms, never an error of our own."""

from __future__ import annotations

from datetime import date

import pytest

from bot.timeline.dates import DateError, parse_day

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
