"""What the poll stores of an entry: the item, and each match with the statement it reports.

The one place an entry becomes the store's records, shared by the poll cycle and re-matching.
Does not decide which event a statement joins: the store does that on write, with the
matcher's `choose_event`.
"""

from __future__ import annotations

from datetime import datetime

from matcher import MatchResult, extract_statement
from store.records import MatchToStore, NewItem, NewMatch
from watchers.parse.feed import EntryData


def new_item(entry: EntryData) -> NewItem:
    return NewItem(
        key=entry.key,
        title=entry.title,
        summary=entry.summary,
        link=entry.link,
        published_at=entry.published,
        dated=entry.dated,
        author=entry.author,
    )


def match_to_store(
    result: MatchResult, title: str, summary: str, published: datetime
) -> MatchToStore:
    """A match with the statement its item reports; which event it joins is decided on write."""
    return MatchToStore(
        NewMatch(result.theme, result.score, result.to_json(), result.brief()),
        extract_statement(title, f"{title}\n{summary}", published),
    )
