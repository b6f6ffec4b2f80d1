"""What store tests share: a statement to store, and a stand-in for the matcher's decision."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from matcher import Statement
from store.records import EventRow, NewEvent


def statement(quote: str = "a quote", day: date | None = date(2023, 1, 3)) -> Statement:
    return Statement("Speaker", "Office", "Actor", quote, "opposes", day)


def same_quote(new: NewEvent, nearby: Sequence[EventRow]) -> int | None:
    """Reports with the same quote are one event (the store applies whatever it is told)."""
    return next((e.id for e in nearby if e.quote == new.quote), None)


def always_new(new: NewEvent, nearby: Sequence[EventRow]) -> int | None:
    """Every report is a statement of its own."""
    return None
