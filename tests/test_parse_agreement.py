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
from hypothesis import given, settings
from hypothesis import strategies as st

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


WORDS = st.sampled_from(
    [
        "Talks",
        "resume",
        "in Amman",
        "&amp;",
        "&lt;b&gt;bold&lt;/b&gt;",
        "<![CDATA[<p>a <em>b</em></p>]]>",
        "&#8217;",
        "&#147;",
        "CafÃ©",
        "é",
        "  ",
        "\n",
        "https://news.example.org/a?x=1&amp;y=2",
        "/relative/path",
        "javascript:alert(1)",
        "",
    ]
)
TEXTS = st.lists(WORDS, max_size=4).map("".join)
DATES = st.sampled_from(
    [
        "Tue, 03 Jan 2023 09:30:00 +0300",
        "Mon, 02 Jan 2023 08:00:00 EST",
        "2023-01-02T08:00:00Z",
        "2023-01-04",
        "not a date",
        "",
        "Fri, 01 Jan 2100 00:00:00 GMT",
    ]
)


def rss_child(kind: str, text: str, date: str) -> str:
    return {
        "title": f"<title>{text}</title>",
        "link": f"<link>{text}</link>",
        "guid": f"<guid>{text}</guid>",
        "guid-false": f'<guid isPermaLink="false">{text}</guid>',
        "description": f"<description>{text}</description>",
        "content": f"<content:encoded>{text}</content:encoded>",
        "media": f"<media:description>{text}</media:description>",
        "creator": f"<dc:creator>{text}</dc:creator>",
        "author": f"<author>{text}</author>",
        "pubDate": f"<pubDate>{date}</pubDate>",
        "dc:date": f"<dc:date>{date}</dc:date>",
        "atom:link": f'<atom:link rel="alternate" href="https://news.example.org/{len(text)}"/>',
        "category": f"<category>{text}</category>",
    }[kind]


KINDS = st.sampled_from(
    [
        "title",
        "link",
        "guid",
        "guid-false",
        "description",
        "content",
        "media",
        "creator",
        "author",
        "pubDate",
        "dc:date",
        "atom:link",
        "category",
    ]
)
ITEMS = st.lists(st.lists(st.tuples(KINDS, TEXTS, DATES), max_size=7), max_size=5)


@settings(max_examples=300, deadline=None)
@given(ITEMS, TEXTS)
def test_generated_rss_reads_the_same_by_both_parsers(
    items: list[list[tuple[str, str, str]]], title: str
) -> None:
    body = "".join(
        "<item>" + "".join(rss_child(k, t, d) for k, t, d in item) + "</item>" for item in items
    )
    doc = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:media="http://search.yahoo.com/mrss/" xmlns:atom="http://www.w3.org/2005/Atom">'
        f"<channel><title>{title}</title><link>https://news.example.org/</link>{body}"
        "</channel></rss>"
    )
    fast, slow, _ = read_both(doc.encode(), URL, FETCHED)
    assert differences(fast, slow) == []


def atom_child(kind: str, text: str, date: str) -> str:
    href = f"https://news.example.org/{len(text)}"
    return {
        "title": f"<title>{text}</title>",
        "title-html": f'<title type="html">{text}</title>',
        "link": f'<link href="{href}"/>',
        "link-related": f'<link rel="related" href="{href}"/>',
        "link-typed": f'<link rel="alternate" type="html" href="{href}"/>',
        "id": f"<id>{text}</id>",
        "summary": f"<summary>{text}</summary>",
        "content": f'<content type="html">{text}</content>',
        "author": f"<author><name>{text}</name></author>",
        "author-email": f"<author><name>{text}</name><email>a@example.org</email></author>",
        "published": f"<published>{date}</published>",
        "updated": f"<updated>{date}</updated>",
    }[kind]


ATOM_KINDS = st.sampled_from(
    [
        "title",
        "title-html",
        "link",
        "link-related",
        "link-typed",
        "id",
        "summary",
        "content",
        "author",
        "author-email",
        "published",
        "updated",
    ]
)
ENTRIES = st.lists(st.lists(st.tuples(ATOM_KINDS, TEXTS, DATES), max_size=7), max_size=5)


@settings(max_examples=300, deadline=None)
@given(ENTRIES, TEXTS)
def test_generated_atom_reads_the_same_by_both_parsers(
    entries: list[list[tuple[str, str, str]]], title: str
) -> None:
    body = "".join(
        "<entry>" + "".join(atom_child(k, t, d) for k, t, d in entry) + "</entry>"
        for entry in entries
    )
    doc = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f'<title>{title}</title><link href="https://news.example.org/"/>{body}</feed>'
    )
    fast, slow, _ = read_both(doc.encode(), URL, FETCHED)
    assert differences(fast, slow) == []
