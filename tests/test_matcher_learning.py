"""Themes that learn: the fitted model, its guard rails, examples and proposed queries.

Every text here was written for these tests: two made-up states, Arland and Borovia, whose
ferry link is either being restored (on the theme) or in the news for storms, strikes and
accidents (off it). The query finds both; the labels teach the difference.
"""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from matcher import ItemText, Scorer, TermGroup, Theme, ThemeError
from matcher.learning import (
    LEARNED,
    MIN_PER_CLASS,
    Signals,
    fit_model,
    model_from_json,
    model_to_json,
)
from matcher.propose import propose_query
from matcher.teach import Label, TeachReport, label_replay, untaught, with_labels
from matcher.themes import validate_theme, with_query
from watchers.parse.article import ArticleError, extract_article, lead_of

QUERY = "(Arland OR Arlandian) AND (Borovia OR Borovian) AND (ferry OR port OR sailings)"
ON = [
    "agree to resume",
    "hold talks on restoring",
    "sign a deal to reopen",
    "negotiate the return of",
    "announce plans to restart",
    "draft a treaty to revive",
]
OFF = [
    "cancel sailings after a storm hits",
    "report a fire aboard",
    "face a strike that halts",
    "count losses after a collision on",
    "investigate a crash involving",
    "close the port as floods hit",
]
ON_TAIL = [
    "Diplomats said the service could restart by spring after years of frozen relations.",
    "Envoys called it a first step towards normal ties between the two capitals.",
    "The foreign ministers will meet again to settle the timetable and the visas.",
]
OFF_TAIL = [
    "Passengers were stranded at the port and crews worked through the night.",
    "Rescue teams pulled two crew members from the water, the coastguard said.",
    "Union leaders said the walkout would last until wages were raised.",
]


def theme() -> Theme:
    return with_query(Theme("ferry", "Arland-Borovia ferry", "", 50, ()), QUERY)


def story(rnd: random.Random, on: bool, n: int) -> ItemText:
    a, b = rnd.choice(["Arland", "Arlandian"]), rnd.choice(["Borovia", "Borovian"])
    verb = rnd.choice(ON if on else OFF)
    tail = rnd.choice(ON_TAIL if on else OFF_TAIL)
    return ItemText(f"{a} and {b} officials {verb} the ferry link", f"Report {n}. {tail}")


def labels(seed: int, n: int) -> list[Label]:
    rnd = random.Random(seed)
    return [Label(story(rnd, k % 2 == 0, k), k % 2 == 0) for k in range(n)]


def test_the_rules_alone_cannot_tell_storms_from_talks() -> None:
    scorer = Scorer([theme()])
    held = labels(2, 20)
    assert all(scorer.score_one(x.item, "ferry").matched for x in held)


def test_taught_with_labels_the_theme_tells_them_apart_on_items_it_never_saw() -> None:
    taught, report = with_labels(theme(), labels(1, 24))
    assert report.active and report.relevant == 12 and report.not_relevant == 12
    held = labels(2, 20)
    replay = label_replay(theme(), taught, held)
    assert replay.relevant_before == replay.relevant_after == 10
    assert replay.not_relevant_before == 10
    assert replay.not_relevant_after == 0
    result = Scorer([taught]).score_one(held[1].item, "ferry")
    learned = [r for r in result.reasons if r.group == "learned"]
    assert learned and learned[0].points < 0 and learned[0].term == "12+12 labels"


def test_no_model_until_each_kind_has_enough_labels() -> None:
    few = [x for x in labels(1, 40) if x.relevant][:20] + [
        x for x in labels(1, 40) if not x.relevant
    ][: MIN_PER_CLASS - 1]
    taught, report = with_labels(theme(), few)
    assert not report.active and LEARNED not in taught.options
    assert report.needs() == f"needs 1 more not relevant (at least {MIN_PER_CLASS} of each kind)"


