"""Scale-out benchmark: 1, 2 and 4 `policywatch run --role watcher` processes on PostgreSQL.

What it does: a feed farm (benchmarks/feedfarm.py, a child process) serves `--feeds` (2,000)
feeds on `--hosts` (50) loopback addresses, as benchmarks/poll.py spreads its feeds: `--filler`
off-theme items each plus `--statements` invented statements on the shipped theme, each
reported by two outlets (so each should make one event and one outbox row per chat). For each
watcher count N, on a fresh PostgreSQL database (127.0.0.1:5432) with the shipped theme, the
feeds and `--chats` subscribed chats:
  - first cycle: N long-running `policywatch run --role watcher` processes start together
    (POLL_INTERVAL 3600, so no feed comes due twice, and a tick every 60 s) and share the due
    feeds through their leases (`FOR UPDATE SKIP LOCKED`); every feed is new;
  - steady cycle: 10% of the feeds get a new item, every feed is made due, and the same
    running processes poll them all at their next tick (1,800 x 304, 200 changed).
A cycle's time is from the first poll seen committed to the moment every feed's poll is
(`feeds.last_polled_at` read every 0.25 s), so the interpreters' start-up is not in it; the
span between the recorded poll times and the seconds the benchmark waited are printed beside
it (for the first cycle, from the launch; for the steady one, including the wait for the
next tick). The
fake Bot API (tests/fakebotapi.py) answers the watchers' getMe; watchers do not deliver, so
the outbox stays pending and is counted.

Checked for each N: no feed fetched twice in a cycle (the farm counts requests per feed), the
items stored equal the items served, one event per statement, one outbox row per event and
chat (a doubled event or alert is listed). Last line: JSON.

Run from the repo root: `python benchmarks/scaleout.py [--feeds N] [--watchers 1,2,4]` (about
6 minutes on 2 cores). Asserts nothing; never run by the tests; every wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # feedfarm, procs; the project

from feedfarm import FarmClient, FarmConfig, feed_farm  # noqa: E402
from procs import Runner, database, fake_bot_api, prepare, stop  # noqa: E402

from store import Store  # noqa: E402
from store.schema import events, feeds, items, outbox  # noqa: E402

SETTINGS = {"POLL_INTERVAL": "3600", "MIN_POLL_INTERVAL": "3600", "MAX_POLL_INTERVAL": "7200"}
TARGET_2 = 1.7


@dataclass
class Cycle:
    watchers: int
    label: str
    wall: float  # launch -> every feed polled
    span: float  # first poll -> last poll, as recorded
    fetched_twice: int  # feeds fetched more than once in the cycle
    requests: int  # requests the farm answered (200 and 304)


@dataclass
class Check:
    served: int  # items the farm serves, all feeds together
    items: int
    events: int
    doubled_events: int
    outbox: int
    doubled_alerts: int


Polled = tuple[int, datetime | None, datetime | None]


async def polled_since(store: Store, since: datetime) -> Polled:
    """(feeds polled at or after `since`, the first and last such poll)."""
    query = select(
        func.count(), func.min(feeds.c.last_polled_at), func.max(feeds.c.last_polled_at)
    ).where(feeds.c.last_polled_at >= since)
    async with store.engine.connect() as conn:
        count, first, last = (await conn.execute(query)).one()
    return int(count), first, last


async def wait_polled(
    store: Store,
    farm: FarmClient,
    procs: list[asyncio.subprocess.Process],
    runner: Runner,
    since: datetime,
    limit: float,
) -> tuple[float, float, float]:
    """Wait until every feed has been polled after `since`: (seconds waited, seconds from the
    first poll seen committed to the last, the span between their recorded poll times)."""
    total = farm.config.feeds
    t0 = time.monotonic()
    seen: float | None = None  # when the first poll of the cycle was seen committed
    done, first, last = 0, None, None
    while time.monotonic() - t0 < limit:
        done, first, last = await polled_since(store, since)
        if done and seen is None:
            seen = time.monotonic()
        if done >= total:
            break
        if any(p.returncode is not None for p in procs):
            print(f"  a watcher stopped by itself:\n{runner.tail()}")
            break
        await asyncio.sleep(0.25)
    if done < total:
        print(f"  only {done}/{total} feeds polled within {limit:.0f} s")
    recorded = (last - first).total_seconds() if first and last else float("nan")
    now = time.monotonic()
    return now - t0, now - (seen or t0), recorded


async def cycle_figures(
    farm: FarmClient, watchers: int, label: str, times: tuple[float, float, float]
) -> Cycle:
    """The cycle's figures with the farm's request counts (then zeroed for the next cycle)."""
    wall, span, recorded = times
    full, not_modified = await asyncio.to_thread(farm.hits)
    await asyncio.to_thread(farm.reset_hits)
    twice = sum(1 for n in full.values() if n > 1)
    cycle = Cycle(watchers, label, wall, span, twice, sum(full.values()) + not_modified)
    print(
        f"  {watchers} watcher(s), {label:<7} {span:6.1f} s first to last poll "
        f"({recorded:5.1f} s between their recorded times, {wall:5.1f} s waited); "
        f"{cycle.requests} requests ({sum(full.values())} full, {not_modified} x 304), "
        f"{twice} feeds fetched twice",
        flush=True,
    )
    return cycle


async def check(store: Store, served: int) -> Check:
    """What the watchers stored: items, events, outbox rows, and anything doubled."""
    async with store.engine.connect() as conn:

        async def scalar(query: Any) -> int:
            return int((await conn.execute(query)).scalar_one())

        doubled_events = await scalar(
            select(func.count()).select_from(
                select(events.c.speaker)
                .group_by(events.c.theme_id, events.c.speaker)
                .having(func.count() > 1)
                .subquery()
            )
        )
        doubled_alerts = await scalar(
            select(func.count()).select_from(
                select(outbox.c.chat_id, events.c.speaker)
                .join(events, events.c.id == outbox.c.event_id)
                .group_by(outbox.c.chat_id, events.c.speaker)
                .having(func.count() > 1)
                .subquery()
            )
        )
        return Check(
            served=served,
            items=await scalar(select(func.count()).select_from(items)),
            events=await scalar(select(func.count()).select_from(events)),
            doubled_events=doubled_events,
            outbox=await scalar(select(func.count()).select_from(outbox)),
            doubled_alerts=doubled_alerts,
        )


async def for_watchers(
    args: argparse.Namespace, farm: FarmClient, api: str, watchers: int
) -> tuple[list[Cycle], Check]:
    async with database("postgresql", f"scale{watchers}") as url:
        await prepare(url, farm.urls(), args.chats)
        store = await Store.open(url, migrate=False)
        try:
            with tempfile.TemporaryDirectory(prefix="pw-scale-") as tmp:
                runner = Runner(url, api, Path(tmp), **SETTINGS)
                await asyncio.to_thread(farm.reset_hits)
                procs = [await runner.start("--role", "watcher") for _ in range(watchers)]
                try:
                    epoch = datetime(2000, 1, 1, tzinfo=UTC)
                    times = await wait_polled(store, farm, procs, runner, epoch, args.limit)
                    first = await cycle_figures(farm, watchers, "first", times)
                    # 10% of the feeds get one item more (each N: another random 10%, as
                    # much work), every feed is made due, and the running watchers' next tick
                    # (every 60 s) polls them all.
                    await asyncio.to_thread(farm.change, 0.1)
                    mark = datetime.now(UTC)
                    await store.poll_feeds_now(mark)
                    times = await wait_polled(store, farm, procs, runner, mark, args.limit)
                    steady = await cycle_figures(farm, watchers, "steady", times)
                finally:
                    await asyncio.gather(*(stop(p) for p in procs))
            result = await check(store, await asyncio.to_thread(farm.served_items))
        finally:
            await store.close()
    return [first, steady], result


async def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--feeds", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--filler", type=int, default=15, help="off-theme items per feed")
    parser.add_argument("--filler-bytes", type=int, default=600)
    parser.add_argument("--statements", type=int, default=100)
    parser.add_argument("--chats", type=int, default=3)
    parser.add_argument("--watchers", default="1,2,4")
    parser.add_argument("--limit", type=float, default=600.0, help="s per cycle at most")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    counts = [max(1, min(int(n), 16)) for n in args.watchers.split(",")]
    config = FarmConfig(
        feeds=args.feeds,
        hosts=max(1, min(args.hosts, 250)),
        filler=args.filler,
        filler_bytes=args.filler_bytes,
        statements=args.statements,
        outlets=2,
        waves=1,
        seed=args.seed,
        lifetime=3600.0,
    )
    print(
        f"scale-out benchmark: PostgreSQL, {config.feeds:,} feeds on {config.hosts} loopback "
        f"addresses, {config.filler} off-theme items each + {config.statements} statements x 2 "
        f"outlets, {args.chats} chats; watchers {counts}; {os.cpu_count()} CPUs "
        f"(load average {os.getloadavg()[0]:.1f} at the start)",
        flush=True,
    )
    cycles: list[Cycle] = []
    checks: dict[int, Check] = {}
    with feed_farm(config) as farm:
        farm.release(0)
        async with fake_bot_api() as api:
            for n in counts:
                got, result = await for_watchers(args, farm, api, n)
                cycles += got
                checks[n] = result
                print(
                    f"  {n} watcher(s): {result.items:,} items ({result.served:,} served), "
                    f"{result.events} events "
                    f"({result.doubled_events} doubled), {result.outbox} outbox rows "
                    f"({result.doubled_alerts} doubled)",
                    flush=True,
                )
    summary(cycles, checks, counts, config)


def summary(
    cycles: list[Cycle], checks: dict[int, Check], counts: list[int], config: FarmConfig
) -> None:
    figures: dict[str, Any] = {"feeds": config.feeds, "cpus": os.cpu_count()}
    print("\nsummary (cycle = first poll to last poll; seconds waited in brackets)")
    for label in ("first", "steady"):
        mine = {c.watchers: c for c in cycles if c.label == label}
        base = mine.get(counts[0])
        for n in counts:
            c = mine[n]
            speedup = base.span / c.span if base and c.span else float("nan")
            mark = ""
            if n == 2 and base is not None and base.watchers == 1:
                mark = f"  (target >= {TARGET_2}x: {'ok' if speedup >= TARGET_2 else 'MISSED'})"
            print(
                f"  {label:<6} {n} watcher(s): {c.span:6.1f} s ({c.wall:5.1f} s) = "
                f"{speedup:4.2f}x{mark}"
            )
            figures[f"{label}_s_{n}"] = round(c.span, 2)
            figures[f"{label}_wall_s_{n}"] = round(c.wall, 2)
            figures[f"{label}_speedup_{n}"] = round(speedup, 2)
    twice = sum(c.fetched_twice for c in cycles)
    doubled_events = sum(c.doubled_events for c in checks.values())
    doubled_alerts = sum(c.doubled_alerts for c in checks.values())
    items_ok = all(c.items == c.served for c in checks.values())
    print(
        f"  doubled: {twice} feeds fetched twice in a cycle, {doubled_events} events, "
        f"{doubled_alerts} outbox rows; items stored "
        + ("= items served" if items_ok else "DIFFER from the items served")
        + f" ({', '.join(f'{n}: {c.items:,}/{c.served:,}' for n, c in checks.items())})"
    )
    figures.update(
        fetched_twice=twice,
        doubled_events=doubled_events,
        doubled_outbox=doubled_alerts,
        items_as_served=items_ok,
        items={str(n): c.items for n, c in checks.items()},
        events={str(n): c.events for n, c in checks.items()},
        outbox={str(n): c.outbox for n, c in checks.items()},
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    asyncio.run(main())
