"""Scoring items against themes: fuzzy terms, gates, proximity, exclusions, reasons."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from matcher import (
    ItemText,
    MatchResult,
    Scorer,
    TermGroup,
    Theme,
    load_themes_toml,
    reasons_from_json,
    shipped_themes_toml,
    with_exclusion,
    with_threshold,
)

SLUG = "normalization-with-assad"
WHEN = datetime(2023, 5, 5, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer(load_themes_toml(shipped_themes_toml()))


def judge(scorer: Scorer, title: str, summary: str = "", when: datetime = WHEN) -> MatchResult:
    return scorer.score_one(ItemText(title, summary, when), SLUG)


@pytest.mark.parametrize(
    "verb",
    [
        "normalize",
        "normalise",
        "normalizing",
        "normalization",
        "normalisation",
        "normalising",
        "normalized",
    ],
)
def test_normalise_and_normalization_both_match(scorer: Scorer, verb: str) -> None:
    result = judge(scorer, f"Jordan moves toward {verb} with Assad")
    assert result.matched
    assert any(r.group == "relations" and r.found.casefold() == verb for r in result.reasons)


def test_a_misspelt_term_still_matches(scorer: Scorer) -> None:
    assert judge(scorer, "Egypt weighs rapprochment with Damascus").matched


def test_a_trap_about_israel_saudi_normalization_is_not_flagged(scorer: Scorer) -> None:
    result = judge(
        scorer,
        "Saudi crown prince says kingdom closer to normalization with Israel",
        "Mohammed bin Salman said talks on normalizing ties were progressing.",
    )
    assert not result.matched


def test_serbia_kosovo_and_fed_normalization_are_not_flagged(scorer: Scorer) -> None:
    assert not judge(scorer, "Serbia and Kosovo back EU plan to normalise relations").matched
    assert not judge(scorer, "Fed outlines policy normalization and balance sheet runoff").matched


def test_syria_news_without_relations_is_not_flagged(scorer: Scorer) -> None:
    quake = judge(
        scorer,
        "Assad visits quake-hit Aleppo hospital",
        "The Syrian president toured damaged neighbourhoods and met survivors.",
    )
    assert not quake.matched


def test_items_need_every_required_group(scorer: Scorer) -> None:
    # Strong relations words, but nothing Syrian: the "who" gate is shut.
    result = judge(scorer, "Turkey and Egypt upgrade ties, appoint ambassadors")
    assert not result.matched
    assert result.score < 100


def test_an_excluded_context_in_the_title_blocks_a_match(scorer: Scorer) -> None:
    plain = judge(scorer, "Saudi Arabia restores ties with Assad")
    excluded = judge(scorer, "Saudi Arabia restores ties with Assad, eyes Israel normalization")
    assert plain.matched and not excluded.matched
    assert any(r.group == "exclude" and r.points < 0 for r in excluded.reasons)


def test_admin_exclusion_takes_effect(scorer: Scorer) -> None:
    theme = with_exclusion(scorer.themes[0], "Oman")
    title = "Assad visits Oman in first trip abroad since quake"
    assert judge(scorer, title).matched
    assert not Scorer([theme]).score_one(ItemText(title, "", WHEN), SLUG).matched


def test_items_after_the_fall_of_assad_lose_points(scorer: Scorer) -> None:
    title = "Italy reopens embassy in Damascus"
    summary = "Rome's envoy met officials of the Syrian government to restore ties."
    before = judge(scorer, title, summary, datetime(2024, 7, 26, tzinfo=UTC))
    after = judge(scorer, title, summary, datetime(2025, 3, 10, tzinfo=UTC))
    assert before.matched and not after.matched
    assert any(r.group == "until" for r in after.reasons)


def test_proximity_counts_only_when_terms_are_close(scorer: Scorer) -> None:
    near = judge(scorer, "Bahrain restores ties with Damascus")
    filler = " ".join(["The weather in Manama was mild and markets were calm."] * 4)
    far = judge(scorer, "Bahrain news", f"Damascus was mentioned. {filler} Ties were restored.")
    assert any(r.group == "proximity" for r in near.reasons)
    assert not any(r.group == "proximity" for r in far.reasons)


def test_every_reason_points_at_the_text_it_found(scorer: Scorer) -> None:
    item = ItemText(
        "Çavuşoğlu to meet Syrian counterpart as normalisation advances",
        "Ankara’s rapprochement with al‑Assad’s government continues.",
        WHEN,
    )
    result = scorer.score_one(item, SLUG)
    assert result.matched
    for r in result.reasons:
        if r.group in {"proximity", "exemplar", "until"}:
            continue
        field = item.title if r.where == "title" else item.summary
        assert field[r.position : r.position + len(r.found)] == r.found


def test_brief_names_terms_and_groups(scorer: Scorer) -> None:
    brief = judge(scorer, "US says it opposes countries normalizing with Assad").brief()
    assert "normalizing (relations)" in brief and "Assad (government)" in brief
    assert "(actors)" in brief


def test_reasons_survive_json(scorer: Scorer) -> None:
    result = judge(scorer, "Arab League readmits Syria after 12-year suspension")
    assert reasons_from_json(result.to_json()) == result.reasons


def test_threshold_changes_the_decision(scorer: Scorer) -> None:
    title = "Assad visits Oman in first trip abroad since quake"
    strict = Scorer([with_threshold(scorer.themes[0], 100)])
    assert judge(scorer, title).matched
    assert not strict.score_one(ItemText(title, "", WHEN), SLUG).matched


def test_results_come_back_in_theme_order_and_unknown_slugs_raise() -> None:
    def theme(slug: str, word: str) -> Theme:
        return Theme(slug, slug, "", 10, (TermGroup("what", 50, True, (word,)),))

    scorer = Scorer([theme("b-theme", "kosovo"), theme("a-theme", "assad")])
    results = scorer.score(ItemText("Assad speaks", "", WHEN))
    assert [r.theme for r in results] == ["b-theme", "a-theme"]
    assert [r.matched for r in results] == [False, True]
    with pytest.raises(KeyError):
        scorer.score_one(ItemText("x", ""), "nope")


def test_fast_path_agrees_with_the_reference_path(scorer: Scorer) -> None:
    items = [
        ItemText("Syria, Saudi Arabia move toward restoring embassies", "", WHEN),
        ItemText("Israel, UAE normalise ties", "Abraham Accords signed.", WHEN),
        ItemText("Erdoğan: Esad ile görüşme olabilir", "Suriye ile ilişkiler", WHEN),
    ]
    for item in items:
        assert scorer.score(item) == scorer.reference_score(item)


def test_explain_shows_why_an_item_missed_a_gate(scorer: Scorer) -> None:
    item = ItemText("Turkey and Egypt upgrade ties, appoint ambassadors", "", WHEN)
    assert scorer.score_one(item, SLUG).reasons == ()
    why = scorer.explain(item, SLUG)
    assert not why.matched and why.score > 0
    assert [r.term for r in why.reasons if r.group == "gate"] == ["who"]
    assert any(r.group == "relations" for r in why.reasons)


def test_explain_agrees_with_score_one_on_matches(scorer: Scorer) -> None:
    item = ItemText("Assad visits Oman in first trip abroad since quake", "", WHEN)
    assert scorer.explain(item, SLUG) == scorer.score_one(item, SLUG)
