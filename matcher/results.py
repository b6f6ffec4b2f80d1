"""Items to score and match results with their reasons; no scoring logic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["ItemText", "MatchResult", "Reason", "reasons_from_json"]


@dataclass(frozen=True)
class ItemText:
    """The text of one feed item as the watchers hand it over (HTML already removed)."""

    title: str
    summary: str
    published: datetime | None = None
    source: str = ""
    link: str = ""


@dataclass(frozen=True)
class Reason:
    """One piece of evidence and the points it added (negative for penalties)."""

    group: str
    term: str
    found: str
    where: str
    position: int
    points: float


@dataclass(frozen=True)
class MatchResult:
    """A theme's verdict on an item: score, decision and every reason behind it."""

    theme: str
    score: int
    matched: bool
    reasons: tuple[Reason, ...]

    def brief(self) -> str:
        """Short text for an alert: the terms that added most, one per term, with their group."""
        best: dict[str, Reason] = {}
        for r in self.reasons:
            if r.points <= 0 or r.group in {"exemplar", "proximity", "learned"}:
                continue
            key = r.found.casefold()
            if key not in best or r.points > best[key].points:
                best[key] = r
        ranked = sorted(best.values(), key=lambda r: -r.points)
        seen_groups: set[str] = set()
        parts = []
        for r in ranked:
            if r.group in seen_groups:
                continue
            seen_groups.add(r.group)
            parts.append(f"{r.found} ({r.group})")
        penalties = [r for r in self.reasons if r.points < 0]
        parts += [f"-{r.group}: {r.found or r.term}" for r in penalties[:1]]
        return ", ".join(parts[:5]) if parts else "no terms matched"

    def to_json(self) -> list[dict[str, object]]:
        """The reasons as plain dicts, for storage next to the score."""
        # Built by hand: dataclasses.asdict deep-copies, which dominated re-matching time.
        return [
            {
                "group": r.group,
                "term": r.term,
                "found": r.found,
                "where": r.where,
                "position": r.position,
                "points": r.points,
            }
            for r in self.reasons
        ]


def reasons_from_json(data: object) -> tuple[Reason, ...]:
    """Rebuild reasons stored by MatchResult.to_json; ValueError on a malformed entry."""
    if not isinstance(data, list):
        raise ValueError("reasons: expected a list")
    out = []
    for i, d in enumerate(data):
        if not isinstance(d, dict):
            raise ValueError(f"reasons[{i}]: expected an object")
        try:
            out.append(
                Reason(
                    group=str(d["group"]),
                    term=str(d["term"]),
                    found=str(d["found"]),
                    where=str(d["where"]),
                    position=int(d["position"]),
                    points=float(d["points"]),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"reasons[{i}]: {exc}") from exc
    return tuple(out)
