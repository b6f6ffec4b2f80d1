"""Poll benchmark: policywatch's poll cycle over 1,000 local feeds, beside a naive loop.

What is measured, in one run:
  (a) `watchers.poll.cycle.PollCycle(store, policy, settings, client, clock).run()` over 1,000 feeds
      with a SQLite store in a temporary directory and the shipped theme loaded: the first
      cycle (every item new: fetch, parse, dedupe, match, store) and steady-state cycles
      (10% of the feeds changed since the last cycle, the rest answer 304 to the conditional
      GET); every feed is made due before each cycle (`store.poll_feeds_now`). Memory:
      `peak_rss_tree_mb`, the peak of the summed resident sets of the WHOLE process tree
      (this process, its parse workers and multiprocessing's resource tracker; the feed
      server is the benchmark's, not policywatch's, and is left out), sampled every 50 ms by
      a thread with psutil over the cycles; beside it the main process's own peak
      (`ru_maxrss`) and the workers' largest. `--tracemalloc` adds tracemalloc's peak of
      Python allocations (and slows the cycles down, so their times are then marked).
  (b) A naive sequential loop of `feedparser.parse(url)` over the same 1,000 URLs (no
      conditional GET, no storing, no matching), in random order, cut off after `--naive-budget`
      seconds; when cut off, its time for all 1,000 is extrapolated from the feeds it did, and
      the output says so.

The feeds: RSS 2.0 documents of 20-50 items and 20-100 KB each (HTML descriptions in CDATA,
about 2% of items on the theme), served by an aiohttp server in a child process with ETag,
Last-Modified and 304s. Real feeds sit on hundreds of hosts, so the server listens on 50
loopback addresses (127.0.0.1-127.0.0.50, one port) and feed n is on address n % 50 + 1;
`--hosts 1` puts them all on 127.0.0.1. Between cycles the benchmark asks the server to add
1-3 new items to 10% of the feeds. The client's FetchPolicy is production's defaults (2
requests at once per host, 20 in all) with `allow_private=True`; CycleSettings are those of
the tests (concurrency 10, batches of 100), which are production's too.

Targets (issue 13): first cycle >= 3x faster than the naive loop and under 10 s on a 2-core
machine; steady and idle cycles >= 20x; the whole tree's peak under 300 MB. The last line
printed is one JSON object: naive_s, first_s, steady_s, idle_s, the factors, peak_rss_tree_mb.
Run from the repo root: `python benchmarks/poll.py [--feeds N]
[--steady N] [--naive-budget S] [--hosts N] [--per-host N] [--tracemalloc] [--taught]`.
Prints figures; asserts nothing; never run by the tests; removes its temporary directory and
stops its server.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import json
import logging
import os
import pstats
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import feedparser  # noqa: E402
import httpx  # noqa: E402
import psutil  # noqa: E402
from aiohttp import web  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bot.app.heap import freeze_startup_heap  # noqa: E402
from store import Store  # noqa: E402
from tests.pipeline import SETTINGS, load_shipped_themes  # noqa: E402
from watchers.fetch.client import FetchPolicy, make_client  # noqa: E402
from watchers.poll.cycle import CycleReport, PollCycle  # noqa: E402
from watchers.poll.workerpool import default_workers, make_parse_pool  # noqa: E402

CYCLE_TARGET = 10.0
FIRST_SPEEDUP_TARGET = 3.0
SPEEDUP_TARGET = 20.0
MEMORY_TARGET_MB = 300.0
SERVER_LIFETIME = 900.0  # the feed server stops by itself after this many seconds
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

TEXT_WORDS = (
    "The ministry said on Tuesday that talks would continue despite objections from several "
    "capitals and that a delegation is expected next month to discuss trade, energy prices, "
    "border crossings, security cooperation and the return of refugees. Officials told "
    "reporters the budget would be presented to parliament after the summer recess, while "
    "opposition parties called for early elections and a review of the central bank's "
    "policy. Markets were little changed; analysts expect inflation to ease later this year "
    "as supply chains recover and shipping costs fall back toward pre-crisis levels."
)
TEXT = TEXT_WORDS.split(" ")
ON_THEME = [
    "Saudi Arabia's foreign minister Faisal bin Farhan said on Monday that isolating Syria was "
    "not working and that a new approach to Assad's government was needed.",
    "State Department spokesperson Ned Price said the United States will not normalize "
    "relations with the Assad regime and does not support others doing so.",
    "Jordan's foreign minister Ayman Safadi met Bashar al-Assad in Damascus, the first such "
    "visit since the war began, to discuss restoring ties.",
    "The United Arab Emirates reopened its embassy in Damascus, upgrading diplomatic relations "
    "with the Syrian government of President Bashar al-Assad.",
]


# ---------------------------------------------------------------------------- the feed server


@dataclass
class ServedFeed:
    n: int
    items: list[str]
    next_item: int
    version: int = 0
    body: bytes = b""

    def render(self) -> None:
        head = (
            '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
            f"<title>Outlet {self.n} - World news</title>"
            f"<link>https://outlet{self.n}.example.org/</link>"
            f"<description>News from outlet {self.n}</description><language>en</language>"
        )
        self.body = (head + "".join(self.items) + "</channel></rss>").encode()

    @property
    def etag(self) -> str:
        return f'"{self.n}-{self.version}"'

    @property
    def last_modified(self) -> str:
        return format_datetime(T0 + timedelta(minutes=self.version), usegmt=True)


def item_xml(rng: random.Random, n: int, k: int, size: int, published: datetime) -> str:
    words = rng.choices(TEXT, k=max(10, size // 7))
    body = " ".join(words)
    if rng.random() < 0.02:
        body = rng.choice(ON_THEME) + " " + body
    paragraphs = "".join(f"<p>{body[i : i + 400]}</p>" for i in range(0, len(body), 400))
    title = " ".join(rng.choices(TEXT, k=rng.randint(6, 14))).strip(" ,.").capitalize()
    if body.startswith(tuple(s[:20] for s in ON_THEME)):
        title = body.split(".")[0][:110]
    return (
        f"<item><title>{title}</title>"
        f"<link>https://outlet{n}.example.org/news/{k}</link>"
        f'<guid isPermaLink="false">outlet{n}-{k}</guid>'
        f"<pubDate>{format_datetime(published, usegmt=True)}</pubDate>"
        f"<author>desk@outlet{n}.example.org (News desk)</author>"
        f"<description><![CDATA[{paragraphs}]]></description></item>"
    )


def make_feeds(count: int, seed: int) -> dict[str, ServedFeed]:
    rng = random.Random(seed)
    out: dict[str, ServedFeed] = {}
    for n in range(count):
        items = rng.randint(20, 50)
        size = rng.randint(20_000, 100_000) // items  # bytes per item, markup included
        feed = ServedFeed(n, [], items)
        for k in range(items, 0, -1):
            published = T0 - timedelta(hours=k * rng.uniform(0.5, 12))
            feed.items.append(item_xml(rng, n, k, size - 330, published))
        feed.render()
        out[f"/feeds/{n}.xml"] = feed
    return out


def feed_url(port: int, n: int, hosts: int) -> str:
    """Feed n, on loopback address n % hosts + 1."""
    return f"http://127.0.0.{n % hosts + 1}:{port}/feeds/{n}.xml"


def serve(count: int, seed: int, hosts: int, lifetime: float = SERVER_LIFETIME) -> None:
    """The child process: serve the feeds; print the port; stop after `lifetime` seconds."""
    feeds = make_feeds(count, seed)
    rng = random.Random(seed + 1)

    async def feed(request: web.Request) -> web.StreamResponse:
        f = feeds.get(request.path)
        if f is None:
            return web.Response(status=404)
        headers = {"ETag": f.etag, "Last-Modified": f.last_modified}
        inm = request.headers.get("If-None-Match")
        ims = request.headers.get("If-Modified-Since")
        if inm == f.etag or (inm is None and ims == f.last_modified):
            return web.Response(status=304, headers=headers)
        headers["Content-Type"] = "application/rss+xml; charset=utf-8"
        return web.Response(body=f.body, headers=headers)

    async def change(request: web.Request) -> web.StreamResponse:
        """Add 1-3 items to a random `fraction` of the feeds; `minutes` dates them."""
        fraction = float(request.query.get("fraction", "0.1"))
        minutes = int(request.query.get("minutes", "10"))
        chosen = rng.sample(sorted(feeds), round(len(feeds) * fraction))
        added = 0
        for path in chosen:
            f = feeds[path]
            size = len(f.body) // max(1, len(f.items))
            for _ in range(rng.randint(1, 3)):
                f.next_item += 1
                published = T0 + timedelta(minutes=minutes - rng.randint(0, 9))
                f.items.insert(0, item_xml(rng, f.n, f.next_item, size - 330, published))
                f.items.pop()
                added += 1
            f.version += 1
            f.render()
        return web.json_response({"feeds": len(chosen), "items": added})

    async def main() -> None:
        app = web.Application()
        app.router.add_post("/_change", change)
        app.router.add_get("/feeds/{name}", feed)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        port = runner.addresses[0][1]
        for h in range(2, hosts + 1):  # the same port on the other loopback addresses
            await web.TCPSite(runner, f"127.0.0.{h}", port, backlog=1024).start()
        total = sum(len(f.body) for f in feeds.values())
        print(f"{port} {total}", flush=True)
        try:
            await asyncio.sleep(lifetime)
        finally:
            await runner.cleanup()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())


@contextlib.contextmanager
def feed_server(
    count: int, seed: int, hosts: int = 1, lifetime: float = SERVER_LIFETIME
) -> Iterator[tuple[int, int, int]]:
    """Start the server process; yield (port, total bytes served, its pid); stop it."""
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(count), str(seed), str(hosts), str(lifetime)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().split()
        if len(line) != 2:
            raise SystemExit("the feed server did not start")
        yield int(line[0]), int(line[1]), proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


# ---------------------------------------------------------------------------- the client


def rss_mb() -> float:
    """The current resident set of this process, in MB (Linux /proc)."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3  # KiB on Linux


