"""Statements about ties between any states, not only Syria's: how agencies of each language
attribute speech (an office then the name between commas, a state's body, a day phrase before
the subject) and how they write ending, regretting and conditioning ties. Every sentence is
invented; the officials' names are real people's, the facts are not."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from matcher import extract_statements
from matcher.stance import stance_of

PUB = datetime(2023, 8, 28, 9, 0, tzinfo=UTC)  # a Monday


def _one(title: str, body: str, published: datetime = PUB):  # type: ignore[no-untyped-def]
    found = extract_statements(title, f"{title}\n{body}", published)
    assert len(found) == 1, found
    return found[0]


# English: speakers


def test_an_office_of_a_state_then_the_name_between_commas_is_that_person() -> None:
    st = _one(
        "Honduras names an envoy",
        "The Honduran foreign minister, Eduardo Reina, said in a statement that the new embassy "
        "would open its doors next month.",
    )
    assert (st.speaker, st.office, st.actor) == ("Eduardo Reina", "Foreign Minister", "Honduras")


def test_a_states_junta_speaks_for_that_state() -> None:
    st = _one(
        "Envoy told to go",
        "Niger's junta said on Friday that it had decided to expel the ambassador of the "
        "former colonial power.",
    )
    assert st.actor == "Niger" and st.speaker is None
    assert st.stance == "opposes"


def test_authorities_in_a_capital_speak_for_its_state() -> None:
    st = _one(
        "Paris answers",
        "Authorities in Paris said the order to expel their ambassador had no legal basis.",
    )
    assert st.actor == "France"


def test_the_ministry_of_foreign_affairs_is_the_foreign_ministry() -> None:
    st = _one(
        "Ties cut",
        "Honduras has ended its diplomatic relations with Taiwan, its ministry of foreign "
        "affairs announced Saturday.",
    )
    assert st.office == "Foreign Ministry" and st.actor == "Honduras"
    assert st.quote is not None and st.quote.startswith("Honduras has ended")
    assert st.stance == "opposes"
    assert st.said_on == date(2023, 8, 26)


def test_a_day_in_a_relative_clause_is_not_the_day_of_the_words() -> None:
    st = _one(
        "Envoy expelled",
        "The government, which took office on July 26, ordered the envoy to leave on Friday, "
        "the Nigerien foreign ministry said.",
    )
    assert st.said_on == date(2023, 8, 25)


def test_the_particulars_of_a_statement_are_not_its_words() -> None:
    st = _one(
        "Visas cancelled",
        "The visas of the ambassador and his family have been cancelled and police are told to "
        "expel the envoy, Niger's junta said in a statement dated August 24.",
    )
    assert st.quote is not None and st.quote.startswith("The visas of the ambassador")
    assert st.said_on == date(2023, 8, 24)


# English: stance


@pytest.mark.parametrize(
    ("text", "side"),
    [
        # Ending ties in other words than "cut": cease, end, terminate, the rupture of.
        ("He communicated the decision to cease diplomatic relations with Taipei.", "opposes"),
        ("The government informed them of the rupture of diplomatic relations.", "opposes"),
        ("It undertakes to have no longer any official relationship with the island.", "opposes"),
        ("The country has terminated its relations with its neighbour.", "opposes"),
        # Regretting or rejecting someone else's rupture wishes the ties.
        ("The ministry regretted the decision to cut ties.", "supports"),
        ("Taipei deplored the unjustified decision to end diplomatic relations.", "supports"),
        # ... but condemning something else and then cutting ties still cuts them.
        ("The government condemned the attack and cut ties with its neighbour.", "opposes"),
        ("The establishment of relations with the kingdom opens a new stage.", "supports"),
        # Pulling an ambassador out, evacuating an embassy: a step back from ties.
        ("The president said Arland will pull its ambassador out of Borovia.", "opposes"),
        ("The ministry said it would evacuate its embassy in the capital.", "opposes"),
    ],
)
def test_english_ending_and_regretting_ties(text: str, side: str) -> None:
    assert stance_of(text, "en") == side


@pytest.mark.parametrize(
    ("text", "side"),
    [
        # Ties said to stand are kept; what had not happened then says nothing of now.
        ("The ministry said diplomatic relations have not been severed.", "supports"),
        ("Officials insisted the ties will not be cut over the incident.", "supports"),
        ("By then the ties had not been cut.", "unclear"),
        # Steadying ties is a step toward them.
        ("The envoy called the talks a first move toward stabilizing ties.", "supports"),
        # Rejecting an accusation answers it, whatever it charges; rejecting a step does not.
        ("Arland rejected as baseless an allegation that it had spied on the mission.", "unclear"),
        ("The ministry denied reports that it would restore ties with Borovia.", "unclear"),
        ("The ministry rejected the decision to restore ties with Borovia.", "opposes"),
    ],
)
def test_english_ties_that_stand_and_charges_answered(text: str, side: str) -> None:
    assert stance_of(text, "en") == side


# Arabic: speakers


def test_an_arabic_name_after_an_office_may_open_with_an_honorific_and_be_compound() -> None:
    st = _one(
        "عمان ترحب",
        "وقال وزير الخارجية العماني، السيد بدر بن حمد البوسعيدي، إن بلاده ترحب بعودة العلاقات "
        "الدبلوماسية بين البلدين.",
    )
    assert st.speaker == "بدر بن حمد البوسعيدي"
    assert (st.office, st.actor, st.stance) == ("Foreign Minister", "Oman", "supports")


def test_an_arabic_day_phrase_may_stand_between_the_verb_and_its_subject() -> None:
    st = _one(
        "تونس والعلاقات",
        "أفاد اليوم الأحد ، وزير الخارجية التونسي نبيل عمار ، أن بلاده قررت إعادة فتح سفارتها "
        "في العاصمة.",
    )
    assert st.speaker == "نبيل عمار" and st.office == "Foreign Minister"
    assert st.said_on == date(2023, 8, 27)


def test_an_arabic_subject_before_kana_qad_is_the_speaker_not_the_object_after_the_verb() -> None:
    found = extract_statements(
        "",
        "ويذكر أن الملك محمد السادس، كان قد دعا الجزائر إلى إعادة بناء العلاقات وفتح الحدود.",
        PUB,
    )
    assert [(s.speaker, s.office) for s in found] == [("محمد السادس", "King")]


def test_an_arabic_portfolio_title_is_no_name() -> None:
    st = _one(
        "الجزائر",
        "أعلن وزير الشؤون الخارجية والجالية الوطنية بالخارج، رمطان لعمامرة، أن بلاده قررت قطع "
        "علاقاتها الدبلوماسية مع جارتها.",
    )
    assert st.speaker == "رمطان لعمامرة" and st.office == "Foreign Minister"
    assert st.stance == "opposes"


def test_a_state_acting_joins_the_one_official_of_no_stated_state_who_announces_it() -> None:
    found = extract_statements(
        "",
        "قررت الجزائر اليوم الاثنين قطع العلاقات الدبلوماسية مع المغرب.\n"
        "وأعلن وزير الخارجية رمطان لعمامرة القرار في مؤتمر صحفي عقده بالعاصمة.",
        PUB,
    )
    assert len(found) == 1
    st = found[0]
    assert (st.speaker, st.actor, st.stance) == ("رمطان لعمامرة", "Algeria", "opposes")
    assert st.said_on == date(2023, 8, 28)


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("وقال الوزير إنه سيزور الرياض قريبا لبحث العلاقات بين البلدين.", "supports"),
        ("وأضاف أن العلاقات بين البلدين تتقدم بثبات.", "supports"),
        ("وأعربت الوزارة عن أسفها لقرار قطع العلاقات الدبلوماسية.", "supports"),
        ("وأعلنت الحكومة قطع العلاقات الدبلوماسية مع جارتها.", "opposes"),
    ],
)
def test_arabic_visits_advancing_ties_and_regretted_ruptures(text: str, side: str) -> None:
    assert stance_of(text, "ar") == side


# Turkish


@pytest.mark.parametrize(
    ("text", "side"),
    [
        # A condition refuses for now.
        (
            "Bakan, Ankara'nın adım atması şartıyla ilişkilerin normale dönebileceğini söyledi.",
            "opposes",
        ),
        (
            "Eğer karşı taraf bu ilkelere uyum gösterirse ilişkiler normale dönebilir, dedi.",
            "opposes",
        ),
        ("Ancak işgal sona ererse ilişkiler normale döner, dedi.", "opposes"),
        # A hope is not a condition.
        ("Eğer her şey yolunda giderse sınır kapısı yeniden açılacak, dedi.", "supports"),
        # No precondition put forward is an opening; no progress takes no side.
        ("Bakan, iki tarafın da henüz bir ön koşul sunmadığını söyledi.", "supports"),
        ("Sınırın açılması konusunda herhangi bir ilerleme kaydedilmedi.", "unclear"),
        ("Zamanı çoktan geldi, dedi.", "supports"),
        ("İşbirliği sürecimiz devam ediyor, dedi.", "supports"),
        ('Bakan, "Büyükelçiliğimizin tahliyesine karar verildi." dedi.', "opposes"),
        ('Bakan, "Madrid\'deki misyonumuzun personeli tahliye edilecek." dedi.', "opposes"),
        ("Büyükelçi dün Dışişleri Bakanlığına çağrıldı ve protesto notası verildi.", "opposes"),
    ],
)
def test_turkish_conditions_hopes_and_progress(text: str, side: str) -> None:
    assert stance_of(text, "tr") == side


def test_a_turkish_person_named_once_with_an_office_keeps_it_later() -> None:
    found = extract_statements(
        "",
        "Eski milletvekili Ahmet Kaya, dün normalleşme süreci hakkında açıklama yaptı.\n"
        "Kaya, sınırın ocak ayında açılabileceğini söyledi.",
        PUB,
    )
    assert len(found) == 1
    assert found[0].speaker == "Ahmet Kaya" and found[0].role == "commentator"


def test_bakanlik_alone_is_the_ministry_named_before() -> None:
    found = extract_statements(
        "",
        "Dışişleri Bakanlığı'ndan yapılan açıklamada toplantının olumlu geçtiği belirtildi.\n"
        "Bakanlık, sürecin ön koşulsuz olarak devam edeceğini belirtti.",
        PUB,
    )
    assert [s.speaker for s in found] == [None]
    assert found[0].office == "Foreign Ministry" and found[0].stance == "supports"


def test_a_turkish_pluperfect_singular_remark_is_a_statement() -> None:
    found = extract_statements(
        "",
        "Cumhurbaşkanı Erdoğan da geçen hafta, “Mısır ile işbirliği sürecimiz devam ediyor” "
        "ifadesini kullanmıştı.",
        PUB,
    )
    assert [(s.speaker, s.stance) for s in found] == [("Recep Tayyip Erdoğan", "supports")]


def test_one_named_person_is_one_statement_whatever_state_a_sentence_ties_them_to() -> None:
    found = extract_statements(
        "",
        "Mısır Dışişleri Bakanı Samih Şukri, Türkiye ile ilişkilerin geliştiğini söyledi.\n"
        "Şukri, Mısır ve Türkiye’nin ilişkileri normalleştirmeye istekli olduğunu belirtti.",
        PUB,
    )
    assert [s.speaker for s in found] == ["Samih Şukri"]


# Expelling an envoy, and denying the right to expel him


@pytest.mark.parametrize(
    ("text", "lang", "side"),
    [
        ("The rulers gave the ambassador 48 hours to leave the country.", "en", "opposes"),
        ("The envoy was declared persona non grata on Monday.", "en", "opposes"),
        ("The ambassador will leave for talks in the capital.", "en", "unclear"),
        ("Paris said the rulers have no authority to expel its ambassador.", "en", "supports"),
        ("وطلبت السلطات من السفير مغادرة البلاد خلال يومين.", "ar", "opposes"),
        ("وقرر المجلس رفع الحصانة عن السفير وأسرته.", "ar", "opposes"),
        ("وقررت الحكومة سحب موافقتها على اعتماد السفير الجديد.", "ar", "opposes"),
    ],
)
def test_ordering_an_envoy_out_is_a_rupture(text: str, lang: str, side: str) -> None:
    assert stance_of(text, lang) == side  # type: ignore[arg-type]


def test_arabic_states_of_other_ruptures_are_actors_not_names() -> None:
    st = _one(
        "النيجر وفرنسا",
        "قالت وزارة خارجية النيجر إن السلطات قررت طرد السفير الفرنسي من البلاد.",
    )
    assert (st.speaker, st.office, st.actor, st.stance) == (
        None,
        "Foreign Ministry",
        "Niger",
        "opposes",
    )


def test_a_weekday_before_a_date_is_that_date() -> None:
    st = _one(
        "Order confirmed",
        "The order to expel the envoy stands, the Nigerien foreign ministry said on Thursday, "
        "August 24, in a letter to the embassy.",
    )
    assert st.said_on == date(2023, 8, 24)


def test_a_turkish_ministrys_written_statement_sets_out_its_words_below() -> None:
    found = extract_statements(
        "",
        "Dışişleri Bakanlığı, Ermenistan ile süreç hakkında yazılı bir açıklama yayımladı.\n"
        "Açıklamada, şu ifadelere yer verildi:\n"
        '"Özel temsilciler bir sonraki görüşmeyi gelecek ay Viyana\'da yapacaktır."',
        PUB,
    )
    assert [(s.office, s.actor, s.stance) for s in found] == [
        ("Foreign Ministry", "Turkey", "supports")
    ]
    assert found[0].quote is not None and found[0].quote.startswith("Özel temsilciler")


def test_a_turkish_name_keeps_its_arabic_article() -> None:
    found = extract_statements(
        "",
        "Katar Dışişleri Bakanlığı Sözcüsü Macid el-Ensari, Bahreyn ile ilişkilerin yeniden "
        "kurulmasını memnuniyetle karşıladıklarını belirtti.",
        PUB,
    )
    assert [(s.speaker, s.actor, s.stance) for s in found] == [
        ("Macid el-Ensari", "Qatar", "supports")
    ]


def test_a_short_turkish_line_of_a_military_administrations_demand() -> None:
    found = extract_statements(
        "Nijer kararı",
        "Nijer kararı\nNijer'deki askeri yönetim, Fransa'nın büyükelçisinin 48 saat içinde "
        "ülkeyi terk etmesini istedi.",
        PUB,
    )
    assert [(s.lang, s.actor, s.stance) for s in found] == [("tr", "Niger", "opposes")]


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("Tayvan, Honduras'ın ilişkileri kesme kararından üzüntü duyduğunu açıkladı.", "supports"),
        ("İlişkilerimizi en üst seviyeye çıkarmak istiyoruz, dedi.", "supports"),
    ],
)
def test_turkish_regretted_ruptures_and_raised_ties(text: str, side: str) -> None:
    assert stance_of(text, "tr") == side


def test_a_letter_outside_ascii_does_not_split_a_word_into_a_negation() -> None:
    # "Türkiye" once read as "t" (the "t" of "don t") and "rkiye".
    assert stance_of("Türkiye to appoint envoy", "en") == "supports"


# Agency forms: "according to a statement from", "told AFP", "citing ...", "في بيان", "بحسب"


def test_according_to_a_statement_from_a_states_presidency() -> None:
    st = _one(
        "Ties planned",
        "According to a statement from the Honduran presidency, the country will establish "
        "diplomatic relations with Beijing.",
    )
    assert (st.office, st.actor, st.stance) == ("Presidency", "Honduras", "supports")
    assert st.quote is not None and st.quote.startswith("the country will establish")


def test_the_agency_spoken_to_and_a_citing_clause_are_no_content() -> None:
    found = extract_statements(
        "",
        "Spokesman Liu Pengyu told AFP on Tuesday that Beijing had recalled its ambassador.\n"
        "Algeria has recalled its ambassador to Madrid, the foreign ministry said in a statement "
        "on Saturday, citing a shift in policy.",
        PUB,
    )
    quotes = [s.quote or "" for s in found]
    assert quotes[0].startswith("Beijing had recalled")
    assert quotes[1].startswith("Algeria has recalled")
    assert [s.stance for s in found] == ["opposes", "opposes"]


def test_arabic_in_a_statement_and_to_are_no_content() -> None:
    st = _one(
        "المغرب",
        "أعلنت وزارة الخارجية المغربية، في بيان اليوم الاثنين، أن المملكة قررت إعادة فتح سفارتها.",
    )
    assert st.quote is not None and st.quote.startswith("المملكة قررت")
    assert (st.actor, st.said_on) == ("Morocco", date(2023, 8, 28))


def test_arabic_states_that_agree_on_ties_each_make_a_statement() -> None:
    found = extract_statements(
        "",
        "وفق بيان مشترك صادر عن البلدين، اتفقت قطر والبحرين على استئناف العلاقات الدبلوماسية.",
        PUB,
    )
    assert [(s.actor, s.stance) for s in found] == [("Qatar", "supports"), ("Bahrain", "supports")]


def test_an_arabic_act_verbs_object_is_not_part_of_its_subject() -> None:
    st = _one(
        "الجزائر",
        "بحسب وكالة الأنباء الرسمية، قرر الرئيس الجزائري عبد المجيد تبون استدعاء سفير بلاده "
        "لدى مدريد للتشاور.",
    )
    assert (st.speaker, st.office, st.stance) == ("عبد المجيد تبون", "President", "opposes")


def test_an_arabic_agencys_unnamed_source_is_of_the_agencys_state() -> None:
    st = _one(
        "",
        "نقلت وكالة الأنباء السعودية عن مصدر في وزارة الخارجية قوله إن المملكة ترحب بعودة "
        "العلاقات مع إيران.",
    )
    assert (st.office, st.actor, st.stance) == ("source", "Saudi Arabia", "supports")


def test_an_arabic_headline_of_a_long_office_and_name() -> None:
    found = extract_statements(
        "", "وزير الخارجية التركي مولود جاويش أوغلو: سنعين سفيرا في القاهرة قريبا", PUB
    )
    assert [(s.speaker, s.office, s.stance) for s in found] == [
        ("مولود جاويش أوغلو", "Foreign Minister", "supports")
    ]


def test_turkish_descriptions_and_endings_of_ties() -> None:
    found = extract_statements(
        "",
        "Fas Dışişleri Bakanlığı, Cezayir'in diplomatik ilişkileri kesme kararını \"tamamen "
        'haksız" olarak nitelendirdi.\n'
        "Honduras Dışişleri Bakanı Eduardo Enrique Reina, Tayvan ile diplomatik ilişkilerin sona "
        "erdiğini duyurdu.",
        PUB,
    )
    assert [(s.actor, s.stance) for s in found] == [
        ("Morocco", "supports"),
        ("Honduras", "opposes"),
    ]


def test_bakan_before_a_name_is_the_office() -> None:
    found = extract_statements(
        "", "Bakan Fidan: Mısır'la ilişkilerimiz yeni bir döneme giriyor", PUB
    )
    assert [s.speaker for s in found] == ["Hakan Fidan"]


@pytest.mark.parametrize(
    ("text", "lang", "side"),
    [
        # Ties frozen, envoys back or exchanged.
        ("Relations have been frozen since the incident.", "en", "opposes"),
        ("The ambassador returned to his post after two years.", "en", "supports"),
        ("Both sides exchanged ambassadors on Monday.", "en", "supports"),
        ("The ambassador returned home for consultations.", "en", "unclear"),
        ("لن تعود العلاقات قبل انسحاب القوات", "ar", "opposes"),
        ("تبادل البلدان السفراء بعد قطيعة دامت سنوات", "ar", "supports"),
        # Turkish: not thinking of, no plan to.
        ("İlişkileri yeniden kurmayı düşünmüyoruz, dedi.", "tr", "opposes"),
        ("Büyükelçiliği yeniden açma gibi bir planımız yok.", "tr", "opposes"),
    ],
)
def test_frozen_returned_exchanged_and_not_planned(text: str, lang: str, side: str) -> None:
    assert stance_of(text, lang) == side  # type: ignore[arg-type]


def test_english_agency_and_briefing_forms() -> None:
    found = extract_statements(
        "",
        "The Saudi embassy in Tehran said on Tuesday it had resumed consular services.\n"
        "Chinese foreign ministry spokesperson Mao Ning told a regular briefing on Monday that "
        "China welcomed the decision.\n"
        "A statement on the ministry's website said Morocco would keep the border closed.\n"
        "Mao Ning, a spokeswoman for China's foreign ministry, said Beijing appreciated the move.\n"
        "Iran's President Ebrahim Raisi said the resumption of ties was a turning point.",
        PUB,
    )
    got = [(s.speaker, s.actor, s.stance, (s.quote or "").split()[0]) for s in found]
    assert got == [
        (None, "Saudi Arabia", "supports", "it"),
        ("Mao Ning", "China", "supports", "China"),
        ("Ebrahim Raisi", "Iran", "supports", "the"),
    ]


def test_arabic_day_after_a_name_and_a_single_tasrih_are_no_content() -> None:
    found = extract_statements(
        "",
        "أكد وزير الخارجية الإيراني حسين أمير عبد اللهيان، الأحد، أن العلاقات مع السعودية تسير "
        "في الاتجاه الصحيح.\n"
        "وقال المتحدث باسم الخارجية المغربية في تصريح صحفي إن المملكة لن تقبل أي وساطة.",
        PUB,
    )
    assert [(s.quote or "").split()[0] for s in found] == ["العلاقات", "المملكة"]
    assert found[0].said_on == date(2023, 8, 27)


def test_an_arabic_rupture_with_a_preposition_still_refuses() -> None:
    assert stance_of("مؤكدة تمسكها بقطع العلاقات مع جارتها", "ar") == "opposes"


# Headlines that are the act or the stance itself


@pytest.mark.parametrize(
    ("title", "who", "side"),
    [
        ("Ruritania welcomes the deal, says it hopes for a new era", [(None, None, None)], None),
        (
            "Saudi Arabia welcomes Iran deal, says it hopes for new era",
            [(None, None, "Saudi Arabia")],
            "supports",
        ),
        (
            "Algeria recalls ambassador from Madrid over policy shift",
            [(None, None, "Algeria")],
            "opposes",
        ),
        (
            "Niger junta revokes French ambassador's immunity, orders expulsion",
            [(None, "Junta", "Niger")],
            "opposes",
        ),
        (
            "UAE to send ambassador back to Iran after six-year gap",
            [(None, None, "United Arab Emirates")],
            "supports",
        ),
        (
            "Egypt, Turkey upgrade diplomatic relations to ambassador level",
            [(None, None, "Egypt"), (None, None, "Turkey")],
            "supports",
        ),
        (
            "Erdogan vows to restore ties with Egypt at the highest level",
            [("Erdogan", None, "Turkey")],
            "supports",
        ),
    ],
)
def test_an_act_headline_is_the_acting_states_statement(
    title: str, who: list[tuple[str | None, str | None, str | None]], side: str | None
) -> None:
    found = extract_statements(title, title, PUB)
    if side is None:  # no state the reader knows: nobody
        assert found == []
        return
    assert [(s.speaker, s.office, s.actor) for s in found] == who
    assert {s.stance for s in found} == {side}


def test_a_headline_state_does_not_glue_its_officials_into_one_statement() -> None:
    found = extract_statements(
        "Ruritania-free test",
        "Algeria breaks diplomatic ties with neighboring Morocco\n"
        "Algeria's foreign minister says his country is breaking diplomatic ties with Morocco.\n"
        "A week ago President Abdelmadjid Tebboune said that hostile acts meant a revision in "
        "relations between the two countries.",
        PUB,
    )
    offices = sorted(s.office or "" for s in found)
    assert offices == ["Foreign Minister", "President"]


def test_the_presidency_of_the_republic_is_an_office_and_a_preposition_no_name() -> None:
    text = (
        "الجزائر تستدعي سفيرها لدى مدريد\n"
        "أفادت رئاسة الجمهورية الجزائرية في بلاغ مساء اليوم بأن البلاد قررت استدعاء سفيرها "
        "المعتمد لدى مدريد.\n"
        "وصدر القرار عقب رسالة أعربت من خلالها الجزائر عن رفضها موقف الحكومة الإسبانية."
    )
    found = extract_statements("الجزائر تستدعي سفيرها لدى مدريد", text, PUB)
    assert found and all(st.speaker is None for st in found)
    assert found[0].office == "Presidency" and found[0].actor == "Algeria"
    assert found[0].stance == "opposes"


def test_an_arabic_verb_before_the_office_name_and_colon_is_no_speaker() -> None:
    text = (
        "الجزائر ومدريد\nوقال وزير الخارجية الجزائري أحمد عطاف: «نرحب بعودة السفير إلى مدريد قريبا»"
    )
    (st,) = extract_statements("الجزائر ومدريد", text, PUB)
    assert (st.speaker, st.office, st.actor) == ("أحمد عطاف", "Foreign Minister", "Algeria")


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        # The quotation ends at its closing mark, not with what the sentence adds (QA).
        (
            "وقال الرئيس الجزائري إن «عودة السفير إلى مدريد خطوة ضرورية للمنطقة»، وذلك بعد "
            "لقائه نظيره في العاصمة.",
            "عودة السفير إلى مدريد خطوة ضرورية للمنطقة",
        ),
        (
            "Dışişleri Bakanlığı Sözcüsü Ayşe Kaya yaptığı açıklamada, «Madrid'deki "
            "büyükelçiliğimizi yeniden açacağız» dedi.",
            "Madrid'deki büyükelçiliğimizi yeniden açacağız",
        ),
    ],
)
def test_a_quotation_ends_at_its_closing_mark(text: str, quote: str) -> None:
    (st,) = extract_statements("Başlık", f"Başlık\n{text}", PUB)
    assert st.quote == quote and st.direct


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("الأردن سيعيد العلاقات الكاملة مع مدريد", "supports"),
        ("ستعيد الحكومة النظر في العلاقات مع مدريد", "opposes"),
    ],
)
def test_arabic_restoring_and_reconsidering_ties(text: str, side: str) -> None:
    assert stance_of(text, "ar") == side


def test_a_state_named_before_another_subjects_verb_of_saying_is_not_the_speaker() -> None:
    # The feed glued two sentences; the state after "ties with" is the object, and the one
    # "the Central American country" stands for (the headline's) speaks.
    title = "Panama cuts ties with Taiwan"
    body = (
        "It is the third partner Taipei has lost since its president Ana Vell took office "
        "Panama has cut diplomatic ties with Taiwan, the Central American country announced "
        "on Saturday, saying it recognises “only one government of China”."
    )
    found = extract_statements(title, f"{title}\n{body}", PUB)
    said = [st for st in found if st.quote and "only one government" in st.quote]
    assert said, found
    assert {(st.speaker, st.actor) for st in said} == {(None, "Panama")}
    assert all(st.said_on == date(2023, 8, 26) for st in said)


def test_a_turkish_quote_the_feed_cut_off_is_the_named_persons_words() -> None:
    # The summary ends inside the quote: its verb ("dedi") and closing mark were cut.
    found = extract_statements(
        "Ankara'dan tepki",
        "Ankara'dan tepki\nToplantının ardından konuşan Dışişleri Bakanı Hakan Fidan, saldırılara "
        'tepki gösterdi. Fidan, "Bu sessizlik kabul edilemez. Büyükelçimizi...',
        PUB,
    )
    assert [(st.speaker, st.direct) for st in found] == [("Hakan Fidan", True)]
    assert found[0].quote is not None and found[0].quote.startswith("Bu sessizlik kabul")


def test_a_turkish_state_is_no_persons_name() -> None:
    # "Kosova" is a state wherever it stands, not a speaker called Kosova.
    found = extract_statements(
        "",
        "Kosova, Sırbistan ile normalleşme görüşmelerine ara verdiğini açıkladı.",
        PUB,
    )
    assert [(st.speaker, st.actor) for st in found] == [(None, "Kosovo")]


def test_a_day_owned_by_an_event_is_not_the_day_of_the_words() -> None:
    # "last month's ambush", "Sunday's vote": the day of what is named, not of the speech.
    st = _one(
        "Kosovo pauses talks",
        "Kosovo will not return to talks with Serbia after last month's ambush, the "
        "country's president has said, calling Sunday's vote in the north a provocation.",
    )
    assert st.said_on is None or st.said_on == PUB.date()


# Headline acts and their stance (statements set 12, dev half)


@pytest.mark.parametrize(
    ("title", "actor"),
    [
        ("Austria blocks new Belarusian embassy near its parliament", "Austria"),
        ("Norway to Summon Russian Envoy Over Border Incident", "Norway"),
        ("Chilean lawmakers vote to suspend diplomatic ties with Peru", "Chile"),
    ],
)
def test_a_headline_that_is_a_states_act_against_ties_is_its_statement(
    title: str, actor: str
) -> None:
    st = _one(title, "")
    assert (st.actor, st.speaker, st.stance) == (actor, None, "opposes")


@pytest.mark.parametrize(
    "sentence",
    [
        "iran summons russia's envoy again over the islands",
        "the us expels two russian embassy officials from washington",
        "canberra blocks a new embassy near parliament",
    ],
)
def test_summoning_an_envoy_expelling_embassy_staff_or_blocking_an_embassy_refuses_ties(
    sentence: str,
) -> None:
    assert stance_of(sentence) == "opposes"


def test_an_office_the_headline_gives_a_nationality_is_that_states() -> None:
    found = extract_statements(
        "Israel recalls envoy in Madrid over Spanish PM's comments",
        "Israel recalls envoy in Madrid over Spanish PM's comments\n"
        "Prime Minister Pedro Sánchez has again criticized Israel's conduct of the war.",
        PUB,
    )
    by_actor = {st.actor: st for st in found}
    assert by_actor["Spain"].speaker == "Pedro Sánchez"
    assert by_actor["Israel"].speaker is None and by_actor["Israel"].stance == "opposes"


def test_a_headline_of_two_acts_quotes_the_first_states_own() -> None:
    st = _one("Bolivia cuts ties with Israel; other Latin American states recall envoys", "")
    assert st.actor == "Bolivia" and st.quote == "cuts ties with Israel"


@pytest.mark.parametrize(
    "sentence",
    [
        "the new president is unlikely to cut ties with beijing",
        "the cabinet will not dial back relations with brazil",
    ],
)
def test_a_rupture_said_unlikely_or_refused_keeps_the_ties(sentence: str) -> None:
    assert stance_of(sentence) == "supports"


def test_says_pm_at_the_end_of_a_headline_is_the_prime_minister_named_in_the_text() -> None:
    st = _one(
        "Embassy in Tallinn to reopen next month, says PM",
        "Jonas Gahr Store announces the mission will open its doors again after the repairs.",
    )
    assert (st.speaker, st.office) == ("Jonas Gahr Store", "Prime Minister")
