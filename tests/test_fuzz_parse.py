"""Fuzz parse_feed: random bytes, mutated fixture feeds and generated feed-like XML.

The property: parse_feed returns a FeedData within its bounds or raises ParseError; nothing
else escapes, nothing hangs (each strategy is small and max_examples keeps the run short).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from feedparser.datetimes import _parse_date as feedparser_parse_date
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from watchers.parse.discover import discover_feed_links
from watchers.parse.feed import (
    LINK_LIMIT,
    SUMMARY_LIMIT,
    TITLE_LIMIT,
    FeedData,
    ParseError,
    _link,
    parse_feed,
)
from watchers.parse.feeddate import parse_date
from watchers.parse.htmltext import html_to_text

FEEDS = Path(__file__).parent / "data" / "feeds"
FIXTURES = [p.read_bytes() for p in sorted(FEEDS.iterdir()) if p.is_file()]
FETCHED = datetime(2026, 8, 13, 5, 0, tzinfo=UTC)
MAX_ENTRIES = 20
FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def check(body: bytes, content_type: str | None = None) -> None:
    try:
        feed = parse_feed(
            body,
            url="https://fuzz.example/feed",
            fetched_at=FETCHED,
            content_type=content_type,
            max_entries=MAX_ENTRIES,
        )
    except ParseError as exc:
        assert str(exc).startswith("https://fuzz.example/feed: ")
        return
    assert isinstance(feed, FeedData)
    assert len(feed.entries) <= MAX_ENTRIES
    assert feed.dropped >= 0
    assert len({e.key for e in feed.entries}) == len(feed.entries)
    for entry in feed.entries:
        assert entry.key
        assert len(entry.title) <= TITLE_LIMIT
        assert len(entry.summary) <= SUMMARY_LIMIT
        assert entry.published.tzinfo is not None
        assert entry.published <= FETCHED + timedelta(minutes=15)
        assert entry.dated or entry.published == FETCHED
        assert entry.link is None or entry.link.startswith(("http://", "https://"))


@FUZZ
@given(st.binary(max_size=3000), st.sampled_from([None, "text/html", "text/xml; charset=utf-16"]))
def test_random_bytes(body: bytes, content_type: str | None) -> None:
    check(body, content_type)


@st.composite
def mutated_fixture(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(FIXTURES)))
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["flip", "delete", "insert", "duplicate", "truncate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif kind == "insert":
            snippet = draw(
                st.sampled_from(
                    [
                        b"<",
                        b">",
                        b"&",
                        b"]]>",
                        b"<![CDATA[",
                        b"<!--",
                        b"<!DOCTYPE x [",
                        b"&lol;",
                        b"\x00",
                        b"\xff\xfe",
                        b"<item>",
                        b"</item>",
                        b"<entry>",
                        b'"',
                        b"<?xml ",
                    ]
                )
            )
            data[at:at] = snippet
        elif kind == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 400))]
        elif kind == "truncate":
            del data[at:]
    return bytes(data)


@FUZZ
@given(mutated_fixture())
def test_mutated_fixtures(body: bytes) -> None:
    check(body)


TAGS = [
    "rss",
    "channel",
    "item",
    "title",
    "link",
    "guid",
    "pubDate",
    "description",
    "feed",
    "entry",
    "id",
    "updated",
    "summary",
    "content",
    "author",
    "dc:date",
    "ttl",
    "rdf:RDF",
    "html",
    "body",
    "p",
    "script",
]
TEXT = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40) | st.sampled_from(
    [
        "&amp;",
        "&#x0;",
        "&#99999999;",
        "&nbsp;",
        "<![CDATA[<b>x</b>]]>",
        "Mon, 99 Foo 2023 25:61:00 GMT",
        "9999-12-31T23:59:59Z",
        "0001-01-01",
        "javascript:alert(1)",
        "//evil.example/x",
        "-1",
        "99999999999",
    ]
)


def element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda tag, kids: f"<{tag}>{''.join(kids)}</{tag}>",
        st.sampled_from(TAGS),
        st.lists(children, max_size=5),
    )


XML = st.recursive(TEXT.map(lambda t: t.replace("<", "&lt;")), element, max_leaves=30)


@FUZZ
@given(XML, st.booleans())
def test_generated_feedish_xml(doc: str, declare: bool) -> None:
    prefix = '<?xml version="1.0" encoding="utf-8"?>' if declare else ""
    check((prefix + doc).encode("utf-8", errors="replace"))


@FUZZ
@given(st.binary(max_size=2000) | mutated_fixture())
def test_discover_never_crashes(html: bytes) -> None:
    for link in discover_feed_links(html, "https://fuzz.example/page"):
        assert link.startswith(("http://", "https://"))


@FUZZ
@given(st.text(max_size=3000), st.integers(1, 500))
def test_html_to_text_is_bounded(fragment: str, limit: int) -> None:
    text = html_to_text(fragment, limit)
    assert len(text) <= limit
    assert text == text.strip()
    assert "  " not in text


def resolved_by_urljoin(value: str, url: str) -> str | None:
    """What an entry's link was before the plain-link shortcut: joined, split, checked (ends
    stripped of control characters and spaces as browsers do; one inside refuses the link)."""
    href = value.strip("".join(map(chr, range(0x21))))
    if not href or any((ord(c) < 0x20 and c not in "\t\r\n") or ord(c) == 0x7F for c in href):
        return None
    try:
        if urlsplit(url).scheme in ("http", "https"):
            href = urljoin(url, href)
        parts = urlsplit(href)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc or len(href) > LINK_LIMIT:
        return None
    return href


LINK_PIECES = st.sampled_from(
    [
        "a",
        "B",
        "0",
        ".",
        "/",
        "?",
        "#",
        ";",
        ":",
        "@",
        "[",
        "]",
        "%",
        "&",
        "=",
        "-",
        "_",
        "~",
        " ",
        "\t",
        "\n",
        "é",
        "..",
        "/./",
        "?#",
        "x.org",
        ":80",
        "//",
        "http://",
        "HTTP://",
    ]
)


def test_a_link_with_a_control_character_is_no_link_and_one_at_its_ends_is_stripped() -> None:
    assert _link("\x00http://news.example/a.html", "https://news.example/feed") == (
        "http://news.example/a.html"
    )
    assert _link("http://news.example/a\x00b.html", "https://news.example/feed") is None
    assert _link("\x7f", "https://news.example/feed") is None


@FUZZ
@given(
    st.sampled_from(["", "http://", "https://"]),
    st.lists(LINK_PIECES, max_size=12).map("".join),
    st.sampled_from(["https://fuzz.example/a/feed", "http://fuzz.example/", "/tmp/feed.xml"]),
)
def test_a_plain_link_is_kept_exactly_as_urljoin_would_resolve_it(
    scheme: str, rest: str, url: str
) -> None:
    value = scheme + rest
    assert _link(value, url) == resolved_by_urljoin(value, url)


DAY_NAMES = ["", "Mon, ", "Sun, ", "mon, ", "Xyz, "]
MONTHS = ["Jan", "Feb", "Mar", "Jun", "Dec", "jan", "Foo"]
ZONES = ["GMT", "UT", "UTC", "Z", "+0000", "-0500", "+0530", "+1400", "-1260", "EST", "gmt"]


@FUZZ
@given(
    st.sampled_from(DAY_NAMES),
    st.integers(0, 40),
    st.sampled_from(MONTHS),
    st.integers(0, 10000),
    st.tuples(st.integers(0, 61), st.integers(0, 61), st.integers(0, 61)),
    st.sampled_from(ZONES),
    st.sampled_from(["", " ", "x"]),
)
def test_an_rfc822_date_is_read_as_feedparser_reads_it(
    day_name: str,
    day: int,
    month: str,
    year: int,
    clock: tuple[int, int, int],
    zone: str,
    tail: str,
) -> None:
    hms = ":".join(f"{n:02d}" for n in clock)
    text = f"{day_name}{day:02d} {month} {year:04d} {hms} {zone}{tail}"
    assert parse_date(text) == feedparser_parse_date(text)
