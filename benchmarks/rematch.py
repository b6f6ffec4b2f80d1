"""Re-matching the archive after a theme change: 100,000 stored items against the shipped theme.

Fills a temporary SQLite store (and PostgreSQL when reachable) with 100,000 items made from the
development set (`tests/data/devset.jsonl`, so about a third are on theme), then times
`watchers.poll.rematch.rematch_theme`, the same code `/threshold` and `/keywords` start in the
background. Target: under a minute. Prints the figures; asserts nothing.

    python benchmarks/rematch.py [--items N] [--no-pg]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from matcher import load_themes_toml, shipped_themes_toml  # noqa: E402
from store import Store  # noqa: E402
from store.schema import items  # noqa: E402
from watchers.poll.rematch import rematch_theme  # noqa: E402
from watchers.poll.themes import spec_from_theme, theme_from_spec  # noqa: E402

NOW = datetime(2025, 1, 1, tzinfo=UTC)
PG = "postgresql://postgres@127.0.0.1:5432/test"


def devset() -> list[dict[str, str]]:
    lines = (ROOT / "tests/data/devset.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


async def fill(store: Store, count: int) -> None:
    base = devset()
    for theme in load_themes_toml(shipped_themes_toml()):
        await store.save_theme(spec_from_theme(theme), NOW)
    feed = await store.add_feed("https://example.org/bench.xml", NOW)
    rows = []
    for n in range(count):
        src = base[n % len(base)]
        published = NOW - timedelta(minutes=37 * n)
        rows.append(
            {
                "feed_id": feed.id,
                "key": f"bench-{n}",
                "title": f"{src['title']} ({n})",
                "summary": src.get("summary", ""),
                "link": f"https://example.org/{n}",
                "author": None,
                "published_at": published,
                "dated": True,
                "fetched_at": NOW,
            }
        )
    async with store.engine.begin() as conn:
        for start in range(0, len(rows), 10_000):
            await conn.execute(insert(items), rows[start : start + 10_000])


async def measure(url: str, label: str, count: int) -> None:
    store = await Store.open(url)
    try:
        started = time.perf_counter()
        await fill(store, count)
        filled = time.perf_counter() - started
        spec = await store.get_theme("normalization-with-assad")
        assert spec is not None
        started = time.perf_counter()
        report = await rematch_theme(store, theme_from_spec(spec), lambda: NOW)
        took = time.perf_counter() - started
        _, events = await store.timeline_page(spec.slug, limit=1)
        print(
            f"{label}: filled {count:,} items in {filled:.1f} s; re-matched in {took:.1f} s "
            f"({count / took:,.0f} items/s): {report.added:,} matched, {events:,} events"
        )
        started = time.perf_counter()
        again = await rematch_theme(store, theme_from_spec(spec), lambda: NOW)
        took2 = time.perf_counter() - started
        print(
            f"{label}: re-matched again (nothing changes) in {took2:.1f} s, "
            f"{again.kept:,} kept, {again.added} added, {again.dropped} dropped"
        )
    finally:
        await store.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        await measure(f"sqlite:///{tmp}/bench.db", "SQLite", args.items)
    if args.no_pg:
        return
    import asyncpg  # type: ignore[import-untyped]

    name = f"pw_rematch_{int(time.time())}"
    try:
        admin = await asyncpg.connect(PG.replace("postgresql://", "postgres://"), timeout=5)
    except Exception as exc:  # no server: say so and stop
        print(f"PostgreSQL: skipped ({exc})")
        return
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        await measure(PG.rsplit("/", 1)[0] + f"/{name}", "PostgreSQL", args.items)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main())
