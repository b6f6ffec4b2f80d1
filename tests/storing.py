"""What store tests share: a statement to store, a stand-in for the matcher's decision, and a
poll stored on a database at an older revision."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import text

from matcher import Statement
from store import Store
from store.records import EventRow, FeedPollOutcome, ItemToStore, NewEvent


def statement(quote: str = "a quote", day: date | None = date(2023, 1, 3)) -> Statement:
    return Statement("Speaker", "Office", "Actor", quote, "opposes", day)


def same_quote(new: NewEvent, nearby: Sequence[EventRow]) -> int | None:
    """Reports with the same quote are one event (the store applies whatever it is told)."""
    return next((e.id for e in nearby if e.quote == new.quote), None)


def always_new(new: NewEvent, nearby: Sequence[EventRow]) -> int | None:
    """Every report is a statement of its own."""
    return None


async def stored_before(store: Store, batch: list[ItemToStore], now: datetime) -> None:
    """A poll's items stored on a database at an older revision: the feed's row is written as
    that schema has it (`add_feed` writes the columns of the head revision)."""
    async with store.engine.begin() as conn:
        feed_id = (
            await conn.execute(
                text(
                    "INSERT INTO feeds (url, next_poll_at, failures, alerted_failing, "
                    "first_polled, created_at) VALUES ('https://example.org/old', :now, 0, "
                    "false, false, :now) RETURNING id"
                ),
                {"now": now.replace(tzinfo=None) if store.dialect == "sqlite" else now},
            )
        ).scalar_one()
    outcome = FeedPollOutcome(polled_at=now, next_poll_at=now + timedelta(minutes=5), ok=True)
    await store.commit_poll(feed_id, outcome, batch, now, always_new)
