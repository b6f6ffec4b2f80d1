"""Timeline benchmark: /timeline pages and the chart over 1,000,000 items and 10,000 events.

What is measured: the time the bot takes to build a `/timeline` reply for one theme
(`normalization-with-assad`, loaded from the shipped themes) when the store holds 1,000,000
items from 50 feeds over three years and 10,000 events on that theme, each reported by 1-5
matched items. Timed, each after a warm-up, as median and p95 over `--runs` runs:

  first page      `timeline_reply(store, TimelineQuery(slug), offset=0, today=...)`
  deep page       the same at offset 9,000 (the "⏮ First" end of the archive)
  year page       `since` and `until` one year
  year + who:     one year and `who:` a speaker (fuzzy match, as typed in a chat)
  who:            `who:` a speaker over all the years
  chart           `chart_reply(...)`: loads all 10,000 events and their sources, draws the PNG

on SQLite (a file in a temporary directory) and on PostgreSQL (127.0.0.1:5432; a fresh
database `pw_bench_<pid>` created through the admin database `test` and dropped at the end;
skipped, with the reason, when the server cannot be reached). Targets: a page under 200 ms,
a chart under 2 s, on both.

How: `Store.open(url)` migrates the schema, the shipped themes are saved through the store,
then the rows are bulk-inserted straight into the tables (SQLAlchemy Core executemany in
chunks on SQLite, COPY through asyncpg on PostgreSQL) rather than through `commit_poll`; the
fill time is printed apart. PostgreSQL gets `VACUUM ANALYZE` after the fill (what autovacuum
would do soon after); SQLite gets nothing the application does not do itself.

Run from the repo root: `python benchmarks/timeline.py [--items N] [--events N] [--runs N]
[--only sqlite|postgresql] [--explain]`. Prints figures; asserts nothing; never run by the
tests. Each run loop is bounded by `--runs` and by `--budget` seconds per measurement.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
from sqlalchemy import Table, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.timeline.pages import chart_reply, timeline_reply  # noqa: E402
from bot.timeline.query import TimelineQuery  # noqa: E402
from store import Store  # noqa: E402
from store.schema import events, feeds, items, matches, themes  # noqa: E402
from tests.pipeline import load_shipped_themes  # noqa: E402

SLUG = "normalization-with-assad"
NAME = "Normalization with Assad"
PG_ADMIN = os.environ.get("POLICYWATCH_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
PAGE_TARGET = 0.200
CHART_TARGET = 2.0
CHUNK = 20_000
FEEDS = 50
YEARS = 3

# (speaker, office, actor): who makes statements on the theme, and some states without a name.
SPEAKERS: list[tuple[str | None, str | None, str]] = [
    ("Ned Price", "State Department spokesperson", "United States"),
    ("Antony Blinken", "Secretary of State", "United States"),
    ("Matthew Miller", "State Department spokesperson", "United States"),
    ("Faisal bin Farhan", "Foreign Minister", "Saudi Arabia"),
    ("Ayman Safadi", "Foreign Minister", "Jordan"),
    ("Hakan Fidan", "Foreign Minister", "Turkey"),
    ("Mevlut Cavusoglu", "Foreign Minister", "Turkey"),
    ("Recep Tayyip Erdogan", "President", "Turkey"),
    ("Sergey Lavrov", "Foreign Minister", "Russia"),
    ("Maria Zakharova", "Foreign Ministry spokesperson", "Russia"),
    ("Hossein Amir-Abdollahian", "Foreign Minister", "Iran"),
    ("Abdullah bin Zayed", "Foreign Minister", "United Arab Emirates"),
    ("Sameh Shoukry", "Foreign Minister", "Egypt"),
    ("Ahmed Aboul Gheit", "Secretary-General", "Arab League"),
    ("Josep Borrell", "High Representative", "European Union"),
    ("Annalena Baerbock", "Foreign Minister", "Germany"),
    ("Catherine Colonna", "Foreign Minister", "France"),
    ("James Cleverly", "Foreign Secretary", "United Kingdom"),
    ("Antonio Tajani", "Foreign Minister", "Italy"),
    ("Geir Pedersen", "UN Special Envoy for Syria", "United Nations"),
    ("Faisal Mekdad", "Foreign Minister", "Syria"),
    ("Bashar al-Assad", "President", "Syria"),
    ("Mohammed bin Abdulrahman Al Thani", "Prime Minister", "Qatar"),
    ("Majed al-Ansari", "Foreign Ministry spokesperson", "Qatar"),
    ("Abdullah Bou Habib", "Foreign Minister", "Lebanon"),
    ("Fuad Hussein", "Foreign Minister", "Iraq"),
    ("Wang Wenbin", "Foreign Ministry spokesperson", "China"),
    ("Jake Sullivan", "National Security Adviser", "United States"),
    ("Barbara Leaf", "Assistant Secretary of State", "United States"),
    ("Salem bin Mohammed Al Maliki", "Foreign Minister", "Tunisia"),
    (None, None, "Bahrain"),
    (None, None, "Oman"),
    (None, "Foreign Ministry", "Kuwait"),
    (None, "Foreign Ministry", "Algeria"),
    (None, "Foreign Ministry", "Morocco"),
]
STANCES = ["opposes"] * 5 + ["supports"] * 3 + ["unclear"] * 2

WORDS_TEXT = (
    "the government said on Tuesday that talks with Damascus would continue despite "
    "objections from Western capitals and a delegation is expected to visit the Syrian "
    "capital next month to discuss refugees reconstruction sanctions border crossings trade "
    "security cooperation and the return of ambassadors officials told reporters that "
    "normalization was not on the table until a political solution under resolution 2254 "
    "minister spokesperson president foreign ministry embassy Assad regime Arab League summit "
    "Jeddah Amman Ankara Moscow Tehran Riyadh Abu Dhabi Cairo Washington Brussels earthquake "
    "aid Captagon smuggling opposition Idlib northeast Kurdish forces elections constitution "
    "committee Geneva Astana format humanitarian access cross-border UN envoy statement "
    "meeting phone call reopened closed suspended restored relations diplomatic ties"
)
WORDS = WORDS_TEXT.split(" ")


@dataclass
class Timing:
    label: str
    target: float
    runs: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def p95(self) -> float:
        ordered = sorted(self.runs)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    @property
    def met(self) -> bool:
        return self.p95 < self.target


def sentences(rng: random.Random, count: int) -> list[str]:
    """A pool of news-like sentences to compose titles and summaries from quickly."""
    out = []
    for _ in range(count):
        words = rng.choices(WORDS, k=rng.randint(8, 22))
        out.append(" ".join(words).capitalize() + ".")
    return out


def summary_of(rng: random.Random, pool: Sequence[str], n: int) -> str:
    """200-600 characters of prose (a different mix for every item)."""
    want = rng.randint(200, 600)
    parts: list[str] = [f"Report {n}:"]
    size = len(parts[0])
    while size < want:
        s = rng.choice(pool)
        parts.append(s)
        size += len(s) + 1
    return " ".join(parts)[:want]


def title_of(rng: random.Random, pool: Sequence[str]) -> str:
    return rng.choice(pool)[: rng.randint(50, 120)].rstrip(" .") or "Syria"


@dataclass(frozen=True)
class Plan:
    """What to insert, decided up front so both databases get the same data."""

    start: datetime
    today: date
    items: int
    events: int
    seed: int = 7


def event_rows(plan: Plan, theme_id: int) -> tuple[list[dict[str, Any]], list[int]]:
    """The events, and for each the number of items reporting it (1-5)."""
    rng = random.Random(plan.seed)
    pool = sentences(rng, 400)
    span = (plan.today - plan.start.date()).days
    rows: list[dict[str, Any]] = []
    counts: list[int] = []
    for n in range(1, plan.events + 1):
        day = plan.start.date() + timedelta(days=rng.randrange(span))
        speaker, office, actor = rng.choice(SPEAKERS)
        sources = rng.choices([1, 2, 3, 4, 5], weights=[40, 25, 15, 12, 8])[0]
        first = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
            hours=rng.randint(6, 60)
        )
        quote = rng.choice(pool)[: rng.randint(60, 240)] if rng.random() < 0.7 else None
        rows.append(
            {
                "id": n,
                "theme_id": theme_id,
                "day": day,
                "speaker": speaker,
                "office": office,
                "actor": actor,
                "quote": quote,
                "stance": rng.choice(STANCES),
                "headline": title_of(rng, pool),
                "link": f"https://news{rng.randrange(FEEDS)}.example.org/{day:%Y/%m/%d}/{n}",
                "source_count": sources,
                "first_published": first,
                "created_at": first + timedelta(minutes=rng.randint(5, 120)),
            }
        )
        counts.append(sources)
    return rows, counts


def feed_rows(plan: Plan) -> list[dict[str, Any]]:
    return [
        {
            "id": n,
            "url": f"https://news{n}.example.org/rss.xml",
            "title": f"News Outlet {n}",
            "next_poll_at": plan.start + timedelta(days=YEARS * 366),
            "failures": 0,
            "alerted_failing": False,
            "first_polled": True,
            "created_at": plan.start,
        }
        for n in range(1, FEEDS + 1)
    ]


def item_chunks(
    plan: Plan, event_list: Sequence[dict[str, Any]], counts: Sequence[int], theme_id: int
) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """Items (and the matches of those that report an event) in chunks of CHUNK rows.

    The first sum(counts) items report the events, published a few hours to days after each
    event's day; the rest are unrelated news spread evenly over the years.
    """
    rng = random.Random(plan.seed + 1)
    pool = sentences(rng, 3000)
    seconds = int((datetime(*plan.today.timetuple()[:3], tzinfo=UTC) - plan.start).total_seconds())
    linked: list[tuple[dict[str, Any], int]] = []  # (event, rank within the event)
    for event, count in zip(event_list, counts, strict=True):
        linked += [(event, r) for r in range(count)]
    item_id = 0
    while item_id < plan.items:
        chunk: list[dict[str, Any]] = []
        found: list[dict[str, Any]] = []
        for _ in range(min(CHUNK, plan.items - item_id)):
            item_id += 1
            feed_id = rng.randint(1, FEEDS)
            if item_id <= len(linked):
                event, rank = linked[item_id - 1]
                published = event["first_published"] + timedelta(hours=rank * rng.randint(1, 30))
                title = event["headline"] if rank == 0 else title_of(rng, pool)
                found.append(
                    {
                        "item_id": item_id,
                        "theme_id": theme_id,
                        "event_id": event["id"],
                        "score": rng.randint(50, 100),
                        "reasons": json.dumps([{"group": "who", "term": "Assad", "points": 40}]),
                        "brief": "Assad (who), normalization (what)",
                        "speaker": event["speaker"],
                        "office": event["office"],
                        "quote": event["quote"],
                        "stance": event["stance"],
                        "theme_version": 1,
                        "created_at": published + timedelta(minutes=10),
                    }
                )
            else:
                published = plan.start + timedelta(seconds=rng.randrange(seconds))
                title = title_of(rng, pool)
            chunk.append(
                {
                    "id": item_id,
                    "feed_id": feed_id,
                    "key": f"https://news{feed_id}.example.org/a/{item_id}",
                    "title": title,
                    "summary": summary_of(rng, pool, item_id),
                    "link": f"https://news{feed_id}.example.org/a/{item_id}",
                    "author": rng.choice(("Reuters", "AFP", "AP", None, "Staff")),
                    "published_at": published,
                    "dated": True,
                    "fetched_at": published + timedelta(minutes=rng.randint(1, 90)),
                }
            )
        yield chunk, found


async def bulk(store: Store, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows fast: COPY on PostgreSQL, Core executemany on SQLite."""
    if not rows:
        return
    if store.dialect == "postgresql":
        columns = list(rows[0])
        records = [tuple(r[c] for c in columns) for r in rows]
        async with store.engine.connect() as conn:
            raw = await conn.get_raw_connection()
            driver: asyncpg.Connection = raw.driver_connection
            await driver.copy_records_to_table(table.name, records=records, columns=columns)
        return
    rows = (
        [{k: json.loads(v) if k == "reasons" else v for k, v in r.items()} for r in rows]
        if table is matches
        else rows
    )
    async with store.engine.begin() as conn:
        await conn.execute(table.insert(), rows)