class TreeMemory:
    """Samples the resident set of this process and all its descendants but `excluded` (the
    feed server) every `interval` seconds in a thread; keeps the peaks."""

    def __init__(self, excluded: int, interval: float = 0.05) -> None:
        self.excluded = excluded
        self.interval = interval
        self.peak_tree = 0.0
        self.peak_workers = 0.0  # the largest single child seen
        self.most_children = 0
        self.child_cpu: dict[int, float] = {}  # pid -> user + system seconds, last seen
        self.relist = 10  # samples between two listings of the descendants
        self._samples = 0
        self._children: list[psutil.Process] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tree-memory", daemon=True)

    def sample(self) -> None:
        me = psutil.Process()
        total = me.memory_info().rss
        if self._samples % self.relist == 0:
            self._children = self._descendants(me)
        self._samples += 1
        children = 0
        for child in self._children:
            try:
                rss = child.memory_info().rss
                cpu = child.cpu_times()
            except psutil.Error:
                continue  # exited meanwhile
            self.child_cpu[child.pid] = cpu.user + cpu.system
            total += rss
            children += 1
            self.peak_workers = max(self.peak_workers, rss / 1e6)
        self.most_children = max(self.most_children, children)
        self.peak_tree = max(self.peak_tree, total / 1e6)

    def _descendants(self, me: psutil.Process) -> list[psutil.Process]:
        """This process's descendants but the feed server and its own children.

        Listing them reads every process of the machine (/proc), so it is done every
        `relist` samples only (0.5 s): sampling at 20 Hz cost the main process 7% of its CPU
        in a first cycle, counted in the figures it measures. Parse workers live for the whole
        run, and one missed for its first half second is still starting up.
        """
        out = []
        for child in me.children(recursive=True):
            try:
                if child.pid == self.excluded or child.ppid() == self.excluded:
                    continue
            except psutil.Error:
                continue
            out.append(child)
        return out

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self) -> TreeMemory:
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()


