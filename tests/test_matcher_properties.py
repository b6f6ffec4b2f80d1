"""Properties that hold for any text or theme, checked with hypothesis."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from matcher import (
    ItemText,
    Scorer,
    TermGroup,
    Theme,
    dump_themes_toml,
    extract_statement,
    load_themes_toml,
    normalize_text,
    shipped_themes_toml,
)
from matcher.text import tokenize

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200
) | st.sampled_from(["Çavuşoğlu’s al‑Assad", "التَّطْبِيع مع الأسد", "Straße ﬁne", "İİ ıı"])

SCORER = Scorer(load_themes_toml(shipped_themes_toml()))


@given(TEXT)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(TEXT)
def test_token_offsets_always_point_into_the_text(text: str) -> None:
    for tok in tokenize(text):
        assert 0 <= tok.start < tok.end <= len(text)


@given(TEXT, TEXT)
@settings(max_examples=60)
def test_scores_stay_in_range_and_fast_equals_reference(title: str, summary: str) -> None:
    item = ItemText(title, summary, datetime(2023, 1, 1, tzinfo=UTC))
    fast = SCORER.score(item)
    assert all(0 <= r.score <= 100 for r in fast)
    assert fast == SCORER.reference_score(item)


PHRASE = st.text(alphabet="abcdefgh çşü-'", min_size=1, max_size=12).filter(
    lambda s: any(c.isalpha() for c in s)
)


@given(
    st.lists(PHRASE, min_size=1, max_size=4),
    st.integers(0, 100),
    st.floats(0, 100, allow_nan=False),
    st.booleans(),
    st.text(max_size=40),
)
def test_any_valid_theme_round_trips_through_toml(
    terms: list[str], threshold: int, weight: float, required: bool, description: str
) -> None:
    theme = Theme(
        "t-1",
        "T",
        description,
        threshold,
        (TermGroup("g", weight, required, tuple(terms)),),
        options={"window": 5, "note": description},
    )
    assert load_themes_toml(dump_themes_toml([theme])) == [theme]


@given(TEXT, TEXT)
@settings(max_examples=80)
def test_statement_extraction_never_fails(title: str, text: str) -> None:
    st = extract_statement(title, title + "\n" + text, datetime(2023, 1, 4, tzinfo=UTC))
    assert st.stance in {"opposes", "supports", "unclear"}
