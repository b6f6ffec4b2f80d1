"""SQLite's search index filled after the poll, and the queued items found without it.

Why not in the poll's transaction: FTS5 tokenizing and indexing was most of the cost of
storing an item (20,000 items: 7.2 s through the insert trigger, 1.2 s without), and the
first poll of 1,000 feeds stores 35,000, one write transaction per feed while the other
feeds wait for the writer. Migration 0014 makes an insert only queue the item's id in
`search_pending`; `index_pending` (run after each cycle, watchers' wiring) writes the queued
items to `items_fts` in batches of INDEX_BATCH, each its own transaction, so a delivery's
urgent write waits for at most one batch. Until then `queued_matches` reads the queued items
itself for `/search` (store/search.py): nothing stored is ever missing from a search.

PostgreSQL keeps its generated column (migration 0006): nothing is queued there.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from store.base import StoreBase
from store.search_text import Term, fold, occurrences, sqlite_index_fold, words

INDEX_BATCH = 2000  # items a transaction: 1,000 cost 20% more CPU; 20,000 held 47 MB more
SUMMARY_CHARS = 100_000  # what is indexed of a summary, as migrations 0006 and 0014
SCAN_CHUNK = 500  # queued items read at a time by a search, newest first

_QUEUED = text(
    "SELECT p.item_id, i.title, substr(i.summary, 1, :chars) AS summary "
    "FROM search_pending p JOIN items i ON i.id = p.item_id "
    "ORDER BY p.item_id LIMIT :n"
)
_QUEUED_NEWEST = text(
    "SELECT p.item_id, i.title, substr(i.summary, 1, :chars) AS summary "
    "FROM search_pending p JOIN items i ON i.id = p.item_id "
    "WHERE p.item_id < :below ORDER BY p.item_id DESC LIMIT :n"
)
_INDEX = "INSERT INTO items_fts (rowid, title, summary) VALUES (?, ?, ?)"
_DEQUEUE = text("DELETE FROM search_pending WHERE item_id <= :last")


def matches_all(terms: tuple[Term, ...], title: str, summary: str) -> bool:
    """Whether every term occurs in the title or in the summary, as the index would say
    (FTS5 matches a phrase within one column).

    Every word of a match is a substring of the folded text, so most items are ruled out by
    substring tests before being cut into words (a rare word over 35,000 queued items: 4.8 s
    cut into words, a fraction of that ruled out first)."""
    folded = fold(title) + "\n" + fold(summary)
    for term in terms:
        if term.variants:
            if not any(form in folded for form in term.forms()):
                return False
        elif not all(word in folded for word in term.words):
            return False
    title_words, summary_words = words(title), words(summary)
    return all(occurrences(term, title_words) or occurrences(term, summary_words) for term in terms)


class SearchIndexQueries(StoreBase):
    async def index_pending(self, batch: int = INDEX_BATCH) -> int:
        """Index every queued item, a batch per transaction; how many were indexed.

        The text is folded here as the triggers fold a deleted item's text
        (`sqlite_index_fold`), oldest queued first. PostgreSQL: nothing to do.
        """
        if self.dialect != "sqlite":
            return 0
        done = 0
        while True:
            async with self.writing() as conn:
                rows = (await conn.execute(_QUEUED, {"chars": SUMMARY_CHARS, "n": batch})).all()
                if not rows:
                    return done
                await conn.exec_driver_sql(
                    _INDEX,
                    [
                        (r.item_id, sqlite_index_fold(r.title), sqlite_index_fold(r.summary))
                        for r in rows
                    ],
                )
                await conn.execute(_DEQUEUE, {"last": rows[-1].item_id})
            done += len(rows)
            if len(rows) < batch:
                return done

    async def queued_matches(
        self, conn: AsyncConnection, terms: tuple[Term, ...], want: int
    ) -> list[int]:
        """Ids of the newest `want` queued (not yet indexed) items matching every term.

        Read newest first in chunks and matched in Python, so a common word stops early;
        a rare one reads the whole queue, which is at most what one cycle stored.
        """
        if self.dialect != "sqlite":
            return []
        found: list[int] = []
        below: int | None = None
        while len(found) < want:
            params = {"chars": SUMMARY_CHARS, "n": SCAN_CHUNK, "below": below}
            if below is None:
                params["below"] = 1 << 62
            rows = (await conn.execute(_QUEUED_NEWEST, params)).all()
            found += [r.item_id for r in rows if matches_all(terms, r.title, r.summary)]
            if len(rows) < SCAN_CHUNK:
                break
            below = rows[-1].item_id
        return found[:want]
