"""The Boolean query language: parsing, errors with positions, and how a query theme scores."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher import ItemText, Scorer, Theme, ThemeError, load_themes_toml, shipped_themes_toml
from matcher.prefixes import prefix_reach, prefixes
from matcher.query import (
    All,
    Any,
    Near,
    Not,
    QueryError,
    Words,
    parse_query,
    parse_term,
    phrase_note,
    split_query,
    to_text,
)
from matcher.themes import with_query

BLANK = Theme("quota", "Quota", "", 50, ())


def query_theme(text: str, slug: str = "quota") -> Theme:
    return with_query(Theme(slug, slug.title(), "", 50, ()), text)


def verdict(theme: Theme, title: str, summary: str = "") -> tuple[bool, int, str]:
    scorer = Scorer([theme])
    item = ItemText(title, summary, datetime(2024, 5, 1, tzinfo=UTC))
    result = scorer.score_one(item, theme.slug)
    assert scorer.reference_score(item)[0] == result  # the index and the slow path agree
    return result.matched, result.score, result.brief()


# --- parsing ------------------------------------------------------------------------------


def test_operators_in_any_case_with_and_binding_tighter_than_or() -> None:
    assert parse_query("a or b AND c") == Any((Words(("a",)), All((Words(("b",)), Words(("c",))))))
    assert parse_query("(a OR b) and c") == All(
        (Any((Words(("a",)), Words(("b",)))), Words(("c",)))
    )


def test_bare_words_are_one_phrase_and_quotes_an_exact_one() -> None:
    assert parse_query('restore ties OR "reopen the embassy"') == Any(
        (Words(("restore", "ties")), Words(("reopen", "the", "embassy"), exact=True))
    )
    # phones type curly quotes
    assert parse_query("\u201cquota deal\u201d") == Words(("quota", "deal"), exact=True)


def test_not_near_and_prefix() -> None:
    assert parse_query("quota NOT Faroes") == All((Words(("quota",)), Not(Words(("Faroes",)))))
    assert parse_query("quota AND NOT Faroes") == parse_query("quota NOT Faroes")
    assert parse_query("export* near/5 mackerel") == Near(
        Words(("export*",)), Words(("mackerel",)), 5
    )


@pytest.mark.parametrize(
    "query",
    [
        '(Iceland OR Oslo) AND (quota OR catch) AND ("North Sea" OR mackerel) NOT Faroes',
        "ship* NEAR/3 (port OR harbour) AND deal",
        "a AND b OR c AND d",
        "x NEAR/2 y NEAR/4 z",
    ],
)
def test_a_query_prints_back_to_the_same_query(query: str) -> None:
    node = parse_query(query)
    assert parse_query(to_text(node)) == node
    split = split_query(node)
    assert split_query(parse_query(split.text())) == split


@pytest.mark.parametrize(
    ("query", "column", "expected"),
    [
        ("Iceland AND quota AND", 22, "expected a term or '(' after AND"),
        ("Iceland AND (quota OR catch", 28, "expected ')' to close the '(' at column 13"),
        ("quota OR OR catch", 10, "expected a term or '(' after OR"),
        ('quota "North Sea', 7, "this quote is never closed"),
        ('quota "North Sea"', 7, "expected AND, OR, NOT or NEAR/n before"),
        ("quota NEAR/x port", 7, "expected NEAR/n with a number"),
        ("quota NEAR/0 port", 7, "NEAR/n takes n from 1 to 50"),
        ("gr* AND port", 1, "a prefix needs at least 3 letters"),
        ("gr*ain", 3, "'*' may only end a word"),
        ("quota)", 6, "this ')' closes nothing"),
        ("", 1, "the query is empty"),
        ("quota NEAR port", 7, "NEAR needs a distance in words: write NEAR/5"),
        ("quota near port", 7, 'or quote the word to look for it ("near east")'),
        ("(" * 200 + "quota" + ")" * 200, 31, "too deeply nested: at most 30 levels"),
        ("NOT " * 40 + "quota", 121, "too deeply nested"),
        (" NEAR/2 ".join(f"w{n}x" for n in range(40)), 356, "at most 30 NEAR/n in a row"),
        # QA round 17: the word was shown by repr(), its backslash doubled
        ('"a \\"b\\" c"', 6, "before 'b\\' (a backslash escapes nothing"),
    ],
)
def test_syntax_errors_say_where_and_what_was_expected(
    query: str, column: int, expected: str
) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(query)
    assert caught.value.column == column
    assert expected in str(caught.value)
    assert str(caught.value).startswith(f"at column {column}: ")


def test_thirty_levels_of_brackets_are_still_a_query() -> None:
    assert to_text(parse_query("(" * 30 + "quota" + ")" * 30)) == "quota"


def test_not_narrows_the_terms_beside_it_and_never_stands_alone() -> None:
    # Inside one alternative of OR it narrows that alternative: an analyst's "a OR b NOT c".
    split = split_query(parse_query("quota OR (rice NOT Faroes)"))
    assert split.exclusions == ()
    assert [to_text(a) for a in split.concepts[0]] == ["quota", "rice AND NOT Faroes"]
    assert split_query(parse_query("quota OR rice NOT Faroes")) == split
    with pytest.raises(QueryError, match=r"at column 10: a NOT cannot stand alone .* write"):
        split_query(parse_query("quota OR NOT Faroes"))
    # each refusal names its rule and what to write instead (QA)
    for query, rule in [
        ("quota NEAR/3 (rice NOT Faroes)", "inside a side of NEAR: write (a NEAR/3 b) NOT c"),
        ("quota OR (rice NOT (port OR (dock NOT Faroes)))", "a NOT inside a NOT is not read"),
    ]:
        with pytest.raises(QueryError, match=re.escape(rule)):
            split_query(parse_query(query))
    with pytest.raises(QueryError, match="not after NOT"):
        split_query(parse_query("NOT Faroes"))


def test_an_alternative_narrowed_by_not_counts_only_where_its_not_is_absent() -> None:
    theme = with_query(
        Theme("rice", "Rice quotas", "", 50, ()),
        '(Chile OR Peru) AND (quota OR ("import ban" NOT Faroes))',
    )
    scorer = Scorer([theme])

    def matched(title: str) -> bool:
        return scorer.score_one(ItemText(title, ""), "rice").matched

    assert matched("Chile sets a rice quota")
    assert matched("Peru announces an import ban on rice")
    assert not matched("Peru lifts import ban on Faroes fish")
    assert matched("Chile sets a quota on Faroes fish")  # the NOT narrows its alternative only
    for title in ("Peru announces an import ban on rice", "Peru lifts import ban on Faroes fish"):
        item = ItemText(title, "")
        assert scorer.score(item) == scorer.reference_score(item)


def test_a_keyword_reads_lower_case_words_as_words() -> None:
    assert parse_term("Bosnia and Herzegovina") == Words(("Bosnia", "and", "Herzegovina"))
    assert parse_term("quota AND port") == All((Words(("quota",)), Words(("port",))))


# --- compiling into the scoring model ------------------------------------------------------


def test_each_and_operand_is_a_required_concept_and_not_an_exclusion() -> None:
    theme = query_theme('(Iceland OR Oslo) AND (quota OR catch) AND "North Sea" NOT Faroes')
    assert [(g.name, g.required, g.terms) for g in theme.groups] == [
        ("Iceland", True, ("Iceland", "Oslo")),
        ("quota", True, ("quota", "catch")),
        ("North Sea", True, ('"North Sea"',)),
    ]
    assert theme.exclude == ("Faroes",)
    assert theme.query == '(Iceland OR Oslo) AND (quota OR catch) AND "North Sea" NOT Faroes'
    with pytest.raises(ThemeError, match=r"theme 'quota': query: at column 12: expected a term"):
        with_query(BLANK, "quota AND (")


def test_a_query_theme_matches_only_when_every_concept_is_there() -> None:
    theme = query_theme("(Iceland OR Oslo) AND (quota OR catch) AND (mackerel OR ship*)")
    assert verdict(theme, "Oslo says quota ships left Odesa under the new mackerel")[0]
    assert not verdict(theme, "Oslo says quota prices rose")[0]
    matched, score, brief = verdict(theme, "Iceland's catch shipments resume", "")
    assert matched and score >= 90
    assert brief == "Iceland (Iceland), catch (quota), shipments (mackerel)"


def test_not_blocks_the_match_wherever_it_occurs() -> None:
    theme = query_theme("quota AND Iceland NOT Faroes")
    assert verdict(theme, "Iceland quota deal extended")[0]
    matched, _, brief = verdict(
        theme, "Iceland quota deal extended", "Farmers protested in Faroes."
    )
    assert not matched and "-exclude: Faroes" in brief


def test_prefixes_match_word_starts_and_near_wants_the_words_close() -> None:
    theme = query_theme("negotiat* NEAR/3 nuclear AND Iran")
    assert verdict(theme, "Iran and EU negotiators discuss nuclear steps")[0]
    assert verdict(theme, "Iran: nuclear talks, then negotiations in Vienna")[0]
    far = "Iran negotiators met on Monday to talk about many things including the nuclear file"
    assert not verdict(theme, far)[0]
    # NEAR never joins the title to the summary
    assert not verdict(theme, "Iran negotiators meet", "Nuclear file open.")[0]


def test_a_prefix_finds_the_forms_of_its_own_word_as_the_whole_word_would() -> None:
    # An analyst's `release*` missed "releasing" (the e is dropped), which `release` finds.
    theme = query_theme("Fukushima AND release*")
    for text in ("releasing", "released", "releases", "release", "releaser"):
        assert verdict(theme, f"Fukushima water: Tepco {text} more")[0], text
    assert not verdict(theme, "Fukushima water: Tepco relaxes the plan")[0]
    assert not verdict(query_theme("Oslo AND ship*"), "Oslo: a shy fleet")[0]


def test_exact_phrases_want_their_words_adjacent_and_in_order() -> None:
    loose, exact = query_theme("North Sea quota"), query_theme('"North Sea quota"')
    text = "quota from the North Sea"
    assert not verdict(exact, text)[0]
    assert verdict(exact, "North Sea quota deal")[0]
    assert verdict(loose, "North Sea route for quota")[0]  # in order, a gap of two words
    assert verdict(query_theme('"Rwanda plan"'), "Rwanda's plan")[0]  # a possessive is no gap


def test_folding_stemming_fuzzy_spelling_and_arabic_apply_to_every_term() -> None:
    theme = query_theme(
        '(Türkiye OR Turkey) AND ("normalise relations" OR التطبيع OR rapprochement)'
    )
    assert verdict(theme, "TURKIYE moves to normalize relations")[0]  # folding, British -ise
    assert verdict(theme, "Turkey seeks rapprochment")[0]  # a typo
    assert verdict(theme, "Turkey", "ناقشت تركيا والتطبيع مع الجيران")[0]  # Arabic article
    assert verdict(query_theme("Çavuşoğlu AND visit*"), "Cavusoglu visiting Cairo")[0]


def test_an_and_inside_an_or_is_one_term_that_needs_both_parts() -> None:
    theme = query_theme("Oslo AND ((quota AND ships) OR mackerel)")
    assert verdict(theme, "Oslo: quota ships sail", "")[0]
    assert not verdict(theme, "Oslo: quota prices", "")[0]
    assert verdict(theme, "Oslo opens mackerel")[0]


def test_reasons_point_at_the_words_found() -> None:
    theme = query_theme("Assad NEAR/4 embass*")
    scorer = Scorer([theme])
    item = ItemText("Rome to reopen embassy, meet Assad envoy", "")
    result = scorer.score_one(item, "quota")
    first = result.reasons[0]
    assert (first.group, first.term, first.where) == ("Assad", "Assad NEAR/4 embass*", "title")
    assert first.found == "embassy, meet Assad"
    assert item.title[first.position :].startswith(first.found)


def test_fuzzy_spelling_needs_long_words_and_a_prefix_needs_the_whole_start() -> None:
    theme = query_theme('Rwanda AND ("Rwanda policy" OR refugee*)')
    assert verdict(theme, "Rwanda policy upheld")[0]
    assert not verdict(theme, "Rwanda police arrest a suspect")[0]  # police is not policy
    assert verdict(theme, "Rwanda refugees", "")[0]
    assert not verdict(theme, "Rwanda: a refuge for birds")[0]  # refuge is not refugee*
    assert verdict(query_theme("Rwanda AND deportation*"), "Rwanda deportaton flight")[0]


QUERY_TEXT = st.lists(
    st.sampled_from(
        ["AND", "or", "NOT", "NEAR/3", "(", ")", '"', "quota", "Oslo", "ship*", "al-Assad", "x*"]
    )
    | st.text(max_size=6),
    max_size=12,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(QUERY_TEXT)
def test_any_text_is_a_query_or_a_query_error_never_a_crash(text: str) -> None:
    try:
        theme = with_query(BLANK, text)
    except ThemeError as exc:
        assert "query: at column " in str(exc)
        return
    assert theme.query is not None and theme.groups
    reprinted = with_query(BLANK, split_query(parse_query(theme.query)).text())
    assert (reprinted.groups, reprinted.exclude) == (theme.groups, theme.exclude)
    item = ItemText(f"{text} quota Oslo ship", text)
    scorer = Scorer([theme])
    assert scorer.score(item) == scorer.reference_score(item)


def test_a_prefix_reach_counts_the_texts_holding_each_word_it_takes() -> None:
    node = parse_query('(Sweden OR Finland) AND join* AND NOT "joint* exercise*"')
    texts = [
        "Sweden joins the alliance; joining took a year",
        "A joint statement on Finland joining",
        "Nothing here",
    ]
    (reach,) = prefix_reach(node, texts)
    assert reach.written == "join*"
    assert dict(reach.words) == {"joins": 1, "joining": 2, "joint": 1}
    assert prefixes(parse_query("negotiat* OR Talks*")) == ["negotiat", "talks"]
    assert prefix_reach(parse_query("Sweden AND NATO"), texts) == []


def test_the_word_near_is_found_when_quoted() -> None:
    assert to_text(parse_query('"near east" AND peace')) == '"near east" AND peace'


def test_an_acronym_that_spells_a_word_is_found_only_in_capitals() -> None:
    base = load_themes_toml(shipped_themes_toml())[0]
    themes = [
        with_query(replace(base, slug="hormuz"), 'Hormuz AND (Iran OR "United States" OR US)'),
        with_query(replace(base, slug="who-ebola"), "WHO AND Ebola"),
        with_query(replace(base, slug="nato"), "NATO AND Sweden"),
    ]
    scorer = Scorer(themes)

    def gates(title: str) -> list[str]:
        item = ItemText(title, "", datetime(2025, 1, 1, tzinfo=UTC), "Wire", "https://x.example/1")
        assert scorer.score(item) == scorer.reference_score(item)  # the index and the slow path
        return [r.theme for r in scorer.score(item) if r.score > 0]

    assert gates("US warships enter Hormuz") == ["hormuz"]
    assert gates("Travellers tell us about Hormuz") == []
    assert gates("WHO declares an Ebola emergency") == ["who-ebola"]
    assert gates("Who will pay for Ebola care?") == []
    # an acronym that spells no word keeps matching as outlets write it
    assert gates("Nato welcomes Sweden") == ["nato"]


def test_a_query_of_bare_words_is_said_to_be_one_phrase() -> None:
    note = phrase_note(parse_query("Canada tariffs"))
    assert note is not None and "write Canada AND tariffs" in note
    assert phrase_note(parse_query("Canada AND tariffs")) is None
    assert phrase_note(parse_query('"Canada tariffs"')) is None
    assert phrase_note(parse_query("tariffs")) is None


def test_a_minus_before_a_word_or_quote_excludes_it_as_search_engines_do() -> None:
    assert to_text(parse_query("Iran -Venezuela")) == "Iran AND NOT Venezuela"
    assert to_text(parse_query('Iran -"oil sanctions"')) == 'Iran AND NOT "oil sanctions"'
    # a hyphen inside a word is the word's
    assert to_text(parse_query("al-Assad -Russia")) == "al-Assad AND NOT Russia"
    # a keyword is a phrase as typed
    assert parse_term("-Venezuela") == Words(("-Venezuela",))


@pytest.mark.parametrize("query", ["Iran !Venezuela", "Iran ~talks", "+Iran AND talks"])
def test_other_engines_marks_before_a_word_are_refused_with_what_to_write(query: str) -> None:
    with pytest.raises(QueryError, match="is not an operator here: write NOT word"):
        parse_query(query)
    assert to_text(parse_query("C++ AND code")) == "C++ AND code"  # inside a word: the word's


def test_near_does_not_count_a_possessive_s_as_a_word() -> None:
    theme = query_theme("Oslo NEAR/1 quota")
    assert verdict(theme, "Oslo's quota rises")[0]  # adjacent, as the exact phrase reads it
    assert not verdict(theme, "Oslo and its quota")[0]


def test_a_query_for_saudi_finds_saudis() -> None:
    theme = with_query(Theme("s", "s", "", 50, ()), "Saudi AND Israel AND (normalization OR deal)")
    scorer = Scorer([theme])
    item = ItemText(
        "Saudis signal openness to Israeli normalisation deal", "", datetime(2025, 1, 1, tzinfo=UTC)
    )
    assert scorer.score_one(item, "s").matched
