"""Search benchmark: `/search` over N items on SQLite and PostgreSQL, beside the old LIKE scan.

What is measured: `store.search_items(query, limit=10)` (what `/search` runs) for a fixed mix
of queries, each run `--runs` times after a warm-up, as p50 and p95 over the whole mix, on
SQLite (a file in a temporary directory) and on PostgreSQL (127.0.0.1:5432; a fresh database
`pw_bench_search_<pid>` created through the admin database `test` and dropped at the end;
skipped with the reason when the server cannot be reached). The baseline is the query
`/search` ran before migration 0006 (kept below: every word as `ILIKE '%word%'` on the title
or the summary, newest first), on the same database in the same run, `--like-runs` times per
query, since one run at a million items takes seconds.

The items: synthetic text, never feed text. English-like items (90%) draw their words from
a Zipf distribution (exponent 1.1) over 40,000 words: 120 frequent news words, then made-up
words of 2-4 syllables. 5% of the items are Arabic and 5% Turkish, written from short word
lists of our own, Arabic sometimes with harakat and tatweel, Turkish with its dotted and
dotless i's. Some fixed phrases are sprinkled in so that phrase queries have answers. Titles
have 6-14 words, summaries 25-90 (about 450 characters).

The mix: a rare word, a common word, two words, a phrase, a prefix, Arabic (typed without
hamza or harakat), Turkish (typed in ASCII), and three whose words stand for several forms: an
Arabic word without its article, an Arabic prefix, a Turkish word with its endings. Rows go in
through the store's schema and the triggers (SQLite, multi-row INSERTs as the store's poll
path sends them, then the queue indexed as the watchers index it after a cycle) or COPY
(PostgreSQL, GIN index built after the fill, then VACUUM ANALYZE); the fill time is printed
apart.

Run from the repo root: `python benchmarks/search.py --items N [--runs N] [--like-runs N]
[--only sqlite|postgresql] [--sqlite-file PATH] [--keep-pg NAME]` (the last two keep a filled
database for the next run). Prints figures and, last, one JSON line: items, p50_ms and p95_ms
per database (and the LIKE baseline's). Asserts nothing; never run by the tests; every loop is
bounded by its run count and by `--budget` seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT)]  # timing; the project

import asyncpg  # noqa: E402
from sqlalchemy import insert, or_  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from timing import p95, timed_ms  # noqa: E402

from store import Store  # noqa: E402
from store.reading import _items_query  # noqa: E402
from store.schema import items  # noqa: E402

PG_ADMIN = os.environ.get("POLICYWATCH_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
NOW = datetime(2026, 11, 1, tzinfo=UTC)
FEEDS = 50
CHUNK = 5000
VOCABULARY = 40_000


def _words(text: str) -> list[str]:
    return text.split()


FREQUENT = _words(
    "the of and to in a on for said that with is was by as at from it has have will be "
    "government minister foreign president talks syria damascus assad regime meeting "
    "officials ministry statement relations ties visit delegation sanctions refugees "
    "reconstruction border security cooperation ambassador embassy league summit arab "
    "turkey russia iran jordan saudi emirates egypt qatar iraq lebanon united states europe "
    "opposition forces idlib aid earthquake elections constitution committee geneva envoy "
    "humanitarian access crossings trade return normalization political solution resolution "
    "spokesperson week tuesday monday friday capital reporters objections western support "
    "opposes call phone reopened restored suspended diplomatic new first after before "
    "would could not more than also its their this year"
)
SYLLABLES = _words(
    "ka ri to ne mo sa li ve du ra pe no ti ma se lo ku be di fa go ha ja zu wi ye ba "
    "ce fi gu hi jo ko lu mi nu po qu re su tu vo xe yo za an el ir on ur ash eth ith"
)
ARABIC = _words(
    "الرئيس بشار الأسد دمشق سوريا سورية وزير الخارجية التركي الوفد زيارة لقاء العلاقات "
    "الجامعة العربية القمة عمان الرياض أنقرة موسكو طهران اللاجئين العقوبات الحدود المعابر "
    "التطبيع الحكومة المعارضة إدلب الزلزال المساعدات الانتخابات الدستور اللجنة جنيف المبعوث "
    "قال أعلن أكد بيان اجتماع اتصال هاتفي السفير السفارة الأمن التعاون التجارة إعادة الإعمار"
)
ARABIC_MARKED = {"بشار": "بَشّار", "الأسد": "الأســد", "دمشق": "دِمَشق"}
TURKISH = _words(
    "Erdoğan Esad Şam Suriye Dışişleri Bakanı Fidan Çavuşoğlu görüşme ziyaret ilişkiler "
    "normalleşme mülteci yaptırım sınır güvenlik işbirliği büyükelçi İstanbul Ankara Moskova "
    "Tahran açıklama yaptı dedi bugün toplantı heyet Arap Ligi zirve muhalefet İdlib deprem "
    "yardım seçim anayasa komite Cenevre temsilci insani erişim ticaret ısrar ılımlı"
)
PHRASES = ["foreign minister", "arab league summit", "return of refugees", "phone call"]

# (label, query): the fixed mix, the same for every database and size.
MIX = [
    ("rare word", "kadumo"),  # replaced by a word of about 1 in 100,000 items at fill time
    ("common word", "government"),
    ("two words", "sanctions refugees"),
    ("phrase", '"arab league summit"'),
    ("prefix", "reconstr*"),
    ("arabic", "الاسد دمشق"),
    ("turkish", "disisleri bakani"),
    # without the article, a prefix, Turkish letters: each word then stands for several forms
    ("arabic bare word", "علاقات"),
    ("arabic prefix", "علاق*"),
    ("turkish endings", "ilişki"),
]


def zipf_weights(n: int, s: float = 1.1) -> list[float]:
    cum, total = [], 0.0
    for rank in range(1, n + 1):
        total += 1.0 / rank**s
        cum.append(total)
    return cum


def made_up_words(rng: random.Random, n: int) -> list[str]:
    seen = set(FREQUENT)
    out: list[str] = []
    while len(out) < n:
        word = "".join(rng.choices(SYLLABLES, k=rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            out.append(word)
    return out


class TextMaker:
    """Titles and summaries, reproducible from a seed."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.vocabulary = FREQUENT + made_up_words(self.rng, VOCABULARY - len(FREQUENT))
        self.cum = zipf_weights(len(self.vocabulary))

    def english(self, k: int) -> str:
        words = self.rng.choices(self.vocabulary, cum_weights=self.cum, k=k)
        if self.rng.random() < 0.08:
            words.insert(self.rng.randrange(len(words) + 1), self.rng.choice(PHRASES))
        return " ".join(words)

    def arabic(self, k: int) -> str:
        words = self.rng.choices(ARABIC, k=k)
        return " ".join(ARABIC_MARKED.get(w, w) if self.rng.random() < 0.3 else w for w in words)

    def turkish(self, k: int) -> str:
        words = self.rng.choices(TURKISH, k=k)
        if self.rng.random() < 0.3:
            words = [w.upper() for w in words]
        return " ".join(words)

    def item(self) -> tuple[str, str]:
        roll = self.rng.random()
        make = self.arabic if roll < 0.05 else self.turkish if roll < 0.10 else self.english
        title = make(self.rng.randint(6, 14))
        summary = make(self.rng.randint(25, 90))
        return title[:1].upper() + title[1:], summary + "."


