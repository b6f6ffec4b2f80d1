"""Naming a theme: the one rule every chat command and CLI verb resolves a theme by."""

from __future__ import annotations

from matcher.lookup import did_you_mean, find_theme

THEMES = [
    ("normalization-with-assad", "Normalization with Assad"),
    ("nato-nordic-accession", "NATO Nordic accession"),
    ("us", "US policy"),
    ("deep100", "d"),
    ("syria-aid", "Syria aid"),
    ("bad15", "Bad fifteen"),
    ("t2", "Second test"),
    ("tr-theme", "TR"),
]


def meant(query: str) -> str | None:
    return find_theme(query, THEMES).slug


def test_a_slug_or_display_name_names_its_theme_in_any_case_or_spacing() -> None:
    assert meant("us") == "us"
    assert meant("US Policy") == "us"
    assert meant("normalization with assad") == "normalization-with-assad"
    assert meant("NORMALIZATION-WITH-ASSAD") == "normalization-with-assad"
    assert meant("d") == "deep100"  # its display name, exactly


def test_a_whole_word_of_exactly_one_theme_names_it() -> None:
    assert meant("assad") == "normalization-with-assad"
    assert meant("nordic") == "nato-nordic-accession"
    assert meant("Nordic accession") == "nato-nordic-accession"


def test_a_name_that_merely_contains_a_short_theme_names_nothing() -> None:
    """QA #1: "us" inside "russia" and "d" inside "assad" once picked those themes."""
    assert meant("russia") is None
    assert meant("russia-sanctions") is None
    assert meant("sad") is None
    assert find_theme("russia", THEMES).suggestions == ()


def test_a_close_spelling_of_a_whole_slug_or_name_is_forgiven() -> None:
    assert meant("normalisation-with-asad") == "normalization-with-assad"
    assert meant("syria-ad") == "syria-aid"


def test_a_spelling_close_to_two_themes_is_not_guessed() -> None:
    themes = [("iran-deal", "Iran deal"), ("iraq-deal", "Iraq deal")]
    found = find_theme("iran-deel", [*themes, ("iran-deals", "Iran deals")])
    assert found.slug is None and "iran-deal" in found.suggestions


def test_suggestions_are_only_themes_that_are_actually_close() -> None:
    assert find_theme("asad", THEMES).suggestions == ("normalization-with-assad",)
    assert find_theme("t3", THEMES).suggestions == ()  # not "tr-theme", not "t2"
    assert find_theme("syria-aid-2024", THEMES).suggestion in (None, "syria-aid")
    assert "bad15" not in find_theme("syria relief", THEMES).suggestions


def test_two_themes_named_alike_are_ambiguous_and_both_slugs_are_offered() -> None:
    """QA #13: a second theme with the same display name; a name must not pick one of them."""
    themes = [*THEMES, ("t3", "normalization with assad")]
    found = find_theme("Normalization with Assad", themes)
    assert found.slug is None and found.ambiguous
    assert set(found.suggestions) == {"normalization-with-assad", "t3"}
    assert did_you_mean(found) in (
        "normalization-with-assad or t3",
        "t3 or normalization-with-assad",
    )
    assert meant("t3") is None and find_theme("t3", themes).slug == "t3"  # the slug still works
