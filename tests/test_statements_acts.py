"""States acting on ties in a headline or a lead, and the words news desks use around such
acts: states whose names are also first names, a desk's description before the state ("the
island nation of ..."), "the latest country to ...", a desk's gloss after the act ("..., a move
that ..."), a trailing attribution after a dash, and the cues of cooperation signed or talks
stayed away from. Every sentence is invented."""

from __future__ import annotations

from datetime import UTC, datetime

from matcher import extract_statements
from matcher.stance import stance_of

PUB = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)  # a Monday


def _one(title: str, body: str):  # type: ignore[no-untyped-def]
    found = extract_statements(title, f"{title}\n{body}", PUB)
    assert len(found) == 1, found
    return found[0]


def test_a_state_named_like_a_person_acts_when_no_surname_follows() -> None:
    st = _one("Chad ends its security pact with Paris", "Officials gave no reason.")
    assert (st.speaker, st.actor) == (None, "Chad")
    st = _one("Georgia freezes its talks with Brussels", "The ruling party gave no date.")
    assert (st.actor, st.stance) == ("Georgia", "opposes")
    named = extract_statements(
        "Chad Miller cuts ties with his label", "Chad Miller cuts ties with his label\nNo.", PUB
    )
    assert all(s.actor != "Chad" for s in named)


def test_the_latest_country_to_cut_ties_is_that_states_act() -> None:
    st = _one(
        "Kiribati is the second Pacific nation this year to sever ties with Taipei",
        "Officials in Tarawa did not comment.",
    )
    assert (st.actor, st.stance) == ("Kiribati", "opposes")


def test_a_desks_description_before_the_state_and_its_gloss_after_the_act_are_no_part() -> None:
    st = _one(
        "A new friend for Nairobi",
        "The small Indian Ocean island nation of Mauritius restored relations with Kenya, a move "
        "that surprised its neighbours.",
    )
    assert st.actor == "Mauritius" and st.stance == "supports"
    assert st.quote is not None and "surprised" not in st.quote


def test_a_group_that_rules_a_state_refusing_to_attend_a_un_meeting_opposes() -> None:
    st = _one(
        "The Taliban Refuse to Attend the U.N. Meeting in Doha",
        "The group gave no reason for staying away.",
    )
    assert (st.actor, st.stance) == ("Taliban", "opposes")


def test_an_office_after_a_dash_is_the_headlines_speaker() -> None:
    st = _one("Ankara and Cairo to hold talks on trade – Egyptian FM", "A date was not set.")
    assert (st.office, st.actor, st.stance) == ("Foreign Minister", "Egypt", "supports")


def test_a_parliament_speaker_is_an_office_before_a_name() -> None:
    st = _one(
        "Talks with Europe are pointless: parliament speaker",
        "Parliament speaker Ahmed Rahimi has stated that talks with European governments will "
        "remain pointless while sanctions stay in place.",
    )
    assert (st.speaker, st.office) == ("Ahmed Rahimi", "Parliament Speaker")


def test_the_us_in_a_headline_speaks_for_the_united_states() -> None:
    st = _one("U.S. says it will reopen its embassy in Port Moresby", "No date was given.")
    assert (st.actor, st.stance) == ("United States", "supports")


def test_a_minister_who_suggested_something_made_a_statement() -> None:
    st = _one(
        "A door left open",
        "Foreign Minister Lina Haddad suggested on Saturday that the two governments could hold "
        "talks on their border.",
    )
    assert (st.speaker, st.said_on.isoformat(), st.stance) == (
        "Lina Haddad",
        "2024-05-04",
        "supports",
    )


def test_cooperation_signed_or_built_up_supports_and_staying_away_opposes() -> None:
    assert stance_of("The two governments signed a defence partnership") == "supports"
    assert stance_of("Both sides pledged to deepen cooperation") == "supports"
    assert stance_of("Israel cancelled the delegation's visit to Washington") == "opposes"
    assert stance_of("The ministry said it would not take part in the summit") == "opposes"
    assert stance_of("Quito broke off the talks with the rebels' backers") == "opposes"


def test_two_leaders_each_after_their_state_make_a_statement_each() -> None:
    title = "Kenya's Ruto, Ethiopia's Abiy agree to reopen their border posts"
    found = extract_statements(title, f"{title}\nThe leaders met in Nairobi.", PUB)
    assert [(s.speaker, s.actor) for s in found] == [("Ruto", "Kenya"), ("Abiy", "Ethiopia")]
    assert all(s.stance == "supports" for s in found)


def test_a_states_act_after_the_desks_news_and_as_is_that_states() -> None:
    st = _one("Talks stall, as Peru cancels the minister's visit to Caracas", "No reason given.")
    assert (st.actor, st.stance) == ("Peru", "opposes")


def test_a_full_name_before_a_colon_and_quoted_words_is_that_person_quoted() -> None:
    st = _one(
        "Amina Diallo Keita: 'We will never restore ties with the junta'",
        "In an interview, the former minister explained her position.",
    )
    assert (st.speaker, st.stance) == ("Amina Diallo Keita", "opposes")
    assert not extract_statements(
        "Amina Diallo Keita: a life in politics", "Amina Diallo Keita: a life in politics\nA.", PUB
    ), "no quotation marks: the desk's title, not her words"


def test_a_minister_who_met_someone_and_said_something_is_the_speaker() -> None:
    # QA round 21: the person met (and his capital) was read as the speaker
    st = _one(
        "Omani minister in Amman",
        "Omani Foreign Minister Badr Albusaidi met King Abdullah in Amman on Monday and said "
        "Muscat wants closer ties with Jordan.",
    )
    assert (st.speaker, st.actor) == ("Badr Albusaidi", "Oman")


def test_a_states_top_diplomat_named_between_commas_speaks_during_talks() -> None:
    st = _one(
        "Muscat and Amman",
        "Oman's top diplomat, Badr Albusaidi, said on Monday during talks with King Abdullah "
        "that Muscat wants to restore full relations with Damascus.",
    )
    assert (st.speaker, st.office, st.actor) == ("Badr Albusaidi", "Foreign Minister", "Oman")
    assert st.quote is not None and st.quote.startswith("Muscat wants")
