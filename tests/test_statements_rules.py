"""Rules of the statements extractor, one invented sentence each: stance cues, commentators,
Arabic and Turkish speakers, separate occasions of one speaker."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from matcher import Statement, extract_statements
from matcher.stance import stance_of

PUB = datetime(2024, 3, 20, 9, 0, tzinfo=UTC)


def by_speaker(found: list[Statement], surname: str) -> Statement:
    return next(s for s in found if s.speaker and s.speaker.endswith(surname))


@pytest.mark.parametrize(
    ("text", "side"),
    [
        # Steps and agreements toward ties support them.
        ("The ministers agreed to restore full diplomatic relations.", "supports"),
        ("The council approved the country's readmission to the bloc.", "supports"),
        ("The envoy said both sides want to mend ties and revive trade talks.", "supports"),
        ("He signaled a possible restoration of relations with Caracas.", "supports"),
        ("The minister extended an invitation to his counterpart for a visit.", "supports"),
        # A double negative opens the door.
        ("There is no reason why the meeting should not happen.", "supports"),
        ("It is not possible to say that this meeting will not happen.", "supports"),
        # Criticism and demands of withdrawal refuse.
        ("The president criticized Ankara and demanded the withdrawal of its troops.", "opposes"),
        ("They urged Washington to push back against normalization.", "opposes"),
        # "agreement" is a noun of the topic, not a cue.
        ("An agreement on trade was discussed in the talks.", "unclear"),
    ],
)
def test_english_stance_cues(text: str, side: str) -> None:
    assert stance_of(text, "en") == side


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("قال الوزير إنه ليس لدينا شروط مسبقة للحوار مع الحكومة.", "supports"),
        ("وأكد أن الحوار مع الجارة غير مشروط.", "supports"),
        ("قال الرئيس إنه لا يمكنه استبعاد الحوار مع الجارة.", "supports"),
        ("وأضاف أن العلاقات بين الدول لا يمكن قطعها بالكامل.", "supports"),
        ("وقال: دعوت نظيري للقاء في بلد ثالث.", "supports"),
    ],
)
def test_arabic_stance_cues(text: str, side: str) -> None:
    assert stance_of(text, "ar") == side


def test_a_commentator_analysing_takes_no_side_and_one_arguing_does() -> None:
    text = (
        "Experts weigh a thaw\n"
        "John Doe, an analyst at a policy institute in Vienna, said both capitals may be "
        "seeking a rapprochement to restore ties.\n"
        "Mary Major, a professor at a university in Oslo, said the government should oppose "
        "any normalization with the junta."
    )
    found = extract_statements("Experts weigh a thaw", text, PUB)
    doe = by_speaker(found, "Doe")
    assert (doe.role, doe.stance) == ("commentator", "unclear")
    major = by_speaker(found, "Major")
    assert (major.role, major.stance) == ("commentator", "opposes")


def test_arabic_secretary_general_and_a_name_after_the_office() -> None:
    text = (
        "اعتبر الأمين العام لجامعة الدول العربية خالد منصور؛ أن عودة الدولة إلى مقعدها شأن "
        "عربي خالص يحسمه الأعضاء.\n"
        "وقال منصور ردًّا على سؤال حول الانتقادات الغربية: نرحب بعودة الدولة إلى محيطها."
    )
    found = extract_statements("", text, PUB)
    assert len(found) == 1
    (st,) = found
    assert (st.speaker, st.office, st.actor) == ("خالد منصور", "Secretary-General", "Arab League")


def test_arabic_first_name_and_spelling_variants_are_one_person() -> None:
    text = (
        "قال وزير الخارجية الماليزي كريم جاويش أوغلوا، الثلاثاء، إنه ليس لبلاده شروط مسبقة "
        "للحوار مع الحكومة الجارة.\n"
        "وكشف كريم، أن أجهزة البلدين تجري حوارا منذ أشهر.\n"
        "وأكد تشاووش أوغلو أنه يجب اتخاذ خطوات من أجل سلام دائم في المنطقة."
    )
    found = extract_statements("", text, datetime(2022, 8, 23, tzinfo=UTC))
    assert len(found) == 1
    assert found[0].speaker == "كريم جاويش أوغلوا" and found[0].stance == "supports"


def test_a_speaker_dated_weeks_back_later_in_the_text_is_another_occasion() -> None:
    text = (
        "أعرب الرئيس الكيني دانيال موي عن استعداده للقاء نظيره، موضحا أنه ينتظر رد الجارة على "
        "هذه المبادرة وعلى الدعوة التي وجهها.\n"
        "وقال في مؤتمر صحفي بتاريخ 11 يناير: دعوت نظيري قبل أسبوعين للاجتماع في بلد ثالث."
    )
    found = extract_statements("", text, PUB)
    assert len(found) == 2
    days = sorted((s.said_on is not None, s.said_on) for s in found)
    assert days == [(False, None), (True, date(2024, 1, 11))]
    assert {s.speaker for s in found} == {"دانيال موي"}