async def fill(store: Store, plan: Plan) -> tuple[float, dict[str, int]]:
    started = time.perf_counter()
    await load_shipped_themes(store, plan.start)
    async with store.engine.connect() as conn:
        theme_id = (await conn.execute(select(themes.c.id).where(themes.c.slug == SLUG))).scalar()
    if theme_id is None:
        raise SystemExit(f"the shipped themes have no {SLUG}")
    await bulk(store, feeds, feed_rows(plan))
    event_list, counts = event_rows(plan, theme_id)
    for start in range(0, len(event_list), CHUNK):
        await bulk(store, events, event_list[start : start + CHUNK])
    shown = 0
    for chunk, found in item_chunks(plan, event_list, counts, theme_id):
        await bulk(store, items, chunk)
        await bulk(store, matches, found)
        shown += len(chunk)
        if shown % 200_000 < CHUNK:
            print(f"    {shown:>9,} items  {time.perf_counter() - started:6.1f} s", flush=True)
    if store.dialect == "postgresql":
        async with store.engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            for table in ("feeds", "items", "events", "matches"):
                await conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
            await conn.execute(text("VACUUM ANALYZE"))
    return time.perf_counter() - started, await store.counts()


async def measure(
    timing: Timing, call: Callable[[], Awaitable[object]], runs: int, budget: float
) -> Timing:
    for _ in range(2):  # warm-up: caches, matplotlib import, prepared statements
        await call()
    deadline = time.perf_counter() + budget
    for _ in range(runs):
        t0 = time.perf_counter()
        await call()
        timing.runs.append(time.perf_counter() - t0)
        if time.perf_counter() > deadline:
            break
    return timing


