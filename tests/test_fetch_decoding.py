"""Pure helpers of fetching: capped body decoding and the server's timing hints."""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from watchers.fetch.caps import BadEncoding, BodyTooLarge, read_capped
from watchers.fetch.hints import cache_max_age, format_http_date, parse_http_date, seconds_until

NOW = datetime(2026, 8, 13, 5, 0, tzinfo=UTC)
TEXT = b"<rss>" + b"policy " * 2000 + b"</rss>"


def gzip(data: bytes) -> bytes:
    comp = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return comp.compress(data) + comp.flush()


def deflate(data: bytes, wbits: int) -> bytes:
    comp = zlib.compressobj(6, zlib.DEFLATED, wbits)
    return comp.compress(data) + comp.flush()


async def chunks(data: bytes, size: int = 100) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


@pytest.mark.parametrize(
    ("encoding", "raw"),
    [
        (None, TEXT),
        ("identity", TEXT),
        ("gzip", gzip(TEXT)),
        ("x-gzip", gzip(TEXT)),
        ("GZIP", gzip(TEXT)),
        ("deflate", deflate(TEXT, zlib.MAX_WBITS)),  # zlib-wrapped, as the RFC says
        ("deflate", deflate(TEXT, -zlib.MAX_WBITS)),  # raw, as some servers send
    ],
)
async def test_decodes(encoding: str | None, raw: bytes) -> None:
    assert await read_capped(chunks(raw), encoding, 1_000_000) == TEXT


async def test_concatenated_gzip_members() -> None:
    raw = gzip(b"<rss>first ") + gzip(b"second</rss>")
    assert await read_capped(chunks(raw, 7), "gzip", 1000) == b"<rss>first second</rss>"


async def test_trailing_junk_after_gzip_is_ignored() -> None:
    assert await read_capped(chunks(gzip(TEXT) + b"\x00\x00junk"), "gzip", 10**6) == TEXT


@pytest.mark.parametrize("encoding", [None, "gzip", "deflate"])
async def test_cap_applies_to_decoded_size(encoding: str | None) -> None:
    raw = {None: TEXT, "gzip": gzip(TEXT), "deflate": deflate(TEXT, zlib.MAX_WBITS)}[encoding]
    with pytest.raises(BodyTooLarge):
        await read_capped(chunks(raw), encoding, len(TEXT) - 1)
    assert await read_capped(chunks(raw), encoding, len(TEXT)) == TEXT


async def test_bomb_in_one_chunk_stops_at_the_cap() -> None:
    bomb = gzip(b"\0" * (50 * 1024 * 1024))
    with pytest.raises(BodyTooLarge):
        await read_capped(chunks(bomb, len(bomb)), "gzip", 1024)


@pytest.mark.parametrize("encoding", ["br", "zstd", "gzip, gzip", "compress"])
async def test_unrequested_encodings(encoding: str) -> None:
    with pytest.raises(BadEncoding):
        await read_capped(chunks(b"xx"), encoding, 100)


async def test_corrupt_gzip() -> None:
    with pytest.raises(BadEncoding, match="corrupt gzip"):
        await read_capped(chunks(b"definitely not gzip"), "gzip", 100)


@pytest.mark.parametrize(
    ("cache_control", "expires", "expected"),
    [
        ("max-age=300", None, 300),
        ("public, max-age=300, must-revalidate", None, 300),
        ('max-age="60"', None, 60),
        ("s-maxage=999", None, None),
        ("no-cache, max-age=300", None, None),
        ("no-store", "Thu, 13 Aug 2026 06:00:00 GMT", None),
        ("max-age=0", None, 0),
        (None, "Thu, 13 Aug 2026 06:00:00 GMT", 3600),
        ("private", "Thu, 13 Aug 2026 06:00:00 GMT", 3600),
        (None, "Thu, 13 Aug 2026 04:00:00 GMT", 0),
        (None, "0", None),
        (None, "-1", None),
        (None, None, None),
        ("max-age=300", "Thu, 13 Aug 2026 06:00:00 GMT", 300),
    ],
)
def test_cache_max_age(
    cache_control: str | None, expires: str | None, expected: float | None
) -> None:
    assert cache_max_age(cache_control, expires, NOW) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120),
        (" 30 ", 30),
        ("Thu, 13 Aug 2026 05:10:00 GMT", 600),
        ("Thursday, 13-Aug-26 05:10:00 GMT", 600),  # RFC 850, obsolete but legal
        ("Thu Aug 13 05:10:00 2026", 600),  # asctime
        ("Thu, 13 Aug 2026 04:00:00 GMT", 0),
        ("-5", None),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after(value: str | None, expected: float | None) -> None:
    assert seconds_until(value, NOW) == expected


def test_http_date_round_trip() -> None:
    text = format_http_date(NOW)
    assert text == "Thu, 13 Aug 2026 05:00:00 GMT"
    assert parse_http_date(text) == NOW
