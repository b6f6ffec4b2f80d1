"""Fan-out benchmark: one alert to 1,000 subscribed chats, through the real store and PTB.

(a) The fake Bot API server enforces Telegram's limits (1/s per chat, 20/min per group, 30/s
    overall): the achieved rate should be within 10% of 30/s with no 429 (takes ~35 s).
(b) No limits anywhere: how many messages per second our own code pushes (target >= 300/s).

Run from the repo root: `python benchmarks/fanout.py [--chats N] [--only a|b]`. Prints figures;
asserts nothing. Uses a SQLite store in a temporary directory and the fake server of the tests,
run in its own process so that its CPU time is not counted as ours.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT)]  # procs; the project

import httpx  # noqa: E402
from procs import fake_bot_api  # noqa: E402
from telegram import Bot  # noqa: E402
from telegram.request import HTTPXRequest  # noqa: E402

from bot.telegram.delivery import Deliverer, deliver_until_idle  # noqa: E402
from bot.telegram.pacing import Limits, Pacer  # noqa: E402
from matcher import Statement, choose_event  # noqa: E402
from store import Store  # noqa: E402
from store.records import (  # noqa: E402
    FeedPollOutcome,
    GroupSpec,
    ItemToStore,
    MatchToStore,
    NewItem,
    NewMatch,
    ThemeSpec,
)
from tests.fakebotapi import TEST_TOKEN  # noqa: E402

NOW = datetime(2023, 1, 6, 12, 0, tzinfo=UTC)
THEME = ThemeSpec(
    slug="normalization-with-assad",
    name="Normalization with Assad",
    description="",
    threshold=50,
    groups=(GroupSpec("who", 40.0, True, ("Assad",)),),
    exclude=(),
    exemplars=(),
)


async def fill(store: Store, chats: int) -> None:
    """`chats` chats (one in ten a group) following the theme, and one alert for each."""
    await store.save_theme(THEME, NOW)
    feed = await store.add_feed("https://example.org/feed.xml", NOW)
    for n in range(chats):
        chat_id = -(10_000 + n) if n % 10 == 0 else 10_000 + n
        await store.upsert_chat(chat_id, "group" if chat_id < 0 else "private", None, NOW)
        await store.subscribe(chat_id, THEME.slug, NOW)
    statement = Statement("Ned Price", "spokesperson", "US", "not the time", "opposes", None)
    item = ItemToStore(
        NewItem("a", "US opposes normalizing with Assad", "", "https://x/a", NOW, True),
        (MatchToStore(NewMatch(THEME.slug, 80, [], "Assad (who)"), (statement,)),),
        True,
    )
    outcome = FeedPollOutcome(polled_at=NOW, next_poll_at=NOW + timedelta(minutes=5), ok=True)
    commit = await store.commit_poll(feed.id, outcome, [item], NOW, choose_event)
    assert commit.alerts_enqueued == chats


@contextlib.asynccontextmanager
async def database(postgres: bool) -> AsyncIterator[str]:
    """A fresh SQLite file in a temporary directory, or a fresh PostgreSQL database."""
    if not postgres:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    from tests.databases import _pg_exec, _pg_url

    name = f"pw_bench_{os.getpid()}"
    await _pg_exec(f'DROP DATABASE IF EXISTS "{name}"')
    await _pg_exec(f'CREATE DATABASE "{name}"')
    try:
        yield _pg_url(name)
    finally:
        await _pg_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def run(
    chats: int, enforce: bool, concurrency: int, postgres: bool = False
) -> tuple[float, dict[str, Any]]:
    """(messages per second, the server's counts)."""
    async with database(postgres) as url:
        store = await Store.open(url)
        await fill(store, chats)
        async with fake_bot_api(enforce) as api:
            request = HTTPXRequest(connection_pool_size=concurrency)
            async with Bot(TEST_TOKEN, base_url=f"{api}/bot", request=request) as bot:
                pacer = Pacer(Limits() if enforce else Limits.unlimited())
                deliverer = Deliverer(
                    store,
                    bot,
                    pacer,
                    now=lambda: datetime.now(UTC),
                    concurrency=concurrency,
                )
                start = time.perf_counter()
                report = await deliver_until_idle(deliverer, max_passes=1000)
                elapsed = time.perf_counter() - start
            async with httpx.AsyncClient() as client:
                stats: dict[str, Any] = (await client.get(f"{api}/_fake/stats")).json()
        await store.close()
    assert report.sent == stats["sent"] == stats["sent_chats"] == chats, (report, stats)
    return stats["sent"] / elapsed, stats


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=1000)
    parser.add_argument("--only", choices=["a", "b"])
    parser.add_argument("--repeat", type=int, default=3, help="runs of (b); the median counts")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL at 127.0.0.1")
    parser.add_argument(
        "--concurrency",
        type=int,
        help="chats served in parallel (default: 16 for (a), as against real Telegram's "
        "latency; 4 for (b), the best on a small machine where the fake server shares the CPU)",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.only in (None, "a"):
        rate, stats = await run(args.chats, True, args.concurrency or 16, args.postgres)
        too_many = stats["limit_violations"]
        verdict = "ok" if abs(rate - 30) <= 3 and too_many == 0 else "MISSED"
        print(
            f"(a) Telegram's limits enforced: {rate:.1f} msg/s, {stats['sent']} chats reached "
            f"once each, {too_many} x 429, {stats['calls'].get('sendMessage', 0)} sendMessage "
            f"calls [target 27-33/s, no 429: {verdict}]"
        )
    if args.only in (None, "b"):
        rates = []
        for _ in range(args.repeat):
            rate, stats = await run(args.chats, False, args.concurrency or 4, args.postgres)
            rates.append(rate)
        median = statistics.median(rates)
        verdict = "ok" if median >= 300 else "MISSED"
        runs = ", ".join(f"{r:.0f}" for r in rates)
        print(
            f"(b) no limits: median {median:.0f} msg/s over {len(rates)} runs ({runs}), "
            f"{stats['sent']} chats reached once each [target >= 300/s: {verdict}]"
        )


if __name__ == "__main__":
    asyncio.run(main())
