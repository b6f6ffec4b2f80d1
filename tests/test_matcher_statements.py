"""Statements: speaker, office, actor, quote, stance and the day it was said."""

from __future__ import annotations

from datetime import UTC, date, datetime

from matcher import extract_statement
from matcher.stance import stance_of

PUB = datetime(2023, 1, 4, 15, 0, tzinfo=UTC)  # a Wednesday


def test_does_not_oppose_is_not_opposes() -> None:
    assert stance_of("The United States does not oppose Jordan's outreach to Damascus") != "opposes"
    assert stance_of("Washington doesn't oppose the talks") != "opposes"
    assert stance_of("The US opposes countries normalizing with Assad") == "opposes"


def test_refusals_oppose_and_steps_support() -> None:
    assert stance_of("we will not normalize and we do not support others normalizing") == "opposes"
    assert stance_of("now is not the time to normalize relations") == "opposes"
    assert stance_of("Tunisia will restore ties and reopen its embassy") == "supports"
    assert stance_of("Riyadh welcomed Syria's readmission") == "supports"
    assert stance_of("Talks took place in Moscow") == "unclear"


def test_speaker_office_and_day_from_wire_copy() -> None:
    text = (
        "Turkey talks\nThe State Department said on Tuesday it opposed the talks. "
        "“We do not support countries upgrading their relations with Assad,” "
        "State Department spokesman Ned Price told reporters."
    )
    st = extract_statement("Turkey talks", text, PUB)
    assert (st.speaker, st.office, st.actor) == (
        "Ned Price",
        "State Department spokesperson",
        "United States",
    )
    assert st.quote == "We do not support countries upgrading their relations with Assad"
    assert st.stance == "opposes"
    assert st.said_on == date(2023, 1, 3)


def test_straight_quotes_work_too() -> None:
    text = (
        '"We will not normalize relations with the Assad regime," Secretary of State '
        "Antony Blinken said on Monday."
    )
    st = extract_statement("", text, PUB)
    assert st.speaker == "Antony Blinken" and st.office == "Secretary of State"
    assert st.said_on == date(2023, 1, 2)


def test_office_is_kept_without_a_name() -> None:
    text = (
        "On August 25th, a State Department spokesperson said: “this administration will "
        "not express any support for efforts to normalize relations with Bashar al-Assad.”"
    )
    st = extract_statement("", text, datetime(2022, 9, 20, tzinfo=UTC))
    assert st.speaker is None
    assert st.office == "State Department spokesperson"
    assert st.said_on == date(2022, 8, 25)


def test_vague_days_are_approximate_and_say_so() -> None:
    text = "Last week, Price said “now is not the time to normalize relations” with Damascus."
    st = extract_statement("", text, PUB)
    assert st.said_on == date(2022, 12, 28) and st.day_basis == "approximate"


def test_no_quote_no_speaker_is_unclear() -> None:
    st = extract_statement("Markets calm", "Nothing was said.", PUB)
    assert st == type(st)(None, None, None, None, "unclear", None)


def test_the_syrian_opposition_is_not_a_stance() -> None:
    title = "Turkey's Cavusoglu calls for reconciliation between Syrian opposition and Damascus"
    assert stance_of(title) != "opposes"


def test_help_against_a_virus_is_not_opposition() -> None:
    assert stance_of("Abu Dhabi crown prince calls Assad, pledges help against coronavirus") != (
        "opposes"
    )


def test_no_reason_not_to_restore_is_support() -> None:
    assert stance_of("Erdogan says there is no reason not to restore relations") == "supports"


def test_a_headline_speaker_without_a_quote() -> None:
    title = "Erdogan says he may invite Assad to Turkey"
    st = extract_statement(title, title + "\nThe Turkish leader spoke on Sunday.", PUB)
    assert st.speaker == "Erdogan" and st.actor == "Turkey"


def test_an_institution_in_body_text_is_not_a_speaker() -> None:
    text = "Sanctions on captagon\nThe Treasury said cousins of the president were involved."
    assert extract_statement("Sanctions on captagon", text, PUB).speaker is None


def test_single_quoted_statement_in_wire_copy() -> None:
    text = (
        "US says Syria does not merit readmission\n'We do not believe that Syria merits "
        "readmission to the Arab League at this time,' State Department spokesman Vedant "
        "Patel told reporters."
    )
    st = extract_statement("US says Syria does not merit readmission", text, PUB)
    assert st.speaker == "Vedant Patel" and st.office == "State Department spokesperson"
    assert st.quote is not None and st.quote.startswith("We do not believe")
