"""The parse pool with real worker processes: errors come back intact, and a dead worker costs
one retry, not the pool (issue 11: one non-feed used to stop all ingestion until a restart)."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from matcher import load_themes_toml, shipped_themes_toml
from tests.bareprobe import ignores_interrupt, worker_state
from tests.workerprobe import heavy_modules_after_parsing
from watchers.parse.feed import ParseError, parse_feed
from watchers.poll.themes import spec_from_theme
from watchers.poll.workerpool import (
    ParsePool,
    WorkerDied,
    WorkerError,
    default_workers,
    make_parse_pool,
)
from watchers.poll.workers import ThemeSet

FETCHED = datetime(2026, 8, 13, 5, 0, tzinfo=UTC)
GOOD = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
    b"<item><guid>a-1</guid><title>Talks resume in Amman</title></item></channel></rss>"
)
NOT_FEEDS = {
    "html": b"<!doctype html><html><body><p>a page</p></body></html>",
    "empty": b"",
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",
}
WAIT = 20.0  # seconds any one wait in these tests may take before it counts as a failure


def titles(body: bytes, url: str) -> list[str]:
    """Runs in a worker: the titles parse_feed finds."""
    return [e.title for e in parse_feed(body, url=url, fetched_at=FETCHED).entries]


def die() -> None:
    """Runs in a worker: the worker is killed, as the OOM killer would."""
    os.kill(os.getpid(), signal.SIGKILL)


def killed_once(mark: str) -> int:
    """Runs in a worker: the first time, write the pid and wait to be killed; then answer."""
    path = Path(mark)
    if not path.exists():
        path.write_text(str(os.getpid()))
        time.sleep(WAIT)
    return os.getpid()


class Unpicklable(Exception):
    def __init__(self, code: int, detail: str) -> None:
        super().__init__(f"{code}: {detail}")


def raise_unpicklable() -> None:
    raise Unpicklable(7, "only its text can come back")


@pytest.fixture
def pool() -> Iterator[ParsePool]:
    pool = ParsePool(2)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def test_a_parse_error_in_a_worker_arrives_whole_and_the_pool_goes_on(pool: ParsePool) -> None:
    for name, body in NOT_FEEDS.items():
        url = f"https://example.org/{name}"
        with pytest.raises(ParseError) as caught:
            pool.submit(titles, body, url).result(WAIT)
        assert caught.value.url == url and caught.value.reason, name
        assert pool.submit(titles, GOOD, url).result(WAIT) == ["Talks resume in Amman"]
    assert pool.replaced == 0


def test_an_exception_that_cannot_be_unpickled_comes_back_as_its_text(pool: ParsePool) -> None:
    with pytest.raises(WorkerError, match="Unpicklable: 7: only its text can come back"):
        pool.submit(raise_unpicklable).result(WAIT)
    assert pool.submit(titles, GOOD, "https://example.org/").result(WAIT)
    assert pool.replaced == 0


def test_a_call_that_kills_its_worker_fails_alone_and_the_pool_is_replaced(
    pool: ParsePool,
) -> None:
    assert pool.submit(titles, GOOD, "https://example.org/").result(WAIT)
    with pytest.raises(WorkerDied, match="died each of the 2 times"):
        pool.submit(die).result(WAIT)
    assert pool.replaced == 2  # it was tried once more, on a fresh pool
    assert pool.submit(titles, GOOD, "https://example.org/").result(WAIT)


def test_a_worker_killed_mid_call_costs_a_retry(pool: ParsePool, tmp_path: Path) -> None:
    mark = tmp_path / "pid"
    pending = pool.submit(killed_once, str(mark))
    deadline = time.monotonic() + WAIT
    while not mark.exists() or not mark.read_text():
        assert time.monotonic() < deadline, "the call never started"
        time.sleep(0.02)
    first = int(mark.read_text())
    os.kill(first, signal.SIGKILL)
    assert pending.result(WAIT) != first  # answered by a worker of the new pool
    assert pool.replaced == 1
    assert pool.submit(titles, GOOD, "https://example.org/").result(WAIT)


def test_workers_killed_while_idle_are_replaced_at_the_next_call(pool: ParsePool) -> None:
    assert pool.submit(titles, GOOD, "https://example.org/").result(WAIT)
    for pid in pool.worker_pids():
        os.kill(pid, signal.SIGKILL)
    results = [pool.submit(titles, GOOD, f"https://example.org/{n}") for n in range(6)]
    assert all(r.result(WAIT) == ["Talks resume in Amman"] for r in results)
    assert pool.replaced == 1


def test_a_worker_parses_and_scores_without_importing_the_store(pool: ParsePool) -> None:
    specs = [spec_from_theme(t) for t in load_themes_toml(shipped_themes_toml())]
    assert pool.submit(heavy_modules_after_parsing, GOOD, ThemeSet.of(specs)).result(WAIT) == []


def test_a_watcher_starts_one_worker_per_core_and_none_on_one_core() -> None:
    # The main process fetches and stores a third of a first cycle: a worker more than the
    # cores only competes with it.
    assert [default_workers(n) for n in (None, 1, 2, 3, 8)] == [0, 0, 2, 3, 4]


def test_a_watchers_pool_starts_its_workers_with_the_matcher_loaded_before_the_first_poll() -> None:
    # The first poll after start used to pay for spawning the workers and importing the
    # matcher in each (~1.5 s of CPU a worker) inside its first calls.
    pool = make_parse_pool(2)
    try:
        deadline = time.monotonic() + WAIT
        while len(pool.worker_pids()) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(pool.worker_pids()) == 2  # before any poll sent them work
        loaded, frozen = pool.submit(worker_state).result(WAIT)
        assert loaded  # when the worker started: the call itself imports nothing of ours
        assert frozen > 10_000  # the imported heap is kept out of full collections
        # Ctrl-C at the terminal reaches every worker: the parent stops them, quietly
        assert pool.submit(ignores_interrupt).result(WAIT)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
