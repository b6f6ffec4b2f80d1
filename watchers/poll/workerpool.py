"""Worker processes for parsing and scoring feeds, so that work uses the other cores.

`ParsePool` is an `Executor` over a `ProcessPoolExecutor` that survives its workers: when a
worker dies (killed, out of memory, a crash in C code) the standard pool is broken for good and
fails every later call with `BrokenProcessPool`; this one starts a fresh pool, submits the
calls that were lost once more, and goes on. A call that breaks the pool twice fails with
`WorkerDied` (the poll cycle records it on that feed, which backs off like any failing feed).
Every exception a call raises reaches the caller: one that could not be rebuilt from its pickle
(and would itself break the pool on arrival) is sent back as `WorkerError` with its text.

A worker whose parent is killed (SIGKILL, OOM) exits within a second instead of lingering with
the parent's pipes. Workers are spawned, not forked: the parent has threads (aiosqlite, the
console's stdin reader), and a forked child inherits their locks held; a child forked while the
console waited in `stdin.readline()` hung for ever closing stdin, and the process never exited.

Workers are lean: a spawned child normally runs the parent's `__main__` again (for
`policywatch` that is `bot.cli`, with SQLAlchemy, Alembic and the bot: ~70 MB a worker), so
that functions defined there can be unpickled. Ours live in `watchers`, so our workers skip it
(the one change, made to `multiprocessing.spawn.get_preparation_data` for processes named
`parse-worker-*` only) and import just what the calls need: ~38 MB each.

Does not parse by itself: the poll cycle sends `parsework.parse_and_score` calls to it.
"""

from __future__ import annotations

import gc
import importlib
import logging
import multiprocessing
import multiprocessing.context
import multiprocessing.spawn
import os
import pickle
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, InvalidStateError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, ParamSpec, TypeVar

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

ATTEMPTS = 2  # a call lost with a broken pool is submitted once more, to a fresh pool


WORKER_NAME = "parse-worker-"
_preparation_data = multiprocessing.spawn.get_preparation_data


def _lean_preparation_data(name: str) -> dict[str, Any]:
    """What a spawned child is told to set up; our workers are not told to re-run __main__."""
    data: dict[str, Any] = _preparation_data(name)
    if name.startswith(WORKER_NAME):
        data.pop("init_main_from_path", None)
        data.pop("init_main_from_name", None)
    return data


multiprocessing.spawn.get_preparation_data = _lean_preparation_data


class _WorkerProcess(multiprocessing.context.SpawnProcess):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.name = WORKER_NAME + self.name


class _LeanSpawnContext(multiprocessing.context.SpawnContext):
    Process = _WorkerProcess


class WorkerDied(Exception):
    """A call's worker process died each time the call was tried."""


class WorkerError(Exception):
    """A call raised an exception that could not cross back to this process; its text."""


