"""Comparing the two readings of one feed: lxml's (the fast path) and feedparser's.

Used by `tests/test_parse_agreement.py` on the fixtures and by `benchmarks/parsers.py` on real
feeds from a path; the comparison is of everything `parse_feed` returns, field by field.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from watchers.parse.feed import FeedData, ParseError, parse_feed


def as_json(feed: FeedData) -> dict[str, Any]:
    """Everything `parse_feed` returns except how it read the document, as plain JSON."""

    def plain(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.isoformat()
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    data = dataclasses.asdict(feed)
    data.pop("fallback")
    return {k: plain(v) for k, v in data.items()}


def read_both(
    body: bytes, url: str, fetched_at: datetime, content_type: str | None = None
) -> tuple[dict[str, Any] | str, dict[str, Any] | str, str | None]:
    """(lxml path's result, feedparser's result, why the fast path fell back); a ParseError
    becomes its reason, so both sides are compared on refusals too."""
    out: list[dict[str, Any] | str] = []
    fallback = None
    for fast in (True, False):
        try:
            feed = parse_feed(
                body, url=url, fetched_at=fetched_at, content_type=content_type, fast=fast
            )
        except ParseError as exc:
            out.append(f"ParseError: {exc.reason}")
            continue
        if fast:
            fallback = feed.fallback
        out.append(as_json(feed))
    return out[0], out[1], fallback


def differences(a: dict[str, Any] | str, b: dict[str, Any] | str) -> list[str]:
    """Human-readable differences between two results: `field: a != b`, entry by entry."""
    if isinstance(a, str) or isinstance(b, str):
        return [] if a == b else [f"result: {str(a)[:120]!r} != {str(b)[:120]!r}"]
    found = []
    for key in a:
        if key == "entries":
            continue
        if a[key] != b[key]:
            found.append(f"{key}: {a[key]!r:.120} != {b[key]!r:.120}")
    if len(a["entries"]) != len(b["entries"]):
        found.append(f"entries: {len(a['entries'])} != {len(b['entries'])}")
    for n, (x, y) in enumerate(zip(a["entries"], b["entries"], strict=False)):
        for key in x:
            if x[key] != y[key]:
                found.append(f"entry {n} {key}: {x[key]!r:.120} != {y[key]!r:.120}")
    return found
