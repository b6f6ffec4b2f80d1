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
from matcher.themes import (
    keyword_groups,
    keyword_targets,
    new_theme_problem,
    slug_from,
    validate_theme,
    with_query,
)

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
        with pytest.raises(ThemeError, match=f"threshold: {bad} is not from 0 to 100"):
            with_threshold(theme, bad)


# --- every edit on every kind of theme ------------------------------------------------------

BLANK = Theme("chile-lithium", "Chile lithium nationalization", "", 50, ())


def test_a_theme_without_groups_is_valid_and_takes_every_edit() -> None:
    assert validate_theme(BLANK) is BLANK
    assert keyword_targets(BLANK) == ["keywords"]
    keyed = with_keyword(BLANK, "Chile lithium deal")
    assert keyed.query == "Chile lithium deal"
    assert [(g.name, g.required, g.terms) for g in keyed.groups] == [
        ("Chile lithium deal", True, ("Chile lithium deal",))
    ]
    assert with_exclusion(BLANK, "Iran").exclude == ("Iran",)
    assert without_exclusion(with_exclusion(BLANK, "Iran"), "iran").exclude == ()
    assert with_threshold(BLANK, 80).threshold == 80
    with pytest.raises(ThemeError, match="is not a term of any group"):
        without_keyword(BLANK, "Chile")
    with pytest.raises(ThemeError, match="is not an excluded phrase"):
        without_exclusion(BLANK, "Iran")


def test_keywords_join_a_concept_of_a_query_theme_and_rewrite_its_query() -> None:
    theme = with_query(BLANK, "(Chile OR Santiago) AND Lithium AND (nationalization OR takeover)")
    assert keyword_targets(theme) == ["Chile"]
    assert keyword_targets(theme, "nationalization") == ["nationalization"]
    assert keyword_targets(theme, phrase="a state takeover") == ["nationalization"]
    # a phrase sharing no word with any concept is not guessed into one: which, is asked
    with pytest.raises(ThemeError, match="shares no word with a concept") as asked:
        keyword_targets(theme, phrase="Boric")
    assert "/keywords chile-lithium add Chile: Boric" in str(asked.value)
    assert "/keywords chile-lithium add Lithium: Boric" in str(asked.value)
    more = with_keyword(theme, "state company", "nationalization")
    assert (
        more.query
        == "(Chile OR Santiago) AND Lithium AND (nationalization OR takeover OR state company)"
    )
    assert more.group("nationalization") == TermGroup(
        "nationalization", 30.0, True, ("nationalization", "takeover", "state company")
    )
    assert str(with_keyword(theme, "Boric", "chile").query).startswith(
        "(Chile OR Santiago OR Boric) AND"
    )
    fewer = without_keyword(more, "TAKEOVER")
    assert fewer.query == "(Chile OR Santiago) AND Lithium AND (nationalization OR state company)"
    with pytest.raises(
        ThemeError, match="concept 'Lithium' of theme 'chile-lithium' cannot lose its last term"
    ):
        without_keyword(theme, "Lithium")
    with pytest.raises(ThemeError, match="no concept 'who'; its concepts: Chile, Lithium"):
        with_keyword(theme, "Boric", "who")
    with pytest.raises(
        ThemeError, match="'takeover' is already there, in concept 'nationalization'"
    ):
        with_keyword(theme, "takeover", "nationalization")
    excluded = with_exclusion(theme, "Iran OR Peru")
    assert excluded.query is not None and excluded.query.endswith("NOT Iran NOT Peru")
    assert excluded.exclude == ("Iran", "Peru")
    assert without_exclusion(excluded, "iran").exclude == ("Peru",)
    with pytest.raises(ThemeError, match="NOT cannot be part of one term"):
        with_keyword(theme, "takeover NOT Iran")  # /exclude is the command for that
    assert with_threshold(theme, 70).query == theme.query


def test_every_kind_of_theme_round_trips_through_toml(theme: Theme) -> None:
    query = with_query(
        Theme("q", "Q", "", 50, (), exemplars=("An example.",)),
        '(Iceland OR Oslo) AND quota* AND "North Sea" NEAR/5 port NOT Faroes',
    )
    keyed = with_keyword(Theme("k", "K", "", 50, ()), "quota deal")
    themes = [with_keyword(theme, "resume flights"), BLANK, query, keyed]
    text = dump_themes_toml(themes)
    assert (
        'query = "(Iceland OR Oslo) AND quota* AND \\"North Sea\\" NEAR/5 port NOT Faroes"' in text
    )
    assert load_themes_toml(text) == themes
    assert dump_themes_toml(load_themes_toml(text)) == text


def test_a_query_theme_in_toml_refuses_groups_and_a_bad_query() -> None:
    head = '[[themes]]\nslug = "q"\nname = "Q"\nthreshold = 50\n'
    with pytest.raises(ThemeError, match=r"theme 'q': query: at column 10: expected a term"):
        load_themes_toml(head + 'query = "quota AND"\n')
    with pytest.raises(ThemeError, match="takes its terms and exclusions from the query"):
        load_themes_toml(head + 'query = "quota"\nexclude = ["x"]\n')
    (loaded,) = load_themes_toml(head + 'query = "quota* OR catch"\n')
    assert loaded.groups == (TermGroup("quota", 90.0, True, ("quota*", "catch")),)


def test_an_exclusion_on_a_one_concept_query_keeps_narrowing_every_alternative() -> None:
    from matcher import ItemText, Scorer

    theme = with_query(Theme("gh", "gh", "", 50, ()), "alpha OR bravo")
    excluded = with_exclusion(theme, "charlie")
    assert excluded.query == "(alpha OR bravo) NOT charlie"
    # every later edit and a TOML round trip read it the same way
    grown = with_keyword(excluded, "delta")
    assert grown.query == "(alpha OR bravo OR delta) NOT charlie"
    (again,) = load_themes_toml(dump_themes_toml([grown]))
    assert again.query == grown.query
    for t in (excluded, grown, again):
        assert not Scorer([t]).score_one(ItemText("alpha charlie", ""), "gh").matched
        assert Scorer([t]).score_one(ItemText("alpha news", ""), "gh").matched
    assert without_exclusion(grown, "charlie").query == "alpha OR bravo OR delta"
    assert without_keyword(grown, "bravo").query == "(alpha OR delta) NOT charlie"


def test_a_term_holding_not_is_changed_through_the_whole_query_and_the_refusal_says_so() -> None:
    theme = with_query(Theme("cd", "cd", "", 50, ()), "alpha OR bravo NOT charlie")
    with pytest.raises(
        ThemeError, match=r"its terms: alpha: alpha, bravo AND NOT charlie.*/query cd"
    ):
        without_keyword(theme, "bravo")


def test_a_refused_slug_is_mended_into_one_a_new_theme_can_have() -> None:
    assert slug_from("Iran-Deal") == "iran-deal"
    assert slug_from("Türkiye–Syria talks") == "turkiye-syria-talks"
    long = slug_from("Normalization of relations between Turkey and the government in Damascus")
    assert long == "normalization-of-relations-between"
    assert long is not None and new_theme_problem(long, "a name") is None
    assert slug_from("تطبيع") is None and slug_from("z") is None
