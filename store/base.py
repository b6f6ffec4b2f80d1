"""The engine holder every query module shares, and the dialect differences in one place."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Table, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine


class StoreBase:
    """Holds the engine; query mixins add methods on top."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._write_lock = asyncio.Lock()

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction; on SQLite, one at a time in this process.

        SQLite has one writer at a time, and a connection that finds the database locked
        sleeps in its busy handler (1 ms, then longer, up to 100 ms) and tries again. With ten
        feeds committing at once, those sleeps held poll slots for tens of milliseconds each;
        waiting on a lock here hands the database over the moment it is free. Other processes
        (a CLI command beside `policywatch run`) still meet the busy timeout.
        """
        if self.dialect != "sqlite":
            async with self.engine.begin() as conn:
                yield conn
            return
        async with self._write_lock, self.engine.begin() as conn:
            yield conn

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def insert(self, table: Table) -> Any:
        """An INSERT that supports ON CONFLICT on both backends."""
        if self.dialect == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)

    def _least(self, column: Any, value: Any) -> Any:
        """The smaller of a column and a value: scalar min() on SQLite, least() on PostgreSQL."""
        return func.min(column, value) if self.dialect == "sqlite" else func.least(column, value)

    async def close(self) -> None:
        await self.engine.dispose()