def rows(n: int, maker: TextMaker, feed_ids: list[int]) -> Iterator[dict[str, Any]]:
    for i in range(1, n + 1):
        title, summary = maker.item()
        published = NOW - timedelta(minutes=3 * (n - i) + maker.rng.randint(0, 120))
        yield {
            "id": i,
            "feed_id": feed_ids[i % len(feed_ids)],
            "key": f"item-{i}",
            "title": title,
            "summary": summary,
            "link": f"https://example.org/{i}",
            "author": None,
            "published_at": published,
            "dated": True,
            "fetched_at": published,
        }


def rare_word(maker: TextMaker, n: int) -> str:
    """A made-up word expected in about 10 of every million items (Zipf rank by size)."""
    total = maker.cum[-1]
    for rank in range(len(maker.cum) - 1, 0, -1):
        p = (maker.cum[rank] - maker.cum[rank - 1]) / total
        if p * 60 * n >= 10:  # ~60 words an item
            return maker.vocabulary[rank]
    return maker.vocabulary[-1]


def old_like_query(query: str) -> Any:
    """`search_items` before migration 0006, for the baseline."""
    statement = _items_query()
    for word in query.replace('"', " ").replace("*", " ").split():
        pattern = f"%{word.replace('%', '').replace('_', '')}%"
        statement = statement.where(
            or_(items.c.title.ilike(pattern), items.c.summary.ilike(pattern))
        )
    return statement.order_by(items.c.published_at.desc(), items.c.id.desc()).limit(10)


async def fill(store: Store, url: str, n: int, maker: TextMaker) -> float:
    start = time.perf_counter()
    feed_ids = [
        (await store.add_feed(f"https://example.org/{f}.xml", NOW)).id for f in range(FEEDS)
    ]
    if store.dialect == "sqlite":
        # As store/polls.py inserts: with RETURNING, sent as multi-row INSERTs. (A plain
        # executemany is one statement a row, and FTS5 writes its buffer out after each.)
        statement = insert(items).returning(items.c.id)
        batch: list[dict[str, Any]] = []
        for row in rows(n, maker, feed_ids):
            batch.append(row)
            if len(batch) == CHUNK:
                async with store.engine.begin() as conn:
                    await conn.execute(statement, batch)
                batch = []
        if batch:
            async with store.engine.begin() as conn:
                await conn.execute(statement, batch)
        # An insert only queues the item for the index (migration 0014); the watchers index
        # the queue after each cycle. Searched before that, every query would scan the queue.
        await store.index_pending()
        return time.perf_counter() - start
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("DROP INDEX ix_items_search")
        columns = list(next(rows(1, TextMaker(), feed_ids)).keys())
        chunk: list[tuple[Any, ...]] = []
        for row in rows(n, maker, feed_ids):
            chunk.append(tuple(row[c] for c in columns))
            if len(chunk) == CHUNK * 4:
                await conn.copy_records_to_table("items", records=chunk, columns=columns)
                chunk = []
        if chunk:
            await conn.copy_records_to_table("items", records=chunk, columns=columns)
        await conn.execute("SET maintenance_work_mem = '256MB'")
        await conn.execute("CREATE INDEX ix_items_search ON items USING gin (search)")
        await conn.execute("VACUUM ANALYZE items")
    finally:
        await conn.close()
    return time.perf_counter() - start


