"""Outbox benchmark: one delivery pass's `due_alerts` with 300, 30,000 and 300,000 pending rows.

What is measured: `store.due_alerts(now, limit=500)` (the query a delivery pass starts with;
500 is `Deliverer.batch_size`) as median and p95 over `--runs` runs, on SQLite (a file in a
temporary directory) and PostgreSQL (127.0.0.1:5432; a fresh database `pw_bench_outbox_<pid>`
made through the admin database `test` and dropped at the end; skipped with the reason when
the server cannot be reached). Two ways, in the same run, on the same rows:

  before   the query as it was before migration 0006 (kept below), without the index
           `ix_outbox_pending_id`: every due pending row is read and sorted by id
  after    today's `due_alerts` with the index: the oldest pending rows in id order, stopping
           at the limit

The outbox: 100 chats (one inactive), 7,000 events with an item and a match each, and the
pending rows spread over chats and events in id order; 5% of them wait for a retry in the
future and as many rows again are already sent (history). Rows are inserted straight into
the tables (executemany); PostgreSQL gets `VACUUM ANALYZE` after each fill, SQLite nothing.

Run from the repo root: `python benchmarks/outbox.py [--pending 300,30000,300000] [--runs N]
[--only sqlite|postgresql]`. Prints figures and a last JSON line; asserts nothing; each
measurement loop is bounded by `--runs` and `--budget` seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT)]  # timing; the project

import asyncpg  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from timing import p95, timed_ms  # noqa: E402

from store import Store  # noqa: E402
from store.delivery import ALERT_COLUMNS, _joined  # noqa: E402
from store.records import GroupSpec, ThemeSpec  # noqa: E402
from store.schema import chats, events, items, matches, outbox, themes  # noqa: E402

PG_ADMIN = os.environ.get("POLICYWATCH_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
CHATS = 100
EVENTS = 7000  # (chat, event) is unique: CHATS * EVENTS must exceed all the rows
LIMIT = 500
CHUNK = 5000
THEME = ThemeSpec(
    slug="bench",
    name="Bench",
    description="",
    threshold=50,
    groups=(GroupSpec("who", 40.0, True, ("Assad",)),),
    exclude=(),
    exemplars=(),
    options={},
)


def old_due_alerts_query(now: datetime, limit: int) -> Any:
    """`due_alerts` before migration 0006, for the baseline."""
    return (
        _joined(select(*ALERT_COLUMNS).select_from(outbox))
        .where(outbox.c.status == "pending", outbox.c.next_attempt_at <= now, chats.c.active)
        .order_by(outbox.c.id)
        .limit(limit)
    )


async def insert_chunks(store: Store, table: Any, rows: list[dict[str, Any]]) -> None:
    async with store.engine.begin() as conn:
        for start in range(0, len(rows), CHUNK):
            await conn.execute(insert(table), rows[start : start + CHUNK])


async def fill_base(store: Store) -> None:
    """Chats, a theme, a feed, and EVENTS events each with one item and one match."""
    await store.save_theme(THEME, NOW)
    async with store.engine.connect() as conn:
        theme_id = await conn.scalar(select(themes.c.id).where(themes.c.slug == THEME.slug))
    feed = await store.add_feed("https://example.org/feed.xml", NOW)
    t = NOW - timedelta(days=1)
    await insert_chunks(
        store,
        chats,
        [
            {"id": 1000 + c, "type": "private", "active": c != 0, "created_at": t, "updated_at": t}
            for c in range(CHATS)
        ],
    )
    await insert_chunks(
        store,
        items,
        [
            {
                "id": n,
                "feed_id": feed.id,
                "key": f"k{n}",
                "title": f"Statement {n} on Assad",
                "summary": "",
                "published_at": t,
                "dated": True,
                "fetched_at": t,
            }
            for n in range(1, EVENTS + 1)
        ],
    )
    await insert_chunks(
        store,
        events,
        [
            {
                "id": n,
                "theme_id": theme_id,
                "day": date(2026, 10, 31),
                "stance": "unclear",
                "headline": f"Statement {n}",
                "source_count": 1,
                "first_published": t,
                "created_at": t,
            }
            for n in range(1, EVENTS + 1)
        ],
    )
    await insert_chunks(
        store,
        matches,
        [
            {
                "id": n,
                "item_id": n,
                "theme_id": theme_id,
                "event_id": n,
                "score": 80,
                "reasons": [],
                "brief": "",
                "theme_version": 1,
                "created_at": t,
            }
            for n in range(1, EVENTS + 1)
        ],
    )


async def fill_outbox(store: Store, pending: int) -> None:
    """`pending` pending rows (5% retrying later) after as many sent ones; replaces any."""
    async with store.engine.begin() as conn:
        await conn.execute(outbox.delete())
    rows: list[dict[str, Any]] = []
    for n in range(2 * pending):
        event, chat = divmod(n, CHATS)
        sent = n < pending
        retry = not sent and n % 20 == 0
        created = NOW - timedelta(hours=2) + timedelta(milliseconds=n)
        rows.append(
            {
                "chat_id": 1000 + chat,
                "event_id": event + 1,
                "match_id": event + 1,
                "status": "sent" if sent else "pending",
                "attempts": 1 if sent or retry else 0,
                "next_attempt_at": NOW + timedelta(minutes=5) if retry else created,
                "created_at": created,
            }
        )
    await insert_chunks(store, outbox, rows)


async def measure(url: str, kind: str, sizes: list[int], args: argparse.Namespace) -> list[dict]:
    store = await Store.open(url)
    results = []
    try:
        await fill_base(store)
        for size in sizes:
            start = time.perf_counter()
            await fill_outbox(store, size)
            if kind == "postgresql":
                async with store.engine.connect() as conn:
                    ac = await conn.execution_options(isolation_level="AUTOCOMMIT")
                    await ac.execute(text("VACUUM ANALYZE"))
            fill_s = time.perf_counter() - start

            async def old() -> object:
                async with store.engine.connect() as conn:
                    return (await conn.execute(old_due_alerts_query(NOW, LIMIT))).all()

            async def new() -> object:
                return await store.due_alerts(NOW, limit=LIMIT)

            async with store.engine.begin() as conn:
                await conn.execute(text("DROP INDEX ix_outbox_pending_id"))
            before = await timed_ms(old, args.runs, args.budget)
            async with store.engine.begin() as conn:
                await conn.execute(
                    text(
                        "CREATE INDEX ix_outbox_pending_id ON outbox (id) WHERE status = 'pending'"
                    )
                )
            if kind == "postgresql":
                async with store.engine.connect() as conn:
                    ac = await conn.execution_options(isolation_level="AUTOCOMMIT")
                    await ac.execute(text("ANALYZE outbox"))
            after = await timed_ms(new, args.runs, args.budget)
            got = len(await store.due_alerts(NOW, limit=LIMIT))
            row = {
                "db": kind,
                "pending": size,
                "before_p50_ms": round(statistics.median(before), 2),
                "before_p95_ms": round(p95(before), 2),
                "after_p50_ms": round(statistics.median(after), 2),
                "after_p95_ms": round(p95(after), 2),
                "rows": got,
            }
            print(
                f"{kind:10} {size:>8,} pending (fill {fill_s:5.1f} s): before "
                f"p50 {row['before_p50_ms']:7.2f} ms p95 {row['before_p95_ms']:7.2f} ms | after "
                f"p50 {row['after_p50_ms']:6.2f} ms p95 {row['after_p95_ms']:6.2f} ms "
                f"({got} rows a pass)",
                flush=True,
            )
            results.append(row)
    finally:
        await store.close()
    return results


async def pg_admin(sql: str) -> None:
    conn = await asyncpg.connect(PG_ADMIN.replace("postgresql://", "postgres://"), timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pending", default="300,30000,300000")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--budget", type=float, default=30.0, help="seconds per measurement")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    sizes = [int(s) for s in args.pending.split(",")]
    print(f"due_alerts(limit={LIMIT}); {os.cpu_count()} CPUs, shared with other work: noisy")
    results: list[dict] = []
    if args.only != "postgresql":
        with tempfile.TemporaryDirectory() as tmp:
            results += await measure(f"sqlite:///{tmp}/outbox.db", "sqlite", sizes, args)
    if args.only != "sqlite":
        name = f"pw_bench_outbox_{os.getpid()}"
        try:
            await pg_admin(f'CREATE DATABASE "{name}"')
        except (OSError, asyncpg.PostgresError) as exc:
            print(f"postgresql skipped: {exc}")
        else:
            try:
                url = make_url(PG_ADMIN).set(database=name).render_as_string(False)
                results += await measure(url, "postgresql", sizes, args)
            finally:
                await pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(json.dumps({"due_alerts_limit": LIMIT, "results": results}))


if __name__ == "__main__":
    asyncio.run(main())
