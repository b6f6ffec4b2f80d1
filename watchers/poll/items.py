"""What the poll stores of an entry: the item, and each match with the statement it reports.

The one place an entry becomes the store's records, shared by the poll cycle and re-matching.
Does not decide which event a statement joins: the store does that on write, with the
matcher's `choose_event`.
"""

from __future__ import annotations

from collections.abc import Sequence

from matcher import ItemText, MatchResult, Statement
from matcher.text import normalize_text
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
    out where the item was scored); their events are decided on write. The first is the one
    the theme's alert quotes: `key_for_theme` puts first one that speaks of this theme."""
    return MatchToStore(
        NewMatch(result.theme, result.score, result.to_json(), result.brief()),
        key_for_theme(result, statements),
    )


_NOT_EVIDENCE = ("exclude", "proximity", "exemplar", "learned", "gate", "until")


def key_for_theme(result: MatchResult, statements: Sequence[Statement]) -> tuple[Statement, ...]:
    """The item's statements with one that speaks of this theme first.

    The key statement is chosen once per item, but an item two themes match may quote one
    statement per theme (QA: an Iran-talks alert quoted "We are restoring full ties with
    Damascus"). When the key's quote holds none of the words this theme found in the item
    and another statement's does, that one leads; otherwise the order is kept.
    """
    words = {
        normalize_text(r.found)
        for r in result.reasons
        if r.found and r.group not in _NOT_EVIDENCE and r.points >= 0
    }

    def speaks_of_theme(st: Statement) -> bool:
        said = normalize_text(st.quote or "")
        return any(w and w in said for w in words)

    if len(statements) < 2 or not words or speaks_of_theme(statements[0]):
        return tuple(statements)
    lead = next((st for st in statements[1:] if speaks_of_theme(st)), None)
    if lead is None:
        return tuple(statements)
    return (lead, *(st for st in statements if st is not lead))


def stored_text(item: ItemRow) -> ItemText:
    """What the matcher reads of a stored item (re-matching, previews); a parsed entry's is
    `watchers.poll.workers.item_text` (workers must not import the store's records)."""
    return ItemText(item.title, item.summary, item.published_at, item.source, item.link or "")
