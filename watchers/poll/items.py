"""What the poll stores of an entry: the item, and each match with the statement it reports.

The one place an entry becomes the store's records, shared by the poll cycle and re-matching.
Does not decide which event a statement joins: the store does that on write, with the
matcher's `choose_event`.
"""

from __future__ import annotations

from datetime import datetime

from matcher import MatchResult, Statement, extract_statement, extract_statements
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


def statements_of(title: str, summary: str, published: datetime) -> tuple[Statement, ...]:
    """The statements an item reports on a theme, the key one first; never empty.

    Commentators quoted for analysis are left out when an official statement is there: the
    timeline is of policy statements (docs/matcher.md). An item with no attributable statement
    still reports one (its headline's), as the key statement.
    """
    text = f"{title}\n{summary}"
    key = extract_statement(title, text, published)
    found = [s for s in extract_statements(title, text, published) if s != key]
    official = [s for s in found if s.role == "official"]
    return (key, *official)


def match_to_store(
    result: MatchResult, title: str, summary: str, published: datetime
) -> MatchToStore:
    """A match with the statements its item reports; their events are decided on write."""
    return MatchToStore(
        NewMatch(result.theme, result.score, result.to_json(), result.brief()),
        statements_of(title, summary, published),
    )
