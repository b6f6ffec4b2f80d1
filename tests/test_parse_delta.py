"""A changed feed is parsed only where it changed: the entries its last stored version already
had are left out, and what is new comes out exactly as a whole parse would find it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.feeds import Entry, rss
from watchers.parse.entrydelta import read_seen, split_entries
from watchers.parse.feed import FeedData, parse_feed

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
URL = "https://example.org/feed.xml"


def entry(n: int, text: str = "") -> Entry:
    return Entry(
        f"item-{n}",
        f"Headline number {n}",
        text or f"<p>Body of item {n}, with <b>markup</b> &amp; an entity.</p>",
        NOW - timedelta(hours=n),
    )


def parse(body: bytes, previous: str | None = None) -> FeedData:
    return parse_feed(body, url=URL, fetched_at=NOW, previous=previous)


def keys(parsed: FeedData) -> set[str]:
    return {e.key for e in parsed.entries}


def test_a_feed_with_two_new_items_parses_only_those_two() -> None:
    first = parse(rss([entry(n) for n in range(2, 32)]))
    assert first.digests is not None and first.skipped == 0 and len(first.entries) == 30

    body = rss([entry(n) for n in range(30)])  # two new on top, two fell off the bottom
    delta = parse(body, first.digests)
    whole = parse(body)

    assert keys(delta) == {"item-0", "item-1"} and delta.skipped == 28
    assert delta.entries == tuple(e for e in whole.entries if e.key in keys(delta))
    # The schedule still sees every date, and the next poll can skip all 30 of this version.
    assert sorted(delta.dates) == sorted(whole.dates) and len(delta.dates) == 30
    assert delta.digests == whole.digests and len(read_seen(delta.digests)) == 30
    assert delta.title == whole.title == "Test feed"


def test_an_edited_entry_is_read_again_and_an_unchanged_feed_parses_nothing() -> None:
    first = parse(rss([entry(n) for n in range(5)]))
    edited = parse(
        rss([entry(0, "A corrected body"), *[entry(n) for n in range(1, 5)]]), first.digests
    )
    assert keys(edited) == {"item-0"} and edited.skipped == 4

    same = parse(rss([entry(n) for n in range(5)]), first.digests)
    assert same.entries == () and same.skipped == 5 and same.title == "Test feed"


def test_item_tags_inside_cdata_and_comments_do_not_split_an_entry() -> None:
    tricky = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
        "<!-- an <item> in a comment -->"
        "<item><guid>a</guid><title>A</title>"
        "<description><![CDATA[<item>not an item</item> and </item> neither]]></description>"
        "</item>"
        '<item><guid>b</guid><title>B</title><description x=">">plain</description></item>'
        "</channel></rss>"
    )
    split = split_entries(tricky.split("?>", 1)[1])
    assert split is not None and len(split.spans) == 2
    first = parse(tricky.encode())
    assert first.digests is not None and keys(first) == {"a", "b"}
    grown = tricky.replace("<!--", "<item><guid>c</guid><title>C</title></item><!--")
    delta = parse(grown.encode(), first.digests)
    assert keys(delta) == {"c"} and delta.skipped == 2


def test_atom_and_rss1_feeds_are_parsed_by_difference_too() -> None:
    def atom(ids: list[int]) -> bytes:
        entries = "".join(
            f"<entry><id>urn:e:{i}</id><title>E{i}</title><updated>2026-03-0{1 + i % 2}T08:00:00Z"
            f"</updated><link href='https://example.org/{i}'/></entry>"
            for i in ids
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Atom</title><id>urn:f</id>{entries}</feed>"
        ).encode()

    first = parse(atom([1, 2, 3]))
    assert parse(atom([4, 1, 2, 3]), first.digests).entries[0].key == "urn:e:4"

    def rdf(ids: list[int]) -> bytes:
        items = "".join(
            f'<item rdf:about="https://example.org/{i}"><title>R{i}</title>'
            f"<link>https://example.org/{i}</link></item>"
            for i in ids
        )
        return (
            '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
            ' xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://example.org/">'
            f"<title>RDF</title></channel>{items}</rdf:RDF>"
        ).encode()

    first = parse(rdf([1, 2]))
    delta = parse(rdf([3, 1, 2]), first.digests)
    assert keys(delta) == {"https://example.org/3"} and delta.skipped == 2


def test_a_malformed_feed_is_always_parsed_whole() -> None:
    broken = rss([entry(n) for n in range(3)]).replace(b"an entity", b"an &nbsp; entity")
    first = parse(broken)
    assert first.digests is None and len(first.entries) == 3
    again = parse(broken, "e1 " + " ".join(f"{n:016x}:-" for n in range(3)))
    assert again.skipped == 0 and len(again.entries) == 3


def test_fingerprints_from_an_unknown_format_are_ignored() -> None:
    body = rss([entry(n) for n in range(3)])
    first = parse(body)
    assert first.digests is not None
    assert parse(body, "e9 " + first.digests[3:]).skipped == 0
    assert parse(body, "garbage").skipped == 0


@settings(max_examples=60, deadline=None)
@given(
    before=st.lists(st.integers(0, 40), max_size=25, unique=True),
    after=st.lists(st.integers(0, 40), max_size=25, unique=True),
    edited=st.sets(st.integers(0, 40), max_size=5),
)
def test_whatever_changes_nothing_new_is_ever_skipped(
    before: list[int], after: list[int], edited: set[int]
) -> None:
    first = parse(rss([entry(n) for n in before]))
    body = rss([entry(n, "edited" if n in edited else "") for n in after])
    delta = parse(body, first.digests)
    whole = parse(body)
    # Whatever the delta parse left out was stored from the previous version.
    assert keys(whole) - keys(delta) <= keys(first)
    assert keys(delta) >= keys(whole) - keys(first)
    assert delta.skipped + len(delta.entries) == len(whole.entries)
    assert sorted(delta.dates) == sorted(whole.dates)
