"""Long items that open no theme's gate are scored from word stems alone, with no change.

The scorer splits an item into words and stems first and finds offsets only when a reason
quotes the item. These checks hold it to the full tokenizer and to the reference path, which
still goes through tokenize.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from matcher import (
    ItemText,
    Scorer,
    TermGroup,
    Theme,
    load_themes_toml,
    shipped_themes_toml,
)
from matcher.text import fold_words, stem, tokenize, word_spans

DEVSET = Path(__file__).parent / "data" / "devset.jsonl"
SHIPPED = load_themes_toml(shipped_themes_toml())
MORE = [
    Theme(
        "turkey-esad",
        "Turkey and Esad",
        "",
        40,
        (
            TermGroup("who", 40, True, ("Esad", "Şam", "الأسد")),
            TermGroup("what", 40, True, ("normalleşme", "görüşme", "التطبيع")),
            TermGroup("extra", 10, False, ("Çavuşoğlu", "Erdoğan")),
        ),
        exclude=("Straße",),
        exemplars=("Erdoğan Esad ile görüşme olabilir dedi, Suriye ile normalleşme sürüyor",),
    ),
    Theme("any-embassy", "Embassies", "", 20, (TermGroup("what", 30, False, ("embassy",)),)),
]
SCORER = Scorer([*SHIPPED, *MORE])
WHEN = datetime(2023, 5, 5, tzinfo=UTC)


def devset_items() -> list[ItemText]:
    with DEVSET.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [
        ItemText(r["title"], r["summary"], datetime.fromisoformat(r["published"])) for r in rows
    ]


ITEMS = devset_items()

# Words an item is built from: every theme's terms (so gates open now and then), devset prose,
# and words whose folding changes length or needs care.
VOCAB = sorted(
    {w for t in (*SHIPPED, *MORE) for g in t.groups for p in g.terms for w in p.split()}
    | {w for t in (*SHIPPED, *MORE) for p in t.exclude for w in p.split()}
    | {w for it in ITEMS[:40] for w in it.summary.split()}
    | {"Çavuşoğlu’s", "al‑Assad", "Straße", "ﬁne", "İİ", "ıı", "التَّطْبِيع", "تطـبيع", "x\u00ad"}
)
SEPARATORS = [" ", " ", " ", ", ", ". ", "\n", " — ", "’s ", " (", ") ", "-", "\u200b"]
WORDS = st.tuples(st.sampled_from(VOCAB), st.sampled_from(SEPARATORS)).map("".join)


def text(max_words: int) -> st.SearchStrategy[str]:
    return st.lists(WORDS, max_size=max_words).map("".join)


ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)


@given(ANY_TEXT | text(60))
@example("snake_case ½ ²3 x\u00b7y Ⅻ ß\u0301 ﬁ İ \u0640")  # \w beyond letters
def test_the_quick_word_pass_sees_exactly_the_tokenizers_words(value: str) -> None:
    tokens = tokenize(value)
    assert fold_words(value) == [t.text for t in tokens]
    assert word_spans(value) == [(t.start, t.end) for t in tokens]
    assert [stem(w) for w in fold_words(value)] == [t.stem for t in tokens]


@given(text(12), text(260), st.sampled_from([WHEN, datetime(2025, 2, 1, tzinfo=UTC)]))
@settings(max_examples=60, deadline=None)
def test_long_items_score_the_same_as_on_the_reference_path(
    title: str, summary: str, published: datetime
) -> None:
    item = ItemText(title, summary, published)
    results = SCORER.score(item)
    assert results == SCORER.reference_score(item)
    for theme, result in zip(SCORER.themes, results, strict=True):
        assert SCORER.score_one(item, theme.slug) == result
        assert SCORER.explain(item, theme.slug).matched == result.matched


def test_every_devset_item_scores_the_same_as_on_the_reference_path() -> None:
    for item in ITEMS:
        assert SCORER.score(item) == SCORER.reference_score(item), item.title


def test_devset_items_run_together_score_the_same_as_on_the_reference_path() -> None:
    # Benchmark-sized items: several devset stories in one summary, so gates open far from
    # the start and phrases sit hundreds of words in.
    for i in range(0, len(ITEMS) - 5, 5):
        batch = ITEMS[i : i + 5]
        item = ItemText(
            batch[0].title, "\n\n".join(it.title + ". " + it.summary for it in batch), WHEN
        )
        assert SCORER.score(item) == SCORER.reference_score(item), batch[0].title


@pytest.mark.parametrize("item", ITEMS[::5], ids=lambda it: it.title[:40])
def test_reasons_quote_the_item_where_they_say(item: ItemText) -> None:
    for theme in SCORER.themes:
        why = SCORER.explain(item, theme.slug)
        for r in why.reasons:
            if r.where in {"title", "summary"} and r.found and r.group != "exemplar":
                field = item.title if r.where == "title" else item.summary
                assert field[r.position : r.position + len(r.found)] == r.found


def test_a_reason_quotes_the_whole_phrase_as_written_in_the_item() -> None:
    # Folding changes lengths before the phrases (ß, the ligature, a soft hyphen), so the
    # offsets have to be mapped back; the quote runs from the first word to the last.
    item = ItemText(
        "Straße ﬁne: Jordan to re‑establish  ties with al‑Assad’s government",
        "Ayman Safadi said Amman will restore\u00ad ties with the Assad regime.",
        WHEN,
    )
    result = SCORER.score_one(item, "normalization-with-assad")
    quotes = {(r.term, r.found, r.where, r.position) for r in result.reasons}
    assert result.matched
    assert ("re-establish ties", "re‑establish  ties", "title", 22) in quotes
    assert ("Assad government", "Assad’s government", "title", 49) in quotes
    assert ("restore ties", "restore\u00ad ties", "summary", 29) in quotes
    assert ("the regime", "the Assad regime", "summary", 48) in quotes
