"""The engine holder every query module shares, and the dialect differences in one place."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from sqlalchemy import Table, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from store.grouped import GroupedWrites

R = TypeVar("R")


class WriteGate:
    """One writer at a time in this process; urgent writers go before those already waiting."""

    def __init__(self) -> None:
        self._cond = asyncio.Condition()
        self._busy = False
        self._urgent_waiting = 0

    @asynccontextmanager
    async def hold(self, *, urgent: bool = False) -> AsyncIterator[None]:
        async with self._cond:
            self._urgent_waiting += urgent
            try:
                await self._cond.wait_for(
                    lambda: not self._busy and (urgent or self._urgent_waiting == 0)
                )
            finally:
                self._urgent_waiting -= urgent
            self._busy = True
        try:
            yield
        finally:
            async with self._cond:
                self._busy = False
                self._cond.notify_all()


def dialect_insert(dialect: str, table: Table) -> Any:
    """An INSERT that supports ON CONFLICT on both backends."""
    if dialect == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


class StoreBase:
    """Holds the engine; query mixins add methods on top."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._gate = WriteGate()
        self._grouped = GroupedWrites(self.writing)

    async def write_grouped(
        self, work: Callable[[AsyncConnection], Awaitable[R]], rows: int = 1
    ) -> R:
        """Run `work` in a write transaction: on SQLite shared with the writes queued beside it
        (store/grouped.py), on PostgreSQL a transaction of its own."""
        if self.dialect == "sqlite":
            return await self._grouped.submit(work, rows)
        async with self.writing() as conn:
            return await work(conn)

    @asynccontextmanager
    async def writing(self, *, urgent: bool = False) -> AsyncIterator[AsyncConnection]:
        """A write transaction; on SQLite, one at a time in this process, and exclusive.

        SQLite has one writer at a time, and a connection that finds the database locked
        sleeps in its busy handler (1 ms, then longer, up to 100 ms) and tries again. With ten
        feeds committing at once, those sleeps held poll slots for tens of milliseconds each;
        waiting on the gate here hands the database over the moment it is free. Other
        processes (a CLI command, a second `policywatch run`) still meet the busy timeout.

        The transaction starts with BEGIN IMMEDIATE: it holds SQLite's write lock from its
        first statement, so what it reads (the events a statement may join) cannot change
        under it, even from another process. `urgent` writes (delivery recording what
        Telegram accepted) pass every write waiting at the gate, so a message sent is on
        record before the next poll's transaction (docs/delivery.md).
        """
        if self.dialect != "sqlite":
            async with self.engine.begin() as conn:
                yield conn
            return
        async with self._gate.hold(urgent=urgent), self.engine.begin() as conn:
            await conn.exec_driver_sql("BEGIN IMMEDIATE")
            yield conn

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def insert(self, table: Table) -> Any:
        """An INSERT that supports ON CONFLICT on both backends."""
        return dialect_insert(self.dialect, table)

    def _least(self, column: Any, value: Any) -> Any:
        """The smaller of a column and a value: scalar min() on SQLite, least() on PostgreSQL."""
        return func.min(column, value) if self.dialect == "sqlite" else func.least(column, value)

    async def close(self) -> None:
        await self._grouped.idle()
        await self.engine.dispose()
