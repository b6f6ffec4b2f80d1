"""Crash benchmark: kill -9 `policywatch run` at random points while it polls and delivers.

What it does, in one run, twice: once without kills (the baseline), once with them.
  - A feed farm (benchmarks/feedfarm.py, a child process) serves `--feeds` feeds on 20 loopback
    addresses; `--statements` invented statements on the shipped theme, each reported by two
    outlets, are released in `--waves` waves. Each statement should make one event and one
    alert in each of `--chats` subscribed chats (a few hundred alerts in all).
  - The fake Bot API of the tests (tests/fakebotapi.py) runs in its own process and records
    every message it accepts, with the time it arrived.
  - `policywatch run` (a real process, as an operator starts it; SQLite by default,
    `--database postgresql` for PostgreSQL at 127.0.0.1) polls every 5 s and delivers. With
    kills, each process gets SIGKILL at a random moment `--kill-after LO HI` seconds after it
    started polling (start-up is not counted: the clock starts at its first feed request; a
    wave is released at the start of every few processes, so kills land in polls, in
    deliveries, and in both at once), and a new one is started; after `--kills` kills, the
    last one runs until every alert is delivered (or `--settle` seconds pass) and is stopped.
At the end it prints, for each run: lost alerts (statement x chat never delivered: queued but
not sent, or never queued at all), duplicated alerts (one statement twice in one chat), and
what explains each duplicate: a kill between Telegram accepting the first copy and the second
copy (the answer lost with the process: the case Telegram's API cannot rule out, it has no
idempotency key), a first copy that arrived within a second after a kill (written to the
socket before it), or nothing. Last line: JSON.

Run from the repo root: `python benchmarks/crash.py [--database sqlite|postgresql] [--kills N]
[--kill-after LO HI] [--only baseline|killed] [--logs DIR] [--seed N]` (about 6 minutes).
Asserts nothing; never run by the tests; the kills are bounded by `--budget` seconds and the
last wait by `--settle`.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import random
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # feedfarm, procs; the project

from feedfarm import FarmClient, FarmConfig, feed_farm  # noqa: E402
from procs import Runner, database, fake_bot_api, prepare, sent_messages, stop  # noqa: E402

from store import Store  # noqa: E402
from store.schema import events, items, matches, outbox  # noqa: E402

REF = re.compile(r"\(ref (\d{3})\)")
SETTINGS = {
    "POLL_INTERVAL": "5",
    "MIN_POLL_INTERVAL": "5",
    "MAX_POLL_INTERVAL": "10",
    "ROLE_LEASE_SECONDS": "6",
}


IN_FLIGHT = 1.0  # s: a copy that arrived this soon after a kill was sent before it


@dataclass(frozen=True)
class Duplicate:
    chat: int
    ref: int
    first: float  # time.monotonic() the first copy arrived at the fake Bot API
    again: float  # ... and the next copy
    kind: str  # "after accept", "in flight" or "unexplained"
    kill: float | None  # the kill that explains it


@dataclass
class Outcome:
    label: str
    statements: int
    chats: int
    seconds: float = 0.0
    kills: list[float] = field(default_factory=list)  # time.monotonic() of each SIGKILL
    sent: list[dict[str, Any]] = field(default_factory=list)
    queued: dict[tuple[int, int], str] = field(default_factory=dict)  # (chat, ref) -> status
    attempts: dict[tuple[int, int], int] = field(default_factory=dict)  # (chat, ref) -> attempts
    t0: float = 0.0  # time.monotonic() at the start
    events: int = 0
    stored_statement_items: int = 0

    # --- what the figures are made of -------------------------------------------------

    def copies(self) -> dict[tuple[int, int], list[float]]:
        out: dict[tuple[int, int], list[float]] = {}
        for m in self.sent:
            ref = REF.search(m["text"])
            if ref is not None:
                out.setdefault((m["chat_id"], int(ref.group(1))), []).append(m["at"])
        return out

    def expected(self, chat_ids: list[int]) -> set[tuple[int, int]]:
        return {(c, i) for c in chat_ids for i in range(self.statements)}

    def lost(self, chat_ids: list[int]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """(queued but never delivered, never queued)."""
        missing = sorted(self.expected(chat_ids) - set(self.copies()))
        queued = [k for k in missing if k in self.queued]
        return queued, [k for k in missing if k not in self.queued]

    def duplicates(self) -> list[Duplicate]:
        """Every second (third, ...) copy of an alert, with the kill that explains it, if any."""
        out = []
        for (chat, ref), times in self.copies().items():
            times = sorted(times)
            for first, again in itertools.pairwise(times):
                between = [k for k in self.kills if first <= k <= again]
                # A request written just before SIGKILL still reaches the server, after it.
                before = [k for k in self.kills if first - IN_FLIGHT <= k < first]
                kind = "after accept" if between else "in flight" if before else "unexplained"
                kill = between[0] if between else before[-1] if before else None
                out.append(Duplicate(chat, ref, first, again, kind, kill))
        return out

    def send_rate_at_kills(self, span: float = 2.0) -> list[float]:
        """Messages accepted per second in the `span` seconds before each kill."""
        ats = [m["at"] for m in self.sent]
        return [sum(1 for a in ats if k - span <= a < k) / span for k in self.kills]


async def read_store(url: str, outcome: Outcome) -> None:
    """The outbox rows (chat, statement ref, status) and the events, as the processes left them."""
    store = await Store.open(url, migrate=False)
    try:
        async with store.engine.connect() as conn:
            rows = await conn.execute(
                select(outbox.c.chat_id, outbox.c.status, outbox.c.attempts, items.c.title)
                .join(matches, matches.c.id == outbox.c.match_id)
                .join(items, items.c.id == matches.c.item_id)
            )
            for chat_id, status, attempts, title in rows:
                ref = REF.search(title or "")
                if ref is not None:
                    outcome.queued[(chat_id, int(ref.group(1)))] = status
                    outcome.attempts[(chat_id, int(ref.group(1)))] = attempts
            count_events = select(func.count()).select_from(events)
            outcome.events = (await conn.execute(count_events)).scalar_one()
            outcome.stored_statement_items = (
                await conn.execute(
                    select(func.count()).select_from(items).where(items.c.title.like("%(ref %"))
                )
            ).scalar_one()
    finally:
        await store.close()


async def delivered_all(api: str, want: int) -> int:
    """Distinct (chat, statement) pairs delivered so far."""
    pairs = {
        (m["chat_id"], ref.group(1))
        for m in await sent_messages(api)
        if (ref := REF.search(m["text"])) is not None
    }
    return len(pairs)


async def one_run(args: argparse.Namespace, kills: int, label: str) -> tuple[Outcome, list[int]]:
    config = FarmConfig(
        feeds=args.feeds,
        hosts=20,
        statements=args.statements,
        outlets=2,
        waves=args.waves,
        seed=args.seed,
    )
    rng = random.Random(args.seed * 1000 + kills)
    outcome = Outcome(label, args.statements, args.chats)
    with feed_farm(config) as farm, tempfile.TemporaryDirectory(prefix="pw-crash-") as tmp:
        logs = Path(tmp)
        if args.logs:
            logs = Path(args.logs) / f"kills-{kills}"
            logs.mkdir(parents=True, exist_ok=True)
        async with database(args.database, f"crash{kills}") as url, fake_bot_api() as api:
            chat_ids = await prepare(url, farm.urls(), args.chats)
            runner = Runner(url, api, logs, **SETTINGS, LOG_LEVEL=args.log_level)
            want = args.statements * args.chats
            t0 = outcome.t0 = time.monotonic()
            deadline = t0 + args.budget
            # Waves go out at the start of process 0, k, 2k, ... (baseline: every `gap` s).
            every = max(1, kills // args.waves) if kills else 0
            released = 0
            for n in range(kills):
                if n % every == 0 and released < args.waves:
                    farm.release(released)
                    released += 1
                proc = await runner.start()
                try:
                    await polling(farm, proc)
                    await asyncio.wait_for(proc.wait(), rng.uniform(*args.kill_after))
                    print(f"  process {n} stopped by itself (code {proc.returncode}):")
                    print(runner.tail())
                except TimeoutError:
                    outcome.kills.append(time.monotonic())
                    proc.kill()
                    await proc.wait()
                done = await delivered_all(api, want)
                print(
                    f"  kill {n + 1:2d} at {time.monotonic() - t0:6.1f} s: "
                    f"{done}/{want} alerts delivered so far",
                    flush=True,
                )
                if time.monotonic() > deadline:
                    print("  out of time budget: no more kills")
                    break
            proc = await runner.start()
            try:
                await settle(farm, api, want, released, args, deadline)
            finally:
                await stop(proc)
            outcome.seconds = time.monotonic() - t0
            outcome.sent = await sent_messages(api)
            await read_store(url, outcome)
    return outcome, chat_ids


async def polling(farm: FarmClient, proc: Any, within: float = 60.0) -> None:
    """Return once the process has started polling (the farm sees new requests): a kill
    before that would only interrupt the interpreter's start-up."""
    full, not_modified = await asyncio.to_thread(farm.hits)
    before = sum(full.values()) + not_modified
    end = time.monotonic() + within
    while time.monotonic() < end and proc.returncode is None:
        await asyncio.sleep(0.25)
        full, not_modified = await asyncio.to_thread(farm.hits)
        if sum(full.values()) + not_modified > before:
            return


