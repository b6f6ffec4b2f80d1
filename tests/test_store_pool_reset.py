"""A pooled SQLite connection comes back with no transaction open, whether its user committed,
closed it mid-transaction, or left it at the driver level (the pool's reset, done only when
there is something to undo)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.util import greenlet_spawn

from store.db import make_engine


async def test_a_connection_returned_mid_transaction_is_rolled_back(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/pool.db")
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (n INTEGER)"))
            await conn.execute(text("INSERT INTO t VALUES (1)"))  # committed
        async with engine.connect() as conn:
            await conn.execute(text("INSERT INTO t VALUES (2)"))  # closed without a commit

        # Below SQLAlchemy's Connection: a transaction the pool alone can undo.
        def leave_open() -> None:
            raw = engine.sync_engine.pool.connect()
            cursor = raw.cursor()
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute("INSERT INTO t VALUES (3)")
            cursor.close()
            raw.close()  # back to the pool, write lock and all, unless the reset rolls it back

        await greenlet_spawn(leave_open)
        async with engine.begin() as conn:  # would wait out the busy timeout on a held lock
            await conn.execute(text("INSERT INTO t VALUES (4)"))
            rows = [r[0] for r in await conn.execute(text("SELECT n FROM t ORDER BY n"))]
        assert rows == [1, 4]
    finally:
        await engine.dispose()