async def measure(url: str, kind: str, args: argparse.Namespace) -> dict[str, Any]:
    maker = TextMaker()
    mix = [(label, rare_word(maker, args.items) if label == "rare word" else q) for label, q in MIX]
    store = await Store.open(url)
    try:
        if await store.count_items() == 0:
            fill_s = await fill(store, url, args.items, maker)
            print(f"{kind}: {args.items:,} items stored in {fill_s:.0f} s", flush=True)
        new_all: list[float] = []
        like_all: list[float] = []
        for label, query in mix:

            async def new(q: str = query) -> object:
                return await store.search_items(q, limit=10)

            async def like(q: str = query) -> object:
                async with store.engine.connect() as conn:
                    return (await conn.execute(old_like_query(q))).all()

            found = len(await store.search_items(query, limit=10))
            t_new = await timed_ms(new, args.runs, args.budget)
            t_like = await timed_ms(like, args.like_runs, args.budget) if args.like_runs else []
            new_all += t_new
            like_all += t_like
            like_text = (
                f"LIKE p50 {statistics.median(t_like):8.1f} ms ({len(t_like)} runs)"
                if t_like
                else "LIKE not run"
            )
            print(
                f"  {label:12} {query!r:28} {found:2} found: index p50 "
                f"{statistics.median(t_new):6.1f} ms p95 {p95(t_new):6.1f} ms | {like_text}",
                flush=True,
            )
        result = {
            "p50_ms": round(statistics.median(new_all), 1),
            "p95_ms": round(p95(new_all), 1),
            "like_p50_ms": round(statistics.median(like_all), 1) if like_all else None,
            "like_p95_ms": round(p95(like_all), 1) if like_all else None,
        }
        print(
            f"{kind}: index p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms over the mix; "
            f"old LIKE scan p50 {result['like_p50_ms']} ms, p95 {result['like_p95_ms']} ms",
            flush=True,
        )
        return result
    finally:
        await store.close()


async def pg_admin(sql: str) -> None:
    conn = await asyncpg.connect(PG_ADMIN.replace("postgresql://", "postgres://"), timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30, help="runs per query of the index")
    parser.add_argument("--like-runs", type=int, default=3, help="runs per query of LIKE")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds per measurement")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument(
        "--sqlite-file", metavar="PATH", help="use and keep this SQLite file; fill if empty"
    )
    parser.add_argument(
        "--keep-pg", metavar="NAME", help="use and keep this PostgreSQL database; fill if empty"
    )
    args = parser.parse_args()
    print(
        f"/search over {args.items:,} items; {os.cpu_count()} CPUs shared with other work, "
        "so figures are noisy",
        flush=True,
    )
    out: dict[str, Any] = {"items": args.items, "p50_ms": {}, "p95_ms": {}, "like": {}}
    results: dict[str, dict[str, Any]] = {}
    if args.only != "postgresql":
        if args.sqlite_file:
            url = f"sqlite:///{Path(args.sqlite_file).resolve()}"
            results["sqlite"] = await measure(url, "sqlite", args)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                results["sqlite"] = await measure(f"sqlite:///{tmp}/search.db", "sqlite", args)
    if args.only != "sqlite":
        name = args.keep_pg or f"pw_bench_search_{os.getpid()}"
        try:
            await pg_admin(f'CREATE DATABASE "{name}"')
        except asyncpg.DuplicateDatabaseError:
            pass
        except (OSError, asyncpg.PostgresError) as exc:
            print(f"postgresql skipped: {exc}")
            name = ""
        if name:
            try:
                url = make_url(PG_ADMIN).set(database=name).render_as_string(False)
                results["postgresql"] = await measure(url, "postgresql", args)
            finally:
                if not args.keep_pg:
                    await pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    for kind, r in results.items():
        out["p50_ms"][kind] = r["p50_ms"]
        out["p95_ms"][kind] = r["p95_ms"]
        out["like"][kind] = {"p50_ms": r["like_p50_ms"], "p95_ms": r["like_p95_ms"]}
    print(json.dumps(out))


if __name__ == "__main__":
    asyncio.run(main())