def _exit_with_parent(parent: int) -> None:
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _start_worker(parent: int, preload: tuple[str, ...]) -> None:
    """A worker's first act: exit with its parent, and import what its calls will need now,
    while it is idle, rather than inside the first call (the matcher's patterns take about
    1.5 s of CPU to import and compile). The imported heap is then frozen, as the main
    process's is (bot/app/heap.py), so the collector's full passes skip it.

    Ctrl-C at a terminal goes to the whole process group: the parent stops its workers, so a
    worker ignores SIGINT (it printed a KeyboardInterrupt traceback mid-import)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent(parent)
    for module in preload:
        importlib.import_module(module)
    if preload:  # what was imported lives as long as the worker: kept out of full collections
        gc.collect()
        gc.freeze()


def _started() -> int:
    return os.getpid()


def _portable(fn: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]) -> T:
    """`fn(*args, **kwargs)` in the worker; an exception that would not survive the trip back
    (its unpickling fails in the parent, which breaks the pool) becomes a `WorkerError`."""
    try:
        return fn(*args, **kwargs)
    except Exception as exc:
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:
            raise WorkerError(f"{type(exc).__name__}: {exc}") from None
        raise


class ParsePool(Executor):
    """A process pool that replaces itself when broken (see the module docstring)."""

    def __init__(self, workers: int = 1, preload: tuple[str, ...] = ()) -> None:
        self.workers = max(1, workers)
        self.preload = preload
        self.replaced = 0  # pools started again because a worker died
        self._lock = threading.Lock()
        self._closed = False
        self._pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=_LeanSpawnContext(),
            initializer=_start_worker,
            initargs=(os.getpid(), self.preload),
        )

    def start_workers(self) -> None:
        """Start every worker now instead of at the first call, without waiting for them.

        A standard pool spawns its processes as calls arrive, so the first poll after start
        would pay for starting them and for their imports. Called when the service starts,
        that work overlaps the main process's own start (migrations, the bot's first request).
        """
        for _ in range(self.workers):
            self.submit(_started)

    def worker_pids(self) -> list[int]:
        """Process ids of the current pool's live workers (for memory figures and tests)."""
        processes = getattr(self._pool, "_processes", None) or {}
        return [p.pid for p in list(processes.values()) if p.pid is not None and p.is_alive()]

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        outer: Future[T] = Future()
        self._send(outer, fn, args, kwargs, ATTEMPTS)
        return outer

    def _send(
        self,
        outer: Future[T],
        fn: Callable[..., T],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        attempts: int,
    ) -> None:
        while True:
            with self._lock:
                if self._closed:
                    raise RuntimeError("cannot submit to a parse pool that was shut down")
                pool = self._pool
            try:
                inner = pool.submit(_portable, fn, args, kwargs)
            except BrokenProcessPool:
                self._replace(pool)  # broke while idle (a worker was killed): not this call's
                continue
            break

        def settle(done: Future[T]) -> None:
            if outer.cancelled():
                return
            exc = done.exception() if not done.cancelled() else None
            if isinstance(exc, BrokenProcessPool):
                self._replace(pool)
                if attempts > 1:
                    try:
                        self._send(outer, fn, args, kwargs, attempts - 1)
                        return
                    except RuntimeError as closed:
                        exc = closed
                else:
                    exc = WorkerDied(
                        f"the worker process died each of the {ATTEMPTS} times this call "
                        f"was tried ({exc}); will retry at the next poll"
                    )
            try:
                if done.cancelled() and exc is None:
                    outer.cancel()
                elif exc is not None:
                    outer.set_exception(exc)
                else:
                    outer.set_result(done.result())
            except InvalidStateError:  # the caller cancelled meanwhile
                pass

        outer.add_done_callback(lambda o: inner.cancel() if o.cancelled() else None)
        inner.add_done_callback(settle)

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """Start a fresh pool in place of `broken`, unless that was already done."""
        with self._lock:
            if self._pool is not broken or self._closed:
                return
            self._pool = self._start()
            self.replaced += 1
        log.warning("a parse worker process died; started a new pool of %d", self.workers)
        broken.shutdown(wait=False, cancel_futures=True)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._closed = True
            pool = self._pool
        pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def make_parse_pool(workers: int = 1) -> ParsePool:
    """The pool a watcher polls with: its workers started at once, the parse and scoring
    modules imported in each before the first poll reaches them."""
    pool = ParsePool(workers, preload=("watchers.poll.workers",))
    pool.start_workers()
    return pool


def default_workers(cores: int | None) -> int:
    """How many parse workers a watcher starts on a machine with `cores` CPUs: one per core,
    at most 4; none (a thread instead) on one core, where a worker would only compete.

    Not one more than the cores: the main process needs about 40% of a first cycle's CPU
    (fetching, storing), and a third worker on 2 cores made no cycle faster while it raised
    the process tree's peak memory by ~40 MB (benchmarks/poll.py, docs/watchers.md)."""
    cores = cores or 1
    return min(cores, 4) if cores > 1 else 0