async def explain(store: Store, theme_id_sql: str) -> None:
    """Print the plans of the page queries (what an index change would act on)."""
    prefix = "EXPLAIN QUERY PLAN " if store.dialect == "sqlite" else "EXPLAIN ANALYZE "
    page = (
        "SELECT events.* FROM events JOIN themes ON themes.id = events.theme_id "
        f"WHERE themes.slug = {theme_id_sql} ORDER BY events.day DESC, events.id DESC "
        "LIMIT 5 OFFSET 9000"
    )
    sources = (
        "SELECT matches.event_id, items.id, items.title FROM matches "
        "JOIN items ON items.id = matches.item_id JOIN feeds ON feeds.id = items.feed_id "
        "WHERE matches.event_id IN (1, 2, 3, 4, 5) ORDER BY items.published_at, items.id"
    )
    async with store.engine.connect() as conn:
        for sql in (page, sources):
            print(f"    {sql}")
            for row in await conn.execute(text(prefix + sql)):
                print("      " + " | ".join(str(v) for v in row))


async def bench(url: str, label: str, plan: Plan, args: argparse.Namespace) -> list[Timing]:
    print(f"\n== {label}")
    store = await Store.open(url)
    try:
        print(f"  filling {plan.items:,} items, {plan.events:,} events ...", flush=True)
        took, counts = await fill(store, plan)
        print(
            f"  fill: {took:.1f} s ({counts['items']:,} items, {counts['events']:,} events, "
            f"{counts['matches']:,} matches, {counts['feeds']} feeds)"
        )
        who = "blinken"  # Antony Blinken, one of 35 speakers: ~1 event in 35
        year = str(plan.today.year - 1)
        deep = min(9_000, max(0, plan.events - 10))
        today = plan.today
        cases: list[tuple[Timing, Callable[[], Awaitable[object]]]] = [
            (
                Timing("page: first (latest)", PAGE_TARGET),
                lambda: timeline_reply(store, TimelineQuery(SLUG), offset=0, today=today),
            ),
            (
                Timing(f"page: deep (offset {deep:,})", PAGE_TARGET),
                lambda: timeline_reply(store, TimelineQuery(SLUG), offset=deep, today=today),
            ),
            (
                Timing(f"page: {year} {year}", PAGE_TARGET),
                lambda: timeline_reply(
                    store, TimelineQuery(SLUG, year, year), offset=0, today=today
                ),
            ),
            (
                Timing(f"page: {year} {year} who:{who}", PAGE_TARGET),
                lambda: timeline_reply(
                    store, TimelineQuery(SLUG, year, year, who=who), offset=0, today=today
                ),
            ),
            (
                Timing(f"page: who:{who}", PAGE_TARGET),
                lambda: timeline_reply(store, TimelineQuery(SLUG, who=who), offset=0, today=today),
            ),
            (
                Timing("chart: all events", CHART_TARGET),
                lambda: chart_reply(store, TimelineQuery(SLUG), NAME, today),
            ),
        ]
        reply = await timeline_reply(store, TimelineQuery(SLUG), offset=0, today=today)
        print(
            f"  first page: {len(reply.text)} characters; "
            f"{reply.text.splitlines()[1] if reply.text.count(chr(10)) else reply.text}"
        )
        results = []
        for timing, call in cases:
            await measure(timing, call, args.runs, args.budget)
            mark = "ok" if timing.met else "MISSED"
            print(
                f"  {timing.label:<34} median {timing.median * 1000:8.1f} ms   "
                f"p95 {timing.p95 * 1000:8.1f} ms   ({len(timing.runs)} runs; "
                f"target < {timing.target * 1000:.0f} ms: {mark})",
                flush=True,
            )
            results.append(timing)
        if args.explain:
            await explain(store, f"'{SLUG}'")
        return results
    finally:
        await store.close()


