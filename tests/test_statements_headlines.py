"""Headlines that report speech: a state, an unnamed office of a state, an office alone or a
person named in full says something, before or after the words (invented headlines)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from matcher import extract_statements, reported_statements

PUBLISHED = datetime(2023, 6, 5, 9, 0, tzinfo=UTC)


def said(headline: str) -> list[tuple[str | None, str | None, str | None, str]]:
    return [
        (s.speaker, s.office, s.actor, s.stance)
        for s in extract_statements(headline, headline, PUBLISHED)
    ]


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        (
            "Peruvian president says ties with Mexico are frozen until the envoy leaves",
            (None, "President", "Peru", "opposes"),
        ),
        (
            "Lithuania Says It Will Reopen Its Embassy in Minsk Next Month",
            (None, None, "Lithuania", "supports"),
        ),
        (
            "Kenya to restore full diplomatic ties with Somalia, foreign minister says",
            (None, "Foreign Minister", "Kenya", "supports"),
        ),
        (
            "Ghana and Togo to reopen embassies 'within weeks': Minister",
            (None, "Minister", "Ghana", "supports"),  # the state the headline opens with
        ),
        (
            "Belize says it plans to open diplomatic relations with Kenya",
            (None, None, "Belize", "supports"),
        ),
        (
            "Chilean foreign minister warns ties with Venezuela could be cut",
            (None, "Foreign Minister", "Chile", "opposes"),
        ),
    ],
)
def test_a_headline_names_the_state_or_office_that_spoke(
    headline: str, expected: tuple[str | None, str | None, str | None, str]
) -> None:
    assert said(headline)[:1] == [expected]


def test_a_person_named_in_full_in_a_headline_is_the_speaker() -> None:
    (st,) = extract_statements(
        "Maria Lopez says Bolivia will resume relations with Israel",
        "Maria Lopez says Bolivia will resume relations with Israel",
        PUBLISHED,
    )
    assert st.speaker == "Maria Lopez" and st.stance == "supports"


def test_a_lone_capitalised_word_before_says_is_no_one() -> None:
    assert said("Analysis says the thaw between the two capitals is fragile") == []


def test_the_states_of_any_dispute_are_known_with_their_adjectives_and_capitals() -> None:
    st = extract_statements(
        "Warsaw recalls its ambassador",
        "Warsaw recalls its ambassador\nThe Polish government said on Friday that it would "
        "recall its ambassador from Minsk.",
        PUBLISHED,
    )
    assert {s.actor for s in st} == {"Poland"}


def test_an_arabic_state_or_a_word_beside_an_office_is_never_the_speakers_name() -> None:
    # "The government of South Africa announced on Monday the recall of its diplomats"
    (st,) = extract_statements(
        "",
        "أعلنت حكومة جنوب أفريقيا، اليوم الاثنين، استدعاء جميع دبلوماسييها من تل أبيب للتشاور.",
        PUBLISHED,
    )
    assert st.speaker is None and st.actor == "South Africa"
    # "The competent authorities said ..." names no person
    found = extract_statements(
        "",
        "وقالت السلطات المختصة في بيان إن السفير مطالب بمغادرة البلاد خلال 48 ساعة.",
        PUBLISHED,
    )
    assert all(s.speaker is None for s in found)


def test_a_quote_is_bounded_and_a_text_repeating_itself_is_one_statement() -> None:
    words = "the kingdom will reopen its embassy and restore ties with Damascus " * 200
    text = f"Saudi Arabia to reopen embassy\nForeign Minister Faisal bin Farhan said {words}"
    found = extract_statements("Saudi Arabia to reopen embassy", text + "\n" + text, PUBLISHED)
    assert len(found) == 1
    quote = found[0].quote or ""
    assert len(quote) <= 600 and quote.endswith("…")


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        # A refusing verb is the statement: its stance is read with it.
        (
            "Estonia rules out talks with Belarus until the border is reopened",
            (None, None, "Estonia", "opposes"),
        ),
        (
            "Peru rejects restoring ties with Mexico while the envoy stays",
            (None, None, "Peru", "opposes"),
        ),
        # An office before the name: the office is the office, the rest the person.
        (
            "Kenyan President Jomo Mbeki objects to reopening the embassy in Mogadishu",
            ("Jomo Mbeki", "President", "Kenya", "opposes"),
        ),
        # A military government speaks as its state.
        (
            "Burkina Faso's military rulers say the French envoy has 48 hours to leave",
            (None, "Military Rulers", "Burkina Faso", "opposes"),
        ),
    ],
)
def test_headline_verbs_of_refusal_and_titled_names(
    headline: str, expected: tuple[str | None, str | None, str | None, str]
) -> None:
    assert said(headline) == [expected]


def test_a_name_with_particles_is_one_name() -> None:
    (st,) = extract_statements(
        "",
        "Estonia and Latvia must restore ties quickly, Commission President Anna von der "
        "Berg said on Monday.",
        PUBLISHED,
    )
    assert st.speaker == "Anna von der Berg"


def test_a_state_headline_and_the_unnamed_states_spokeswoman_that_day_are_one_statement() -> None:
    monday = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    headline = "Tehran warns nuclear talks could collapse over agency vote"
    found = extract_statements(
        headline,
        f"{headline}\nGovernment spokeswoman Leila Rahimi said on Monday that the talks with "
        "Europe could collapse if the agency's board passes a new resolution.",
        monday,
    )
    assert [(s.speaker, s.actor) for s in found] == [("Leila Rahimi", "Iran")]


@pytest.mark.parametrize(
    ("headline", "state"),
    [
        ("Romania says it will reopen its embassy in Damascus", "Romania"),  # not Oman
        ("South Sudan says it will restore ties with Sudan", "South Sudan"),  # not Sudan
        ("Equatorial Guinea says it will restore ties with Spain", "Equatorial Guinea"),
        ("Sudan says it will restore ties with Iran", "Sudan"),
    ],
)
def test_a_state_is_read_whole_not_from_a_shorter_name_inside_it(headline: str, state: str) -> None:
    assert [s.actor for s in extract_statements(headline, headline, PUBLISHED)] == [state]


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        # the name ending the reported words is not the speaker
        (
            "Kuwait will not restore ties with Assad, minister says",
            [(None, "Minister", "Kuwait", "opposes")],
        ),
        # a people is not a surname after "says"
        (
            "Algerian minister says Arab states should restore ties with Syria",
            [(None, "Minister", "Algeria", "supports")],
        ),
    ],
)
def test_no_statement_is_made_up_from_a_name_in_the_words(
    headline: str, expected: list[tuple[str | None, str | None, str | None, str]]
) -> None:
    assert said(headline) == expected


def test_a_states_possessive_before_a_surname_is_not_a_first_name() -> None:
    """QA round 17: "Jordan's Safadi says ..." made the speaker "Jordan's Safadi", so
    `who:ayman` found nothing; the summary names him in full. (Our own sentences.)"""
    headline = "Jordan's Safadi says Amman will send its ambassador back to Damascus"
    summary = (
        "Jordanian Foreign Minister Ayman Safadi said on Monday that the embassy would "
        'reopen. "We are ready to restore full relations," Safadi told reporters.'
    )
    (statement,) = reported_statements(headline, summary, PUBLISHED)  # as polls read them
    assert (statement.speaker, statement.office, statement.actor) == (
        "Ayman Safadi",
        "Foreign Minister",
        "Jordan",
    )