@dataclass
class CycleRun:
    label: str
    seconds: float
    report: CycleReport
    requests: int
    main_cpu: float = 0.0  # this process's CPU seconds during the cycle
    child_cpu: float = 0.0  # the parse workers' CPU seconds during the cycle
    index_seconds: float = 0.0  # indexing the stored items for /search, after the cycle
    indexed: int = 0


TREE: list[TreeMemory] = []  # the sampler of the running benchmark, for CPU figures


@dataclass
class Results:
    cycles: list[CycleRun] = field(default_factory=list)
    idle: CycleRun | None = None
    rss_before: float = 0.0
    peak_rss: float = 0.0
    traced_peak: float | None = None
    tree: TreeMemory | None = None
    extras: int = 0  # rounds of the with/without comparison (--compare-extras)
    comparison: dict[str, float] = field(default_factory=dict)


PARSE_POOL: list[Executor | None] = [None]  # as `policywatch run` sets it up (bot/app/wiring.py)
TAUGHT = [False]  # --taught: the shipped theme carries a learned model (meaning loaded)


async def teach_shipped_theme(store: Store) -> None:
    """Teach the shipped theme with 24 synthetic labels, so the parse workers score a taught
    theme and load the meaning model (matcher/meaning.py): what a deployment with one pays."""
    from matcher import ItemText
    from matcher.teach import Label, with_labels
    from watchers.poll.themes import spec_from_theme, theme_from_spec

    (spec,) = [s for s in await store.list_themes() if s.slug == "normalization-with-assad"]
    labels = [
        Label(ItemText(ON_THEME[k % len(ON_THEME)], f"Report {k}. {TEXT_WORDS[:200]}"), k < 12)
        if k < 12
        else Label(
            ItemText(ON_THEME[k % len(ON_THEME)], f"Officials denied report {k}. {TEXT_WORDS}"),
            False,
        )
        for k in range(24)
    ]
    taught, report = with_labels(theme_from_spec(spec), labels)
    if not report.active:
        raise SystemExit(f"--taught: the model did not start ({report.needs()})")
    await store.save_theme(spec_from_theme(taught), T0)


