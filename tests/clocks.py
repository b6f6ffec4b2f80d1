"""A clock for tests of timing code: `sleep` advances time at once; `now` reads it."""

from __future__ import annotations

import asyncio


class FakeClock:
    """A clock for tests: `sleep` advances time instantly; `now` reads it."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)

    def advance(self, seconds: float) -> None:
        self.now += seconds
