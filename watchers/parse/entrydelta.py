"""Parse only what changed: find a feed's entries in its text, fingerprint each, and rebuild
the document without the entries its last stored version already had.

Why: a changed feed usually adds one to three items to the thirty or fifty it serves, and
feedparser spends tens of microseconds of Python on every element, so a 57 KB feed costs about
25 ms to parse whole and a few ms with only its new entries (benchmarks/poll.py).

Why it is safe: an entry is left out only when its exact text (after decoding) was in the
version whose items the store already holds: the fingerprints are written in the same
transaction as the items (`FeedPollOutcome.entry_digests`). An entry whose text changed at all
is parsed again, and the store's unique (feed, key) still decides what is new. A document that
is not well-formed, or whose entries cannot be told apart with certainty, is parsed whole, as
before.

Does not parse entries or decide what is new; pure text functions.
"""

from __future__ import annotations

import hashlib
import re
import xml.parsers.expat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

FORMAT = "e1"  # first word of a stored fingerprint list; another word means "unknown, ignore"

# Markup that can hide an entry tag (CDATA, comments, processing instructions), and entry tags
# themselves, with or without a namespace prefix. Attribute values cannot contain "<" in
# well-formed XML, so outside the three hiding places every "<item" or "<entry" is a tag.
_MARK = re.compile(
    r"<!\[CDATA\[|<!--|<\?|<(/?)(?:[A-Za-z_][\w.-]*:)?(?:item|entry)(?=[\s/>])",
)
_HIDING_ENDS = {"<![CDATA[": "]]>", "<!--": "-->", "<?": "?>"}
_TAG_REST = re.compile(r"""(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(/?)>""")


@dataclass(frozen=True)
class Split:
    """A document cut into its entries: `spans` are (start, end) offsets, in order."""

    text: str
    spans: tuple[tuple[int, int], ...]

    def chunk(self, index: int) -> str:
        start, end = self.spans[index]
        return self.text[start:end]

    def without(self, drop: Sequence[bool]) -> str:
        """The document with the entries flagged in `drop` left out, everything else kept."""
        pieces: list[str] = []
        at = 0
        for (start, end), gone in zip(self.spans, drop, strict=True):
            pieces.append(self.text[at:start])
            if not gone:
                pieces.append(self.text[start:end])
            at = end
        pieces.append(self.text[at:])
        return "".join(pieces)


def split_entries(text: str) -> Split | None:
    """The top-level <item>/<entry> elements of `text`; None when they cannot be found surely.

    Expects a document starting at its root (after `xmlprep.strip_doctype`). Skips CDATA,
    comments and processing instructions; nested entry tags count as part of the outer entry.
    """
    spans: list[tuple[int, int]] = []
    depth = 0
    start = 0
    pos = 0
    while True:
        m = _MARK.search(text, pos)
        if m is None:
            break
        opener = m.group(0)
        if opener in _HIDING_ENDS:
            end = text.find(_HIDING_ENDS[opener], m.end())
            if end < 0:
                return None
            pos = end + len(_HIDING_ENDS[opener])
            continue
        rest = _TAG_REST.match(text, m.end())
        if rest is None:
            return None
        closing, self_closing = bool(m.group(1)), bool(rest.group(1))
        pos = rest.end()
        if closing:
            if self_closing or depth == 0:
                return None
            depth -= 1
            if depth == 0:
                spans.append((start, pos))
        elif self_closing:
            if depth == 0:
                spans.append((m.start(), pos))
        else:
            if depth == 0:
                start = m.start()
            depth += 1
    if depth != 0:
        return None
    return Split(text, tuple(spans))


def well_formed(text: str) -> bool:
    """Whether expat, with namespaces on as feedparser's strict parser uses it, accepts `text`.

    A document feedparser would read with its lenient parser is always parsed whole, so the
    entries it finds there never depend on what was left out. Costs about 1 ms for 60 KB: no
    handlers run, the DOCTYPE is already gone, so no entity is ever expanded.
    """
    parser = xml.parsers.expat.ParserCreate("utf-8", " ")
    try:
        parser.Parse(text.encode("utf-8", "replace"), True)
    except xml.parsers.expat.ExpatError:
        return False
    return True


def digest(chunk: str) -> str:
    """A fingerprint of one entry's text: 64 bits, enough to tell a feed's entries apart."""
    return hashlib.blake2b(chunk.encode("utf-8", "replace"), digest_size=8).hexdigest()


def read_seen(stored: str | None) -> dict[str, datetime | None]:
    """Fingerprints from the store -> each entry's date (None: undated); {} if unreadable."""
    if not stored:
        return {}
    words = stored.split()
    if not words or words[0] != FORMAT:
        return {}
    seen: dict[str, datetime | None] = {}
    for word in words[1:]:
        fp, _, when = word.partition(":")
        if not fp:
            continue
        moment = None
        if when.lstrip("-").isdigit():
            try:
                moment = datetime.fromtimestamp(int(when), UTC)
            except (OverflowError, OSError, ValueError):
                moment = None
        seen[fp] = moment
    return seen


def write_seen(entries: Mapping[str, datetime | None]) -> str:
    """The stored form of fingerprints and dates: `e1 fp:epoch fp:- ...`."""
    words = [FORMAT]
    for fp, moment in entries.items():
        words.append(f"{fp}:{int(moment.timestamp())}" if moment is not None else f"{fp}:-")
    return " ".join(words)
