"""Parse a fetched feed body into plain, bounded, normalized data.

RSS 0.9x/1.0/2.0 and Atom via feedparser, always on bytes we prepared (`watchers.parse.xmlprep`:
one charset decision, no DTD, a bounded entry count), never with feedparser's own fetching.
Every entry gets a stable key, plain text (HTML removed, capped), an absolute http(s) link and
an aware UTC date. A document that is empty, an HTML page or not a feed raises ParseError with
a reason an admin can act on; a valid feed with no entries is not an error.

Does not fetch, store, match or decide what is new; reads no clock (`fetched_at` is passed in).
"""

from __future__ import annotations

import hashlib
import io
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from watchers.errors import WatcherError
from watchers.parse.discover import discover_feed_links
from watchers.parse.entrydelta import (
    Split,
    digest,
    read_seen,
    split_entries,
    well_formed,
    write_seen,
)
from watchers.parse.htmltext import cap, html_to_text
from watchers.parse.lxmlfeed import Unhandled, read_feed
from watchers.parse.xmlprep import (
    MalformedPrologue,
    decode_document,
    markup_load,
    root_name,
    strip_doctype,
    to_feedparser_bytes,
    truncate_entries,
)

TITLE_LIMIT = 1_000  # characters of an entry or feed title
SUMMARY_LIMIT = 20_000  # characters of an entry summary
AUTHOR_LIMIT = 200
LINK_LIMIT = 2_000
KEY_LIMIT = 512  # longer guids are replaced by their hash
FUTURE_TOLERANCE = timedelta(minutes=15)  # clock skew allowed before a date counts as future
MAX_TTL_MINUTES = 7 * 24 * 60
# Work budget for feedparser, counted after cutting to max_entries (see xmlprep.markup_load):
# a real feed of 500 entries with full XHTML articles stays well under; the worst document
# within both limits parses in about 15 s instead of minutes.
MAX_ELEMENTS = 150_000
MAX_SPECIALS = 1_500_000
_HTML_ROOTS = frozenset({"html", "head", "body"})


@dataclass(frozen=True)
class EntryData:
    """One item as the feed gives it; flows from parsing to storage and matching."""

    key: str  # stable: guid, else link, else "sha256:" + hash of title and summary
    title: str  # plain text, at most TITLE_LIMIT characters
    summary: str  # plain text from description/summary (content if none), capped
    link: str | None  # absolute http(s) URL, or None
    published: datetime  # aware UTC; fetched_at when undated or dated in the future
    dated: bool  # False when published is the fetch time
    author: str | None  # plain text, or None


@dataclass(frozen=True)
class FeedData:
    """One parsed feed; flows from parsing to the poll cycle."""

    title: str | None  # plain text
    link: str | None  # the site, absolute http(s)
    ttl_seconds: int | None  # RSS <ttl> (minutes) in seconds
    entries: tuple[EntryData, ...]  # document order, duplicate keys dropped (first kept)
    dropped: int  # entries beyond max_entries (reported, not stored)
    warning: str | None = None  # the feed was malformed but readable: what feedparser said
    # Dates of every dated entry in the document, the skipped ones too (for the schedule).
    dates: tuple[datetime, ...] = ()
    # Fingerprints of this version's entries, to store with its items (`watchers.parse.entrydelta`);
    # None when the entries could not be told apart surely (the next poll parses whole).
    digests: str | None = None
    skipped: int = 0  # entries left unparsed: their text was in the last stored version
    # Why feedparser read the document instead of lxml (`watchers.parse.lxmlfeed`); None: lxml did.
    fallback: str | None = None


class ParseError(WatcherError):
    """A body is not a usable feed; `str(e)` is "<url>: <reason>"."""

    def __init__(self, url: str, reason: str, *, feed_links: tuple[str, ...] = ()) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url  # the feed as stored
        self.reason = reason  # what is wrong and what to do
        self.feed_links = feed_links  # feeds an HTML page advertises, best first

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from its fields when it comes back from a parse worker: the default pickle
        # calls ParseError(str(self)), which has no `reason`, and a failed unpickling breaks
        # the whole process pool.
        return (partial(type(self), self.url, self.reason, feed_links=self.feed_links), ())


