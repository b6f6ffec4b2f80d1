"""Prepare raw feed bytes for feedparser: one charset decision, no DTD, a bounded entry count.

1. Decode: BOM, then the XML declaration, then the HTTP charset, then UTF-8, then the usual
   Windows code page of the feed's <language>, then Windows-1252; the first that decodes
   cleanly wins. The XML declaration beats the HTTP header
   (unlike RFC 3023) because servers often send a default charset (ISO-8859-1) for every file
   while the declaration is written by the feed generator that encoded the bytes.
2. Remove the DOCTYPE from the prolog, internal subset included: no entity we did not write is
   ever expanded (billion laughs) and no external entity is ever read (a SYSTEM entity naming a
   local file or a URL). HTML entities like &nbsp; still work through feedparser's lenient path.
3. Cut documents with far more entries than we keep, before feedparser spends seconds on
   entries we would throw away, and count what was cut; measure the markup left so the
   parser can refuse documents that would take minutes (`markup_load`).

Does not parse the feed or interpret its elements.
"""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_WIDE = (
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"),
)
_XML_DECL_BYTES = re.compile(rb"^\s*<\?xml\b[^>]{0,400}?\?>", re.IGNORECASE)
_ENCODING_ATTR = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""", re.IGNORECASE)
_LANGUAGE = re.compile(
    rb"""(?:<(?:[A-Za-z_][\w.-]*:)?language>\s*|xml:lang\s*=\s*["'])([A-Za-z]{2,3})\b"""
)
_LEGACY_BY_LANGUAGE = {
    **dict.fromkeys(["ar", "fa", "ur"], "cp1256"),
    **dict.fromkeys(["tr", "az"], "cp1254"),
    **dict.fromkeys(["ru", "uk", "bg", "sr", "be", "mk"], "cp1251"),
    **dict.fromkeys(["pl", "cs", "sk", "hu", "hr", "sl", "ro"], "cp1250"),
    **dict.fromkeys(["he", "yi"], "cp1255"),
    "el": "cp1253",
    **dict.fromkeys(["lt", "lv", "et"], "cp1257"),
    "vi": "cp1258",
    "th": "cp874",
}
_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE)
_ENTRY_TAG = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]")
_ROOT_TAG = re.compile(r"<([A-Za-z_][\w.:-]*)")
_START_TAG = re.compile(r"<[A-Za-z_]")
_CDATA = re.compile(r"<!\[CDATA\[.*?\]\]>", re.DOTALL)
_CHANNEL_TAG = re.compile(r"<((?:[A-Za-z_][\w.-]*:)?channel)[\s>]")

CLEAN_DECL = '<?xml version="1.0" encoding="utf-8"?>\n'


class MalformedPrologue(ValueError):
    """The document's prolog cannot be read (an unterminated DOCTYPE, comment or PI)."""


