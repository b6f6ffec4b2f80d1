"""Every statement of an item: speakers, reported speech, negation, days, Arabic and Turkish."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis.strategies import dates as st_dates
from hypothesis.strategies import sampled_from

from matcher import Statement, extract_statement, extract_statements
from matcher.dates import find_day
from matcher.stance import language_of, stance_of

# An analysis written weeks after the statement it reports, like the seed from 2022.
ANALYSIS_TITLE = "Why Washington says little about Ankara's steps toward Damascus"
ANALYSIS = (
    f"{ANALYSIS_TITLE}\n"
    "Turkish officials have spoken more and more often about restoring ties with the Syrian "
    "government. Turkish Foreign Minister Mevlut Cavusoglu stated that there are no "
    "preconditions for dialogue with Damascus. He added that the visit concerned intelligence "
    "matters only.\n"
    "In an interview, Jane Roe, a researcher at a think tank in Beirut, argued that the West "
    "sees no concrete change so far.\n"
    "On August 25th, a State Department spokesperson said: “Turkey is an important NATO ally. "
    "To be clear, however, this administration will not express any support for efforts to "
    "normalize relations with or rehabilitate the image of Bashar al-Assad.”\n"
    "Responding to a question about Ankara's hints of reconciliation with Damascus, the "
    "Spokesperson noted that the United States “urges the countries of the region to look very "
    "carefully at the atrocities committed by the Assad regime.”"
)
ANALYSIS_PUB = datetime(2022, 9, 20, 10, 0, tzinfo=UTC)


def by_office(found: list[Statement], office: str) -> Statement:
    return next(s for s in found if s.office == office and s.speaker is None)


def by_speaker(found: list[Statement], surname: str) -> Statement:
    return next(s for s in found if s.speaker and s.speaker.endswith(surname))


def test_an_analysis_yields_the_spokesperson_and_the_minister_apart() -> None:
    found = extract_statements(ANALYSIS_TITLE, ANALYSIS, ANALYSIS_PUB)
    spokesperson = by_office(found, "State Department spokesperson")
    assert spokesperson.actor == "United States"
    assert spokesperson.stance == "opposes"
    assert (spokesperson.said_on, spokesperson.day_basis) == (date(2022, 8, 25), "stated")
    assert spokesperson.direct
    assert spokesperson.quote is not None and "will not express any support" in spokesperson.quote

    minister = by_speaker(found, "Cavusoglu")
    assert (minister.speaker, minister.office, minister.actor) == (
        "Mevlut Cavusoglu",
        "Foreign Minister",
        "Turkey",
    )
    assert minister.stance == "supports"
    assert not minister.direct
    # The text gives no day for his words: the publication day, and it says so.
    assert minister.said_on is None
    assert (minister.day, minister.day_basis) == (date(2022, 9, 20), "published")

    # The reported "noted that the United States urges" belongs to the spokesperson.
    assert not any(s.speaker == "United States" for s in found)
    assert extract_statement(ANALYSIS_TITLE, ANALYSIS, ANALYSIS_PUB) == spokesperson


def test_a_researcher_quoted_for_analysis_is_kept_and_marked() -> None:
    found = extract_statements(ANALYSIS_TITLE, ANALYSIS, ANALYSIS_PUB)
    researcher = by_speaker(found, "Roe")
    assert researcher.role == "commentator"
    assert {s.role for s in found if s is not researcher} == {"official"}
    assert len(found) == 3


def test_refusals_and_hedges_take_the_right_side() -> None:
    assert stance_of("There can be no normalisation with Assad") == "opposes"
    assert stance_of("There will be no diplomatic relations with Israel") == "opposes"
    assert stance_of("Washington will not normalize with Damascus") == "opposes"
    assert stance_of("it does not support others normalizing with the regime") == "opposes"
    assert stance_of("there are no preconditions for dialogue with Damascus") == "supports"
    assert stance_of("Erdogan has not ruled out meeting Assad to restore ties") == "supports"
    assert stance_of("Erdogan ruled out meeting Assad") == "opposes"
    assert stance_of("Jordan does not oppose talks with Damascus") == "unclear"


def test_a_denied_report_takes_no_side() -> None:
    title = "Ankara plays down summit talk"
    text = f"{title}\nTurkish diplomatic sources denied that Erdogan and Assad would meet soon."
    (st,) = extract_statements(title, text, ANALYSIS_PUB)
    assert st.actor == "Turkey" and st.stance == "unclear"


def test_reported_speech_belongs_to_the_one_who_reports_it() -> None:
    text = (
        "Price said Washington had told its partners that now is not the time to normalize "
        "relations with the Assad regime."
    )
    (st,) = extract_statements("", text, ANALYSIS_PUB)
    assert st.speaker == "Price" or st.speaker is None or st.speaker.endswith("Price")
    assert st.stance == "opposes" and not st.direct


def test_fragments_are_not_quotes() -> None:
    text = (
        "Tajani met Safadi in Rome on Monday. Tajani accused the regime of continuing “to "
        "inflict atrocities on its people” and called the talks “the beginning of a process”."
    )
    found = extract_statements("", text, ANALYSIS_PUB)
    assert all(
        s.quote not in ("to inflict atrocities on its people", "the beginning of a process")
        for s in found
    )


def test_one_item_can_hold_two_statements_of_one_speaker_on_two_days() -> None:
    title = "US says it will not normalise relations with Assad"
    text = (
        f"{title}\n"
        "The State Department said late on Thursday that Secretary of State Antony Blinken told "
        "his Jordanian counterpart the United States will not normalize relations with the Assad "
        "regime.\n"
        "“We're engaged with third countries on Austin Tice's case and will not relent,” Blinken "
        "said on Wednesday."
    )
    found = extract_statements(title, text, datetime(2023, 5, 5, 11, 0, tzinfo=UTC))
    days = sorted(s.said_on for s in found if s.speaker == "Antony Blinken" and s.said_on)
    assert days == [date(2023, 5, 3), date(2023, 5, 4)]
    assert extract_statement(title, text, datetime(2023, 5, 5, tzinfo=UTC)).stance == "opposes"


def test_day_words_resolve_against_publication_and_never_after_it() -> None:
    pub = date(2023, 1, 4)  # a Wednesday

    def day(text: str) -> tuple[date, str] | None:
        got = find_day(text, 0, len(text), pub)
        return (got.day, got.precision) if got else None

    assert day("the parliament voted on Sunday") == (date(2023, 1, 1), "day")
    assert day("he said on Monday") == (date(2023, 1, 2), "day")
    assert day("she said on Wednesday") == (pub, "day")
    assert day("yesterday") == (date(2023, 1, 3), "day")
    assert day("On December 30th") == (date(2022, 12, 30), "day")
    assert day("last week") == (date(2022, 12, 28), "week")
    assert day("earlier this month") is not None
    assert day("he told the Security Council in November") == (date(2022, 11, 15), "month")
    assert day("he will meet his counterpart in February") is None
    assert day("he will meet him later this month") is None
    assert day("يوم أمس الثلاثاء") == (date(2023, 1, 3), "day")
    assert day("الأسبوع الماضي") == (date(2022, 12, 28), "week")
    assert day("Salı günü") == (date(2023, 1, 3), "day")
    assert day("dün") == (date(2023, 1, 3), "day")
    assert day("geçen hafta") == (date(2022, 12, 28), "week")
    assert day("30 Aralık'ta") == (date(2022, 12, 30), "day")


def test_a_weekday_in_an_arabic_item_out_after_midnight_east_of_utc_is_that_day() -> None:
    # Tuesday 22:30 UTC is Wednesday 01:30 in Ankara and Riyadh: "on Wednesday" there is this
    # morning. An English item at that hour may come from New York, still on Tuesday.
    title = "أنقرة مستعدة للحوار مع دمشق"
    text = (
        f"{title}\nقال وزير الخارجية التركي مولود جاويش أوغلو يوم الأربعاء إن أنقرة مستعدة "
        "لإعادة العلاقات مع دمشق."
    )

    def said_on(when: datetime, body: str = text, head: str = title) -> date | None:
        (st,) = extract_statements(head, body, when)
        return st.said_on

    assert said_on(datetime(2023, 1, 3, 22, 30, tzinfo=UTC)) == date(2023, 1, 3)
    # Earlier in the UTC day nothing east of UTC is on Wednesday yet: it was last week's.
    assert said_on(datetime(2023, 1, 3, 19, 0, tzinfo=UTC)) == date(2022, 12, 28)
    # Written as last week's, it stays last week's however late the item is.
    last = text.replace("يوم الأربعاء", "الأربعاء الماضي")
    assert said_on(datetime(2023, 1, 3, 22, 30, tzinfo=UTC), last) == date(2022, 12, 28)


def test_a_weekday_in_an_english_item_out_in_the_evening_is_last_weeks() -> None:
    # Monday 18:10 UTC is 13:10 in New York and 19:10 in Tunis: "on Tuesday" is last week's
    # (QA: it was read as the publication day, six days late).
    title = "Tunisia to restore ties with Damascus"
    text = (
        f"{title}\nTunisian President Kais Saied said on Tuesday that Tunisia will normalize "
        "relations with the government in Damascus."
    )
    for hour in (17, 18, 22):
        (st,) = extract_statements(title, text, datetime(2026, 11, 30, hour, 10, tzinfo=UTC))
        assert st.said_on == date(2026, 11, 24), hour


def test_the_day_is_when_it_was_said_not_the_day_it_speaks_of() -> None:
    text = (
        "Ministers to meet\nThe Arab League spokesperson said on Thursday that Arab foreign "
        "ministers will meet in Cairo on Sunday to discuss Syria's return to the League."
    )
    (st,) = extract_statements("Ministers to meet", text, datetime(2023, 5, 5, tzinfo=UTC))
    assert st.said_on == date(2023, 5, 4)


def test_a_day_in_someone_elses_sentence_is_not_this_speakers_day() -> None:
    text = (
        "Esad, görüşmenin içeriğe bağlı olduğunu söyledi.\n"
        "Erdoğan, 7 Temmuz'da Esad'a her an bir davette bulunabileceklerini söylemişti."
    )
    found = extract_statements("", text, datetime(2024, 7, 15, tzinfo=UTC))
    assert by_speaker(found, "Erdoğan").said_on == date(2024, 7, 7)
    assert by_speaker(found, "Esad").day_basis == "published"


def test_arabic_statements_are_attributed() -> None:
    text = (
        "واشنطن ترفض التطبيع مع دمشق\n"
        "قال المتحدث باسم الخارجية الأمريكية نيد برايس، أمس الاثنين، إن بلاده لن تطبع "
        "العلاقات مع نظام الأسد.\n"
        "وأضاف برايس أن الوقت ليس وقت التطبيع مع النظام.\n"
        "من جهته، أكد وزير الخارجية السوري فيصل المقداد أن بلاده ترحب بأي مبادرة لاستعادة "
        "العلاقات مع الدول العربية."
    )
    found = extract_statements(
        "واشنطن ترفض التطبيع مع دمشق", text, datetime(2023, 1, 24, tzinfo=UTC)
    )
    assert language_of(text) == "ar"
    price = by_speaker(found, "برايس")
    assert (price.speaker, price.office, price.actor) == (
        "نيد برايس",
        "State Department spokesperson",
        "United States",
    )
    assert (price.stance, price.said_on) == ("opposes", date(2023, 1, 23))
    mekdad = by_speaker(found, "المقداد")
    assert (mekdad.office, mekdad.actor, mekdad.stance) == ("Foreign Minister", "Syria", "supports")
    assert len(found) == 2 and all(s.lang == "ar" for s in found)


def test_turkish_statements_are_attributed() -> None:
    text = (
        "Ankara'dan Şam'a mesaj\n"
        "Dışişleri Bakanı Mevlüt Çavuşoğlu, Salı günü yaptığı açıklamada, Suriye ile diyalog "
        "için bir ön koşul olmadığını söyledi.\n"
        "Cumhurbaşkanı Erdoğan da, “Esad ile görüşmeye hazırız, kapı açık” dedi."
    )
    found = extract_statements("Ankara'dan Şam'a mesaj", text, datetime(2023, 1, 4, tzinfo=UTC))
    assert language_of(text) == "tr"
    minister = by_speaker(found, "Çavuşoğlu")
    assert (minister.office, minister.actor, minister.stance) == (
        "Foreign Minister",
        "Turkey",
        "supports",
    )
    assert minister.said_on == date(2023, 1, 3)
    president = by_speaker(found, "Erdoğan")
    assert president.speaker == "Recep Tayyip Erdoğan" and president.actor == "Turkey"
    assert president.direct and president.stance == "supports"
    assert president.day_basis == "published"


def test_an_item_without_statements_gives_none_and_an_empty_key_statement() -> None:
    title = "Arab League readmits Syria"
    text = f"{title}\nMember states voted in Cairo to end a suspension that began in 2011."
    assert extract_statements(title, text, ANALYSIS_PUB) == []
    assert extract_statement(title, text, ANALYSIS_PUB) == Statement(
        None, None, None, None, "unclear", None
    )


DAY_PHRASES = [
    "on Monday",
    "late on Sunday",
    "yesterday",
    "today",
    "On August 25th",
    "on December 31",
    "on 29 February",
    "last week",
    "earlier this week",
    "earlier this month",
    "last month",
    "in November",
    "in June",
    "أمس الاثنين",
    "يوم الخميس",
    "الأسبوع الماضي",
    "Salı günü",
    "dün",
    "geçen hafta",
    "7 Temmuz'da",
    "Haziran sonu",
]


@settings(max_examples=200, deadline=None)
@given(
    published=st_dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
    phrase=sampled_from(DAY_PHRASES),
)
def test_a_day_is_never_after_publication(published: date, phrase: str) -> None:
    text = (
        f"Talks go on\nTurkish Foreign Minister Mevlut Cavusoglu said {phrase} that talks with "
        "Damascus will go on."
    )
    found = find_day(text, 0, len(text), published)
    assert found is None or found.day <= published
    when = datetime(published.year, published.month, published.day, 12, tzinfo=UTC)
    (st,) = extract_statements("Talks go on", text, when)
    assert st.speaker == "Mevlut Cavusoglu"
    assert st.day is not None and st.day <= published
    assert st.said_on is None or st.said_on <= published