PROFILE: list[str] = []  # --profile DIR: where every cycle's profile goes


def profiled(label: str) -> contextlib.AbstractContextManager[object]:
    """cProfile around a cycle when --profile is given (the main process
    only; its times are then inflated, so they are marked): stats saved, the top printed."""
    if not PROFILE:
        return contextlib.nullcontext()
    return _profile(label)


@contextlib.contextmanager
def _profile(label: str) -> Iterator[None]:
    prof = cProfile.Profile(time.process_time)  # CPU, not wall: other work shares the cores
    prof.enable()
    try:
        yield
    finally:
        prof.disable()
        name = label.split(" (")[0].replace(" ", "-")
        path = Path(PROFILE[0]) / f"{name}.prof"
        prof.dump_stats(path)
        out = io.StringIO()
        stats = pstats.Stats(prof, stream=out).sort_stats("tottime")
        stats.print_stats(25)
        stats.sort_stats("cumulative").print_stats(40)
        print(f"  profile of {label} -> {path}\n" + out.getvalue())


async def run_cycle(
    store: Store, policy: FetchPolicy, now: datetime, label: str, feeds: int
) -> CycleRun:
    await store.poll_feeds_now(now)
    tree = TREE[0] if TREE else None

    def children_cpu() -> float:
        if tree is None:
            return 0.0
        tree.sample()
        return sum(tree.child_cpu.values())

    async with make_client(policy) as client:
        c0, k0 = time.process_time(), children_cpu()
        t0 = time.perf_counter()
        cycle = PollCycle(store, policy, SETTINGS, client, lambda: now, parse_pool=PARSE_POOL[0])
        with profiled(label):
            report = await cycle.run()
        took = time.perf_counter() - t0
        main_cpu, child_cpu = time.process_time() - c0, children_cpu() - k0
    # What `policywatch run` does next, beside delivery (bot/app/wiring.py): the items the
    # cycle stored go into SQLite's search index; /search found them from their queue so far.
    t1 = time.perf_counter()
    indexed = await store.index_pending()
    run = CycleRun(label, took, report, feeds, main_cpu, child_cpu)
    run.index_seconds, run.indexed = time.perf_counter() - t1, indexed
    return run


