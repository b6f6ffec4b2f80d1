"""search index filled after the poll on SQLite: new items wait in `search_pending`

Indexing a new item inside the poll's write transaction (the insert trigger of 0006) was
most of the cost of storing it: 20,000 items took 7.2 s with the trigger and 1.2 s without,
and the first poll of 1,000 feeds stores 35,000. Now an insert only queues the item's id in
`search_pending` (a rowid table: one b-tree insert); `store.search_index` folds the queued
items in Python and writes them to `items_fts` in large batches after the cycle, and
`/search` reads the queued items itself (store/search.py), so none is ever missing from its
answers. Deleting or editing an item still keeps the index right: an indexed item's old text
is deleted from the contentless table (it must be the text that was indexed, folded the same
way), a queued one only leaves or stays in the queue; an edited one is queued again.

A later migration that rebuilds `items` on SQLite (Alembic batch mode copies the table)
drops these triggers with the old table and must create them again, as 0006 says of its own.

PostgreSQL keeps its generated column (0006): deferring it would write every row twice.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

from store.search_text import sqlite_fold_select

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SUMMARY_CHARS = 100_000  # as 0006 (and store.search_index): what is indexed of a summary


def _folded(row: str, source: str = "") -> str:
    """SELECT id, title, summary of `row`, folded as 0006's triggers fold them."""
    return sqlite_fold_select(
        {"id": f"{row}.id"},
        {"title": f"{row}.title", "summary": f"substr({row}.summary, 1, {SUMMARY_CHARS})"},
        source,
    )


# An indexed item's text leaves the index; a queued one was never in it.
_UNINDEX_OLD = (
    "INSERT INTO items_fts (items_fts, rowid, title, summary) "
    f"SELECT 'delete', id, title, summary FROM ({_folded('old')}) "
    "WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE item_id = old.id);"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    # A table left behind by a database emptied without Alembic (tests) is dropped first.
    op.execute("DROP TABLE IF EXISTS search_pending")
    op.execute("CREATE TABLE search_pending (item_id INTEGER PRIMARY KEY)")
    for name in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS items_fts_{name}")
    op.execute(
        "CREATE TRIGGER items_search_queue AFTER INSERT ON items "
        "BEGIN INSERT INTO search_pending (item_id) VALUES (new.id); END"
    )
    op.execute(
        "CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN "
        f"{_UNINDEX_OLD} DELETE FROM search_pending WHERE item_id = old.id; END"
    )
    op.execute(
        "CREATE TRIGGER items_fts_update AFTER UPDATE OF title, summary ON items BEGIN "
        f"{_UNINDEX_OLD} INSERT OR IGNORE INTO search_pending (item_id) VALUES (new.id); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    # 0006 keeps every item in the index: the queued ones are indexed before the queue goes.
    queued = "FROM items WHERE id IN (SELECT item_id FROM search_pending)"
    op.execute(f"INSERT INTO items_fts (rowid, title, summary) {_folded('items', queued)}")
    for name in ("search_queue", "fts_delete", "fts_update"):
        op.execute(f"DROP TRIGGER IF EXISTS items_{name}")
    op.execute("DROP TABLE IF EXISTS search_pending")
    insert = f"INSERT INTO items_fts (rowid, title, summary) {_folded('new')};"
    delete = (
        "INSERT INTO items_fts (items_fts, rowid, title, summary) "
        f"SELECT 'delete', id, title, summary FROM ({_folded('old')});"
    )
    op.execute(f"CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN {insert} END")
    op.execute(f"CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN {delete} END")
    op.execute(
        "CREATE TRIGGER items_fts_update AFTER UPDATE OF title, summary ON items "
        f"BEGIN {delete} {insert} END"
    )
