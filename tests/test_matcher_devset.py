"""The shipped theme on the labelled development set: the quality bar, kept as a test."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from matcher import ItemText, Scorer, load_themes_toml, shipped_themes_toml

DEVSET = Path(__file__).parent / "data" / "devset.jsonl"
SLUG = "normalization-with-assad"


def rows() -> list[dict[str, str]]:
    with DEVSET.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def test_the_devset_is_well_formed() -> None:
    data = rows()
    assert len(data) >= 200
    keys = {"id", "title", "summary", "published", "source", "link", "label", "note"}
    assert all(set(r) == keys for r in data)
    assert len({r["id"] for r in data}) == len(data)
    assert {r["label"] for r in data} == {"on", "related", "off"}
    assert all(datetime.fromisoformat(r["published"]).tzinfo is not None for r in data)


@pytest.fixture(scope="module")
def decisions() -> dict[str, bool]:
    scorer = Scorer(load_themes_toml(shipped_themes_toml()))
    return {
        r["id"]: scorer.score_one(
            ItemText(r["title"], r["summary"], datetime.fromisoformat(r["published"])), SLUG
        ).matched
        for r in rows()
    }


def test_precision_and_recall_are_at_least_nine_tenths(decisions: dict[str, bool]) -> None:
    data = rows()
    tp = sum(decisions[r["id"]] and r["label"] == "on" for r in data)
    flagged = sum(decisions.values())
    on = sum(r["label"] == "on" for r in data)
    assert tp / flagged >= 0.9
    assert tp / on >= 0.9


def test_no_other_normalization_is_flagged(decisions: dict[str, bool]) -> None:
    traps = [
        r
        for r in rows()
        if r["label"] == "off" and "normali" in (r["title"] + r["summary"]).lower()
    ]
    assert len(traps) >= 10
    assert not [r["title"] for r in traps if decisions[r["id"]]]


@pytest.mark.parametrize(
    ("headline", "matched"),
    [
        # Ties restored in other words than "relations": a summit seat, a lifted suspension,
        # flights, a first call, bringing a state back.
        ("Assad arrives in Jeddah for Arab summit", True),
        ("Arab League lifts suspension of Syria", True),
        ("Bahrain resumes flights to Damascus", True),
        ("Jordan's king speaks with Assad by phone for first time in decade", True),
        ("Arab ministers agree to bring Syria back into Arab League", True),
        # ... but not every call or flight: Moscow calls all the time, and raids close the
        # airport whose flights had resumed.
        ("Putin and Assad discuss the economy by phone", False),
        ("Israeli strike halts flights at Damascus airport after they had resumed", False),
    ],
)
def test_restored_ties_written_without_the_word_relations(headline: str, matched: bool) -> None:
    scorer = Scorer(load_themes_toml(shipped_themes_toml()))
    item = ItemText(headline, "", datetime.fromisoformat("2023-05-01T12:00:00+00:00"))
    assert scorer.score(item)[0].matched is matched
