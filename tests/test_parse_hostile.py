"""parse_feed on hostile and oddly encoded documents: entities, charsets, BOMs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from watchers.parse.feed import ParseError, parse_feed

FEEDS = Path(__file__).parent / "data" / "feeds"
FETCHED = datetime(2026, 8, 13, 5, 0, tzinfo=UTC)
URL = "https://feeds.example.org/feed"


def test_billion_laughs_does_not_expand() -> None:
    feed = parse_feed((FEEDS / "billion-laughs.xml").read_bytes(), url=URL, fetched_at=FETCHED)
    text = " ".join([feed.title or ""] + [e.title + e.summary for e in feed.entries])
    assert "lollol" not in text
    assert len(text) < 200
    assert [e.key for e in feed.entries] == ["lol-1"]


def test_system_entity_reads_nothing(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    body = (
        "<?xml version='1.0'?>\n"
        f'<!DOCTYPE rss [<!ENTITY s SYSTEM "{secret.as_uri()}">]>\n'
        '<rss version="2.0"><channel><title>t &s;</title>'
        "<item><title>leak &s;</title><description>&s;</description><guid>x</guid></item>"
        "</channel></rss>"
    ).encode()
    feed = parse_feed(body, url=URL, fetched_at=FETCHED)
    everything = repr(feed)
    assert "TOP-SECRET" not in everything
    assert [e.key for e in feed.entries] == ["x"]


def test_system_entity_fixture_reads_nothing() -> None:
    feed = parse_feed((FEEDS / "system-entity.xml").read_bytes(), url=URL, fetched_at=FETCHED)
    assert "root:" not in repr(feed)
    assert [e.key for e in feed.entries] == ["xxe-1"]


def test_doctype_hidden_after_a_comment_is_removed() -> None:
    body = (
        b'<?xml version="1.0"?><!-- <a> --><!DOCTYPE r [<!ENTITY a "AAAAAAAAAA">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<rss version="2.0"><channel><item><title>&b;</title><guid>k</guid></item>'
        b"</channel></rss>"
    )
    feed = parse_feed(body, url=URL, fetched_at=FETCHED)
    assert "AAAAAAAAAA" not in repr(feed)


def test_body_that_is_a_path_is_not_opened() -> None:
    # feedparser opens files named by a str/bytes argument; we always hand it a stream.
    with pytest.raises(ParseError):
        parse_feed(b"/etc/passwd", url=URL, fetched_at=FETCHED)


def test_unterminated_doctype() -> None:
    with pytest.raises(ParseError, match="DOCTYPE"):
        parse_feed(b"<!DOCTYPE rss [ <!ENTITY x 'y'>", url=URL, fetched_at=FETCHED)


def test_windows_1256_arabic() -> None:
    feed = parse_feed((FEEDS / "arabic-windows-1256.xml").read_bytes(), url=URL, fetched_at=FETCHED)
    assert feed.title == "أخبار السياسة"
    assert feed.entries[0].title == "الجامعة العربية تعيد سوريا إلى مقعدها"


def test_iso_8859_9_turkish() -> None:
    feed = parse_feed((FEEDS / "turkish-iso-8859-9.xml").read_bytes(), url=URL, fetched_at=FETCHED)
    assert feed.entries[0].title == "Erdoğan: Şam ile görüşmeye hazırız"
    assert "ğüşıöç" in feed.entries[0].summary


def test_charset_from_http_header_when_no_declaration() -> None:
    raw = (FEEDS / "turkish-iso-8859-9.xml").read_bytes()
    body = raw.replace(b' encoding="ISO-8859-9"', b"")
    feed = parse_feed(
        body, url=URL, fetched_at=FETCHED, content_type="application/rss+xml; charset=iso-8859-9"
    )
    assert feed.entries[0].title == "Erdoğan: Şam ile görüşmeye hazırız"


def test_declaration_beats_a_wrong_http_charset() -> None:
    body = (FEEDS / "arabic-windows-1256.xml").read_bytes()
    feed = parse_feed(body, url=URL, fetched_at=FETCHED, content_type="text/xml; charset=utf-8")
    assert feed.entries[0].title == "الجامعة العربية تعيد سوريا إلى مقعدها"


def test_missing_charset_utf8_then_cp1252() -> None:
    utf8 = '<rss version="2.0"><channel><item><title>Genève café</title></item></channel></rss>'
    feed = parse_feed(utf8.encode("utf-8"), url=URL, fetched_at=FETCHED)
    assert feed.entries[0].title == "Genève café"
    feed = parse_feed(utf8.encode("cp1252"), url=URL, fetched_at=FETCHED)
    assert feed.entries[0].title == "Genève café"


def test_unknown_declared_encoding_falls_back() -> None:
    body = (
        '<?xml version="1.0" encoding="x-no-such-charset"?>'
        '<rss version="2.0"><channel><item><title>naïve</title></item></channel></rss>'
    ).encode()
    assert parse_feed(body, url=URL, fetched_at=FETCHED).entries[0].title == "naïve"


def test_utf8_bom() -> None:
    feed = parse_feed((FEEDS / "bom-utf8.xml").read_bytes(), url=URL, fetched_at=FETCHED)
    assert feed.title == "BOM Feed — ünïcödé"
    assert feed.entries[0].title == "Café talks in Genève"


def test_utf16_bom() -> None:
    feed = parse_feed((FEEDS / "utf16.xml").read_bytes(), url=URL, fetched_at=FETCHED)
    assert feed.title == "UTF-16 Feed — ünïcödé"
    assert feed.entries[0].title == "Café talks in Genève"


def test_malformed_but_readable_feed_is_accepted_with_a_warning() -> None:
    body = (
        b'<rss version="2.0"><channel><title>Broken & proud</title>'
        b"<item><title>Unclosed <b>bold</title><guid>u1</guid></item>"
        b"<item><title>Second</title><guid>u2</guid></item>"
    )
    feed = parse_feed(body, url=URL, fetched_at=FETCHED)
    assert [e.key for e in feed.entries] == ["u1", "u2"]
    assert feed.warning is not None


@pytest.mark.parametrize(
    "body",
    [
        b'<rss version="2.0"><channel><item><title>' + b"<a>" * 200_000 + b"</title></item>",
        b'<rss version="2.0"><channel><item><title>' + b"&" * 2_000_000,
        b'<rss version="2.0"><channel><item><title>' + b"<" * 2_000_000,
    ],
    ids=["deep-nesting", "bare-ampersands", "bare-less-thans"],
)
def test_documents_that_would_take_minutes_are_refused(body: bytes) -> None:
    with pytest.raises(ParseError, match="too much markup"):
        parse_feed(body, url=URL, fetched_at=FETCHED)


def test_html_inside_cdata_does_not_count_as_markup() -> None:
    article = "<p>" + "word <b>bold</b> <a href='https://x.example/'>link</a> " * 600 + "</p>"
    items = "".join(
        f"<item><guid>g{i}</guid><description><![CDATA[{article}]]></description></item>"
        for i in range(100)
    )  # 180,000 tags inside CDATA
    body = f'<rss version="2.0"><channel>{items}</channel></rss>'.encode()
    feed = parse_feed(body, url=URL, fetched_at=FETCHED)
    assert len(feed.entries) == 100
    assert feed.entries[0].summary.startswith("word bold link word bold link")


def test_utf16_header_on_an_ascii_body_is_ignored() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>ok</title></item>'
        b"</channel></rss>"
    )
    feed = parse_feed(body, url=URL, fetched_at=FETCHED, content_type="text/xml; charset=utf-16")
    assert feed.entries[0].title == "ok"


@pytest.mark.parametrize(
    ("fixture", "declaration", "language", "expected"),
    [
        ("arabic-windows-1256.xml", b' encoding="windows-1256"', b"ar", "أخبار السياسة"),
        ("turkish-iso-8859-9.xml", b' encoding="ISO-8859-9"', b"tr", "Dış Politika Haberleri"),
    ],
)
def test_no_charset_anywhere_uses_the_feed_language(
    fixture: str, declaration: bytes, language: bytes, expected: str
) -> None:
    body = (FEEDS / fixture).read_bytes().replace(declaration, b"")
    body = body.replace(b"<channel>", b"<channel><language>" + language + b"</language>")
    feed = parse_feed(body, url=URL, fetched_at=FETCHED)
    assert feed.title == expected