def test_one_wrong_label_does_not_flip_the_theme() -> None:
    good = labels(1, 24)
    wrong = Label(good[1].item, True)  # a storm story pressed "relevant" by mistake
    taught, _ = with_labels(theme(), [*good, wrong])
    replay = label_replay(theme(), taught, labels(2, 20))
    assert replay.relevant_after == 10 and replay.not_relevant_after == 0


def test_the_learned_points_stay_within_the_cap() -> None:
    rnd = random.Random(3)
    content = [frozenset(f"w{rnd.randrange(40)}" for _ in range(8)) for _ in range(30)]
    labelled = [(Signals(100, 0, 3, 3, False, 0.0, c), k % 3 == 0) for k, c in enumerate(content)]
    model = fit_model(50, labelled, l2=0.001, cap=20)
    assert model is not None
    for s, _ in labelled:
        assert -20 <= model.adjust(s) <= 20


def test_an_excluded_context_still_blocks_a_taught_theme() -> None:
    taught, _ = with_labels(theme(), labels(1, 24))
    blocked = with_query(taught, QUERY + " NOT Bridge")
    item = ItemText("Arland and Borovia officials agree to resume the ferry link", "Bridge closed.")
    assert LEARNED in blocked.options
    assert not Scorer([blocked]).score_one(item, "ferry").matched


def test_a_taught_theme_may_match_an_item_missing_one_of_three_concepts() -> None:
    rnd = random.Random(5)
    taught_labels = labels(1, 24)
    # Relevant items that never name the ferry: the labels say the talks are what counts.
    for k in range(8):
        a = rnd.choice(["Arland", "Arlandian"])
        item = ItemText(f"{a} and Borovia {rnd.choice(ON)} ties", f"Talks {k}. {ON_TAIL[k % 3]}")
        taught_labels.append(Label(item, True))
    taught, _ = with_labels(theme(), taught_labels)
    probe = ItemText("Arland and Borovia agree to resume ties", ON_TAIL[0])
    assert not Scorer([theme()]).score_one(probe, "ferry").matched
    result = Scorer([taught]).score_one(probe, "ferry")
    assert result.matched
    assert any(r.group == "gate" and r.points < 0 for r in result.reasons)
    assert result.brief().endswith("-gate: ferry")
    assert not Scorer([taught]).score_one(ItemText("Arland and Borovia", ""), "ferry").matched


def test_fast_and_reference_paths_agree_with_a_model() -> None:
    taught, _ = with_labels(theme(), labels(1, 24))
    scorer = Scorer([taught, replace(theme(), slug="plain")])
    rnd = random.Random(9)
    items = [story(rnd, k % 2 == 0, k) for k in range(20)]
    items.append(ItemText("Arland and Borovia agree to resume ties", ON_TAIL[0]))
    for item in items:
        assert scorer.score(item) == scorer.reference_score(item)


def test_the_model_round_trips_as_the_themes_option_and_garbage_is_refused() -> None:
    taught, _ = with_labels(theme(), labels(1, 24))
    text = str(taught.options[LEARNED])
    again = model_from_json(text)
    assert model_to_json(again) == text
    assert untaught(taught).options.get(LEARNED) is None
    bad = replace(taught, options={**taught.options, LEARNED: '{"v": 9}'})
    with pytest.raises(ThemeError, match=r"options\.learned"):
        validate_theme(bad)
    # an edited file cannot lift the guard rails: the cap stays within 60 points (QA)
    uncapped = text.replace('"cap":60.0', '"cap":1000.0')
    assert uncapped != text
    with pytest.raises(ValueError, match=r"cap 1000 is outside 0\.\.60 points"):
        model_from_json(uncapped)