def parse_feed(
    body: bytes,
    *,
    url: str,
    fetched_at: datetime,
    content_type: str | None = None,
    max_entries: int = 500,
    previous: str | None = None,
    fast: bool = True,
) -> FeedData:
    """Parse `body` (the feed at `url`, fetched at `fetched_at`); ParseError if not a feed.

    `previous` is the `digests` of the feed's last stored version: its entries are not parsed
    again (`skipped`), so `entries` holds only what may be new. `fast=False` reads with
    feedparser only (to check that lxml's reading agrees).
    """
    if fetched_at.tzinfo is None:
        raise ValueError("fetched_at must be timezone-aware")
    fetched_at = fetched_at.astimezone(UTC)
    if not body.strip(b" \t\r\n\x00\xef\xbb\xbf\xfe\xff"):
        raise ParseError(url, "the server sent an empty body; will retry at the next poll")
    text = decode_document(body, content_type)
    try:
        text, _ = strip_doctype(text)
    except MalformedPrologue as exc:
        raise ParseError(url, f"not a readable XML document ({exc}); check the URL") from exc
    root = (root_name(text) or "").lower()
    if root in _HTML_ROOTS:
        raise _html_error(url, body)
    text, cut = truncate_entries(text, max(max_entries, 0))
    elements, specials = _markup_load(text)
    if elements > MAX_ELEMENTS or specials > MAX_SPECIALS:
        raise ParseError(
            url,
            f"too much markup to parse ({elements:,} elements, {specials:,} '<' and '&' after "
            f"the first {max_entries} entries; the limits are {MAX_ELEMENTS:,} and "
            f"{MAX_SPECIALS:,}); this is not a feed we can read",
        )
    split = _split(text, max_entries)
    seen = read_seen(previous) if split is not None else {}
    fingerprints = [digest(split.chunk(i)) for i in range(len(split.spans))] if split else []
    drop = [fp in seen for fp in fingerprints]
    parsed = None
    fallback = None
    if split is not None and any(drop):
        parsed, fallback = _read(to_feedparser_bytes(split.without(drop)), url, fast)
        if len(parsed.get("entries") or []) != drop.count(False):
            parsed = None  # the entries were not what we took them for: parse whole
    if parsed is None:
        drop = [False] * len(fingerprints)
        parsed, fallback = _read(to_feedparser_bytes(text), url, fast)
    version = str(parsed.get("version") or "")
    raw_entries: list[Any] = list(parsed.get("entries") or [])
    if not version and not raw_entries and not any(drop):
        if _is_html(content_type):
            raise _html_error(url, body)
        raise ParseError(url, _not_a_feed_reason(text, root))
    warning = _warning(parsed)
    if warning and not raw_entries and not any(drop):
        # A broken document that yields nothing (cut off mid-way, say) is a failing feed, not
        # an empty one: reported on /feeds and refused by /addfeed, and retried.
        what = warning.removeprefix("malformed but readable: ")
        raise ParseError(url, f"a broken feed document with no readable item ({what})")
    entries, built, beyond = _entries(raw_entries, url, fetched_at, max_entries)
    if warning and entries and _cut_off(entries[-1]):
        # A body cut inside its last item leaves a title with no link, guid or date: stored,
        # it was alerted with no link, and stored again whole once the feed healed (QA 21).
        entries = entries[:-1]
        warning = f"{warning}; its last item was cut off and left out"
    dates = [e.published for e in built if e.dated]
    digests = None
    if split is not None and not beyond and len(built) == drop.count(False):
        digests = _pair(fingerprints, drop, seen, built, dates)
    feed = parsed.get("feed") or {}
    return FeedData(
        title=_text(feed.get("title"), TITLE_LIMIT) or None,
        link=_link(feed.get("link"), url),
        ttl_seconds=_ttl(feed.get("ttl")),
        entries=entries,
        dropped=cut + beyond,
        warning=warning,
        dates=tuple(dates),
        digests=digests,
        skipped=drop.count(True),
        fallback=fallback,
    )


