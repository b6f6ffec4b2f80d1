"""Stopping on SIGINT/SIGTERM: the running work is cancelled and its clean-up still runs.

A service manager, a container's stop or Ctrl-C sends a signal; without a handler Python dies
where it stands, leaving the sender lease held, the parse workers' semaphores leaked and a
write half done. Both front-ends (console, Telegram) and both modes (the service, `--once`)
stop through here. Does not decide what clean-up is (the caller's `finally` does).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

log = logging.getLogger(__name__)

SIGNALS = (signal.SIGINT, signal.SIGTERM)
ONCE_STOPPED = (
    "{why} before the cycle finished: every feed polled so far is stored whole, the others "
    "were left as they were; run again to finish."
)


class Stopped(Exception):
    """The work was cut short by a signal; `code` is the exit status to end with."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum
        self.code = 128 + signum  # as a shell reports a process a signal ended


async def until_stopped(work: Coroutine[Any, Any, int]) -> int:
    """Run `work` to its end, or until SIGINT/SIGTERM: then cancel it, wait for its clean-up,
    and raise `Stopped` so the caller can say what was left undone."""
    got: list[int] = []
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def on_signal(signum: int) -> None:
        got.append(signum)
        stop.set()

    for sig in SIGNALS:
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, on_signal, sig)
    task = asyncio.create_task(work)
    stopped = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({task, stopped}, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            return task.result()
        log.info("stopping on a signal")
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        raise Stopped(got[0])
    finally:
        stopped.cancel()
        for sig in SIGNALS:
            with contextlib.suppress(NotImplementedError):
                loop.remove_signal_handler(sig)


async def once_until_stopped(cycle: Callable[[], Awaitable[str]]) -> int:
    """`run --once`: the cycle's summary line and 0, or, stopped by a signal, what was left
    undone and 128 + the signal's number."""

    async def one() -> int:
        print(await cycle(), flush=True)
        return 0

    try:
        return await until_stopped(one())
    except Stopped as stopped:
        print(ONCE_STOPPED.format(why=stopped), flush=True)
        return stopped.code
