"""Arabic and Turkish statements: who speaks and on which side, from rules found on the dev
half of a real Arabic and Turkish set (2026-12-01); the sentences here are our own."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from matcher import extract_statements, reported_statements
from matcher.stance import stance_of

PUBLISHED = datetime(2024, 3, 5, 9, 0, tzinfo=UTC)


def speakers(title: str, text: str) -> list[str | None]:
    return [s.speaker for s in reported_statements(title, text, PUBLISHED)]


@pytest.mark.parametrize(
    ("title", "text", "not_a_name"),
    [
        # an honorific ("His Excellency") before the office is nobody's name
        ("علاقات جديدة", "أكد معالي السفير سالم حرص البلدين على تعزيز العلاقات بينهما.", "معالي"),
        # "and the Republic of Namibia": a state, not a person
        (
            "إقامة علاقات دبلوماسية",
            "أكد مندوبا الأردن وجمهورية ناميبيا حرص البلدين على تعزيز العلاقات بينهما.",
            "وجمهورية ناميبيا",
        ),
    ],
)
def test_an_arabic_honorific_or_a_states_title_is_no_speakers_name(
    title: str, text: str, not_a_name: str
) -> None:
    assert not_a_name not in speakers(title, text)


def test_an_arabic_name_ends_before_to_and_the_next_name() -> None:
    said = speakers("اتصال هاتفي", "وقال روحاني لإردوغان إن بلاده مستعدة لتعزيز العلاقات.")
    assert all(s is None or "لإردوغان" not in s for s in said)


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        # keen on better ties, on condition that the other side changes: no plain support
        ("أكد أن بلاده حريصة على تطوير علاقاتها مع طهران، مشترطاً أن تغير سياستها", "unclear"),
        ("وأكد أن المملكة حريصة على تطوير علاقاتها مع طهران شرط أن تغير سياستها", "unclear"),
        # "linked to the security situation": handed to circumstances
        ("وأشار إلى أن عودة السفير إلى العاصمة مرتبطة بالوضع الأمني", "unclear"),
        ("نرحب بعودة العلاقات الدبلوماسية بين البلدين", "supports"),
        # Turkish: ties "good and strong", a better future, recognising a state
        ('iki ülke arasındaki ilişkilerin "iyi ve güçlü" olduğunu söyledi', "supports"),
        ("ilişkilerimizde daha iyi bir geleceğe ulaşacağımızı umuyorum", "supports"),
        ("Genel Kurul toplanmalı ve bu devleti tanımalıdır", "supports"),
        ("bu yönetimi asla tanımayacağız", "opposes"),
    ],
)
def test_arabic_and_turkish_conditions_and_cues_take_their_side(text: str, stance: str) -> None:
    assert stance_of(text) == stance


def test_a_turkish_refusal_to_normalise_opposes() -> None:
    """QA round 18: "normalleştirmeyeceğiz" (we will not normalise) was read as support."""
    assert stance_of("Bu yönetimle ilişkileri normalleştirmeyeceğiz") == "opposes"
    assert stance_of("Komşumuzla ilişkileri normalleştireceğiz") == "supports"


def test_qa20_turkish_rulers_are_one_speaker_with_their_office() -> None:
    pub = datetime(2026, 12, 1, 9, tzinfo=UTC)
    title = "Katar Emiri: Esad yönetimiyle normalleşme gündemimizde değil"
    body = (
        "Katar Emiri Şeyh Temim bin Hamed Al Sani, Esad yönetimiyle normalleşmenin "
        "gündemlerinde olmadığını pazartesi günü söyledi."
    )
    (st,) = extract_statements(title, f"{title}\n{body}", pub)
    assert (st.speaker, st.office, st.actor, st.stance) == (
        "Temim bin Hamed Al Sani",
        "Emir",
        "Qatar",
        "opposes",
    )
    title = "Suudi Veliaht Prensi"
    body = (
        "Suudi Arabistan Veliaht Prensi Muhammed bin Selman, Suriye ile ilişkilerin normal "
        "seyrine döndürülmesini istediğini söyledi."
    )
    (crown,) = extract_statements(title, f"{title}\n{body}", pub)
    assert (crown.office, crown.actor, crown.stance) == ("Crown Prince", "Saudi Arabia", "supports")


def test_qa20_arabic_name_first_appositive_and_according_to_what_the_minister_said() -> None:
    pub = datetime(2026, 12, 1, 9, tzinfo=UTC)
    first = (
        "لبنان\nنواف سلام، رئيس الحكومة اللبنانية، قال يوم الأحد إن بيروت لن تطبع العلاقات مع دمشق."
    )
    (st,) = extract_statements("لبنان", first, pub)
    assert (st.speaker, st.office, st.actor, st.stance) == (
        "نواف سلام",
        "Prime Minister",
        "Lebanon",
        "opposes",
    )
    trailing = (
        "تونس\nستعيد تونس فتح سفارتها في دمشق بحلول يناير، بحسب ما صرح به وزير الخارجية "
        "التونسي محمد علي النفطي يوم الاثنين."
    )
    (tn,) = extract_statements("تونس", trailing, pub)
    assert (tn.speaker, tn.office, tn.actor) == ("محمد علي النفطي", "Foreign Minister", "Tunisia")
    assert tn.quote == "ستعيد تونس فتح سفارتها في دمشق بحلول يناير"


def test_after_and_a_verbs_subject_is_the_sentences_not_the_word_it_affirmed() -> None:
    # QA round 21: "وأكد دعم المملكة": "support" was read as the speaker's name
    title = "وزير الخارجية العماني يلتقي نظيره الأردني"
    body = (
        "استقبل وزير الخارجية العماني بدر البوسعيدي نظيره الأردني في مسقط يوم الاثنين، "
        "وأكد دعم السلطنة لاستئناف العلاقات مع دمشق."
    )
    (st,) = extract_statements(title, f"{title}\n{body}", PUBLISHED)
    assert (st.speaker, st.office, st.actor) == ("بدر البوسعيدي", "Foreign Minister", "Oman")
    assert st.quote is not None and st.quote.startswith("دعم")


def test_a_prime_minister_who_is_also_foreign_minister_is_named_by_the_first_office() -> None:
    # QA round 21: two offices stacked made two statements; a ruling family's six-word name
    title = "الدوحة ترفض التطبيع"
    body = (
        "قال رئيس مجلس الوزراء وزير الخارجية القطري الشيخ محمد بن عبد الرحمن آل ثاني يوم "
        "الاثنين إن قطر لن تطبع العلاقات دون حل سياسي."
    )
    (st,) = extract_statements(title, f"{title}\n{body}", PUBLISHED)
    assert (st.speaker, st.office, st.actor) == (
        "محمد بن عبد الرحمن آل ثاني",
        "Prime Minister",
        "Qatar",
    )


def test_a_turkish_when_and_where_lead_is_no_part_of_the_words() -> None:
    title = "Fidan: Şam ile görüşebiliriz"
    body = (
        "Dışişleri Bakanı Hakan Fidan, Pazartesi günü yaptığı açıklamada Şam yönetimiyle "
        "görüşmelerin süreceğini söyledi."
    )
    found = extract_statements(title, f"{title}\n{body}", PUBLISHED)
    quotes = [s.quote or "" for s in found]
    assert any(q.startswith("Şam yönetimiyle") for q in quotes), quotes
    assert not any("açıklamada" in q for q in quotes)
