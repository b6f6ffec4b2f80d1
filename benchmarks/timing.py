"""Timing helpers the benchmarks share: repeated runs of an async call, and their p95."""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable


async def timed_ms(fn: Callable[[], Awaitable[object]], runs: int, budget: float) -> list[float]:
    """Milliseconds of each of up to `runs` calls after a warm-up, stopping past `budget` s."""
    await fn()  # warm-up
    out: list[float] = []
    deadline = time.perf_counter() + budget
    for _ in range(runs):
        start = time.perf_counter()
        await fn()
        out.append((time.perf_counter() - start) * 1000)
        if time.perf_counter() > deadline:
            break
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