def test_an_added_exemplar_raises_items_that_read_like_it() -> None:
    base = Theme(
        "ferry",
        "ferry",
        "",
        60,
        (
            TermGroup("who", 30, True, ("Arland",)),
            TermGroup("what", 30, True, ("ferry",)),
        ),
    )
    item = ItemText(
        "Arland ferry link to restart after envoys meet",
        "Envoys agreed a timetable, visas and a first sailing for the spring.",
    )
    before = Scorer([base]).score_one(item, "ferry")
    example = (
        "Arland and Borovia restart ferry link. Envoys agreed on a timetable and visas, "
        "with the first sailing in the spring."
    )
    after = Scorer([replace(base, exemplars=(example,))]).score_one(item, "ferry")
    assert after.score > before.score
    assert any(r.group == "exemplar" for r in after.reasons)


def test_a_query_is_proposed_from_what_the_examples_share() -> None:
    examples = [
        "Jordan reopens embassy in Damascus. On Monday Jordan said it would reopen its "
        "embassy in Damascus and restore diplomatic ties with Syria.",
        "Oman names ambassador to Syria. The sultanate named an ambassador to Damascus, the "
        "latest Arab state to restore diplomatic ties with Syria.",
        "Egypt weighs ties with Syria. Egyptian envoys met Syrian officials in Damascus to "
        "discuss restoring diplomatic ties.",
    ]
    query = propose_query(examples)
    assert query == "(Damascus OR Syria) AND (ties OR diplomatic OR restor*)"
    concepts = with_query(Theme("x", "x", "", 50, ()), query).groups
    assert [g.required for g in concepts] == [True, True]
    assert propose_query(["   "]) is None


def test_an_articles_main_text_is_read_without_its_furniture() -> None:
    page = (
        b"<html><head><title>Ferry talks | Example News</title></head><body>"
        b"<nav><a href='/'>Home</a> | Subscribe now</nav><article><h1>Ferry talks resume</h1>"
        b"<p>Envoys from Arland and Borovia met on Tuesday to restart the ferry link, the "
        b"first talks in a decade, officials said.</p><p>A timetable is due next month.</p>"
        b"</article><footer>Copyright Example News. Cookie settings.</footer></body></html>"
    )
    article = extract_article(page, "text/html", "https://news.example/ferry")
    assert "first talks in a decade" in article.text
    assert "Subscribe" not in article.text and "Cookie" not in article.text
    plain = extract_article(b"Ferry talks resume\nEnvoys met on Tuesday.", "text/plain")
    assert plain.title == "Ferry talks resume" and plain.text == "Envoys met on Tuesday."
    with pytest.raises(ArticleError, match="paste the article"):
        extract_article(b"<html><body><nav>Home</nav></body></html>", "text/html")
    long = "One sentence here. " * 60
    assert lead_of(long).endswith(".") and len(lead_of(long)) <= 700


def test_labels_that_never_reach_the_terms_are_said_not_to_count() -> None:
    off_terms = TeachReport(relevant=6, not_relevant=6, used_relevant=0, used_not=0, active=False)
    assert off_terms.needs() == (
        "0 relevant and 0 not relevant of them reach its terms; it needs 5 more relevant and "
        f"5 more not relevant that do (at least {MIN_PER_CLASS} of each kind)"
    )


UNSEEN_ON = [
    (
        "Arland and Borovia ministers sign an accord to relaunch the ferry link",
        "Diplomats hailed a thaw between the neighbours and promised consulates in both ports.",
    ),
    (
        "Arlandian envoy in Borovia: the ferry link is the first fruit of reconciliation",
        "The two governments plan a summit to normalise relations next year.",
    ),
]
UNSEEN_OFF = [
    (
        "Arland and Borovia ferry capsizes in a hurricane",
        "Rescuers searched the sea for survivors "
        "overnight and hospitals treated dozens of injured passengers.",
    ),
    (
        "Borovian ferry to Arland runs aground in thick fog",
        "Lifeboats evacuated the passengers; "
        "investigators blamed a broken radar and an exhausted captain.",
    ),
]


