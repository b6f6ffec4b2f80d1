"""`python -m tests.fakebotapi [--enforce-limits]`: serve until stdin closes; prints the port.

Benchmarks run the fake in a process of its own, so its CPU is not counted as the bot's.
"""

from __future__ import annotations

import asyncio
import sys

from tests.fakebotapi.server import FakeBotAPI


async def _serve(enforce_limits: bool) -> None:
    async with FakeBotAPI(enforce_limits=enforce_limits) as server:
        print(server.port, flush=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.read)


if __name__ == "__main__":
    asyncio.run(_serve("--enforce-limits" in sys.argv[1:]))
