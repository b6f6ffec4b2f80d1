"""Find the feeds an HTML page advertises: <link rel="alternate" type="application/rss+xml">.

Used when someone adds a site's page instead of its feed, and to make the "this is an HTML
page" error say which feed to use. Does not fetch anything and does not guess URLs
(/feed, /rss.xml): only links the page itself declares, resolved against the page URL (or
its <base href>), in document order, without duplicates.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})
_MAX_SCAN = 2 * 1024 * 1024  # feed links live in <head>; the first 2 MB is plenty


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "base" and self.base is None and values.get("href"):
            self.base = values["href"].strip()
        elif tag == "link":
            rels = values.get("rel", "").lower().split()
            kind = values.get("type", "").split(";")[0].strip().lower()
            href = values.get("href", "").strip()
            if "alternate" in rels and kind in FEED_TYPES and href:
                self.links.append(href)

    handle_startendtag = handle_starttag


def discover_feed_links(html: bytes, base_url: str) -> list[str]:
    """Absolute http(s) URLs of the feeds `html` links to, in document order."""
    collector = _LinkCollector()
    try:
        collector.feed(html[:_MAX_SCAN].decode("utf-8", errors="replace"))
        collector.close()
    except (AssertionError, ValueError):
        pass  # keep what was found before the parser gave up
    try:
        base = urljoin(base_url, collector.base) if collector.base else base_url
    except ValueError:
        base = base_url
    found: list[str] = []
    for href in collector.links:
        try:
            absolute = urljoin(base, href)
            scheme = urlsplit(absolute).scheme
        except ValueError:  # e.g. "Invalid IPv6 URL"
            continue
        if scheme in ("http", "https") and absolute not in found:
            found.append(absolute)
    return found
