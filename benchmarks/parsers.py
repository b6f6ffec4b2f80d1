"""Parser benchmark: lxml (watchers/parse/lxmlfeed.py) against feedparser, on real feeds.

For every feed file passed with `--data` (files or directories; e.g. /work/shared/feeds), in one
run: `parse_feed` with the fast path and with feedparser only (`fast=False`), compared field by
field with `tests/parseagreement.py`; every disagreement is printed (feed, entry, field, both
values), and whether the fast path fell back to feedparser, and why. Then the speed of each:
items per second of `parse_feed` (best of `--repeat`), and of the bare readers (`read_feed`
against `feedparser.parse` on the same prepared bytes). Without `--data` it uses the project's
fixtures. The feeds' text is only read, never copied anywhere; nothing is asserted. The last
line printed is one JSON object: feeds, entries, disagreements, fallbacks, items/s of each.

Run from the repo root: `python benchmarks/parsers.py --data /work/shared/feeds [--repeat N]`.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import feedparser  # noqa: E402

from tests.parseagreement import differences, read_both  # noqa: E402
from watchers.parse.feed import ParseError, parse_feed  # noqa: E402
from watchers.parse.lxmlfeed import Unhandled, read_feed  # noqa: E402
from watchers.parse.xmlprep import decode_document, strip_doctype, to_feedparser_bytes  # noqa: E402

FETCHED = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
URL = "https://feeds.example.org/feed.xml"


def files(paths: list[str]) -> list[Path]:
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix in (".xml", ".rss", ".rdf"))
        elif path.is_file():
            found.append(path)
    return found


def best(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        work()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", nargs="*", default=None, help="feed files or directories")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data = args.data or [str(ROOT / "tests/data/feeds"), str(ROOT / "tests/data/agreement")]
    paths = files(data)
    bodies = {p: p.read_bytes() for p in paths}
    print(f"parsers: {len(paths)} feed files from {', '.join(data)}")
    disagreements = 0
    fallbacks = 0
    entries = 0
    for path, body in bodies.items():
        fast, slow, fallback = read_both(body, URL, FETCHED)
        found = differences(fast, slow)
        disagreements += len(found)
        fallbacks += fallback is not None
        entries += len(slow["entries"]) if isinstance(slow, dict) else 0
        how = "lxml" if fallback is None else f"feedparser ({fallback[:70]})"
        print(f"  {path.name:<48} {how:<40} disagreements {len(found)}")
        for line in found:
            print(f"      {line}")

    readable = []
    for body in bodies.values():
        try:
            parse_feed(body, url=URL, fetched_at=FETCHED)
            readable.append(body)
        except ParseError:
            continue
    count = sum(len(parse_feed(b, url=URL, fetched_at=FETCHED).entries) for b in readable)

    def run(fast: bool) -> None:
        for b in readable:
            parse_feed(b, url=URL, fetched_at=FETCHED, fast=fast)

    fast_s = best(lambda: run(True), args.repeat)
    slow_s = best(lambda: run(False), args.repeat)
    prepared = [to_feedparser_bytes(strip_doctype(decode_document(b, None))[0]) for b in readable]
    lxml_ready = []
    for b in prepared:
        try:
            read_feed(b)
            lxml_ready.append(b)
        except Unhandled:
            continue
    bare = sum(len(read_feed(b)["entries"]) for b in lxml_ready)
    lxml_s = best(lambda: [read_feed(b) for b in lxml_ready], args.repeat)
    fp_s = best(
        lambda: [
            feedparser.parse(io.BytesIO(b), resolve_relative_uris=False, sanitize_html=False)
            for b in lxml_ready
        ],
        args.repeat,
    )
    print(
        f"\n  parse_feed, {count:,} entries: lxml path {count / fast_s:,.0f} items/s, "
        f"feedparser only {count / slow_s:,.0f} items/s ({slow_s / fast_s:.1f}x)"
    )
    if bare:
        print(
            f"  bare readers on the {len(lxml_ready)} documents lxml reads ({bare:,} entries): "
            f"read_feed {bare / lxml_s:,.0f} items/s, feedparser.parse {bare / fp_s:,.0f} "
            f"items/s ({fp_s / lxml_s:.1f}x)"
        )
    print(f"  disagreements: {disagreements}; fell back to feedparser: {fallbacks}/{len(paths)}")
    figures = {
        "feeds": len(paths),
        "entries": entries,
        "disagreements": disagreements,
        "fallbacks": fallbacks,
        "parse_feed_lxml_items_s": round(count / fast_s),
        "parse_feed_feedparser_items_s": round(count / slow_s),
        "read_feed_items_s": round(bare / lxml_s) if bare else None,
        "feedparser_parse_items_s": round(bare / fp_s) if bare else None,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
