"""A farm of local feeds for the process benchmarks (crash.py, scaleout.py), in a child process.

Serves `feeds` RSS 2.0 documents on `hosts` loopback addresses (127.0.0.1 ... 127.0.0.H, one
port; feed n on address n % H + 1, as benchmarks/poll.py does), each with `filler` off-theme
items dated hours before the server started, ETag / Last-Modified and 304s. On top, `statements`
invented official statements on the shipped theme (normalization with Assad), each reported by
`outlets` feeds under different headlines with one speaker and one quote, so each should make
one event; they are released in `waves` on request, dated at release. Every headline carries
"(ref NNN)", so a delivered alert names the statement it reports.

Control (HTTP on 127.0.0.1): POST /_wave?k=K releases wave K (0-based); POST /_change?fraction=F
adds an off-theme item to that share of the feeds; GET /_hits gives full (200) answers per feed
and the count of 304s; POST /_hits/reset zeroes them; GET /_statements lists the released refs;
GET /_items counts the items served.
The server stops when its stdin closes or after `lifetime` seconds. All text here is ours.

Does not measure anything: the benchmarks do.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from typing import Any

import httpx

FILLER = (  # noqa: SIM905 (a sentence is easier to read and write than a list of words)
    "The regional council approved a plan to repair the coastal road before the rainy season, "
    "and the transport office said work on the two bridges would start in the spring. Local "
    "traders asked for longer opening hours at the market; the mayor promised a decision after "
    "a public hearing. Farmers reported a better harvest than last year, helped by mild weather "
    "and cheaper fertiliser, while the port authority expects more container traffic."
).split()
SYLLABLES = ("kor", "val", "dra", "min", "tes", "bar", "lun", "sef", "ora", "qui", "nad", "hel")
COUNTRIES = ("Jordan's", "Egypt's", "Iraq's", "Oman's", "Qatar's", "Kuwait's", "Bahrain's")
HEADLINES = (
    "{c} foreign minister says ties with Assad's Syria should be restored (ref {i:03d})",
    "{c} top diplomat calls for normalization with Assad's government (ref {i:03d})",
    "Minister: {c} government ready to upgrade relations with Assad (ref {i:03d})",
)


@dataclass(frozen=True)
class FarmConfig:
    feeds: int = 200
    hosts: int = 20
    filler: int = 10  # off-theme items per feed
    filler_bytes: int = 800  # description size of a filler item
    statements: int = 40
    outlets: int = 2  # feeds reporting each statement
    waves: int = 4
    seed: int = 7
    lifetime: float = 1800.0


def speaker(i: int) -> tuple[str, str]:
    """(first name, surname) of statement i's speaker: invented, one surname per statement."""
    n = len(SYLLABLES)
    surname = SYLLABLES[i % n] + SYLLABLES[(i // n) % n] + SYLLABLES[(i // n // n) % n] + "ov"
    first = SYLLABLES[(i * 5 + 3) % n] + SYLLABLES[(i * 7 + 1) % n]
    return first.capitalize(), surname.capitalize()


def statement_item(i: int, outlet: int, feed: int, published: datetime) -> str:
    country = COUNTRIES[i % len(COUNTRIES)]
    first, last = speaker(i)
    title = HEADLINES[outlet % len(HEADLINES)].format(c=country, i=i)
    body = (
        f"{country} foreign minister {first} {last} said that his country was ready to restore "
        f'full diplomatic relations with the government of Bashar al-Assad. "Isolating '
        f"Damascus has failed, and statement number {i} calls for normalization of ties with "
        f'Syria now," {last} told reporters.'
    )
    return (
        f"<item><title>{escape(title)}</title>"
        f"<link>https://outlet{feed}.example.org/statements/{i}</link>"
        f'<guid isPermaLink="false">outlet{feed}-statement-{i}</guid>'
        f"<pubDate>{format_datetime(published, usegmt=True)}</pubDate>"
        f"<description>{escape(body)}</description></item>"
    )


def filler_item(rng: random.Random, feed: int, k: int, size: int, published: datetime) -> str:
    words = " ".join(rng.choices(FILLER, k=max(8, size // 7)))
    title = " ".join(rng.choices(FILLER, k=rng.randint(6, 12))).strip(" ,.;").capitalize()
    return (
        f"<item><title>{escape(title)}</title>"
        f"<link>https://outlet{feed}.example.org/news/{k}</link>"
        f'<guid isPermaLink="false">outlet{feed}-{k}</guid>'
        f"<pubDate>{format_datetime(published, usegmt=True)}</pubDate>"
        f"<description><![CDATA[<p>{words}</p>]]></description></item>"
    )


@dataclass
class Feed:
    n: int
    items: list[str]  # newest first
    next_k: int
    version: int = 0
    body: bytes = b""

    def render(self) -> None:
        head = (
            '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
            f"<title>Outlet {self.n}</title><link>https://outlet{self.n}.example.org/</link>"
            f"<description>News from outlet {self.n}</description>"
        )
        self.body = (head + "".join(self.items) + "</channel></rss>").encode()

    @property
    def etag(self) -> str:
        return f'"{self.n}-{self.version}"'


@dataclass
class Farm:
    """The served state; lives in the child process."""

    config: FarmConfig
    started: datetime
    feeds: dict[str, Feed] = field(default_factory=dict)
    outlets_of: dict[int, list[int]] = field(default_factory=dict)
    released: list[int] = field(default_factory=list)
    full: Counter[str] = field(default_factory=Counter)
    not_modified: int = 0

    def __post_init__(self) -> None:
        c = self.config
        rng = random.Random(c.seed)
        for n in range(c.feeds):
            items = [
                filler_item(rng, n, k, c.filler_bytes, self.started - timedelta(hours=2 + k))
                for k in range(c.filler)
            ]
            feed = Feed(n, items, c.filler)
            feed.render()
            self.feeds[f"/feeds/{n}.xml"] = feed
        for i in range(c.statements):
            self.outlets_of[i] = rng.sample(range(c.feeds), min(c.outlets, c.feeds))
        self.rng = rng

    def release(self, wave: int) -> list[int]:
        now = datetime.now(UTC)
        refs = [i for i in range(self.config.statements) if i % self.config.waves == wave]
        for i in refs:
            for outlet, n in enumerate(self.outlets_of[i]):
                feed = self.feeds[f"/feeds/{n}.xml"]
                published = now - timedelta(minutes=outlet)
                feed.items.insert(0, statement_item(i, outlet, n, published))
                feed.version += 1
                feed.render()
        self.released += refs
        return refs

    def change(self, fraction: float) -> int:
        chosen = self.rng.sample(sorted(self.feeds), round(len(self.feeds) * fraction))
        now = datetime.now(UTC)
        for path in chosen:
            feed = self.feeds[path]
            feed.items.insert(
                0, filler_item(self.rng, feed.n, feed.next_k, self.config.filler_bytes, now)
            )
            feed.next_k += 1
            feed.version += 1
            feed.render()
        return len(chosen)


def serve(config: FarmConfig) -> None:
    """The child process: serve the farm, print the port, stop with stdin or the lifetime."""
    from aiohttp import web

    farm = Farm(config, datetime.now(UTC))

    async def feed(request: web.Request) -> web.StreamResponse:
        f = farm.feeds.get(request.path)
        if f is None:
            return web.Response(status=404)
        if request.headers.get("If-None-Match") == f.etag:
            farm.not_modified += 1
            return web.Response(status=304, headers={"ETag": f.etag})
        farm.full[request.path] += 1
        headers = {"ETag": f.etag, "Content-Type": "application/rss+xml; charset=utf-8"}
        return web.Response(body=f.body, headers=headers)

    async def wave(request: web.Request) -> web.StreamResponse:
        return web.json_response(farm.release(int(request.query["k"])))

    async def change(request: web.Request) -> web.StreamResponse:
        return web.json_response(farm.change(float(request.query.get("fraction", "0.1"))))

    async def hits(request: web.Request) -> web.StreamResponse:
        return web.json_response({"full": dict(farm.full), "not_modified": farm.not_modified})

    async def reset(request: web.Request) -> web.StreamResponse:
        farm.full.clear()
        farm.not_modified = 0
        return web.json_response({})

    async def statements(request: web.Request) -> web.StreamResponse:
        return web.json_response(farm.released)

    async def served(request: web.Request) -> web.StreamResponse:
        return web.json_response(sum(len(f.items) for f in farm.feeds.values()))

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/feeds/{name}", feed)
        app.router.add_post("/_wave", wave)
        app.router.add_post("/_change", change)
        app.router.add_get("/_hits", hits)
        app.router.add_post("/_hits/reset", reset)
        app.router.add_get("/_statements", statements)
        app.router.add_get("/_items", served)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0, backlog=2048).start()
        port = runner.addresses[0][1]
        for h in range(2, config.hosts + 1):
            await web.TCPSite(runner, f"127.0.0.{h}", port, backlog=2048).start()
        print(port, flush=True)
        loop = asyncio.get_running_loop()
        stdin_closed = loop.run_in_executor(None, sys.stdin.read)
        try:
            await asyncio.wait_for(stdin_closed, config.lifetime)
        except TimeoutError:
            pass
        finally:
            await runner.cleanup()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())


class FarmClient:
    """The benchmark's side: feed URLs and the control calls."""

    def __init__(self, port: int, config: FarmConfig) -> None:
        self.port = port
        self.config = config
        self.control = f"http://127.0.0.1:{port}"

    def urls(self) -> list[str]:
        h = self.config.hosts
        port = self.port
        count = self.config.feeds
        return [f"http://127.0.0.{n % h + 1}:{port}/feeds/{n}.xml" for n in range(count)]

    def _call(self, method: str, path: str, **params: Any) -> Any:
        with httpx.Client(trust_env=False, timeout=30) as client:
            response = client.request(method, self.control + path, params=params)
            response.raise_for_status()
            return response.json()

    def release(self, wave: int) -> list[int]:
        return list(self._call("POST", "/_wave", k=wave))

    def change(self, fraction: float) -> int:
        return int(self._call("POST", "/_change", fraction=fraction))

    def hits(self) -> tuple[Counter[str], int]:
        data = self._call("GET", "/_hits")
        return Counter(data["full"]), int(data["not_modified"])

    def served_items(self) -> int:
        """Items in all feeds together, as served now."""
        return int(self._call("GET", "/_items"))

    def reset_hits(self) -> None:
        self._call("POST", "/_hits/reset")


@contextlib.contextmanager
def feed_farm(config: FarmConfig) -> Iterator[FarmClient]:
    """Start the farm in a child process; yield its client; stop it."""
    proc = subprocess.Popen(
        [sys.executable, __file__, json.dumps(asdict(config))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        if not line.isdigit():
            raise SystemExit("the feed farm did not start (see its error above)")
        yield FarmClient(int(line), config)
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


if __name__ == "__main__":
    serve(FarmConfig(**json.loads(sys.argv[1])))