async def settle(
    farm: FarmClient,
    api: str,
    want: int,
    released: int,
    args: argparse.Namespace,
    deadline: float,
) -> None:
    """Release the waves not yet out (`--wave-gap` apart), then wait until every alert is
    delivered and nothing more arrives for a few seconds, within `--settle` seconds."""
    for wave in range(released, args.waves):
        if wave > released:
            await asyncio.sleep(args.wave_gap)
        farm.release(wave)
    end = min(time.monotonic() + args.settle, deadline + args.settle)
    done = -1
    while time.monotonic() < end:
        done = await delivered_all(api, want)
        if done >= want:
            await asyncio.sleep(4)  # room for a late duplicate to show
            return
        await asyncio.sleep(1)
    print(f"  settle timed out with {done}/{want} delivered")


def report(o: Outcome, chat_ids: list[int]) -> dict[str, Any]:
    queued_lost, never_queued = o.lost(chat_ids)
    dups = o.duplicates()
    explained = sum(1 for d in dups if d.kind == "after accept")
    in_flight = sum(1 for d in dups if d.kind == "in flight")
    unexplained = len(dups) - explained - in_flight
    gaps = [d.kill - d.first for d in dups if d.kind == "after accept" and d.kill is not None]
    rates = o.send_rate_at_kills()
    delivered = len(o.copies())
    print(
        f"\n{o.label}: {o.seconds:.0f} s, {len(o.kills)} kills, {o.statements} statements x "
        f"{o.chats} chats = {o.statements * o.chats} alerts expected"
    )
    print(
        f"  delivered {delivered} distinct alerts in {len(o.sent)} messages; "
        f"{o.events} events stored for {o.statements} statements "
        f"({o.stored_statement_items} statement items)"
    )
    print(
        f"  lost: {len(queued_lost) + len(never_queued)} "
        f"({len(queued_lost)} queued but not delivered, {len(never_queued)} never queued)"
    )
    for chat, ref in (queued_lost + never_queued)[:5]:
        print(f"    lost: chat {chat}, statement {ref:03d}, outbox {o.queued.get((chat, ref))}")
    print(
        f"  duplicated: {len(dups)} ({explained} with a kill between Telegram accepting the first "
        f"copy and the second copy; {in_flight} whose first copy reached Telegram within "
        f"{IN_FLIGHT:g} s after a kill, sent before it; {unexplained} with no kill near)"
    )
    if gaps:
        print(
            f"    accept-to-kill gap of the first kind: median "
            f"{statistics.median(gaps) * 1000:.0f} ms, max {max(gaps) * 1000:.0f} ms"
        )
    for d in [d for d in dups if d.kind != "after accept"][:5]:
        near = f", kill at {d.kill - o.t0:.2f} s" if d.kill is not None else ""
        print(
            f"    {d.kind}: chat {d.chat}, statement {d.ref:03d}: copies at {d.first - o.t0:.2f} s "
            f"and {d.again - o.t0:.2f} s{near}; outbox attempts "
            f"{o.attempts.get((d.chat, d.ref))}"
        )
    if rates:
        print(
            f"  sending at the kills: median {statistics.median(rates):.1f} msg/s "
            f"({sum(1 for r in rates if r > 0)} of {len(rates)} kills while messages went out)"
        )
    window_ms = 1000 * (explained + in_flight) / sum(rates) if sum(rates) else None
    if window_ms is not None:
        print(f"  implied window (duplicates / sum of send rates at the kills): {window_ms:.1f} ms")
    return {
        "kills": len(o.kills),
        "seconds": round(o.seconds, 1),
        "alerts_expected": o.statements * o.chats,
        "delivered": delivered,
        "messages": len(o.sent),
        "events": o.events,
        "lost": len(queued_lost) + len(never_queued),
        "lost_queued": len(queued_lost),
        "lost_never_queued": len(never_queued),
        "duplicates": len(dups),
        "duplicates_after_accept": explained,
        "duplicates_in_flight_at_kill": in_flight,
        "duplicates_unexplained": unexplained,
        "median_send_rate_at_kill": round(statistics.median(rates), 2) if rates else None,
        "implied_window_ms": round(window_ms, 1) if window_ms is not None else None,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--kills", type=int, default=12)
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--statements", type=int, default=40)
    parser.add_argument("--chats", type=int, default=10)
    parser.add_argument("--waves", type=int, default=4)
    parser.add_argument(
        "--kill-after",
        type=float,
        nargs=2,
        default=(2.0, 20.0),
        help="s after the process starts polling (uniform between the two)",
    )
    parser.add_argument("--wave-gap", type=float, default=8.0, help="baseline: s between waves")
    parser.add_argument("--settle", type=float, default=150.0)
    parser.add_argument("--budget", type=float, default=300.0, help="s of kills at most")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--only", choices=["baseline", "killed"])
    parser.add_argument("--logs", help="keep the processes' logs in this folder")
    parser.add_argument("--log-level", default="WARNING", help="the processes' LOG_LEVEL")
    args = parser.parse_args()
    kills = max(1, min(args.kills, 100))
    print(
        f"crash benchmark: {args.database}, {args.feeds} feeds on 20 loopback addresses, "
        f"{args.statements} statements x 2 outlets in {args.waves} waves, {args.chats} chats, "
        f"{kills} kills {args.kill_after[0]:g}-{args.kill_after[1]:g} s after each process "
        "starts polling",
        flush=True,
    )
    figures: dict[str, Any] = {"database": args.database}
    if args.only != "killed":
        print("\nbaseline (no kills)", flush=True)
        base, chat_ids = await one_run(args, 0, "baseline (no kills)")
        figures["baseline"] = report(base, chat_ids)
    if args.only != "baseline":
        print(f"\nwith {kills} kills", flush=True)
        crashed, chat_ids = await one_run(args, kills, f"with kill -9 ({kills} kills)")
        figures["killed"] = report(crashed, chat_ids)
    print(json.dumps(figures))


if __name__ == "__main__":
    asyncio.run(main())
