"""Counts in replies read as English: one item, two items, three matches."""

from __future__ import annotations

from bot.app.words import counted
from bot.chat.views import prefix_reach_text
from matcher.prefixes import PrefixReach


def test_one_is_singular_and_the_rest_plural() -> None:
    assert [counted(n, "item") for n in (0, 1, 2, 1200)] == [
        "0 items",
        "1 item",
        "2 items",
        "1,200 items",
    ]
    assert counted(3, "match") == "3 matches" and counted(1, "match") == "1 match"


def test_the_prefix_hint_uses_the_querys_own_words() -> None:
    text = prefix_reach_text([PrefixReach("bid*", (("biden", 5), ("bids", 2)))], 500)
    assert "instead of bid*: biden OR bids" in text
    assert "meant instead" not in prefix_reach_text([PrefixReach("talk*", (("talks", 9),))], 500)


def test_durations_read_in_the_unit_that_says_them() -> None:
    from bot.chat.durations import human_duration

    assert [human_duration(s) for s in (5, 90, 7200, 172800)] == ["5 s", "1 min", "2 h", "2 days"]