async def run_sqlite(plan: Plan, args: argparse.Namespace) -> list[Timing]:
    with tempfile.TemporaryDirectory(prefix="pw-bench-") as tmp:
        return await bench(f"sqlite:///{tmp}/timeline.db", "SQLite (temp file)", plan, args)


async def run_postgresql(plan: Plan, args: argparse.Namespace) -> list[Timing] | None:
    admin = make_url(PG_ADMIN)
    if admin.host not in ("127.0.0.1", "localhost", None):
        print(f"\n== PostgreSQL: skipped, {admin.host} is not 127.0.0.1")
        return None
    dsn = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        conn = await asyncpg.connect(dsn, timeout=5)
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        print(f"\n== PostgreSQL: skipped, cannot reach {admin.host}:{admin.port}: {exc}")
        return None
    name = f"pw_bench_{os.getpid()}"
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
        try:
            return await bench(
                admin.set(database=name).render_as_string(hide_password=False),
                f"PostgreSQL (database {name})",
                plan,
                args,
            )
        finally:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def summary(label: str, timings: Sequence[Timing]) -> str:
    pages = [t for t in timings if t.target == PAGE_TARGET]
    chart = next(t for t in timings if t.target == CHART_TARGET)
    worst = max(pages, key=lambda t: t.p95)
    return (
        f"{label}: pages median {min(t.median for t in pages) * 1000:.0f}-"
        f"{max(t.median for t in pages) * 1000:.0f} ms, worst p95 {worst.p95 * 1000:.0f} ms "
        f"({worst.label.removeprefix('page: ')}); chart median {chart.median:.2f} s, "
        f"p95 {chart.p95:.2f} s"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30, help="timed runs per measurement")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds per measurement")
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--explain", action="store_true", help="print the page query plans")
    args = parser.parse_args()
    today = date.today()
    start = datetime(today.year - YEARS, today.month, 1, tzinfo=UTC)
    plan = Plan(start=start, today=today, items=args.items, events=args.events)
    if sum(event_rows(plan, 0)[1]) > plan.items:
        raise SystemExit("--items must be at least about 3 x --events")
    print(
        f"timeline benchmark: {plan.items:,} items, {plan.events:,} events on {SLUG}, "
        f"{FEEDS} feeds, {start.date()} .. {today}"
    )
    lines = []
    if args.only in (None, "sqlite"):
        lines.append(summary("SQLite", await run_sqlite(plan, args)))
    if args.only in (None, "postgresql"):
        pg = await run_postgresql(plan, args)
        if pg is not None:
            lines.append(summary("PostgreSQL", pg))
    print("\nREADME summary:")
    for line in lines:
        print(f"- timeline ({plan.items:,} items, {plan.events:,} events), {line}")


if __name__ == "__main__":
    asyncio.run(main())
