"""What the poll stores of an entry: the item, and each match with the statement it reports.

The one place an entry becomes the store's records, shared by the poll cycle and re-matching.
Does not decide which event a statement joins: the store does that on write, with the
matcher's `choose_event`.
"""

from __future__ import annotations

from collections.abc import Sequence

from matcher import ItemText, MatchResult, Statement
from store.records import ItemRow, MatchToStore, NewItem, NewMatch
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


def match_to_store(result: MatchResult, statements: Sequence[Statement]) -> MatchToStore:
    """A match with the statements its item reports (`matcher.reported_statements`, worked
    out where the item was scored); their events are decided on write."""
    return MatchToStore(
        NewMatch(result.theme, result.score, result.to_json(), result.brief()),
        tuple(statements),
    )


def stored_text(item: ItemRow) -> ItemText:
    """What the matcher reads of a stored item (re-matching, previews); a parsed entry's is
    `watchers.poll.workers.item_text` (workers must not import the store's records)."""
    return ItemText(item.title, item.summary, item.published_at, item.source, item.link or "")
