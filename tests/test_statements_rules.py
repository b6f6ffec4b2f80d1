"""Rules of the statements extractor, one invented sentence each: stance cues, commentators,
Arabic and Turkish speakers, separate occasions of one speaker."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from matcher import Statement, extract_statements
from matcher.dates import find_day
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


def test_english_appositive_speakers_and_their_roles() -> None:
    text = (
        "Analysts doubt a quick thaw\n"
        "Jane Roe, vice president of the Levant Center at the U.S. Institute of Calm, said that "
        "no normalization “will come quickly, even if the leaders meet.”\n"
        "“The refugees are a heavy burden for the government,” said Tom Poe, president of the "
        "Policy Research Institute."
    )
    found = extract_statements("Analysts doubt a quick thaw", text, PUB)
    roe, poe = by_speaker(found, "Roe"), by_speaker(found, "Poe")
    assert roe.role == poe.role == "commentator"
    assert roe.stance == poe.stance == "unclear"


def test_a_weekday_is_not_a_name() -> None:
    text = (
        "Iran reopened its consulate in Jeddah on Monday, a spokesman for the Iranian Foreign "
        "Ministry said, after ties were restored in March."
    )
    (st,) = extract_statements("", text, datetime(2023, 5, 2, tzinfo=UTC))
    assert st.speaker is None and st.office == "Foreign Ministry spokesperson"
    assert st.said_on == date(2023, 5, 1)


def test_two_speakers_in_one_sentence_each_with_their_own_day() -> None:
    text = (
        "Erdogan said this month he could invite Assad to Ankara “at any time,” while Assad has "
        "said any meeting would depend on what it is about."
    )
    found = extract_statements("", text, datetime(2024, 7, 18, tzinfo=UTC))
    erdogan, assad = by_speaker(found, "Erdogan"), by_speaker(found, "Assad")
    assert erdogan.said_on is not None and erdogan.said_on.month == 7
    assert assad.said_on is None


def test_a_ministry_source_is_not_the_president_of_that_state() -> None:
    text = (
        "Erdogan said on Monday he could meet Assad to restore relations soon.\n"
        "A Turkish Defense Ministry source said Thursday that troops would stay in the north "
        "until the threats against the border end."
    )
    found = extract_statements("", text, datetime(2024, 7, 19, tzinfo=UTC))
    assert len(found) == 2
    source = next(s for s in found if s.speaker is None)
    assert source.office == "Defense Ministry" and source.said_on == date(2024, 7, 18)


def test_quotes_of_an_unnamed_group_go_to_nobody_not_to_their_addressees() -> None:
    text = (
        "“Unconditional normalization with the junta is not inevitable,” they wrote in a letter "
        "to President John Smith and Secretary of State Ann Lee. “Opposing it in word only is "
        "not enough, as allowing it quietly is damaging.”"
    )
    found = extract_statements("", text, PUB)
    assert not any(s.speaker in ("John Smith", "Ann Lee") for s in found)


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("Bakan, karşılıklı özel temsilci atamaya hazırız dedi.", "supports"),
        ("Bakan, yakında özel temsilciler atayacağız dedi.", "supports"),
        ("Lider, komşusu ile görüşebileceğini söyledi.", "supports"),
        ("Bakanlık, ilişkileri ön koşulsuz sürdürmeye hazır olduğunu açıkladı.", "supports"),
        ("Sözcü, açıklamayı olumlu değerlendirdiklerini belirtti.", "supports"),
        ("Taraflar, görüşmeleri sürdürme hususunda mutabık kalmışlardır.", "supports"),
        ("Lider, komşusu ile kesinlikle görüşmeyeceğini söyledi.", "opposes"),
        ("Bakan, bu yönetimle diyalog kurmanın anlamı olmayacağını söyledi.", "opposes"),
    ],
)
def test_turkish_stance_cues(text: str, side: str) -> None:
    assert stance_of(text, "tr") == side


def test_turkish_ministry_speaking_without_a_name_and_words_set_out_below() -> None:
    text = (
        "Moldova ile normalleşme süreci\n"
        "Dışişleri Bakanlığı, görüşmeye dair yaptığı açıklamada şu ifadeleri kullandı:\n"
        "“Temsilciler ilk görüşmelerini yapmıştır.\n"
        "Taraflar, müzakereleri ön şart olmaksızın sürdürme hususunda mutabık kalmışlardır.”"
    )
    (st,) = extract_statements("Moldova ile normalleşme süreci", text, PUB)
    assert (st.speaker, st.office, st.actor) == (None, "Foreign Ministry", "Turkey")
    assert st.stance == "supports" and "mutabık" in (st.quote or "")


def test_turkish_headline_speaker_and_a_question_put_to_him() -> None:
    text = (
        "Kaya: Cunta ile diyaloğun anlamı yok\n"
        'Kaya, "Türkiye cunta ile bir diyalog kurmayı planlıyor mu?" sorusu yöneltilmesi '
        "üzerine, ateşkesin sürdürülememiş olmasından büyük üzüntü duyduklarını belirtti.\n"
        "Dışişleri Bakanı Ali Kaya, halkını katleden bir yönetimle diyalog kurmanın anlamı "
        "olmayacağını söyledi."
    )
    found = extract_statements("", text, PUB)
    assert {s.speaker for s in found} == {"Ali Kaya"}
    assert all("planlıyor mu" not in (s.quote or "") for s in found)
    assert by_speaker(found, "Kaya").stance == "opposes"


def test_turkish_reported_words_before_the_name_and_verb() -> None:
    text = (
        "Temsilcilerin bir sonraki görüşmesinin Ankara'da yapılabileceğini Moldova'nın özel "
        "temsilcisi Ion Popa açıkladı."
    )
    (st,) = extract_statements("", text, PUB)
    assert st.speaker == "Ion Popa" and "yapılabileceğini" in (st.quote or "")


def test_an_office_of_a_state_without_a_name_and_a_ministry_in_its_capital() -> None:
    text = (
        "On Thursday, the Foreign Ministry in Tehran announced that the two ministers agreed to "
        "reopen embassies soon.\n"
        "The Saudi Foreign Minister, for his part, said his country will restore relations "
        "within two months."
    )
    found = extract_statements("", text, datetime(2023, 3, 23, tzinfo=UTC))
    assert {(s.office, s.actor) for s in found} == {
        ("Foreign Ministry", "Iran"),
        ("Foreign Minister", "Saudi Arabia"),
    }
    assert all(s.stance == "supports" for s in found)


def test_an_invitation_is_a_statement_whose_verb_is_the_act() -> None:
    text = "Saudi King Salman bin Abdulaziz Al Saud invited Iranian President Ali Reza to Riyadh."
    (st,) = extract_statements("", text, PUB)
    assert st.speaker == "Salman bin Abdulaziz Al Saud" and st.office == "King"
    assert st.stance == "supports" and (st.quote or "").startswith("invited")


def test_two_people_of_one_government_stay_two_statements() -> None:
    text = (
        "“We do not support countries upgrading their relations with the regime,” State "
        "Department spokesman Ned Price told reporters on Tuesday.\n"
        "US policy, as Secretary of State Antony Blinken has put it, is to oppose the "
        "reconstruction of the country."
    )
    found = extract_statements("", text, datetime(2023, 1, 4, tzinfo=UTC))
    assert {s.speaker for s in found} == {"Ned Price", "Antony Blinken"}


def test_one_person_on_two_occasions_in_one_sentence() -> None:
    text = (
        "In November, Turkish President Recep Tayyip Erdogan said a meeting with Assad was a "
        "possibility, and in mid-December, he said he could meet with him soon."
    )
    found = extract_statements("", text, datetime(2023, 1, 23, tzinfo=UTC))
    months = sorted(s.said_on.month for s in found if s.said_on)
    assert months == [11, 12] and len(found) == 2
    assert all(s.speaker == "Recep Tayyip Erdogan" for s in found)


def test_a_relative_clause_reports_speech() -> None:
    text = (
        "The remarks echo those of Syrian President Bashar Assad, who has indicated his "
        "willingness to pursue steps toward normalization, provided they respect sovereignty."
    )
    found = extract_statements("", text, PUB)
    assad = by_speaker(found, "Assad")
    assert assad.stance == "supports" and "willingness" in (assad.quote or "")


@pytest.mark.parametrize(
    ("text", "speaker", "office", "actor"),
    [
        (
            "من جانبه، قال الأمين العام للجامعة أحمد منصور إن القرار يعيد الدولة إلى مقعدها.",
            "أحمد منصور",
            "Secretary-General",
            "Arab League",
        ),
        (
            "صرح الرئيس السوري بشار الأسد بأن أي لقاء يجب أن يسبقه انسحاب القوات.",
            "بشار الأسد",
            "President",
            "Syria",
        ),
        (
            "وأشار رئيس الوزراء العراقي علي حسن إلى أن بغداد تدعم عودة العلاقات.",
            "علي حسن",
            "Prime Minister",
            "Iraq",
        ),
        ("كشف مصدر دبلوماسي تركي أن أنقرة تستعد لتعيين سفير.", None, "source", "Turkey"),
        ("وقال فيدان في تصريحات صحفية إن الحوار مع الجارة مستمر.", "هاكان فيدان", None, None),
    ],
)
def test_arabic_speakers(
    text: str, speaker: str | None, office: str | None, actor: str | None
) -> None:
    (st,) = extract_statements("", text, PUB)
    assert st.speaker == speaker
    if office:
        assert st.office == office
    if actor:
        assert st.actor == actor


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("قال إن القرار لا يعني تطبيع العلاقات مع الحكومة.", "unclear"),
        ("وشدد على أن انسحاب القوات شرط لأي تطبيع مع الجارة.", "opposes"),
        ("قالت الوزارة إن المملكة قررت استئناف عمل سفارتها في العاصمة.", "supports"),
        ("كشف مصدر أن الحكومة تستعد لتعيين سفير لدى الجارة.", "supports"),
    ],
)
def test_more_arabic_stance(text: str, side: str) -> None:
    assert stance_of(text, "ar") == side


def test_arabic_headline_speaker_and_an_earlier_call_of_another_day() -> None:
    text = (
        "أردوغان: سندعو نظيرنا قريبا لتطبيع العلاقات\n"
        "قال وزير الخارجية التركي كمال جاويش أوغلوا، الثلاثاء، إنه ليس لتركيا شروط مسبقة "
        "للحوار مع الحكومة الجارة.\n"
        "وكان أوغلو قد دعا في وقت سابق، إلى مصالحة بين الحكومة والمعارضة في البلد الجار."
    )
    found = extract_statements("", text, datetime(2022, 8, 23, tzinfo=UTC))
    erdogan = by_speaker(found, "أردوغان")
    assert erdogan.direct and erdogan.stance == "supports"
    minister = [s for s in found if s.speaker == "كمال جاويش أوغلوا"]
    assert len(minister) == 2  # the call "earlier" is another statement
    assert {s.said_on for s in minister} == {date(2022, 8, 23), None}


def test_turkish_participle_remark_of_an_earlier_occasion() -> None:
    text = (
        "Daha önce komşu lider ile kesinlikle görüşmeyeceğini dile getiren Ahmet Kara, "
        "geçtiğimiz haftalarda yaptığı açıklamada ilişkileri yeniden kurabilmek amacıyla "
        "görüşebileceğini belirtmişti."
    )
    found = extract_statements("", text, PUB)
    assert len(found) == 2
    assert sorted(s.stance for s in found) == ["opposes", "supports"]


def test_english_had_previously_said_is_another_occasion() -> None:
    text = (
        "Erdogan said on Friday he could invite Assad to Ankara to restore ties.\n"
        "Erdogan had previously said he would never meet Assad while the war went on."
    )
    found = extract_statements("", text, datetime(2024, 7, 8, tzinfo=UTC))
    assert len(found) == 2
    assert sorted(s.stance for s in found) == ["opposes", "supports"]


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("The minister described the talks as positive and constructive", "supports"),
        ("She called the decision to readmit the country a mistake", "opposes"),
        ("The senator slammed the move to restore ties with the junta", "opposes"),
        ("Washington will not reward the junta with normalization", "opposes"),
        ("Normalization with the junta is not on the agenda", "opposes"),
        ("The door remains open for dialogue with Ankara", "supports"),
        ("It is premature to talk about restoring relations", "opposes"),
        ("Egypt's foreign minister visited the capital for the first time in a decade", "supports"),
        ("The meeting of the two envoys will take place in Vienna next week", "supports"),
        ("The Kremlin hailed the rapprochement between the two capitals", "supports"),
        ("Any normalization must be conditioned on a political settlement", "opposes"),
        ("Ties will be restored only if the troops leave", "opposes"),
        ("The return of the country to the League is an important step", "supports"),
    ],
)
def test_more_english_stance(text: str, side: str) -> None:
    assert stance_of(text, "en") == side


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("Bakan, komşu ile ilişkilerin normalleşmesini desteklediklerini belirtti.", "supports"),
        ("Sözcü, cunta ile normalleşmeyi desteklemediklerini belirtti.", "opposes"),
        ("Hükümet, komşu ülke ile sınırı açma kararı aldı.", "supports"),
        ("Lider, komşusunu başkente davet edebileceğini söyledi.", "supports"),
        ("Lider, komşusunu davet etmeyeceğini söyledi.", "opposes"),
        ("Lider, komşusu ile bir araya gelebileceğini söyledi.", "supports"),
        ("Birlik, cunta ile normalleşmeye karşı olduğunu açıkladı.", "opposes"),
        ("Bakan, görüşmelerin yapıcı geçtiğini ifade etti.", "supports"),
        ("Lider, işgal sona ermeden normalleşme olmayacağını söyledi.", "opposes"),
        ("Bakan, büyükelçiliklerin yeniden açılacağını duyurdu.", "supports"),
        ("Sözcü, süreci memnuniyetle karşıladıklarını söyledi.", "supports"),
        ("Bakan, komşu yönetim ile temasların devam ettiğini söyledi.", "supports"),
    ],
)
def test_more_turkish_stance(text: str, side: str) -> None:
    assert stance_of(text, "tr") == side


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("قال إن الاجتماع كان إيجابيا وبناء", "supports"),
        ("قال إن الباب مفتوح للحوار مع أنقرة", "supports"),
        ("انتقد الوزير قرار إعادة الدولة إلى الجامعة", "opposes"),
        ("قال إن اللقاء سيعقد قريبا في موسكو", "supports"),
        ("أكد أن العلاقات مع الجارة تسير في الاتجاه الصحيح", "supports"),
        ("قال إن بلاده لا تعارض عودة الجارة إلى الجامعة", "unclear"),
        ("أكد أن التطبيع مع الحكومة خطأ", "opposes"),
    ],
)
def test_arabic_judgements_and_openings(text: str, side: str) -> None:
    assert stance_of(text, "ar") == side


@pytest.mark.parametrize(
    ("text", "speaker", "office", "actor"),
    [
        (
            "AK Parti Sözcüsü Ömer Kaya, normalleşme sürecinin olumlu ilerlediğini vurguladı.",
            "Ömer Kaya",
            "AK Parti spokesperson",
            "Turkey",
        ),
        (
            "Ermenistan Başbakanı Aram Sarkis, Türkiye ile sınırın açılmasını beklediklerini "
            "dile getirdi.",
            "Aram Sarkis",
            None,
            "Armenia",
        ),
        (
            "Kremlin Sözcüsü Ivan Petrov, iki ülke arasındaki yakınlaşmayı memnuniyetle "
            "karşıladıklarını söyledi.",
            "Ivan Petrov",
            "Kremlin spokesperson",
            "Russia",
        ),
        (
            "Türkiye'nin Ermenistan Özel Temsilcisi Kemal Yılmaz, görüşmelerin yapıcı geçtiğini "
            "açıkladı.",
            "Kemal Yılmaz",
            None,
            None,
        ),
        (
            "Çavuşoğlu ise, komşu yönetimle görüşmelerin sürdüğünü kaydetti.",
            "Mevlüt Çavuşoğlu",
            "Foreign Minister",
            "Turkey",
        ),
        (
            'Erdoğan şöyle konuştu: "Komşumuz ile görüşebiliriz, kapımız açık."',
            "Recep Tayyip Erdoğan",
            "President",
            "Turkey",
        ),
    ],
)
def test_turkish_speakers(text: str, speaker: str, office: str | None, actor: str | None) -> None:
    (st,) = extract_statements("", text, PUB)
    assert st.lang == "tr" and st.speaker == speaker and st.stance == "supports"
    if office:
        assert st.office == office
    if actor:
        assert st.actor == actor


@pytest.mark.parametrize(
    ("text", "speaker", "office", "actor", "side"),
    [
        (
            "According to Iraqi Foreign Minister Ali Hasan, the talks on restoring ties were "
            "positive.",
            "Ali Hasan",
            "Foreign Minister",
            "Iraq",
            "supports",
        ),
        (
            "Lebanon's caretaker Prime Minister Omar Nasr hailed the decision.",
            "Omar Nasr",
            "Prime Minister",
            "Lebanon",
            "supports",
        ),
        (
            "The UAE welcomed the decision, calling it a step toward unity.",
            None,
            None,
            "United Arab Emirates",
            "supports",
        ),
        (
            "Armenian Prime Minister Aram Sarkis said Yerevan was ready to normalize relations.",
            "Aram Sarkis",
            "Prime Minister",
            "Armenia",
            "supports",
        ),
        (
            "Iran's foreign ministry spokesman Reza Amini said the embassy would reopen soon.",
            "Reza Amini",
            "Foreign Ministry spokesperson",
            "Iran",
            "supports",
        ),
        (
            "The Arab League said in a statement that the country would be readmitted.",
            None,
            "Arab League",
            "Arab League",
            "supports",
        ),
        (
            "A senior US official told reporters on condition of anonymity that Washington "
            "opposed the move to restore ties.",
            None,
            None,
            "United States",
            "opposes",
        ),
    ],
)
def test_english_speakers(
    text: str, speaker: str | None, office: str | None, actor: str, side: str
) -> None:
    (st,) = extract_statements("", text, PUB)
    assert (st.speaker, st.actor, st.stance) == (speaker, actor, side)
    if office:
        assert st.office == office


def test_the_minister_is_the_minister_named_before() -> None:
    text = (
        "Jordanian Foreign Minister Omar Haddad arrived in the capital on Monday.\n"
        "“We are ready to restore relations with our neighbours,” the minister told state "
        "television."
    )
    (st,) = extract_statements("", text, PUB)
    assert (st.speaker, st.office, st.actor) == ("Omar Haddad", "Foreign Minister", "Jordan")


def test_the_official_of_a_state_is_its_deputy_minister_named_before() -> None:
    text = (
        "Iranian Deputy Foreign Minister Reza Amini opened the embassy in Riyadh on Tuesday.\n"
        "Amini said that the cooperation between the two countries enters a new era.\n"
        "The Iranian official stressed that Iran is always willing to strengthen relations "
        "with its neighbours."
    )
    (st,) = extract_statements("", text, datetime(2023, 6, 6, tzinfo=UTC))
    assert (st.speaker, st.office, st.actor) == ("Reza Amini", "Deputy Foreign Minister", "Iran")


def test_a_name_does_not_run_over_a_line_break_and_a_nationality_is_not_a_name() -> None:
    text = (
        "Envoys to meet, says Turkish foreign minister\n"
        "Turkish and Armenian envoys will meet in Moscow, the Turkish official said, adding "
        "that ties could be restored soon."
    )
    found = extract_statements("", text, PUB)
    assert all(s.speaker != "Turkish" for s in found)


def test_states_speaking_together_on_another_day_are_their_own_statement() -> None:
    text = (
        "On Thursday, Iranian Foreign Minister Ali Karimi said the two countries would reopen "
        "embassies soon.\n"
        "On March 10, China, Saudi Arabia, and Iran revealed that Riyadh and Tehran had "
        "reached an agreement to restore diplomatic ties."
    )
    found = extract_statements("", text, datetime(2023, 3, 23, tzinfo=UTC))
    assert len(found) == 2
    assert {s.said_on for s in found} == {date(2023, 3, 23), date(2023, 3, 10)}


def test_more_day_words_and_decisions() -> None:
    text = (
        "TBMM'de dünkü bütçe görüşmeleri sırasında konuşan Dışişleri Bakanı Ali Kaya, "
        '"Yakında komşu ile normalleşme adımları için özel temsilciler atayacağız" demişti.'
    )
    (st,) = extract_statements("", text, datetime(2021, 12, 14, tzinfo=UTC))
    assert st.said_on == date(2021, 12, 13) and st.stance == "supports"
    ar = "وقررت الجامعة العربية في اجتماع استثنائي عودة عضوية الدولة إلى الجامعة."
    (dec,) = extract_statements("", ar, PUB)
    assert dec.actor == "Arab League" and dec.stance == "supports"
    assert stance_of("The White House said it has no plans to lift the sanctions.") == "opposes"


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("Bakan, komşu lider ile görüşmemiz için bir engel yok dedi.", "supports"),
        ("Lider, askerlerin çekilmesi şartını yineledi.", "opposes"),
        ("Lider, çekilme olmadan görüşme olmaz dedi.", "opposes"),
        ("Bakan, normalleşme sürecinde yeni bir adım attıklarını söyledi.", "supports"),
        ("Bakan, süreci sürdürme kararlılığımızı teyit ettik dedi.", "supports"),
        ("Sözcü, büyükelçi atanmasının gündemimizde olmadığını söyledi.", "opposes"),
        ("Bakan, ilişkilerimizi büyükelçi seviyesine yükseltiyoruz dedi.", "supports"),
        ("Lider, kapıyı kapatmış değiliz dedi.", "supports"),
        ("Lider, komşusuna davet gönderdiğini açıkladı.", "supports"),
        ("Lider, teröre destek veren bir yönetimle görüşmeyiz dedi.", "opposes"),
        ("Lider, görüşme çağrısına olumsuz yanıt verdi.", "opposes"),
        ("Lider, görüşmenin şu an için söz konusu olmadığını söyledi.", "opposes"),
        ("Lider, normalleşme için acele etmeyeceklerini söyledi.", "opposes"),
        ("Bakan, ilişkilerin gelişmesinden memnun olduklarını belirtti.", "supports"),
    ],
)
def test_turkish_conditions_refusals_and_openings(text: str, side: str) -> None:
    assert stance_of(text, "tr") == side


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("Any meeting would depend on its content", "unclear"),
        ("Restoring relations with the junta is a sovereign decision of each state", "unclear"),
        ("The decision does not mean normalization with the regime", "unclear"),
        ("The issue of refugees must be addressed before any normalization", "opposes"),
        ("Any normalization must be based on the withdrawal of foreign forces", "opposes"),
        ("Normalization would reward the junta for its crimes", "opposes"),
    ],
)
def test_english_neutral_hand_offs_and_conditions(text: str, side: str) -> None:
    assert stance_of(text, "en") == side


@pytest.mark.parametrize(
    ("text", "speaker", "office", "actor"),
    [
        (
            "قال الأمين العام المساعد لجامعة الدول العربية السفير حسام زكي إن القرار عربي خالص.",
            "حسام زكي",
            "Assistant Secretary-General",
            "Arab League",
        ),
        (
            "وأوضح المتحدث الرسمي باسم الأمين العام لجامعة الدول العربية جمال رشدي أن القرار "
            "اتخذ بالإجماع.",
            "جمال رشدي",
            "Arab League spokesperson",
            "Arab League",
        ),
        (
            "قال نائب وزير الخارجية الروسي ميخائيل بوغدانوف إن موسكو ترحب بالتقارب.",
            "ميخائيل بوغدانوف",
            "Deputy Foreign Minister",
            "Russia",
        ),
        (
            "وقال مندوب الدولة لدى الأمم المتحدة بسام صباغ إن بلاده ترحب بالقرار.",
            "بسام صباغ",
            "Permanent Representative",
            None,
        ),
        (
            "كما قال السفير السعودي في العاصمة إن السفارة ستفتح قريبا.",
            None,
            "Ambassador",
            "Saudi Arabia",
        ),
        ("وأعلنت الرئاسة التركية أن الرئيس وجه دعوة لنظيره.", None, "Presidency", "Turkey"),
        (
            "وقال وزير الخارجية الإيراني حسين أمير عبد اللهيان إن طهران ترحب بعودة العلاقات.",
            "حسين أمير عبد اللهيان",
            "Foreign Minister",
            "Iran",
        ),
        (
            "وقال د. أحمد عبد الله إن بلاده ترحب بعودة العلاقات مع الجارة.",
            "أحمد عبد الله",
            None,
            None,
        ),
    ],
)
def test_more_arabic_speakers(
    text: str, speaker: str | None, office: str | None, actor: str | None
) -> None:
    (st,) = extract_statements("", text, PUB)
    assert st.speaker == speaker and st.office == office
    if actor:
        assert st.actor == actor


@pytest.mark.parametrize(
    ("phrase", "day"),
    [
        ("أمس الأول", date(2023, 5, 8)),
        ("في السابع من مايو", date(2023, 5, 7)),
        ("الحادي والعشرين من أبريل", date(2023, 4, 21)),
        ("geçen cuma", date(2023, 5, 5)),
        ("geçtiğimiz salı", date(2023, 5, 9)),
    ],
)
def test_more_day_phrases(phrase: str, day: date) -> None:
    found = find_day(phrase, 0, len(phrase), date(2023, 5, 10))  # a Wednesday
    assert found is not None and found.day == day


def test_a_dated_decision_of_a_body_does_not_date_its_officials_undated_remarks() -> None:
    text = (
        "اعتبر الأمين العام لجامعة الدول العربية أحمد منصور أن عودة الدولة إلى مقعدها شأن "
        "عربي خالص.\n"
        "وقررت الجامعة العربية في السابع من مايو الجاري عودة مقعد الدولة بعد سنوات من التجميد."
    )
    found = extract_statements("", text, datetime(2023, 5, 20, tzinfo=UTC))
    mansour = by_speaker(found, "منصور")
    assert mansour.said_on is None


def test_turkish_remark_named_by_its_speakers_possessive() -> None:
    text = (
        'Dışişleri Bakanı Çavuşoğlu\'nun "Komşu ülkenin bakanı ile kısa bir süre görüştük" '
        "açıklaması sonrası muhalefet harekete geçti."
    )
    (st,) = extract_statements("", text, PUB)
    assert st.speaker == "Mevlüt Çavuşoğlu" and st.direct
    assert "görüştük" in (st.quote or "")


def test_english_headline_forms() -> None:
    head = "Erdogan: Turkey ready to meet Assad to restore ties"
    found = extract_statements(head, f"{head}\nThe leader spoke after prayers.", PUB)
    assert [(s.speaker, s.stance) for s in found] == [("Erdogan", "supports")]
    assert not found[0].direct  # the desk's summary of what he said, not his words
    for own in ("Erdogan: 'Turkey is ready to meet Assad'", "Erdogan: We are ready to meet Assad"):
        (st,) = extract_statements(own, f"{own}\nThe leader spoke after prayers.", PUB)
        assert st.speaker == "Erdogan" and st.direct, own
    head = "Kingdom to reopen embassy in Tehran: FM"
    (st,) = extract_statements(head, f"{head}\nThe embassy will open soon.", PUB)
    assert st.office == "Foreign Minister" and st.speaker is None and st.stance == "supports"
    text = "Two states have established 'full normalization of relations,' Trump announced."
    (st,) = extract_statements("", text, PUB)
    assert (st.speaker, st.actor, st.stance) == ("Trump", "United States", "supports")


def test_arabic_verbs_with_diacritics_and_between_is_not_a_verb() -> None:
    text = "رحّبَ وزير الخارجية الكويتي سالم العلي بعودة العلاقات بين البلدين إلى طبيعتها."
    (st,) = extract_statements("", text, PUB)
    assert st.speaker == "سالم العلي" and st.stance == "supports"
    assert extract_statements("", "لقاء محتمل بين الرئيسين في قمة الشهر المقبل.", PUB) == []


def test_a_former_official_speaks_as_a_commentator() -> None:
    text = "Former US Ambassador John Roe said normalization with the junta would be a mistake."
    (st,) = extract_statements("", text, PUB)
    assert (st.speaker, st.role, st.stance) == ("John Roe", "commentator", "opposes")


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("The kingdom looks forward to the country's return to the fold", "supports"),
        ("We do not believe the junta should be readmitted to the League at this time", "opposes"),
        ("The envoys agreed to continue negotiations without preconditions", "supports"),
        ("The special envoys discussed steps toward full normalization", "supports"),
        ("The ruler has done nothing to restore his legitimacy", "opposes"),
        ("The regime has not earned normalization", "opposes"),
        ("The minister expressed hope that the rapprochement would bring stability", "supports"),
        ("Both sides expressed their readiness to open a new chapter", "supports"),
        ("He said the meeting was a waste of time", "opposes"),
        ("We urge all countries to refrain from normalizing with the junta", "opposes"),
    ],
)
def test_english_beliefs_hopes_and_refrains(text: str, side: str) -> None:
    assert stance_of(text, "en") == side


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("شدد على أن الحل السياسي يجب أن يسبق أي تطبيع", "opposes"),
        ("أكد أن اللقاء بين الرئيسين بات قريبا", "supports"),
        ("قال إن بلاده ستواصل الحوار مع الجارة", "supports"),
        ("أعلن الوزير أن الطرفين اتفقا على تبادل السفراء", "supports"),
        ("قال إن عودة الدولة مرهونة بتنفيذ القرار الدولي", "opposes"),
        ("قال إن بلاده ليست ضد عودة العلاقات", "unclear"),
        ("وصف القرار بأنه خطوة متسرعة", "opposes"),
    ],
)
def test_arabic_conditions_agreements_and_haste(text: str, side: str) -> None:
    assert stance_of(text, "ar") == side


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("Bakan, normalleşme sürecinde önemli adımlar atıldığını söyledi.", "supports"),
        ("Sözcü, charter uçuşlarının yakında başlayacağını açıkladı.", "supports"),
        ("Lider, rejimle masaya oturmayız dedi.", "opposes"),
        ("Lider, komşu ile masaya oturmaya hazırız dedi.", "supports"),
        ("Bakan, ilişkilerin normale dönmesini istediklerini söyledi.", "supports"),
        ("Lider, görüşmenin işgal sona ermeden mümkün olmadığını söyledi.", "opposes"),
        ("Bakan, komşunun tutumunu yakından takip ettiklerini söyledi.", "unclear"),
    ],
)
def test_turkish_steps_flights_and_the_table(text: str, side: str) -> None:
    assert stance_of(text, "tr") == side


def test_recalling_diplomatic_staff_refuses_ties_and_smoothing_relations_seeks_them() -> None:
    published = datetime(2023, 10, 30, tzinfo=UTC)
    (recall,) = extract_statements(
        "", "Peru said on Saturday it was recalling its diplomatic staff from Mexico.", published
    )
    assert (recall.actor, recall.stance) == ("Peru", "opposes")
    (smooth,) = extract_statements(
        "",
        "Chile said on Monday it wanted to smooth relations with Bolivia after years of strain.",
        published,
    )
    assert (smooth.actor, smooth.stance) == ("Chile", "supports")


def test_an_egyptian_spelling_of_in_is_not_a_speaker() -> None:
    (st,) = extract_statements(
        "", "قررت الحكومة فى الجزائر، اليوم الأربعاء، تعليق معاهدة الصداقة مع إسبانيا.", PUB
    )
    assert st.speaker is None


def test_turkish_title_words_and_the_eus_initials_are_not_a_name() -> None:
    (st,) = extract_statements(
        "", "AB Komisyon Başkan Yardımcısı Maria Lopez, anlaşmanın önemli olduğunu söyledi.", PUB
    )
    assert (st.speaker, st.actor) == ("Maria Lopez", "European Union")
    headline = "AB: Sırbistan ve Karadağ normalleşme yolunda ilk adımı attı"
    assert all(s.speaker != "AB" for s in extract_statements(headline, headline, PUB))


def test_he_said_after_a_quote_is_the_quotes_speaker_not_the_last_one_reported() -> None:
    text = (
        "Talks on Damascus\n"
        "Foreign Minister Jane Doe announced that she would meet her Syrian counterpart soon. "
        "“We do not support other countries normalizing with the Assad regime,” State "
        "Department spokesman Ned Price told reporters on Thursday. He said anyone engaging "
        "with Damascus should ask how that helps the Syrian people."
    )
    found = extract_statements("Talks on Damascus", text, PUB)
    doe = by_speaker(found, "Jane Doe")
    assert "anyone engaging" not in (doe.quote or "") and doe.stance == "supports"
    price = by_speaker(found, "Ned Price")
    assert price.stance == "opposes"


def test_arabic_deputies_are_not_the_office_they_deputise_for() -> None:
    deputy_pm = "قال نائب رئيس الوزراء الأردني أيمن الصفدي إن الأردن يدعم عودة العلاقات مع دمشق."
    (st,) = extract_statements("", deputy_pm, PUB)
    assert (st.speaker, st.office, st.actor) == ("أيمن الصفدي", "Deputy Prime Minister", "Jordan")
    vice = "قال نائب الرئيس الإيراني محمد مخبر إن بلاده تأمل باستئناف العلاقات مع مصر."
    (st,) = extract_statements("", vice, PUB)
    assert (st.speaker, st.office, st.actor) == ("محمد مخبر", "Vice President", "Iran")


def test_arabic_diacritics_hide_neither_an_office_nor_the_end_of_a_name() -> None:
    text = (
        "قال المتحدِّث باسم وزارة الخارجية الإيرانية، ناصر كنعاني، إنَّ بلاده تأمل باستئناف "
        "علاقاتها مع البحرين. وأضاف كنعانيُّ أنَّ الاتِّفاق مع السعودية تطوُّر إيجابيّ."
    )
    (st,) = extract_statements("", text, PUB)
    assert (st.speaker, st.office, st.actor) == (
        "ناصر كنعاني",
        "Foreign Ministry spokesperson",
        "Iran",
    )
    assert st.stance == "supports" and not st.quote.startswith(("َ", "ّ"))
    # a noun the verb governs is no name: "أكد وزير الخارجية السعودي أهمية الاتفاق"
    text = "بدوره أكد وزير الخارجية السعودي أهمية الاتفاق وضرورة إعادة فتح سفارتي البلدين."
    (st,) = extract_statements("", text, PUB)
    assert st.speaker is None and (st.office, st.actor) == ("Foreign Minister", "Saudi Arabia")
    # ... and once named as the first minister's counterpart, the office is that person
    met = (
        "اتفق وزير الخارجية الإيراني حسين أمير عبد اللهيان مع نظيره السعودي فيصل بن فرحان "
        "على عقد لقاء ثنائي بينهما قريبا. "
    )
    found = extract_statements("", met + text, PUB)
    assert {(s.speaker, s.actor) for s in found} == {
        ("حسين أمير عبد اللهيان", "Iran"),
        ("فيصل بن فرحان", "Saudi Arabia"),
    }


def test_turkish_ministry_in_the_genitive_is_no_speaker_and_a_recall_refuses_ties() -> None:
    text = (
        "Dışişlerinin açıklamasında, \"Büyükelçimizin istişarelerde bulunmak üzere Ankara'ya "
        'çağırılması kararlaştırılmıştır." denildi. Dışişleri Bakanlığı, büyükelçinin '
        "istişarelerde bulunmak üzere Ankara'ya çağrıldığını duyurdu."
    )
    found = extract_statements("", text, PUB)
    assert all(s.speaker != "Dışişlerinin" for s in found)
    assert any(s.stance == "opposes" for s in found)


def test_the_countrys_president_speaks_for_the_state_the_headline_names() -> None:
    title = "Kosovo rules out talks with Serbia until it faces sanctions"
    text = (
        f"{title}\nKosovo will not re-enter talks to normalise relations with Serbia unless "
        "sanctions are imposed on Belgrade, the country’s president has said."
    )
    found = extract_statements(title, text, PUB)
    assert any(s.office == "President" and s.actor == "Kosovo" for s in found)


@pytest.mark.parametrize(
    ("headline", "actor", "stance"),
    [
        ("Vatican closes embassy in Managua after crackdown on clergy", "Vatican", "opposes"),
        ("Niger Coup Leaders End Military Cooperation With France", "Niger", "opposes"),
        ("India asks Canada diplomat to leave country within days", "India", "opposes"),
        ("Canada Moves to Restore Ties with Venezuela", "Canada", "supports"),
        ("Qatar Ends Long Rift With Bahrain", "Qatar", "supports"),
        ("In tit-for-tat move, India expels Canadian diplomat", "India", "opposes"),
    ],
)
def test_a_headline_that_is_a_states_act_is_its_statement_in_any_case(
    headline: str, actor: str, stance: str
) -> None:
    found = extract_statements(headline, f"{headline}\nThe decision was announced on Monday.", PUB)
    assert [(s.actor, s.stance) for s in found] == [(actor, stance)]


def test_a_summarys_lead_sentence_that_is_a_states_act_on_ties_is_a_statement() -> None:
    title = "Tokyo protests court ruling"
    lead = "Japan’s Foreign Ministry summoned a senior diplomat from the South Korean embassy."
    (st,) = extract_statements(title, f"{title}\n{lead}", PUB)
    assert (st.office, st.actor, st.stance) == ("Foreign Ministry", "Japan", "opposes")
    title = "A new chapter"
    lead = "Canada is looking to restore ties with Venezuela, officials said on Monday."
    found = extract_statements(title, f"{title}\n{lead}", PUB)
    assert any(s.actor == "Canada" and s.stance == "supports" for s in found)
    # An act that is not on ties, or background after the lead, is no statement.
    title = "Russia shrinks forces"
    lead = "Moscow withdrew a key air defense system to bolster its war elsewhere."
    assert extract_statements(title, f"{title}\n{lead}", PUB) == []
    later = "The talks resumed. Venezuela broke off relations with Washington in 2019."
    assert extract_statements("Talks", f"Talks\n{later}", PUB) == []


def test_a_double_surname_finds_its_full_name_and_quashing_hopes_refuses_ties() -> None:
    text = (
        "Minister to visit\nPakistan’s foreign minister, Bilawal Bhutto Zardari, arrived on "
        "Thursday. Bhutto Zardari stressed his presence would be focused exclusively on the "
        "summit and on ties with neighbours."
    )
    found = extract_statements("Minister to visit", text, PUB)
    assert [(s.speaker, s.office, s.actor) for s in found] == [
        ("Bilawal Bhutto Zardari", "Foreign Minister", "Pakistan")
    ]
    assert stance_of("Foreign minister quashes hope of reconciliation", "en") == "opposes"


def test_a_quote_bound_to_a_double_surname_is_that_persons_not_a_body_named_before() -> None:
    title = "Lebanon to restore full ties with Assad"
    text = (
        f"{title}\nLebanese Foreign Minister Abdallah Bou Habib said Beirut would restore full "
        "ties with the Syrian government of Bashar al-Assad. “We will send a minister to "
        "Damascus next week,” Bou Habib said."
    )
    found = extract_statements(title, text, PUB)
    assert [(s.speaker, s.office, s.actor, s.stance) for s in found] == [
        ("Abdallah Bou Habib", "Foreign Minister", "Lebanon", "supports")
    ]


@pytest.mark.parametrize(
    "headline",
    [
        "Jordan backs Arab normalization with Assad, analyst says",
        "Saudi Arabia will restore ties with Assad, professor predicts",
        "Egypt will restore ties with Assad, says Cairo University professor",
        "Why the Gulf is warming to Damascus: Expert",
    ],
)
def test_a_headline_reporting_an_analyst_is_no_states_statement(headline: str) -> None:
    text = f"{headline}\nThe analysis was published on Tuesday."
    found = extract_statements(headline, text, PUB)
    assert [(s.role, s.actor, s.stance) for s in found] == [("commentator", None, "unclear")]


def test_former_ambassadors_and_advisers_of_think_tanks_are_commentators() -> None:
    ford = "Former US Ambassador to Syria Robert Ford said normalization with Assad was a mistake."
    (st,) = extract_statements("", ford, PUB)
    assert (st.speaker, st.role, st.actor) == ("Robert Ford", "commentator", "United States")
    assert st.office == "Former Ambassador to Syria"
    adviser = (
        "Noah Bonsey, a senior adviser at the International Crisis Group, said: “Normalization "
        "with Assad will not bring refugees home.”"
    )
    (st,) = extract_statements("", adviser, PUB)
    assert (st.speaker, st.role, st.direct) == ("Noah Bonsey", "commentator", True)


@pytest.mark.parametrize(
    "text",
    [
        "The cabinet said it would be a grave mistake if Ruritania broke off relations.",
        "The envoy warned against severing diplomatic ties with the neighbours.",
    ],
)
def test_a_rupture_called_a_mistake_or_warned_against_speaks_for_the_ties(text: str) -> None:
    assert stance_of(text, "en") == "supports"
    # the rupture itself still refuses ties
    assert stance_of("Ruritania broke off relations with its neighbour.", "en") == "opposes"


@pytest.mark.parametrize(
    ("text", "office"),
    [
        ("Upgrading ties with Ruritania is premature, Senator Jane Roe said.", "Senator"),
        (
            "Upgrading ties with Ruritania is premature, according to Rep. Jane Roe (D-Maine).",
            "Representative",
        ),
        (
            "Rep. Jane Roe (D-Maine) said upgrading ties with Ruritania was premature.",
            "Representative",
        ),
    ],
)
def test_legislators_are_speakers_and_a_title_stop_ends_no_sentence(text: str, office: str) -> None:
    (found,) = extract_statements("", text, PUB)
    assert (found.speaker, found.office, found.stance) == ("Jane Roe", office, "opposes")
    if "(D-" in text:
        assert found.actor == "United States"  # a member of Congress


def test_a_states_ruling_party_and_parliament_speak_for_it() -> None:
    (party,) = extract_statements(
        "", "Kenya's ruling party has said it backs restoring ties with Ruritania.", PUB
    )
    assert (party.office, party.actor, party.stance) == ("ruling party", "Kenya", "supports")
    (house,) = extract_statements(
        "", "The Danish parliament said on Monday it would debate reopening the embassy.", PUB
    )
    assert (house.office, house.actor, house.said_on) == (
        "parliament",
        "Denmark",
        date(2024, 3, 18),
    )


def test_an_arabic_assistant_foreign_minister_is_an_office_before_the_name() -> None:
    text = "أكد مساعد وزير الخارجية الإيراني علي رضا كريمي أن بلاده مستعدة لاستئناف العلاقات."
    (found,) = extract_statements("", text, PUB)
    assert found.speaker == "علي رضا كريمي"
    assert found.office == "Deputy Foreign Minister"
    assert found.stance == "supports"


def test_a_statement_told_by_the_headline_and_the_body_quotes_the_body() -> None:
    title = "Norway recalls its ambassador from Chile"
    body = "The kingdom said it would no longer accept the raids on its northern border."
    (found,) = extract_statements(title, f"{title}\n{body}", PUB)
    assert found.actor == "Norway" and found.stance == "opposes"
    assert found.quote and found.quote.startswith("it would no longer accept the raids")


@pytest.mark.parametrize(
    "summary",
    [
        # no comma between the speaker and the day of the statement
        "Umman Dışişleri Bakanı Ali Vekil pazar günü yaptığı açıklamada Libya ile ilişkileri "
        "yeniden kuracaklarını söyledi.",
        "Umman Dışişleri Bakanı Ali Vekil, pazar günü yaptığı açıklamada Libya ile ilişkileri "
        "yeniden kuracaklarını söyledi.",
    ],
)
def test_a_turkish_speaker_needs_no_comma_before_the_day_of_the_statement(summary: str) -> None:
    (found,) = extract_statements("", summary, PUB)
    assert (found.speaker, found.office, found.actor) == ("Ali Vekil", "Foreign Minister", "Oman")
    assert found.stance == "supports" and found.said_on == date(2024, 3, 17)


def test_a_turkish_office_without_its_country_is_the_headlines_state_when_it_leads() -> None:
    body = (
        "Dışişleri Bakanı Ali Vekil, dün yaptığı açıklamada Libya ile ilişkileri "
        "kuracaklarını söyledi."
    )
    oman = extract_statements(
        "Umman, Libya ile ilişki kuracak", f"Umman, Libya ile ilişki kuracak\n{body}", PUB
    )
    assert oman[0].actor == "Oman"
    # a state that is the object or the place of the headline is not the speaker's
    libya = extract_statements("Libya ile yeni dönem", f"Libya ile yeni dönem\n{body}", PUB)
    assert libya[0].actor == "Turkey"


def test_a_minister_of_state_is_one_office_in_english_and_arabic() -> None:
    en = extract_statements(
        "", "The Omani Minister of State Ali Vekil said on Friday that ties with Libya resume.", PUB
    )
    assert (en[0].speaker, en[0].office, en[0].actor) == ("Ali Vekil", "Minister of State", "Oman")
    ar = extract_statements(
        "", "قال وزير الدولة العماني علي وكيل يوم الجمعة إن العلاقات مع ليبيا ستعود.", PUB
    )
    assert (ar[0].office, ar[0].actor) == ("Minister of State", "Oman")


def test_an_arabic_quote_starts_after_the_day_and_that() -> None:
    text = "قال وزير الخارجية العماني علي وكيل يوم الجمعة إن العلاقات مع ليبيا ستعود قريبا."
    (found,) = extract_statements("", text, PUB)
    assert found.quote is not None and found.quote.startswith("العلاقات مع ليبيا")
    assert found.said_on == date(2024, 3, 15)


@pytest.mark.parametrize(
    "text",
    [
        "The prime minister said on Monday that Oslo would not cut diplomatic ties with Lima.",
        "The minister said Oslo has no plans to sever relations with Lima.",
    ],
)
def test_a_rupture_refused_keeps_the_ties(text: str) -> None:
    assert stance_of(text, "en") == "supports"
