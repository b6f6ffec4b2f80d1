"""Which statement a theme's alert quotes when an item reports several (watchers/poll/items.py):
one that speaks of that theme, so an item two themes match quotes each theme's own."""

from __future__ import annotations

from datetime import date

from matcher import MatchResult, Statement
from matcher.results import Reason
from watchers.poll.items import key_for_theme, match_to_store

SYRIA = Statement(
    "Ayman Safadi",
    "Foreign Minister",
    "Jordan",
    "We are restoring full ties with Damascus",
    "supports",
    date(2023, 5, 1),
)
IRAN = Statement(
    "Ayman Safadi",
    "Foreign Minister",
    "Jordan",
    "Talks on the Iran nuclear deal must resume",
    "unclear",
    date(2023, 5, 1),
)


def result(theme: str, *found: str) -> MatchResult:
    reasons = tuple(Reason("concept", f, f, "summary", 0, 20.0) for f in found)
    return MatchResult(theme, 90, True, reasons)


def test_each_themes_alert_quotes_the_statement_that_speaks_of_it() -> None:
    statements = (SYRIA, IRAN)
    iran = match_to_store(result("iran-talks", "Iran", "nuclear"), statements)
    assert iran.statement is IRAN and iran.statements == (IRAN, SYRIA)
    syria = match_to_store(result("assad", "Damascus", "ties"), statements)
    assert syria.statement is SYRIA and syria.statements == statements


def test_the_order_is_kept_when_no_statement_or_only_the_key_speaks_of_the_theme() -> None:
    assert key_for_theme(result("other", "Cuba"), (SYRIA, IRAN)) == (SYRIA, IRAN)
    assert key_for_theme(result("iran-talks", "Iran"), (IRAN,)) == (IRAN,)
    # penalties and proximity are not evidence of what a statement is about
    penalty = MatchResult("t", 60, True, (Reason("exclude", "Iran", "Iran", "title", 0, -40.0),))
    assert key_for_theme(penalty, (SYRIA, IRAN)) == (SYRIA, IRAN)