def _cut_off(entry: EntryData) -> bool:
    """An entry of a broken document with nothing to tell it by but its text: no link, no
    guid (its key is a hash of its text) and no date."""
    return entry.link is None and entry.key.startswith("sha256:") and not entry.dated


def _markup_load(text: str) -> tuple[int, int]:
    """`markup_load`, skipped when plain counts already prove the document is within limits.

    Counting outside CDATA copies the document; every "<" and "&" anywhere is an upper bound
    found without copying, and enough for every feed of ordinary size.
    """
    lt = text.count("<")
    if lt <= MAX_ELEMENTS and lt + text.count("&") <= MAX_SPECIALS:
        return 0, 0
    return markup_load(text)


def _pair(
    fingerprints: list[str],
    drop: list[bool],
    seen: dict[str, datetime | None],
    built: list[EntryData],
    dates: list[datetime],
) -> str:
    """This version's fingerprints, each with its parsed entry's date or its stored one (which
    also joins `dates`): the record the next poll skips by."""
    fresh = iter(built)
    now_seen: dict[str, datetime | None] = {}
    for fp, gone in zip(fingerprints, drop, strict=True):
        if gone:
            moment = now_seen[fp] = seen[fp]
            if moment is not None:
                dates.append(moment)
        else:
            entry = next(fresh)
            now_seen[fp] = entry.published if entry.dated else None
    return write_seen(now_seen)


def _split(text: str, max_entries: int) -> Split | None:
    """The document's entries, when they can be fingerprinted and left out safely."""
    split = split_entries(text)
    if split is None or len(split.spans) > max_entries or not well_formed(text):
        return None
    return split


def _read(data: bytes, url: str, fast: bool) -> tuple[Any, str | None]:
    """lxml's reading of `data`, else feedparser's; (parsed, why feedparser was needed)."""
    if not fast:
        return _feedparser(data, url), "asked for feedparser"
    try:
        return read_feed(data), None
    except Unhandled as exc:
        return _feedparser(data, url), str(exc)[:200]


def _feedparser(data: bytes, url: str) -> Any:
    try:
        # A stream, never bytes or str: given a string, feedparser would fetch URLs or open
        # files named by the body itself. No content-location: feedparser would resolve guids
        # against it as if they were URLs; we make links absolute ourselves (`_link`).
        return feedparser.parse(
            io.BytesIO(data),
            response_headers={"content-type": "application/xml"},
            resolve_relative_uris=False,
            sanitize_html=False,
        )
    except Exception as exc:  # feedparser on hostile input: translate, do not crash the cycle
        raise ParseError(url, f"the feed parser failed ({type(exc).__name__}: {exc})") from exc


def _entries(
    raw_entries: list[Any], url: str, fetched_at: datetime, max_entries: int
) -> tuple[tuple[EntryData, ...], list[EntryData], int]:
    """(entries without duplicate keys, every entry built in document order, entries beyond)."""
    kept: dict[str, EntryData] = {}
    built: list[EntryData] = []
    for index, raw in enumerate(raw_entries):
        if len(kept) >= max_entries:
            return tuple(kept.values()), built, len(raw_entries) - index
        entry = _entry(raw, url, fetched_at)
        built.append(entry)
        kept.setdefault(entry.key, entry)
    return tuple(kept.values()), built, 0


def _entry(raw: Mapping[str, Any], url: str, fetched_at: datetime) -> EntryData:
    title = _text(raw.get("title"), TITLE_LIMIT)
    summary = _text(raw.get("summary"), SUMMARY_LIMIT)
    if not summary:
        for content in raw.get("content") or []:
            summary = _text(content.get("value"), SUMMARY_LIMIT)
            if summary:
                break
    raw_link = raw.get("link")
    link = _link(raw_link, url)
    published = _date(raw, fetched_at)
    author = _text(raw.get("author"), AUTHOR_LIMIT) or None
    return EntryData(
        key=_key(raw.get("id"), link or raw_link, title, summary),
        title=title,
        summary=summary,
        link=link,
        published=published or fetched_at,
        dated=published is not None,
        author=author,
    )


