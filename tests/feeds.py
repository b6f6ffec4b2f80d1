"""Building small RSS documents for tests, and the seed fixture feed split into parts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from html import escape
from pathlib import Path
from xml.etree import ElementTree

DATA = Path(__file__).parent / "data"
SEED_FEED = DATA / "seed_feed.xml"


@dataclass(frozen=True)
class Entry:
    guid: str
    title: str
    description: str
    published: datetime | None
    link: str = ""


def rss(entries: Iterable[Entry], title: str = "Test feed") -> bytes:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>',
        f"<title>{escape(title)}</title><link>https://example.org/</link>",
        "<description>test</description>",
    ]
    for e in entries:
        date = f"<pubDate>{format_datetime(e.published)}</pubDate>" if e.published else ""
        link = e.link or f"https://example.org/{e.guid}"
        parts.append(
            f'<item><guid isPermaLink="false">{escape(e.guid)}</guid>'
            f"<title>{escape(e.title)}</title><link>{escape(link)}</link>"
            f"<description>{escape(e.description)}</description>{date}</item>"
        )
    parts.append("</channel></rss>\n")
    return "".join(parts).encode()


def seed_entries() -> list[Entry]:
    """Every item of tests/data/seed_feed.xml, in document order."""
    from email.utils import parsedate_to_datetime

    root = ElementTree.parse(SEED_FEED).getroot()
    out = []
    for item in root.iter("item"):
        pub = item.findtext("pubDate")
        out.append(
            Entry(
                guid=item.findtext("guid") or "",
                title=item.findtext("title") or "",
                description=item.findtext("description") or "",
                published=parsedate_to_datetime(pub) if pub else None,
                link=item.findtext("link") or "",
            )
        )
    return out


SEED_GUID_HINTS = ("seed-000", "seed-001", "seed-002", "seed-003", "seed-004")


def split_seeds(entries: Sequence[Entry]) -> tuple[list[Entry], list[Entry]]:
    """(the five seed articles, the off-theme items) of the seed feed."""
    seeds = [e for e in entries if any(h in e.guid for h in SEED_GUID_HINTS)]
    others = [e for e in entries if e not in seeds]
    return seeds, others
