"""Labelled items for the relevance benchmark: labels, a fixed split, figures, a baseline.

Reads rows already loaded from JSON Lines (it opens no file): `label` 2/1/0 (2 positive) or
`relevant` true/false. It does not score with the matcher; relevance.py does.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from matcher import ItemText, Theme
from matcher.query import All, Near, Node, Not, Words, parse_term


def is_positive(row: dict[str, Any]) -> bool:
    """Label 2 (or "on", the devset's word) or relevant: true."""
    if "relevant" in row:
        return row["relevant"] is True
    return row.get("label") in (2, "2", "on")


def split_half(row: dict[str, Any]) -> str:
    """ "tune" or "held", fixed for good by a hash of the id (else the link, else the title)."""
    key = str(row.get("id") or row.get("link") or row.get("title") or "")
    return "tune" if hashlib.sha256(key.encode()).digest()[0] % 2 == 0 else "held"


def item_of(row: dict[str, Any]) -> ItemText:
    """The matcher's view of a row; a date without a time is midnight UTC."""
    published = None
    raw = row.get("published")
    if raw:
        published = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
        if published.tzinfo is None:
            published = published.replace(tzinfo=UTC)
    return ItemText(
        str(row.get("title") or ""),
        str(row.get("summary") or ""),
        published,
        str(row.get("source") or ""),
        str(row.get("link") or ""),
    )


def _substring(node: Node, text: str) -> bool:
    if isinstance(node, Words):
        return " ".join(w.rstrip("*") for w in node.words).casefold() in text
    if isinstance(node, Not):
        return not _substring(node.part, text)
    if isinstance(node, Near | All):
        parts = (node.left, node.right) if isinstance(node, Near) else node.parts
        return all(_substring(p, text) for p in parts)
    if hasattr(node, "parts"):
        return any(_substring(p, text) for p in node.parts)
    return False


def substring_verdict(theme: Theme, row: dict[str, Any]) -> bool:
    """The theme read as plain substrings: every required group has a term in the text.

    A theme without required groups needs any term; exclusions are left out. This is what a
    keyword filter on the same words would do, without folding, stemming or word order.
    """
    text = f"{row.get('title') or ''} {row.get('summary') or ''}".casefold()
    groups = [g for g in theme.groups if g.required] or list(theme.groups)
    if not theme.groups:
        return False

    def has(term: str) -> bool:
        return _substring(parse_term(term), text)

    if not any(g.required for g in theme.groups):
        return any(has(t) for g in groups for t in g.terms)
    return all(any(has(t) for t in g.terms) for g in groups)


@dataclass
class Figures:
    """Counts of one predictor on one part of the data, and what follows from them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, got: bool, want: bool) -> None:
        self.tp += got and want
        self.fp += got and not want
        self.fn += want and not got
        self.tn += not got and not want

    def as_dict(self) -> dict[str, float | int]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(f1, 3),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "n": self.tp + self.fp + self.fn + self.tn,
        }

    def __str__(self) -> str:
        d = self.as_dict()
        return (
            f"P={d['precision']:.3f} R={d['recall']:.3f} F1={d['f1']:.3f} "
            f"(tp={d['tp']} fp={d['fp']} fn={d['fn']}, n={d['n']})"
        )