def test_meaning_carries_the_labels_to_words_they_never_used() -> None:
    taught, _ = with_labels(theme(), labels(1, 24))
    model = fit_model(50, _signals(theme(), labels(1, 24)))
    assert model is not None and model.centroids is not None
    assert model.weights[-1] > 0  # nearer the relevant labels' meaning: more points
    scorer = Scorer([taught])
    for title, summary in UNSEEN_ON:
        assert scorer.score_one(ItemText(title, summary), "ferry").matched, title
    for title, summary in UNSEEN_OFF:
        assert not scorer.score_one(ItemText(title, summary), "ferry").matched, title


def _signals(t: Theme, given: list[Label]) -> list[tuple[Signals, bool]]:
    scorer = Scorer([t])
    out = []
    for label in given:
        signals = scorer.signals(label.item, t.slug)
        assert signals is not None and signals.text
        out.append((signals, label.relevant))
    return out


def test_a_model_fitted_before_the_meaning_feature_is_still_read() -> None:
    taught, _ = with_labels(theme(), labels(1, 24))
    import json

    data = json.loads(str(taught.options[LEARNED]))
    data.update(v=1, weights=data["weights"][:-1], features=data["features"][:-1])
    del data["meaning"]
    old = model_from_json(json.dumps(data))
    assert old.centroids is None and old.weights[-1] == 0.0
    held = labels(2, 20)
    assert sum(old.adjust(s) < 0 for s, y in _signals(theme(), held) if not y) >= 8


def test_an_example_is_read_in_its_own_encoding_and_a_binary_file_is_refused() -> None:
    latin = "Ruritania reopens its embassy\nThe café owners near the mission cheered the envoy."
    assert "café" in extract_article(latin.encode("latin-1")).text
    arabic = (
        '<html lang="ar"><head><meta charset="windows-1256"><title>t</title></head><body><p>'
        + "قال وزير الخارجية إن العلاقات ستعود قريبا بين البلدين بعد سنوات من القطيعة. " * 3
        + "</p></body></html>"
    )
    page = extract_article(arabic.encode("cp1256"), "text/html; charset=windows-1256")
    assert page.text.startswith("قال وزير الخارجية")
    with pytest.raises(ArticleError, match="not text or HTML"):
        extract_article(bytes(range(256)) * 4)


def test_a_name_opening_sentences_is_a_name_when_written_inside_one_too() -> None:
    examples = [
        "Iran said the enrichment talks in Vienna would resume.",
        "Iran met the agency in Vienna to discuss enrichment.",
        "The talks with Iran in Vienna stalled over enrichment.",
    ]
    assert propose_query(examples) == "(Iran OR Vienna) AND (enrich* OR talks)"


def test_relevant_labels_beyond_a_querys_terms_name_the_words_it_lacks() -> None:
    """A fit scores only what a theme's terms reach: relevant labels beyond them are counted
    and the words most of them share (and the not relevant ones do not) are named, for the
    admin to add. (Invented headlines about an invented border arrangement.)"""
    theme = with_query(Theme("q", "Q", "", 50, ()), '"Harbour Accord" OR "harbour checks"')
    reached = [
        Label(ItemText(f"Harbour Accord talks resume, round {n}", ""), True) for n in range(3)
    ]
    beyond = [
        Label(
            ItemText(f"Customs arrangements for Lumeria agreed, step {n}", "Trading rules."),
            True,
        )
        for n in range(4)
    ]
    others = [
        Label(ItemText(f"Lumeria football league resumes, week {n}", "Trading cards sold."), False)
        for n in range(6)
    ]
    _, report = with_labels(theme, [*reached, *beyond, *others])
    assert (report.relevant, report.used_relevant, report.beyond) == (7, 3, 4)
    words = {w.casefold() for w in report.beyond_words}
    assert {"arrangements", "customs"} <= words
    assert "lumeria" not in words  # the not relevant items name it as often
    assert "trading" not in words