def _text(value: object, limit: int) -> str:
    return html_to_text(value, limit) if isinstance(value, str) else ""


def _key(guid: object, link: object, title: str, summary: str) -> str:
    key = guid.strip() if isinstance(guid, str) else ""
    key = key or (link.strip() if isinstance(link, str) else "")
    if not key:
        return "sha256:" + hashlib.sha256(f"{title}\n{summary}".encode()).hexdigest()
    if len(key) > KEY_LIMIT:
        return "sha256:" + hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()
    return key


# An absolute http(s) link that urljoin and urlsplit would give back unchanged: a plain host
# and port, no tab or newline (urlsplit removes them), no `;` params, no empty `?` or `#`
# (urlunparse drops them). Most feeds' links are such; resolving each cost a third of `_entry`.
_PLAIN_LINK = re.compile(r"https?://[A-Za-z0-9.\-]+(?::[0-9]{1,5})?(?:[/?#][^\x00-\x1f\x7f;]*)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # but tab, CR, LF (urlsplit drops)


_C0_AND_SPACE = "".join(map(chr, range(0x21)))  # what browsers strip from a URL's ends


def _link(value: object, url: str) -> str | None:
    if not isinstance(value, str):
        return None
    href = value.strip(_C0_AND_SPACE)
    if not href:
        return None
    if (
        _PLAIN_LINK.fullmatch(href)
        and not href.endswith(("?", "#"))
        and "?#" not in href
        and len(href) <= LINK_LIMIT
    ):
        return href
    if _CONTROL.search(href):
        return None  # a control character inside a link: no page has it
    try:
        if urlsplit(url).scheme in ("http", "https"):
            href = urljoin(url, href)
        parts = urlsplit(href)
    except ValueError:  # e.g. "Invalid IPv6 URL"
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc or len(href) > LINK_LIMIT:
        return None  # javascript:, data:, relative links in local files, absurd lengths
    return href


def _date(raw: Mapping[str, Any], fetched_at: datetime) -> datetime | None:
    """The entry's date in UTC; None when absent, unreadable or in the future."""
    for field in ("published_parsed", "updated_parsed", "created_parsed"):
        value = raw.get(field)
        if not isinstance(value, time.struct_time):
            continue
        try:
            moment = datetime(*value[:6], tzinfo=UTC)
        except (TypeError, ValueError, OverflowError):
            continue
        if moment > fetched_at + FUTURE_TOLERANCE:
            return None  # a future date would sort above everything; use the fetch time
        return moment
    return None


def _ttl(value: object) -> int | None:
    if not isinstance(value, str) or not value.strip().isdigit():
        return None
    minutes = int(value.strip()[:9])
    return minutes * 60 if 0 < minutes <= MAX_TTL_MINUTES else None


def _warning(parsed: Mapping[str, Any]) -> str | None:
    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    return cap(f"malformed but readable: {exc}", 300) if exc else "malformed but readable"


def _is_html(content_type: str | None) -> bool:
    kind = (content_type or "").split(";")[0].strip().lower()
    return kind in ("text/html", "application/xhtml+xml")


def _html_error(url: str, body: bytes) -> ParseError:
    links = tuple(discover_feed_links(body, url))
    if links:
        reason = f"is an HTML page, not a feed; it links to the feed {links[0]}: use that URL"
    else:
        reason = "is an HTML page, not a feed, and it links to no feed; find the site's RSS link"
    return ParseError(url, reason, feed_links=links)


def _not_a_feed_reason(text: str, root: str) -> str:
    start = text.lstrip()[:1]
    if start in ("{", "["):
        return "is JSON, not an RSS or Atom feed (JSON Feed is not supported); check the URL"
    if root:
        return f"is not an RSS or Atom feed (the document is a <{root[:40]}>); check the URL"
    return "is not an RSS or Atom feed (no XML root element found); check the URL"
