"""The engine holder every query module shares, and the dialect differences in one place."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine


class StoreBase:
    """Holds the engine; query mixins add methods on top."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

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