def show(run: CycleRun, traced: bool) -> None:
    r = run.report
    mark = " (under tracemalloc: slower)" if traced else ""
    target = "ok" if run.seconds < CYCLE_TARGET else "MISSED"
    print(
        f"  {run.label:<22} {run.seconds:6.2f} s{mark}  (target < {CYCLE_TARGET:.0f} s: {target})"
        f"  CPU: main {run.main_cpu:.2f} s, workers {run.child_cpu:.2f} s;"
        f"  polled {r.feeds_polled}, unchanged {r.feeds_unchanged}, failed {r.feeds_failed}; "
        f"new items {r.new_items:,}, matches {r.new_matches}, events {r.new_events}; "
        f"read by feedparser {r.parse_fallbacks}",
        flush=True,
    )
    if run.indexed:
        print(
            f"  {'':<22} then {run.indexed:,} items indexed for /search in "
            f"{run.index_seconds:.2f} s (after the cycle, beside delivery)"
        )
    for error in r.errors[:3]:
        print(f"      error: {error}")


async def policywatch_cycles(
    control: str,
    urls: list[str],
    steady: int,
    policy: FetchPolicy,
    traced: bool,
    server: int,
    extras: int = 0,
) -> Results:
    res = Results(extras=extras)
    with TreeMemory(excluded=server) as res.tree:
        TREE[:] = [res.tree]
        await _cycles(control, urls, steady, policy, traced, res)
    return res


async def _cycles(
    control: str, urls: list[str], steady: int, policy: FetchPolicy, traced: bool, res: Results
) -> None:
    count = len(urls)
    with tempfile.TemporaryDirectory(prefix="pw-poll-bench-") as tmp:
        store = await Store.open(f"sqlite:///{tmp}/poll.db")
        try:
            await load_shipped_themes(store, T0)
            if TAUGHT[0]:
                await teach_shipped_theme(store)
            for url in urls:
                await store.add_feed(url, T0)
            res.rss_before = rss_mb()
            freeze_startup_heap()  # as `policywatch run` does before its first cycle
            if traced:
                tracemalloc.start()
            run = await run_cycle(store, policy, T0, "first cycle (all new)", count)
            res.cycles.append(run)
            show(run, traced)
            # Nothing changed: the fixed cost of a cycle (lease, 1,000 conditional GETs, 304s).
            run = await run_cycle(
                store, policy, T0 + timedelta(minutes=5), "idle cycle (0 chg)", count
            )
            res.idle = run
            show(run, traced)
            async with httpx.AsyncClient(trust_env=False) as http:
                for k in range(1, steady + 1):
                    now = T0 + timedelta(minutes=10 * k)
                    changed = await http.post(
                        f"{control}/_change", params={"fraction": 0.1, "minutes": 10 * k}
                    )
                    info = changed.json()
                    run = await run_cycle(store, policy, now, f"steady cycle {k}", count)
                    run.label = f"steady {k} ({info['feeds']} chg)"
                    res.cycles.append(run)
                    show(run, traced)
                if res.extras:
                    await compare_extras(store, policy, http, control, count, steady, res)
            if traced:
                res.traced_peak = tracemalloc.get_traced_memory()[1] / 1e6
                tracemalloc.stop()
            res.peak_rss = maxrss_mb()
            counts = await store.counts()
            print(
                f"  store: {counts['items']:,} items, {counts['matches']} matches, "
                f"{counts['events']} events"
            )
        finally:
            await store.close()


