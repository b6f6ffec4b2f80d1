"""lxml's reading of a feed and feedparser's agree field for field (issue 13).

Each case is a file pair in tests/data/agreement/: the feed and the JSON of what `parse_feed`
returns for it, written from feedparser's reading (the reference) and checked by eye; `reader`
says which parser the fast path must use for it ("lxml", or "feedparser" for a document lxml
hands over). The older fixtures in tests/data/feeds/ are compared reading against reading.
`benchmarks/parsers.py --data PATH` runs the same comparison on real feeds.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.parseagreement import differences, read_both

DATA = Path(__file__).parent / "data"
CASES = sorted(p for p in (DATA / "agreement").iterdir() if p.suffix != ".json")
OLDER = [*sorted((DATA / "feeds").iterdir()), DATA / "seed_feed.xml"]
URL = "https://feeds.example.org/world/rss.xml"
FETCHED = datetime(2026, 8, 13, 5, 0, tzinfo=UTC)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_case_reads_as_recorded_by_both_parsers(path: Path) -> None:
    expected = json.loads(path.with_suffix(".json").read_text())
    fast, slow, fallback = read_both(path.read_bytes(), URL, FETCHED)
    assert differences(fast, expected["result"]) == []
    assert differences(slow, expected["result"]) == []
    assert ("lxml" if fallback is None else "feedparser") == expected["reader"], fallback


@pytest.mark.parametrize("path", OLDER, ids=lambda p: p.name)
def test_older_fixtures_read_the_same_by_both_parsers(path: Path) -> None:
    fast, slow, _ = read_both(path.read_bytes(), URL, FETCHED)
    assert differences(fast, slow) == []


def test_most_cases_are_read_by_lxml() -> None:
    readers = [json.loads(p.with_suffix(".json").read_text())["reader"] for p in CASES]
    assert readers.count("lxml") >= len(readers) // 2
