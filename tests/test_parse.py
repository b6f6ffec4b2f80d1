"""parse_feed on fixture feeds: formats, keys, dates, plain text, caps, bad documents."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from watchers.parse.discover import discover_feed_links
from watchers.parse.feed import (
    SUMMARY_LIMIT,
    TITLE_LIMIT,
    EntryData,
    FeedData,
    ParseError,
    parse_feed,
)

FEEDS = Path(__file__).parent / "data" / "feeds"
FETCHED = datetime(2026, 8, 13, 5, 0, tzinfo=UTC)
URL = "https://feeds.example.org/world/rss.xml"


def parse(name: str, **kwargs: object) -> FeedData:
    return parse_feed((FEEDS / name).read_bytes(), url=URL, fetched_at=FETCHED, **kwargs)  # type: ignore[arg-type]


def by_key(feed: FeedData) -> dict[str, EntryData]:
    return {e.key: e for e in feed.entries}


def test_rss20_feed_level() -> None:
    feed = parse("rss20.xml")
    assert feed.title == "Policy Wire - World"
    assert feed.link == "https://news.example.org/world"
    assert feed.ttl_seconds == 15 * 60
    assert feed.dropped == 0


def test_rss20_plain_text_and_keys() -> None:
    entries = by_key(parse("rss20.xml"))
    first = entries["https://news.example.org/articles/arab-league-syria#0"]
    assert first.title == "Arab League readmits Syria after 12-year suspension"
    assert first.summary == (
        "Foreign ministers voted in Cairo to restore Syria’s seat. "
        "Damascus welcomed the decision & thanked its hosts."
    )
    assert "alert" not in first.summary  # script content dropped
    assert (
        first.link
        == "https://news.example.org/articles/arab-league-syria?at_medium=RSS&at_campaign=rss"
    )
    assert first.author == "Wire Desk"
    assert first.published == datetime(2023, 5, 7, 14, 30, tzinfo=UTC)
    assert first.dated is True

    saudi = entries["https://news.example.org/articles/saudi-minister-damascus"]
    assert saudi.title == "Saudi foreign minister visits Damascus for talks"  # whitespace collapsed
    assert saudi.summary == "First visit since 2011 signals a thaw."  # escaped HTML removed
    # a relative link resolves against the feed URL
    assert saudi.link == "https://feeds.example.org/articles/saudi-minister-damascus"
    assert saudi.published == datetime(2023, 4, 18, 6, 15, tzinfo=UTC)  # +0300 -> UTC

    link_only = entries["https://news.example.org/articles/link-only"]
    assert link_only.published == datetime(2023, 5, 8, 10, 0, tzinfo=UTC)  # dc:date

    hashed = [e for e in entries.values() if e.title == "Neither guid nor link"]
    assert len(hashed) == 1 and hashed[0].key.startswith("sha256:")
    assert hashed[0].link is None

    assert entries["script-link"].link is None  # javascript: never survives


def test_hash_key_is_stable() -> None:
    a = [e.key for e in parse("rss20.xml").entries]
    b = [e.key for e in parse("rss20.xml").entries]
    assert a == b


def test_items_without_dates_get_fetched_at() -> None:
    undated = by_key(parse("rss20.xml"))["undated-1"]
    assert undated.published == FETCHED
    assert undated.dated is False


def test_future_dates_are_clamped_to_fetched_at() -> None:
    future = by_key(parse("rss20.xml"))["future-1"]
    assert future.published == FETCHED
    assert future.dated is False


def test_duplicate_guids_keep_the_first() -> None:
    feed = parse("rss20.xml")
    keys = [e.key for e in feed.entries]
    assert len(keys) == len(set(keys))
    first = by_key(feed)["https://news.example.org/articles/arab-league-syria#0"]
    assert first.title.startswith("Arab League")
    assert len(feed.entries) == 7


def test_all_dates_are_aware_utc() -> None:
    for name in ("rss20.xml", "rss10.rdf", "rss091.xml", "atom.xml"):
        for entry in parse(name).entries:
            assert entry.published.tzinfo is not None
            assert entry.published.utcoffset() == UTC.utcoffset(None)


def test_rss10() -> None:
    feed = parse("rss10.rdf")
    assert feed.title == "RDF Policy Notes"
    assert [e.key for e in feed.entries] == [
        "https://rdf.example.net/notes/1",
        "https://rdf.example.net/notes/2",
    ]
    first = feed.entries[0]
    assert first.title == "Jordan reopens border crossing with Syria"
    assert first.published == datetime(2021, 9, 29, 5, 0, tzinfo=UTC)
    assert first.author == "Notes Desk"


def test_rss091_with_netscape_doctype_and_html_entity() -> None:
    feed = parse("rss091.xml")
    assert feed.title == "Old School Wire"
    assert len(feed.entries) == 2
    first = feed.entries[0]
    assert first.key == "http://oldschool.example.com/2018/12/27/uae-embassy.html"
    assert first.title == "UAE reopens embassy in Damascus"
    assert "closed since 2011." in first.summary and "Diplomats returned" in first.summary
    assert first.dated is False


def test_atom() -> None:
    feed = parse("atom.xml")
    assert feed.title == "Atom Policy Feed"
    assert feed.link == "https://atom.example.com/"
    first, second = feed.entries
    assert first.key == "tag:atom.example.com,2023:jeddah"
    assert first.title == "Assad attends Arab League summit in Jeddah"
    assert first.summary == "First summit appearance in over a decade."
    assert first.published == datetime(2023, 5, 19, 7, 0, tzinfo=UTC)
    assert first.author == "Summit Reporter"
    assert second.published == datetime(2023, 5, 20, 8, 0, tzinfo=UTC)  # updated only
    assert second.summary == "XHTML content here."
    assert second.link == "https://feeds.example.org/2023/05/20/updated-only"


def test_empty_feed_is_not_an_error() -> None:
    feed = parse("empty-feed.xml")
    assert feed.title == "Quiet Feed"
    assert feed.entries == ()


@pytest.mark.parametrize("body", [b"", b"   \n\t ", b"\xef\xbb\xbf"])
def test_empty_body(body: bytes) -> None:
    with pytest.raises(ParseError, match="empty body") as info:
        parse_feed(body, url=URL, fetched_at=FETCHED)
    assert str(info.value).startswith(URL + ": ")


def test_html_page_names_html_and_its_feed() -> None:
    with pytest.raises(ParseError, match="HTML page") as info:
        parse("page.html")
    assert info.value.feed_links == (
        "https://feeds.example.org/world/rss.xml",
        "https://feeds.example.org/all.atom",
    )
    assert "https://feeds.example.org/world/rss.xml" in info.value.reason


def test_html_page_without_feed_link() -> None:
    with pytest.raises(ParseError, match=r"HTML page.*links to no feed"):
        parse("page-nofeed.html", content_type="text/html; charset=utf-8")


def test_html_content_type_on_a_real_feed_still_parses() -> None:
    feed = parse("rss10.rdf", content_type="text/html")
    assert len(feed.entries) == 2


def test_not_a_feed() -> None:
    with pytest.raises(ParseError, match=r"not an RSS or Atom feed.*<note>"):
        parse("not-a-feed.xml")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"version": "https://jsonfeed.org/version/1"}', "JSON"),
        (b"just some words", "not an RSS or Atom feed"),
        (b"\x00\x01\x02garbage\xff\xfe", "not an RSS or Atom feed"),
    ],
)
def test_other_non_feeds(body: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        parse_feed(body, url=URL, fetched_at=FETCHED)


def test_huge_title_is_capped() -> None:
    title = "Normalization " * (100_000 // 14)
    body = (
        '<rss version="2.0"><channel><title>t</title>'
        f"<item><title>{title}</title><description>{'d' * 100_000}</description>"
        "<guid>big</guid></item></channel></rss>"
    ).encode()
    entry = parse_feed(body, url=URL, fetched_at=FETCHED).entries[0]
    assert len(entry.title) <= TITLE_LIMIT
    assert entry.title.startswith("Normalization Normalization")
    assert entry.title.endswith("…")
    assert len(entry.summary) <= SUMMARY_LIMIT


def test_huge_guid_becomes_a_hash_key() -> None:
    body = (
        f'<rss version="2.0"><channel><item><title>x</title><guid>{"g" * 5000}</guid></item>'
        "</channel></rss>"
    ).encode()
    key = parse_feed(body, url=URL, fetched_at=FETCHED).entries[0].key
    assert key.startswith("sha256:") and len(key) < 100


def many_items(count: int) -> bytes:
    items = "".join(f"<item><title>Item {i}</title><guid>g{i}</guid></item>" for i in range(count))
    return f'<rss version="2.0"><channel><title>Many</title>{items}</channel></rss>'.encode()


def test_many_entries_capped_and_dropped_counted() -> None:
    feed = parse_feed(many_items(2_000), url=URL, fetched_at=FETCHED, max_entries=500)
    assert len(feed.entries) == 500
    assert feed.entries[0].key == "g0" and feed.entries[-1].key == "g499"
    assert feed.dropped == 1_500
    assert feed.title == "Many"


def test_hundred_thousand_entries_capped() -> None:
    feed = parse_feed(many_items(100_000), url=URL, fetched_at=FETCHED, max_entries=100)
    assert len(feed.entries) == 100
    assert feed.dropped == 99_900


def test_atom_entries_capped() -> None:
    entries = "".join(f"<entry><id>e{i}</id><title>E{i}</title></entry>" for i in range(50))
    body = f'<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>{entries}</feed>'.encode()
    feed = parse_feed(body, url=URL, fetched_at=FETCHED, max_entries=10)
    assert [e.key for e in feed.entries] == [f"e{i}" for i in range(10)]
    assert feed.dropped == 40


def test_naive_fetched_at_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_feed(b"<rss/>", url=URL, fetched_at=datetime(2026, 1, 1))


def test_ttl_out_of_range_is_ignored() -> None:
    body = b'<rss version="2.0"><channel><title>t</title><ttl>-5</ttl></channel></rss>'
    assert parse_feed(body, url=URL, fetched_at=FETCHED).ttl_seconds is None
    body = b'<rss version="2.0"><channel><title>t</title><ttl>abc</ttl></channel></rss>'
    assert parse_feed(body, url=URL, fetched_at=FETCHED).ttl_seconds is None


def test_local_file_feed_relative_links_are_dropped() -> None:
    body = (
        b'<rss version="2.0"><channel><item><title>x</title><link>/relative</link></item>'
        b"</channel></rss>"
    )
    feed = parse_feed(body, url="/srv/feeds/local.xml", fetched_at=FETCHED)
    assert feed.entries[0].link is None
    assert feed.entries[0].key == "/relative"


def test_discover_feed_links_in_order() -> None:
    html = (FEEDS / "page.html").read_bytes()
    assert discover_feed_links(html, "https://news.example.org/") == [
        "https://news.example.org/world/rss.xml",
        "https://feeds.example.org/all.atom",
    ]


def test_discover_honours_base_and_rel_lists() -> None:
    html = (
        b'<html><head><base href="https://cdn.example.net/site/">'
        b'<LINK REL="Alternate Feed" TYPE="application/atom+xml; charset=utf-8" HREF="a.atom">'
        b'<link rel="alternate" type="application/rss+xml" href="javascript:evil()">'
        b'<link rel="alternate" type="application/rss+xml" href="a.atom">'
        b"</head></html>"
    )
    assert discover_feed_links(html, "https://example.net/") == [
        "https://cdn.example.net/site/a.atom"
    ]


def test_discover_on_garbage() -> None:
    assert discover_feed_links(b"\xff\xfe<<<>>>", "https://x.example/") == []


def test_rss10_entries_capped_and_still_well_formed() -> None:
    items = "".join(
        f'<item rdf:about="https://r.example/{i}"><title>R{i}</title>'
        f"<link>https://r.example/{i}</link></item>"
        for i in range(30)
    )
    body = (
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://r.example/">'
        f"<title>R</title></channel>{items}</rdf:RDF>"
    ).encode()
    feed = parse_feed(body, url=URL, fetched_at=FETCHED, max_entries=10)
    assert len(feed.entries) == 10 and feed.dropped == 20
    assert feed.warning is None  # the cut document was closed properly and parsed strictly


def test_the_reader_says_when_feedparser_had_to_read_the_feed() -> None:
    assert parse("rss20.xml").fallback is None  # lxml read it
    old = parse("rss091.xml")  # &nbsp; is not XML: only feedparser's lenient parser reads it
    assert old.fallback and "nbsp" in old.fallback
    assert [e.title for e in old.entries] == [
        e.title for e in parse("rss091.xml", fast=False).entries
    ]


def test_a_body_cut_inside_its_last_item_leaves_that_item_out() -> None:
    """QA round 21: the cut item (a title, no link, guid or date) was stored and alerted with no
    link, then stored again whole when the feed healed: one outlet shown twice."""
    whole = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>'
        b"<item><title>Talks resume</title><link>https://desk.example.org/1</link>"
        b"<pubDate>Mon, 20 Feb 2023 10:00:00 GMT</pubDate></item>"
        b"<item><title>Minister rules out ties</title><description>The minister said"
    )
    feed = parse_feed(whole, url=URL, fetched_at=FETCHED)
    assert [e.title for e in feed.entries] == ["Talks resume"]
    assert feed.warning is not None and "cut off and left out" in feed.warning
