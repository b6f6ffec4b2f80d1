"""Themes: the shipped theme, TOML round trips, validation messages and admin edits."""

from __future__ import annotations

import pytest

from matcher import (
    TermGroup,
    Theme,
    ThemeError,
    dump_themes_toml,
    load_themes_toml,
    shipped_themes_toml,
    with_exclusion,
    with_keyword,
    with_threshold,
    without_exclusion,
    without_keyword,
)
from matcher.themes import keyword_groups

SLUG = "normalization-with-assad"


@pytest.fixture
def theme() -> Theme:
    return load_themes_toml(shipped_themes_toml())[0]


def test_shipped_theme_is_normalization_with_assad(theme: Theme) -> None:
    assert theme.slug == SLUG
    assert theme.name == "Normalization with Assad"
    assert 0 < theme.threshold <= 100
    assert theme.options["until"] == "2024-12-08"
    assert len(theme.exemplars) == 5
    assert [g.name for g in theme.groups if g.required] == ["who", "what"]


def test_shipped_theme_speaks_arabic_and_turkish(theme: Theme) -> None:
    terms = {t for g in theme.groups for t in g.terms}
    assert {"التطبيع", "الأسد", "normalleşme", "Esad"} <= terms
    assert any(t.startswith("Şam") for t in terms)


def test_toml_round_trip_gives_equal_themes(theme: Theme) -> None:
    odd = Theme(
        "odd-one",
        'Quotes " and \\ back',
        "multi\nline",
        7,
        (TermGroup("g", 2.5, False, ("a\tb", "ü")),),
        ("x",),
        (),
        {"flag": True, "n": 3},
    )
    text = dump_themes_toml([theme, odd])
    assert load_themes_toml(text) == [theme, odd]
    assert dump_themes_toml(load_themes_toml(text)) == text


def test_bad_threshold_is_named_with_the_theme() -> None:
    text = shipped_themes_toml().replace("threshold = 70", "threshold = 140")
    with pytest.raises(ThemeError, match=r"theme 'normalization-with-assad': threshold: 140"):
        load_themes_toml(text)


def test_missing_field_and_unknown_field_are_named() -> None:
    with pytest.raises(ThemeError, match=r"theme 'x': name: missing"):
        load_themes_toml('[[themes]]\nslug = "x"\nthreshold = 1\ngroups = []\n')
    with pytest.raises(ThemeError, match=r"theme 'x': colour: unknown field"):
        load_themes_toml('[[themes]]\nslug = "x"\nname = "X"\nthreshold = 1\ncolour = 1\n')


def test_group_errors_name_the_group() -> None:
    text = (
        '[[themes]]\nslug = "x"\nname = "X"\nthreshold = 1\n'
        '[[themes.groups]]\nname = "who"\nweight = 10\nterms = ["  "]\n'
    )
    with pytest.raises(ThemeError, match=r"theme 'x': groups.who.terms: empty phrase"):
        load_themes_toml(text)


def test_invalid_toml_and_bad_until_are_theme_errors() -> None:
    with pytest.raises(ThemeError, match="not valid TOML"):
        load_themes_toml("[[themes]\n")
    bad = shipped_themes_toml().replace('until = "2024-12-08"', 'until = "soon"')
    with pytest.raises(ThemeError, match=r"options\.until"):
        load_themes_toml(bad)


def test_with_keyword_adds_to_the_keyword_groups(theme: Theme) -> None:
    changed = with_keyword(theme, "détente")
    assert keyword_groups(theme) == ["what", "relations"]
    for name in ("what", "relations"):
        group = changed.group(name)
        assert group is not None and "détente" in group.terms
    assert changed.group("who") == theme.group("who")


def test_with_keyword_twice_is_an_error(theme: Theme) -> None:
    with pytest.raises(ThemeError, match="already there"):
        with_keyword(with_keyword(theme, "détente"), "Détente")


def test_without_keyword_removes_it_from_every_group(theme: Theme) -> None:
    changed = without_keyword(theme, "mekdad")
    assert not any("Mekdad" in g.terms for g in changed.groups)
    with pytest.raises(ThemeError, match="'no such phrase' is not a term"):
        without_keyword(theme, "no such phrase")


def test_exclusions_can_be_added_and_removed(theme: Theme) -> None:
    changed = with_exclusion(theme, "Cyprus talks")
    assert "Cyprus talks" in changed.exclude
    assert without_exclusion(changed, "cyprus talks").exclude == theme.exclude
    with pytest.raises(ThemeError, match="exclude"):
        without_exclusion(theme, "Cyprus talks")


def test_with_threshold_checks_its_range(theme: Theme) -> None:
    assert with_threshold(theme, 80).threshold == 80
    for bad in (-1, 101):
        with pytest.raises(ThemeError, match=f"threshold: {bad} is outside 0..100"):
            with_threshold(theme, bad)
