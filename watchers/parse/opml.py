"""OPML in and out: the interchange format of feed readers, for `policywatch feeds import/export`.

Parses with defusedxml, so an OPML file cannot expand entities or read local files. Also hands
out the starter feeds shipped with a theme (`watchers/starter/SLUG.opml`, package data).
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources import files
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import ElementTree as SafeET

from watchers.errors import WatcherError

STARTER_THEME = "normalization-with-assad"  # the shipped theme, which has starter feeds


class OpmlError(WatcherError, ValueError):
    """A file that is not OPML we can read; the message says why."""


def starter_opml(theme: str = STARTER_THEME) -> bytes:
    """The curated OPML shipped for `theme`; OpmlError naming the themes that have one."""
    folder = files("watchers") / "starter"
    resource = folder / f"{theme}.opml"
    if not resource.is_file():
        known = sorted(p.name.removesuffix(".opml") for p in folder.iterdir())
        raise OpmlError(f"no starter feeds for {theme!r}; there are some for {', '.join(known)}")
    return resource.read_bytes()


def starter_feeds(theme: str = STARTER_THEME) -> list[tuple[str, str | None]]:
    """(url, title) of the starter feeds shipped for `theme`."""
    return read_opml(starter_opml(theme))


def read_opml(data: bytes) -> list[tuple[str, str | None]]:
    """(url, title) of every outline with an xmlUrl, in document order, without duplicates."""
    try:
        root = SafeET.fromstring(data)
    except Exception as exc:  # defusedxml raises several types; all mean "not usable OPML"
        raise OpmlError(f"not an OPML document: {exc}") from exc
    if root.tag.lower() != "opml":
        raise OpmlError(f"not an OPML document: the root element is <{root.tag}>, not <opml>")
    found: dict[str, str | None] = {}
    for outline in root.iter("outline"):
        url = outline.get("xmlUrl") or outline.get("xmlurl")
        if url and url not in found:
            found[url] = outline.get("title") or outline.get("text")
    return list(found.items())


def write_opml(feeds: Sequence[tuple[str, str | None]], title: str = "policywatch feeds") -> bytes:
    root = Element("opml", version="2.0")
    head = SubElement(root, "head")
    SubElement(head, "title").text = title
    body = SubElement(root, "body")
    for url, name in feeds:
        SubElement(body, "outline", type="rss", text=name or url, title=name or url, xmlUrl=url)
    body_xml: bytes = tostring(root, encoding="utf-8")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body_xml + b"\n"
