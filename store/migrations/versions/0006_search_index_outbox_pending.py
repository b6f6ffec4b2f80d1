"""a full-text index for /search, and an index of pending outbox rows in id order

SQLite: a contentless FTS5 table `items_fts` (rowid = items.id) with the title and the
summary folded by store.search_text, kept in step with `items` by three triggers, and filled
from the items already stored. PostgreSQL: a stored generated tsvector column `items.search`
('simple' configuration over the same folding) with a GIN index; adding the column computes
it for every stored item. Both: `ix_outbox_pending_id`, a partial index of pending outbox rows
by id, so a delivery pass reads the oldest due rows without sorting the whole backlog.

A later migration that rebuilds `items` on SQLite (Alembic batch mode copies the table)
drops the triggers with the old table: it must create them again (the statements below);
tests/test_search.py stores items at head and finds them, which catches a lost trigger.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from store.search_text import pg_fold_sql, sqlite_fold_select

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SUMMARY_CHARS = 100_000  # what is indexed of a summary (the parser keeps 20,000)
PENDING = sa.text("status = 'pending'")


def _folded(row: str, source: str = "") -> str:
    """SELECT id, title, summary of `row` (new, old or items), folded as the index wants."""
    return sqlite_fold_select(
        {"id": f"{row}.id"},
        {"title": f"{row}.title", "summary": f"substr({row}.summary, 1, {SUMMARY_CHARS})"},
        source,
    )


def create_sqlite_triggers() -> None:
    """Insert, delete and update of an item write the same folded text to items_fts."""
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


def _upgrade_sqlite() -> None:
    # A contentless table: the text lives in `items`; the index holds only what it needs.
    # The drop clears a table left behind by a database emptied without Alembic (tests).
    op.execute("DROP TABLE IF EXISTS items_fts")
    op.execute(
        "CREATE VIRTUAL TABLE items_fts USING fts5(title, summary, content='', "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    create_sqlite_triggers()
    op.execute(f"INSERT INTO items_fts (rowid, title, summary) {_folded('items', 'FROM items')}")


def _upgrade_postgresql() -> None:
    bind = op.get_bind()
    # ICU's lower() and [:alnum:] treat every script alike whatever the database's locale (a
    # C-locale database would lowercase ASCII only); without ICU the database's own is used.
    icu = bind.execute(sa.text("SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'"))
    collate = ' COLLATE "und-x-icu"' if icu.first() is not None else ""
    op.execute(
        "CREATE OR REPLACE FUNCTION policywatch_search_fold(t text) RETURNS text "
        f"LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT {pg_fold_sql('t', collate)} $$"
    )
    op.execute(
        "CREATE OR REPLACE FUNCTION policywatch_search_doc(title text, summary text) "
        "RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT "
        "setweight(to_tsvector('simple', policywatch_search_fold(title)), 'A') || "
        "setweight(to_tsvector('simple', policywatch_search_fold("
        f"left(summary, {SUMMARY_CHARS}))), 'B') $$"
    )
    op.execute(
        "ALTER TABLE items ADD COLUMN search tsvector "
        "GENERATED ALWAYS AS (policywatch_search_doc(title, summary)) STORED"
    )
    op.execute("CREATE INDEX ix_items_search ON items USING gin (search)")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _upgrade_sqlite()
    else:
        _upgrade_postgresql()
    op.create_index(
        "ix_outbox_pending_id",
        "outbox",
        ["id"],
        sqlite_where=PENDING,
        postgresql_where=PENDING,
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_pending_id", table_name="outbox")
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS items_fts_{name}")
        op.execute("DROP TABLE IF EXISTS items_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_items_search")
        op.execute("ALTER TABLE items DROP COLUMN IF EXISTS search")
        op.execute("DROP FUNCTION IF EXISTS policywatch_search_doc(text, text)")
        op.execute("DROP FUNCTION IF EXISTS policywatch_search_fold(text)")