async def compare_extras(
    store: Store,
    policy: FetchPolicy,
    http: httpx.AsyncClient,
    control: str,
    count: int,
    steady: int,
    res: Results,
) -> None:
    """Each round: a steady cycle with and one without entrydelta (the stored fingerprints
    cleared, so changed feeds are parsed and scored whole), in alternating order; medians
    printed."""
    times: dict[str, list[float]] = {k: [] for k in ("delta", "no delta")}
    cpu: dict[str, list[float]] = {k: [] for k in times}
    minute = 10 * steady + 10
    for k in range(res.extras):
        order = [True, False] if k % 2 == 0 else [False, True]
        for with_delta in order:
            minute += 10
            now = T0 + timedelta(minutes=minute)
            await http.post(f"{control}/_change", params={"fraction": 0.1, "minutes": minute})
            saved: list[dict[str, object]] = []
            if not with_delta:
                async with store.engine.begin() as conn:
                    rows = await conn.execute(text("SELECT id, entry_digests FROM feeds"))
                    saved = [{"id": r[0], "d": r[1]} for r in rows]
                    await conn.execute(text("UPDATE feeds SET entry_digests = NULL"))
            run = await run_cycle(store, policy, now, "steady", count)
            if saved:  # the feeds this cycle did not parse get their fingerprints back
                async with store.engine.begin() as conn:
                    await conn.execute(
                        text(
                            "UPDATE feeds SET entry_digests = :d "
                            "WHERE id = :id AND entry_digests IS NULL"
                        ),
                        saved,
                    )
            key = "delta" if with_delta else "no delta"
            times[key].append(run.seconds)
            cpu[key].append(run.main_cpu + run.child_cpu)
    print(f"\n  with/without, median of {res.extras} interleaved rounds (same run, same load):")
    for a, b, what in (("delta", "no delta", "steady cycle, entrydelta"),):
        print(
            f"    {what:<36} with {statistics.median(times[a]):5.2f} s "
            f"(CPU {statistics.median(cpu[a]):4.1f} s), without "
            f"{statistics.median(times[b]):5.2f} s (CPU {statistics.median(cpu[b]):4.1f} s)"
        )
    res.comparison = {
        f"{k.replace(' ', '_')}_s": round(statistics.median(v), 2) for k, v in times.items()
    }


