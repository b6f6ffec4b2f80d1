"""Group commit: writes that queue up while one transaction runs share the next one.

SQLite has one writer. In a first poll of 1,000 feeds, hundreds of parsed feeds wait their
turn to write, and each took a transaction of its own: BEGIN IMMEDIATE, a dozen statements,
COMMIT, each a round trip to the driver's thread, and every waiter woken at each hand-over.
Here a write is queued; one drain task takes every write waiting (up to a bound) and runs
them one after another in a single transaction. A lone write still goes at once, so nothing
waits for company.

Atomicity is per write, as before: a group commits all its writes or none. When one write
of a group fails, the group is rolled back and each of its writes is run again alone, so
one bad feed costs the others only a retry, and the failure reaches its own caller.

This module does not know what is written (the caller's `Work` does), and is not used on
PostgreSQL, where transactions run side by side and a group would only hold locks longer.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

log = logging.getLogger(__name__)

R = TypeVar("R")
Work = Callable[[AsyncConnection], Awaitable[Any]]
Opener = Callable[[], AbstractAsyncContextManager[AsyncConnection]]

MAX_WRITES = 64  # writes per transaction: bounds how long an urgent write waits at the gate
MAX_ROWS = 5_000  # rows per transaction (a first poll's feed brings 20-500 items)


@dataclass
class _Queued(Generic[R]):
    work: Callable[[AsyncConnection], Awaitable[R]]
    rows: int
    done: asyncio.Future[R]


class GroupedWrites:
    """Runs queued writes in shared transactions opened by `opener` (the store's `writing`)."""

    def __init__(self, opener: Opener) -> None:
        self._open = opener
        self._queue: deque[_Queued[Any]] = deque()
        self._drain: asyncio.Task[None] | None = None

    async def submit(self, work: Callable[[AsyncConnection], Awaitable[R]], rows: int = 1) -> R:
        """Run `work` in a write transaction, perhaps beside others; its result or its error.

        A caller cancelled while waiting does not take its write back: once queued it is
        written (as a write already sent to the database would be).
        """
        loop = asyncio.get_running_loop()
        done: asyncio.Future[R] = loop.create_future()
        if self._drain is not None and self._drain.get_loop() is not loop:
            # A store used from a new event loop (a CLI command after another): what the old
            # loop left queued can no longer be run there.
            self._queue = deque(q for q in self._queue if q.done.get_loop() is loop)
            self._drain = None
        self._queue.append(_Queued(work, rows, done))
        if self._drain is None or self._drain.done():
            self._drain = asyncio.create_task(self._run_queue())
        return await done

    async def idle(self) -> None:
        """Wait until every queued write has been run (the store is closing)."""
        while self._drain is not None and not self._drain.done():
            await asyncio.shield(self._drain)

    def _take(self) -> list[_Queued[Any]]:
        group: list[_Queued[Any]] = []
        rows = 0
        while self._queue and len(group) < MAX_WRITES:
            if group and rows + self._queue[0].rows > MAX_ROWS:
                break
            queued = self._queue.popleft()
            group.append(queued)
            rows += queued.rows
        return group

    async def _run_queue(self) -> None:
        while self._queue:
            group = self._take()
            try:
                results = await self._together(group)
            except asyncio.CancelledError:
                for queued in [*group, *self._queue]:
                    _fail(queued, RuntimeError("the store closed before this write was run"))
                self._queue.clear()
                raise
            except Exception as exc:
                if len(group) == 1:
                    _fail(group[0], exc)
                    continue
                log.info("a grouped write failed (%s); its %d writes run alone", exc, len(group))
                for queued in group:
                    await self._alone(queued)
                continue
            for queued, result in zip(group, results, strict=True):
                if not queued.done.done():
                    queued.done.set_result(result)

    async def _together(self, group: list[_Queued[Any]]) -> list[Any]:
        async with self._open() as conn:
            return [await queued.work(conn) for queued in group]

    async def _alone(self, queued: _Queued[Any]) -> None:
        try:
            async with self._open() as conn:
                result = await queued.work(conn)
        except Exception as exc:
            _fail(queued, exc)
        else:
            if not queued.done.done():
                queued.done.set_result(result)


def _fail(queued: _Queued[Any], exc: BaseException) -> None:
    if not queued.done.done():
        queued.done.set_exception(exc)
