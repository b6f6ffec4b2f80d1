"""Worker processes for parsing and scoring feeds, so that work uses the other cores.

Does not parse by itself: the poll cycle sends `parsework.parse_and_score` calls to it. A
worker whose parent is killed (SIGKILL, OOM) exits within a second instead of lingering with
the parent's pipes.

Workers are spawned, not forked: the parent has threads (aiosqlite, the console's stdin
reader), and a forked child inherits their locks held; a child forked while the console
waited in `stdin.readline()` hung for ever closing stdin, and the process never exited.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor


def _exit_with_parent(parent: int) -> None:
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def make_parse_pool(workers: int = 1) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_exit_with_parent,
        initargs=(os.getpid(),),
    )