def naive_loop(urls: list[str], budget: float, seed: int) -> tuple[float, int, bool]:
    """feedparser.parse(url) over the URLs in random order until done or out of time.

    Returns (seconds for all of them, feeds actually done, whether it was extrapolated).
    """
    count = len(urls)
    urls = list(urls)
    random.Random(seed).shuffle(urls)
    done = 0
    t0 = time.perf_counter()
    for url in urls:
        parsed = feedparser.parse(url)
        if parsed.get("status") != 200 or not parsed.entries:
            print(f"  naive: {url} gave status {parsed.get('status')}")
        done += 1
        if time.perf_counter() - t0 > budget:
            break
    took = time.perf_counter() - t0
    if done == count:
        return took, done, False
    return took * count / done, done, True


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--steady", type=int, default=3, help="steady-state cycles to time")
    parser.add_argument(
        "--naive-budget", type=float, default=60.0, help="seconds, then extrapolate"
    )
    parser.add_argument(
        "--hosts", type=int, default=50, help="loopback addresses the feeds are spread over"
    )
    parser.add_argument(
        "--per-host", type=int, default=None, help="max requests per host (production's 2)"
    )
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument(
        "--taught",
        action="store_true",
        help="teach the shipped theme first (24 synthetic labels): workers load the meaning model",
    )
    parser.add_argument(
        "--parse-workers",
        type=int,
        default=default_workers(os.cpu_count()),
        help="worker processes for parsing; the default is what `policywatch run` uses "
        "(0: a thread instead)",
    )
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--profile",
        metavar="DIR",
        default=None,
        help="cProfile the main process during every cycle, the first included; stats saved in DIR "
        "(their times are then inflated)",
    )
    parser.add_argument(
        "--compare-extras",
        type=int,
        default=0,
        help="rounds of steady cycles with and without entrydelta, interleaved (0: none)",
    )
    args = parser.parse_args()
    TAUGHT[0] = args.taught
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
        PROFILE[:] = [args.profile]
    if args.parse_workers > 0:
        PARSE_POOL[0] = make_parse_pool(args.parse_workers)
    logging.basicConfig(level=logging.ERROR, format="  log: %(levelname)s %(name)s: %(message)s")
    hosts = max(1, min(args.hosts, 250))
    base_policy = FetchPolicy(allow_private=True)
    policy = FetchPolicy(
        allow_private=True,
        max_per_host=args.per_host if args.per_host else base_policy.max_per_host,
    )
    steady = max(1, min(args.steady, 10))
    with feed_server(args.feeds, args.seed, hosts) as (port, total_bytes, server_pid):
        urls = [feed_url(port, n, hosts) for n in range(args.feeds)]
        base = f"http://127.0.0.1:{port}"
        print(
            f"poll benchmark: {args.feeds:,} feeds, {total_bytes / 1e6:.1f} MB of RSS "
            f"({total_bytes / args.feeds / 1e3:.0f} KB a feed) on {hosts} loopback address(es), "
            f"port {port}; "
            f"{os.cpu_count()} CPUs; per host {policy.max_per_host}, total {policy.max_total}, "
            f"concurrency {SETTINGS.concurrency}"
        )
        print("\n(a) policywatch PollCycle, SQLite store in a temp dir")
        res = await policywatch_cycles(
            base, urls, steady, policy, args.tracemalloc, server_pid, args.compare_extras
        )
        tree = res.tree
        assert tree is not None
        print(
            f"  memory: whole tree peak {tree.peak_tree:.0f} MB (main + {tree.most_children} "
            f"child processes: {args.parse_workers} parse workers and the resource tracker; "
            f"sampled every 50 ms)  (target < {MEMORY_TARGET_MB:.0f} MB: "
            + ("ok" if tree.peak_tree < MEMORY_TARGET_MB else "MISSED")
            + f"); main alone: {res.rss_before:.0f} MB before the first cycle, peak "
            f"{res.peak_rss:.0f} MB (ru_maxrss); largest child {tree.peak_workers:.0f} MB"
            + (f"; tracemalloc peak {res.traced_peak:.0f} MB" if res.traced_peak else "")
        )
        print(f"\n(b) naive sequential feedparser.parse(url), budget {args.naive_budget:.0f} s")
        naive, done, extrapolated = await asyncio.to_thread(
            naive_loop, urls, args.naive_budget, args.seed
        )
        how = f"extrapolated from a random {done}" if extrapolated else f"all {done} feeds"
        print(
            f"  naive loop: {naive:.1f} s for {args.feeds:,} feeds ({how}), "
            f"{naive / args.feeds * 1000:.0f} ms a feed"
        )
    first = res.cycles[0].seconds
    steadies = [c.seconds for c in res.cycles[1:]]
    steady_median = statistics.median(steadies)
    idle = res.idle.seconds if res.idle else float("nan")
    print(f"\nsummary (naive loop {naive:.1f} s{', extrapolated' if extrapolated else ''})")
    for label, seconds, target in (
        ("first cycle", first, FIRST_SPEEDUP_TARGET),
        ("steady cycle (median)", steady_median, SPEEDUP_TARGET),
        ("idle cycle (all 304)", idle, SPEEDUP_TARGET),
    ):
        ratio = naive / seconds
        mark = "ok" if ratio >= target else "MISSED"
        print(
            f"  {label:<22} {seconds:6.2f} s = {ratio:5.1f}x faster than naive "
            f"(target >= {target:.0f}x: {mark})"
        )
    figures = {
        "feeds": args.feeds,
        "parse_workers": args.parse_workers,
        "naive_s": round(naive, 2),
        "naive_extrapolated": extrapolated,
        "first_s": round(first, 2),
        "steady_s": round(steady_median, 2),
        "idle_s": round(idle, 2),
        "first_index_s": round(res.cycles[0].index_seconds, 2),
        "first_x": round(naive / first, 1),
        "steady_x": round(naive / steady_median, 1),
        "idle_x": round(naive / idle, 1),
        "peak_rss_tree_mb": round(tree.peak_tree),
        "peak_rss_main_mb": round(res.peak_rss),
        "cpus": os.cpu_count(),
        "load_avg_1m": round(os.getloadavg()[0], 2),
        **res.comparison,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]))
    else:
        asyncio.run(main())
