"""A web page's (or a text file's) main text, for a theme's example: title and lead.

Uses trafilatura (PyPI, maintained, offline) to drop navigation, adverts and footers. The
example keeps the title and the lead (up to LEAD_CHARS, cut at a sentence end): exemplar
likeness is a cosine on word sets, and a whole long article would dilute it against
feed-sized items. Does not fetch (watchers.fetch does) or score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from watchers.errors import WatcherError
from watchers.parse.xmlprep import decode_document

__all__ = ["LEAD_CHARS", "Article", "ArticleError", "extract_article", "lead_of"]

LEAD_CHARS = 700  # a feed summary's length, about: what items are compared with
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]?\s")


class ArticleError(WatcherError):
    """No article text could be read; the message says what to send instead."""


MAX_PASTED_TITLE = 200  # characters: a longer first line is text, not a headline


@dataclass(frozen=True)
class Article:
    """An example article: its title and main text (whitespace collapsed)."""

    title: str
    text: str

    def exemplar(self) -> str:
        """Title and lead, as a theme keeps it."""
        lead = lead_of(self.text)
        if not self.title or lead.startswith(self.title):
            return lead
        stop = "" if self.title.endswith((".", "!", "?", "…")) else "."
        return f"{self.title}{stop} {lead}"


def pasted_article(text: str) -> Article:
    """An article pasted as text: a first line above more lines is its headline (QA: the
    headline and the text ran together as one title); one paragraph is titled by its first
    sentence."""
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and len(lines[0]) <= MAX_PASTED_TITLE:
        return Article(lines[0].rstrip("."), " ".join(lines[1:]))
    flat = " ".join(text.split())
    return Article(flat.partition(". ")[0].strip()[:MAX_PASTED_TITLE], flat)


def lead_of(text: str, limit: int = LEAD_CHARS) -> str:
    """The first `limit` characters of text, cut at the last sentence end before it."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = [m.end() for m in _SENTENCE_END.finditer(text, 0, limit + 1)]
    return text[: cut[-1]].strip() if cut and cut[-1] > limit // 3 else text[:limit].rstrip()


def _binary(text: str) -> bool:
    """Whether decoded text is a binary file's: NUL bytes or many control characters."""
    head = text[:4096]
    controls = sum(1 for c in head if c < " " and c not in "\t\n\r\f")
    return "\x00" in head or controls > len(head) // 100


def extract_article(body: bytes, content_type: str | None = None, url: str = "") -> Article:
    """The main text of an HTML page, or a plain text (first line = title); ArticleError."""
    import trafilatura  # imported here: loading it takes a moment and only /example needs it

    head = body[:2048].lstrip().lower()
    is_html = "html" in (content_type or "") or head.startswith((b"<!doctype", b"<html", b"<"))
    # The charset the server or the document gives, else UTF-8, else the legacy one of its
    # language (a page in windows-1256 read as UTF-8 was an example of replacement marks).
    decoded = decode_document(body, content_type)
    if _binary(decoded):
        raise ArticleError(
            f"{url or 'the file'} is not text or HTML (a binary file?); "
            "send an article's URL or paste its text"
        )
    if not is_html:
        plain = decoded.strip()
        if not plain:
            raise ArticleError(f"{url or 'the file'} is empty; send an article's URL or text")
        title, _, rest = plain.partition("\n")
        return Article(" ".join(title.split()), " ".join(rest.split()) or " ".join(title.split()))
    html = decoded
    text = trafilatura.extract(html, include_comments=False, include_tables=False)
    meta = trafilatura.extract_metadata(html)
    title = " ".join((meta.title if meta and meta.title else "").split())
    if not text or len(text.split()) < 10:
        raise ArticleError(
            f"found no article text in {url or 'the page'} (a paywall, a script-only page or "
            "an index?); paste the article's text instead: /example THEME <text>"
        )
    return Article(title, " ".join(text.split()))