def _usable(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _legacy_for_language(data: bytes) -> str | None:
    """The usual Windows code page for the feed's declared language (<language>, xml:lang).

    Only consulted when nothing declares a charset and the bytes are not UTF-8: an Arabic feed
    without a charset is far more likely Windows-1256 than Windows-1252.
    """
    match = _LANGUAGE.search(data[:65536])
    if match is None:
        return None
    return _LEGACY_BY_LANGUAGE.get(match.group(1).decode("ascii").lower())


def encoding_candidates(data: bytes, content_type: str | None) -> list[str]:
    """Encodings to try, most trusted first (see the module docstring)."""
    found: list[str | None] = []
    for bom, name in _BOMS:
        if data.startswith(bom):
            return [name]
    for prefix, name in _WIDE:
        if data.startswith(prefix):
            return [name]
    decl = _XML_DECL_BYTES.match(data[:512])
    if decl:
        attr = _ENCODING_ATTR.search(decl.group(0))
        if attr:
            declared = _usable(attr.group(1).decode("ascii"))
            # The declaration was readable as ASCII, so it cannot really be UTF-16/32.
            if declared and not declared.startswith(("utf-16", "utf-32")):
                found.append(declared)
    if content_type:
        charset = _CHARSET.search(content_type)
        header = _usable(charset.group(1)) if charset else None
        ascii_start = re.match(rb"\s*<[^\x00]", data[:64]) is not None
        # A body that starts "<?xml" in ASCII is not UTF-16/32, whatever the header says.
        if header and not (ascii_start and header.startswith(("utf-16", "utf-32"))):
            found.append(header)
    found.append("utf-8")
    found.append(_legacy_for_language(data))
    found.append("cp1252")
    ordered: list[str] = []
    for candidate in found:
        if candidate and candidate not in ordered:
            ordered.append(candidate)
    return ordered


def decode_document(data: bytes, content_type: str | None) -> str:
    """`data` as text, by the first candidate encoding that decodes without error."""
    candidates = encoding_candidates(data, content_type)
    for name in candidates:
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        return text.removeprefix("\ufeff")
    return data.decode(candidates[0], errors="replace").removeprefix("\ufeff")


def _skip_doctype(text: str, start: int) -> int:
    """Index just past the DOCTYPE starting at `start` (internal subset, quotes, comments)."""
    k = start + len("<!DOCTYPE")
    n = len(text)
    quote = ""
    depth = 0
    while k < n:
        c = text[k]
        if quote:
            if c == quote:
                quote = ""
        elif text.startswith("<!--", k):
            end = text.find("-->", k + 4)
            if end < 0:
                break
            k = end + 3
            continue
        elif c in "\"'":
            quote = c
        elif c == "[":
            depth += 1
        elif c == "]":
            depth = max(0, depth - 1)
        elif c == ">" and depth == 0:
            return k + 1
        k += 1
    raise MalformedPrologue("unterminated DOCTYPE declaration")


def strip_doctype(text: str) -> tuple[str, bool]:
    """`text` with its XML declaration and any DOCTYPE removed from the prolog; (text, found).

    Walks the prolog token by token (whitespace, processing instructions, comments, DOCTYPE)
    up to the root element, so a DOCTYPE hidden after a comment is found too.
    """
    i = 0
    n = len(text)
    kept: list[str] = []
    found = False
    while i < n:
        if text[i].isspace():
            i += 1
        elif text.startswith("<?", i):
            end = text.find("?>", i + 2)
            if end < 0:
                raise MalformedPrologue("unterminated processing instruction")
            is_decl = text.startswith("<?xml", i) and text[i + 5 : i + 6] in "? \t\r\n"
            if not is_decl:
                kept.append(text[i : end + 2])  # keep stylesheets etc., drop the declaration
            i = end + 2
        elif text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            if end < 0:
                raise MalformedPrologue("unterminated comment")
            i = end + 3
        elif text[i : i + 9].upper() == "<!DOCTYPE":
            i = _skip_doctype(text, i)
            found = True
        else:
            break
    return "".join(kept) + text[i:], found


def truncate_entries(text: str, max_entries: int) -> tuple[str, int]:
    """Cut `text` before its (max_entries + 1)-th item/entry; (text, entries cut).

    Expects `text` to start at the root element (after `strip_doctype`). Closes the root (and
    an RSS 2.0 channel) so the rest still parses strictly. Counts start tags, so an entry
    mentioned inside CDATA would be miscounted: the figure is for reporting, not accounting.
    """
    starts = [m.start() for m in _ENTRY_TAG.finditer(text)]
    if len(starts) <= max_entries:
        return text, 0
    root = _ROOT_TAG.search(text)
    if root is None:
        return text, 0
    cut = starts[max_entries]
    closing = f"</{root.group(1)}>"
    if root.group(1).rsplit(":", 1)[-1].lower() == "rss":
        channel = _CHANNEL_TAG.search(text, 0, cut)
        if channel is not None:
            closing = f"</{channel.group(1)}>" + closing
    return text[:cut] + closing, len(starts) - max_entries


def markup_load(text: str) -> tuple[int, int]:
    """(start tags, "<" and "&" characters) in `text`: what feedparser's time grows with.

    feedparser runs Python code for every element (about 30 us strict, 80 us when it falls
    back to its lenient parser), and the lenient parser also walks every bare "<" and "&".
    Counting them first (in C, milliseconds) lets the caller refuse a document that would keep
    a worker busy for minutes. CDATA sections are not counted: the HTML inside them is one
    text node to the parser, however many tags it holds.
    """
    outside = _CDATA.sub("", text)
    return len(_START_TAG.findall(outside)), outside.count("<") + outside.count("&")


def root_name(text: str) -> str | None:
    """The root element's name of a document that starts at its root (after strip_doctype)."""
    match = _ROOT_TAG.search(text, 0, 1 << 16)
    return match.group(1) if match else None


def to_feedparser_bytes(text: str) -> bytes:
    """UTF-8 bytes with a matching XML declaration, for feedparser."""
    return (CLEAN_DECL + text).encode("utf-8", errors="replace")
