"""Soak: the memory of the whole `policywatch run` process tree over an hour of poll cycles.

Issue 13 asks that the whole tree stay under 300 MB during the first poll of 1,000 feeds and
be flat over an hour of cycles. This runs the real thing as an operator starts it:
`policywatch run` (Telegram mode against the fake Bot API in a process of its own; SQLite;
parse workers as production starts them; delivery, article fetching and search indexing as
wired) over 1,000 local feeds from poll.py's feed server (50 loopback addresses), with
`--chats` chats following the shipped theme. Every `--change-every` seconds 10% of the
feeds get 1-3 new items; POLL_INTERVAL, MIN_POLL_INTERVAL and MAX_POLL_INTERVAL are set so
every feed is due every 30-60 s, so a cycle runs at every tick of the scheduler.

Every `--sample-every` seconds the resident sets of the run process and all its descendants
are summed (psutil, from this process: the sampling costs the run nothing). Printed: a line
every 5 minutes (tree MB now and the highest so far); then the peak, the highest of the first
10 minutes (the first cycle stores 35,000 items), the highest of the last 10, and the slope
of a least-squares line through the samples after the first 10 minutes, in MB per hour. The
last line is one JSON object of those figures. Asserts nothing; never run by the tests.

Run from the repo root: `python benchmarks/soak.py [--minutes 60] [--feeds 1000]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from poll import feed_server, feed_url  # noqa: E402
from procs import Runner, fake_bot_api, prepare, sent_messages, stop  # noqa: E402

WARM_UP_MINUTES = 10.0
MEMORY_TARGET_MB = 300.0


def tree_mb(pid: int) -> float:
    """The summed resident sets of process `pid` and all its descendants, in MB."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            continue  # exited meanwhile
    return total / 1e6


def slope_per_hour(samples: list[tuple[float, float]]) -> float:
    """Least-squares slope of (minutes, MB), in MB per hour; 0 with fewer than 2 samples."""
    if len(samples) < 2:
        return 0.0
    n = len(samples)
    mx = sum(t for t, _ in samples) / n
    my = sum(m for _, m in samples) / n
    var = sum((t - mx) ** 2 for t, _ in samples)
    if var == 0:
        return 0.0
    cov = sum((t - mx) * (m - my) for t, m in samples)
    return cov / var * 60.0


def stored_items(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return int(conn.execute("SELECT count(*) FROM items").fetchone()[0])


async def soak(args: argparse.Namespace) -> dict[str, object]:
    seconds = args.minutes * 60
    with (
        feed_server(args.feeds, args.seed, args.hosts, lifetime=seconds + 600) as (port, _, _),
        tempfile.TemporaryDirectory(prefix="pw-soak-") as tmp,
    ):
        db = Path(tmp) / "soak.db"
        url = f"sqlite:///{db}"
        feeds = [feed_url(port, n, args.hosts) for n in range(args.feeds)]
        await prepare(url, feeds, args.chats)
        async with fake_bot_api() as api:
            runner = Runner(
                url,
                api,
                Path(tmp),
                POLL_INTERVAL="30",
                MIN_POLL_INTERVAL="30",
                MAX_POLL_INTERVAL="60",
                BACKFILL_HOURS="1000000",
            )
            proc = await runner.start()
            samples: list[tuple[float, float]] = []
            t0 = time.monotonic()
            next_change = t0 + args.change_every
            next_report = 5.0
            async with httpx.AsyncClient(trust_env=False, timeout=60) as http:
                minute = 0.0
                while minute * 60 < seconds and proc.returncode is None:
                    await asyncio.sleep(args.sample_every)
                    minute = (time.monotonic() - t0) / 60
                    samples.append((minute, tree_mb(proc.pid)))
                    if time.monotonic() >= next_change:
                        next_change += args.change_every
                        await http.post(
                            f"http://127.0.0.1:{port}/_change",
                            params={"fraction": 0.1, "minutes": int(minute) + 1},
                        )
                    if minute >= next_report:
                        next_report += 5.0
                        print(
                            f"  {minute:5.1f} min  tree {samples[-1][1]:6.1f} MB  "
                            f"(highest so far {max(m for _, m in samples):.1f} MB)",
                            flush=True,
                        )
            crashed = proc.returncode is not None
            await stop(proc)
            sent = len(await sent_messages(api))
        items = stored_items(db)
        if crashed:
            print("  the run process ended early:\n" + runner.tail())
    warm = [m for t, m in samples if t < WARM_UP_MINUTES]
    after = [(t, m) for t, m in samples if t >= WARM_UP_MINUTES]
    last = [m for t, m in samples if t >= samples[-1][0] - WARM_UP_MINUTES] if samples else []
    return {
        "minutes": round(samples[-1][0], 1) if samples else 0,
        "feeds": args.feeds,
        "samples": len(samples),
        "peak_tree_mb": round(max((m for _, m in samples), default=0.0), 1),
        "first_10min_max_mb": round(max(warm, default=0.0), 1),
        "last_10min_max_mb": round(max(last, default=0.0), 1),
        "slope_mb_per_hour_after_warmup": round(slope_per_hour(after), 1),
        "items_stored": items,
        "messages_sent": sent,
        "crashed": crashed,
        "cpus": os.cpu_count(),
        "load_avg_1m": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--minutes", type=float, default=60.0)
    ap.add_argument("--feeds", type=int, default=1000)
    ap.add_argument("--hosts", type=int, default=50)
    ap.add_argument("--chats", type=int, default=10)
    ap.add_argument("--change-every", type=float, default=60.0, help="seconds")
    ap.add_argument("--sample-every", type=float, default=10.0, help="seconds")
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    print(
        f"soak: `policywatch run` over {args.feeds:,} local feeds for {args.minutes:.0f} min, "
        f"10% changed every {args.change_every:.0f} s, the tree sampled every "
        f"{args.sample_every:.0f} s",
        flush=True,
    )
    figures = asyncio.run(soak(args))
    ok = figures["peak_tree_mb"] < MEMORY_TARGET_MB  # type: ignore[operator]
    print(
        f"\n  peak {figures['peak_tree_mb']} MB (target < {MEMORY_TARGET_MB:.0f}: "
        f"{'ok' if ok else 'MISSED'}); first 10 min max {figures['first_10min_max_mb']} MB, "
        f"last 10 min max {figures['last_10min_max_mb']} MB; after warm-up "
        f"{figures['slope_mb_per_hour_after_warmup']} MB/hour; "
        f"{figures['items_stored']:,} items stored, {figures['messages_sent']} messages sent"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
