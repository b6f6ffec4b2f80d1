"""Reads who said what in Arabic news text: speech verb, speaker, office, state, content.

Arabic news puts the verb first: "وقال وزير الخارجية الأمريكي أنتوني بلينكن إن ...",
"وأضاف “برايس”: “...”", "أكدت وزارة الخارجية الأميركية أن ...", "جاء ذلك على لسان ...",
"نقلت قناة ... عن متحدث باسم ... قوله إن ...". A verb with no subject ("وأكد أن ...") continues
the previous speaker. Offices are given in English canonical form so that an Arabic and an
English report of one statement compare ("State Department spokesperson", "Foreign
Minister"). It does not date, read stance or merge (see `statements`).
"""

from __future__ import annotations

import re
from itertools import pairwise

from matcher.said import Role, Said, is_commentator_role, mostly_quoted, sentences_quoted

__all__ = ["named_states_ar", "said_ar"]

_VERB = (
    r"(?:قال|قالت|أكد|أكدت|اكد|اكدت|صرح|صرّح|صرحت|صرّحت|أعلن|أعلنت|اعلن|اعلنت|أضاف|أضافت|"
    r"اضاف|اضافت|أشار|أشارت|اشار|اشارت|أوضح|أوضحت|اوضح|شدد|شددت|جدد|جددت|أعرب|أعربت|اعرب|"
    r"اعتبر|اعتبرت|تابع|تابعت|ذكر|ذكرت|نقلت|نقل|أبدى|أبدت|لفت|لفتت|دعا|دعت|حذر|حذرت|رأى|رأت|"
    r"أفاد|أفادت|افاد|طالب|طالبت|كشف|كشفت|بيّن|بيّنت|شدّد|شدّدت|أكّد|أكّدت|صرّح|صرّحت|مضى|"
    r"أردف|أردفت|اردف|نوه|نوّه|لفت|أجاب|أجابت|اجاب|قرر|قررت|تبنى|تبنت|وافق|وافقت|رحب|رحبت|"
    r"اتفق|اتفقت|اتفقا|اتفقتا|رفض|رفضت|استبعد|استبعدت)"
)
# A refusal is a statement when it refuses the ties; its verb stays in the words, so the side
# is read with them ("رفض ... أي تطبيع مع النظام السوري"), and a refused accusation is none.
_REFUSED = re.compile(r"[وف]?(?:رفض|استبعد)(?:ت)?")
_REFUSED_TIES = re.compile(r"تطبيع|علاق|عود|سفار|سفير|تقارب|انفتاح|حوار|مصالح|التمثيل")
_HARAKAT = "[\u064b-\u0652]*"


def _with_marks(alternation: str, drop: frozenset[str] = frozenset()) -> str:
    """Words of an alternation with any diacritics written between their letters."""
    words = {re.sub("[\u064b-\u0652]", "", w) for w in alternation.strip("(?:)").split("|")}
    tolerant = [_HARAKAT.join(w) for w in sorted(words - drop, key=len, reverse=True)]
    return "(?:" + "|".join(tolerant) + ")"


def _tolerant(alternation: str) -> str:
    """The verbs with any diacritics written between their letters ("رحّب", "أكّدَ")."""
    # "بيّن" (explained) without its shadda is "بين" (between)
    words = _with_marks(alternation, frozenset({"بين", "بينت"}))
    return words[:-1] + "|بيّن|بيّنت)"


_VERB_RE = re.compile(rf"(?<![\w])[وف]?{_tolerant(_VERB)}{_HARAKAT}(?![\w])")
_ALA_LISAN = re.compile(r"على\s+لسان\s+")
_AGREED = re.compile(r"[وف]?اتفق(?:ت|ا|تا)?")
# "أفاد اليوم الثلاثاء، وزير الخارجية ... أن": a day phrase may stand between the verb and its
# subject.
_DAY_AFTER_VERB = re.compile(
    r"\s+(?:(?:اليوم|أمس|امس|مساء|صباح|يوم)\s+)*(?:الأحد|الاثنين|الإثنين|الثلاثاء|الأربعاء|الخميس|"
    r"الجمعة|السبت|اليوم|أمس|امس)\s*[،,]?(?=\s*\S)"
)
# Where the subject phrase after a verb ends.
_SUBJECT_STOP_WORDS = (
    r"(?:إن|أن|ان|أنّ|إنّ|بأن|بأنّ|بان|إنه|أنه|انه|إنهم|أنهم|انهم|أنها|انها|إلى|الى|في|خلال|عقب|بعد|على|عن|يوم|أمس|امس|اليوم|الأحد|"
    r"الاثنين|الإثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|لـ|ل|مساء|صباح|قوله|قولها|بعودة|"
    r"بضرورة|بإعادة|باستعادة|بتطبيع|برفض|للصحفيين|للصحافيين|لوكالة|لقناة|لموقع|لصحيفة|حينها|"
    r"أيضا|أيضاً|ردا|ردًا|ردًّا|رداً|ردّا|قائلا|قائلاً|بالقول|"
    # the act an act verb governs: "قرر الرئيس ... استدعاء سفير بلاده"
    r"استدعاء|إعادة|اعادة|قطع|استئناف|تعيين|طرد|سحب|تجميد|تعليق|إغلاق|اغلاق|تطبيع)"
)
_SUBJECT_STOP = re.compile(
    # The words with any diacritics between and after their letters: "وأضاف كنعاني أنَّ" ends
    # the name before "أنَّ" as before "أنّ" and "أن".
    rf"[،,:؛«“\"]|\s{_with_marks(_SUBJECT_STOP_WORDS)}{_HARAKAT}(?=[\s:،,]|$)"
)
# "وزير الخارجية السعودي، الأمير فيصل بن فرحان، ...": an honorific may open the name, and a
# compound name (بن، عبد، آل، أبو) runs to five words.
_HONORIFIC = r"(?:الأمير|الشيخ|السيد|السيدة|الدكتور|الدكتورة|المهندس|اللواء|الفريق|د\.)"
_COMPOUND = frozenset({"عبد", "بن", "آل", "أبو", "ابن", "أمير"})
_COMMA_NAME = re.compile(
    rf"\s*[،,]\s*(?:{_HONORIFIC}\s+)?[“\"«]?([^\s،,:«“”»\"]+(?:\s+[^\s،,:«“”»\"]+){{0,4}}?)[”\"»]?"
    r"(?:\s*[،,]|(?=\s+(?:اليوم|أمس|امس|يوم|مساء|صباح|الأحد|الاثنين|الإثنين|الثلاثاء|الأربعاء|الخميس|"
    r"الجمعة|السبت)(?:\s|[،,])))"
)
_QUOTED_NAME = re.compile(r"\s*[“\"«]([^”\"»]{2,40})[”\"»]")
_MEDIA = re.compile(r"^(?:قناة|وكالة|صحيفة|موقع|شبكة|وسائل)")
_CONTENT_LEAD = re.compile(  # used with match(text, pos), so no "^"
    # diacritics too: "إنَّ بلاده ..." leaves no mark at the content's start
    r"(?:\s|[،,:]|[\u064b-\u0652]+|إنه|أنه|انه|إن|أن|ان|في\s+مؤتمر\s+صحفي|في\s+تصريح(?:ات)?(?:\s+(?!إن|أن|ان)[^\s،,]+)*|"
    # "..., الأحد، أن ...": the day after a name between commas
    # or before "إن/أن": "قال ... يوم الجمعة إن ...", "أكد اليوم أن ..."
    r"(?:يوم\s+)?(?:الأحد|الاثنين|الإثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|اليوم|أمس|امس)"
    r"(?=\s*[،,]|\s+(?:إن|أن|ان|إنّ|أنّ|إنه|أنه|انه)(?:\s|$))|"
    r"في\s+حوار(?:\s+(?!إن|أن|ان)[^\s،,]+)*|في\s+مقابلة(?:\s+(?!إن|أن|ان)[^\s،,]+)*|"
    r"في\s+بيان(?:\s+(?!إن|أن|ان)[^\s،,]+)*|إلى|الى|"
    r"خلال(?:\s+(?!إن|أن|ان)[^\s،,]+)+|عن|بحسب[^،,]*)+"
)

_NATION_ADJ = {
    "الأمريكي": "United States",
    "الأميركي": "United States",
    "الامريكي": "United States",
    "الاميركي": "United States",
    "الأمريكية": "United States",
    "الأميركية": "United States",
    "الامريكية": "United States",
    "السوري": "Syria",
    "السورى": "Syria",
    "سوري": "Syria",
    "تركي": "Turkey",
    "أمريكي": "United States",
    "أميركي": "United States",
    "روسي": "Russia",
    "إيراني": "Iran",
    "سعودي": "Saudi Arabia",
    "مصري": "Egypt",
    "أردني": "Jordan",
    "قطري": "Qatar",
    "عراقي": "Iraq",
    "إماراتي": "United Arab Emirates",
    "سوريا": "Syria",
    "سورية": "Syria",
    "التركي": "Turkey",
    "التركية": "Turkey",
    "تركيا": "Turkey",
    "الأردني": "Jordan",
    "الاردني": "Jordan",
    "السعودي": "Saudi Arabia",
    "الإماراتي": "United Arab Emirates",
    "الاماراتي": "United Arab Emirates",
    "المصري": "Egypt",
    "الروسي": "Russia",
    "الروسية": "Russia",
    "العماني": "Oman",
    "القطري": "Qatar",
    "العراقي": "Iraq",
    "اللبناني": "Lebanon",
    "الإيراني": "Iran",
    "الايراني": "Iran",
    "الأردن": "Jordan",
    "الاردن": "Jordan",
    "مصر": "Egypt",
    "السعودية": "Saudi Arabia",
    "العراق": "Iraq",
    "قطر": "Qatar",
    "الإمارات": "United Arab Emirates",
    "إيران": "Iran",
    "روسيا": "Russia",
    "العربية": "Arab League",
    "القطرية": "Qatar",
    "الأردنية": "Jordan",
    "المصرية": "Egypt",
    "الإماراتية": "United Arab Emirates",
    "العراقية": "Iraq",
    "الإيرانية": "Iran",
    "اللبنانية": "Lebanon",
    "العمانية": "Oman",
    "الدوحة": "Qatar",
    # More states, their adjectives and capitals: a state is an actor, never a name.
    "الجزائر": "Algeria",
    "الجزائري": "Algeria",
    "الجزائرية": "Algeria",
    "المغرب": "Morocco",
    "المغربي": "Morocco",
    "المغربية": "Morocco",
    "الرباط": "Morocco",
    "البحرين": "Bahrain",
    "البحريني": "Bahrain",
    "البحرينية": "Bahrain",
    "المنامة": "Bahrain",
    "الكويت": "Kuwait",
    "الكويتي": "Kuwait",
    "الكويتية": "Kuwait",
    "تونس": "Tunisia",
    "التونسي": "Tunisia",
    "التونسية": "Tunisia",
    "ليبيا": "Libya",
    "الليبي": "Libya",
    "الليبية": "Libya",
    "السودان": "Sudan",
    "السوداني": "Sudan",
    "السودانية": "Sudan",
    "لبنان": "Lebanon",
    "سلطنة": "Oman",
    "إسرائيل": "Israel",
    "الإسرائيلي": "Israel",
    "الإسرائيلية": "Israel",
    "الصين": "China",
    "الصيني": "China",
    "الصينية": "China",
    "أرمينيا": "Armenia",
    "الأرميني": "Armenia",
    "الأرمينية": "Armenia",
    "أذربيجان": "Azerbaijan",
    # States of other ties and ruptures (Niger-France, Honduras-China-Taiwan ...).
    "فرنسا": "France",
    "الفرنسي": "France",
    "الفرنسية": "France",
    "باريس": "France",
    "النيجر": "Niger",
    "النيجري": "Niger",
    "النيجرية": "Niger",
    "نيامي": "Niger",
    "مالي": "Mali",
    "هندوراس": "Honduras",
    "تايوان": "Taiwan",
    "بكين": "China",
    "أوكرانيا": "Ukraine",
    "الأوكراني": "Ukraine",
    "الأوكرانية": "Ukraine",
    "بريطانيا": "United Kingdom",
    "البريطاني": "United Kingdom",
    "البريطانية": "United Kingdom",
    "لندن": "United Kingdom",
    "ألمانيا": "Germany",
    "الألماني": "Germany",
    "الألمانية": "Germany",
    "باكستان": "Pakistan",
    "الباكستاني": "Pakistan",
    "الهند": "India",
    "الهندي": "India",
    "الهندية": "India",
    "أفغانستان": "Afghanistan",
    "اليمن": "Yemen",
    "اليمني": "Yemen",
    "اليمنية": "Yemen",
    "فلسطين": "Palestine",
    "الفلسطيني": "Palestine",
    "الفلسطينية": "Palestine",
    "الإسبانية": "Spain",
    "إسبانيا": "Spain",
    "موريتانيا": "Mauritania",
    "الموريتاني": "Mauritania",
    "الصومال": "Somalia",
    "إثيوبيا": "Ethiopia",
    # More states, named in headlines on ties between any two
    "إريتريا": "Eritrea",
    "الإريتري": "Eritrea",
    "هولندا": "Netherlands",
    "الهولندي": "Netherlands",
    "الفلبين": "Philippines",
    "الفلبيني": "Philippines",
    "كوسوفو": "Kosovo",
    "صربيا": "Serbia",
    "الصربي": "Serbia",
    "نيجيريا": "Nigeria",
    "البرتغال": "Portugal",
    "السويد": "Sweden",
    "السويدي": "Sweden",
    "الدنمارك": "Denmark",
    "بولندا": "Poland",
    "الأرجنتين": "Argentina",
    "بيرو": "Peru",
    "القاهرة": "Egypt",
    "الرياض": "Saudi Arabia",
    "طهران": "Iran",
    "أبوظبي": "United Arab Emirates",
    "واشنطن": "United States",
    "أنقرة": "Turkey",
    "دمشق": "Syria",
    "الأسد": "Syria",
    "النظام": "Syria",
    # More states for ties between any two (names, adjectives, capitals); a two-word name
    # (جنوب أفريقيا) is matched as a phrase by _nation.
    "جنوب أفريقيا": "South Africa",
    "جنوب إفريقيا": "South Africa",
    "جنوب افريقيا": "South Africa",
    "الجنوب أفريقي": "South Africa",
    "الجنوب أفريقية": "South Africa",
    "بريتوريا": "South Africa",
    "كولومبيا": "Colombia",
    "الكولومبي": "Colombia",
    "الكولومبية": "Colombia",
    "بوغوتا": "Colombia",
    "فنزويلا": "Venezuela",
    "الفنزويلي": "Venezuela",
    "الفنزويلية": "Venezuela",
    "كاراكاس": "Venezuela",
    "البرازيل": "Brazil",
    "البرازيلي": "Brazil",
    "البرازيلية": "Brazil",
    "بوليفيا": "Bolivia",
    "البوليفي": "Bolivia",
    "البوليفية": "Bolivia",
    "تشيلي": "Chile",
    "التشيلي": "Chile",
    "التشيلية": "Chile",
    "اسبانيا": "Spain",
    "مدريد": "Spain",
    "إيطاليا": "Italy",
    "ايطاليا": "Italy",
    "الإيطالي": "Italy",
    "الإيطالية": "Italy",
    "روما": "Italy",
    "بلجيكا": "Belgium",
    "البلجيكي": "Belgium",
    "البلجيكية": "Belgium",
    "أيرلندا": "Ireland",
    "ايرلندا": "Ireland",
    "الأيرلندي": "Ireland",
    "الأيرلندية": "Ireland",
    "النرويج": "Norway",
    "النرويجي": "Norway",
    "النرويجية": "Norway",
    "اليابان": "Japan",
    "الياباني": "Japan",
    "اليابانية": "Japan",
    "طوكيو": "Japan",
    "الباكستانية": "Pakistan",
    "إسلام آباد": "Pakistan",
    "الأفغاني": "Afghanistan",
    "الأفغانية": "Afghanistan",
    "كابل": "Afghanistan",
    "إندونيسيا": "Indonesia",
    "الإندونيسي": "Indonesia",
    "الإندونيسية": "Indonesia",
    "جاكرتا": "Indonesia",
    "ماليزيا": "Malaysia",
    "الماليزي": "Malaysia",
    "الماليزية": "Malaysia",
    "الصومالي": "Somalia",
    "الصومالية": "Somalia",
    "مقديشو": "Somalia",
    "الإثيوبي": "Ethiopia",
    "الإثيوبية": "Ethiopia",
    "أديس أبابا": "Ethiopia",
    "كينيا": "Kenya",
    "الكيني": "Kenya",
    "الكينية": "Kenya",
    "نيروبي": "Kenya",
    "تشاد": "Chad",
    "التشادي": "Chad",
    "التشادية": "Chad",
    "الموريتانية": "Mauritania",
    "نواكشوط": "Mauritania",
    "صنعاء": "Yemen",
    "رام الله": "Palestine",
    "الأذربيجاني": "Azerbaijan",
    "الأذربيجانية": "Azerbaijan",
    "باكو": "Azerbaijan",
    "اليونان": "Greece",
    "اليوناني": "Greece",
    "اليونانية": "Greece",
    "أثينا": "Greece",
    "قبرص": "Cyprus",
    "القبرصي": "Cyprus",
    "القبرصية": "Cyprus",
    "نيودلهي": "India",
    "كندا": "Canada",
    "الكندي": "Canada",
    "الكندية": "Canada",
    "أوتاوا": "Canada",
    "أستراليا": "Australia",
    "استراليا": "Australia",
    "الأسترالي": "Australia",
    "الأسترالية": "Australia",
    "المكسيك": "Mexico",
    "المكسيكي": "Mexico",
    "المكسيكية": "Mexico",
    "نيكاراغوا": "Nicaragua",
    "نيكاراجوا": "Nicaragua",
    "كوبا": "Cuba",
    "الكوبي": "Cuba",
    "الكوبية": "Cuba",
    "هافانا": "Cuba",
    "بوركينا فاسو": "Burkina Faso",
    "المملكة المغربية": "Morocco",
    # more states, with their adjectives (the set AR/TR: "وجمهورية ناميبيا" was a name)
    "ناميبيا": "Namibia",
    "الناميبي": "Namibia",
    "الناميبية": "Namibia",
    "المالديف": "Maldives",
    "المالديفي": "Maldives",
    "المالديفية": "Maldives",
    "فيجي": "Fiji",
    "الفيجي": "Fiji",
    "الفيجية": "Fiji",
    "النمسا": "Austria",
    "النمساوي": "Austria",
    "النمساوية": "Austria",
    "سويسرا": "Switzerland",
    "السويسري": "Switzerland",
    "السويسرية": "Switzerland",
    "فنلندا": "Finland",
    "الفنلندي": "Finland",
    "الفنلندية": "Finland",
    "المجر": "Hungary",
    "المجري": "Hungary",
    "المجرية": "Hungary",
    "رومانيا": "Romania",
    "الروماني": "Romania",
    "الرومانية": "Romania",
    "بلغاريا": "Bulgaria",
    "البلغاري": "Bulgaria",
    "البلغارية": "Bulgaria",
    "التشيك": "Czech Republic",
    "التشيكي": "Czech Republic",
    "التشيكية": "Czech Republic",
    "تايلاند": "Thailand",
    "التايلاندي": "Thailand",
    "التايلاندية": "Thailand",
    "فيتنام": "Vietnam",
    "الفيتنامي": "Vietnam",
    "الفيتنامية": "Vietnam",
    "كوريا الجنوبية": "South Korea",
    "الكوري": "South Korea",
    "الكورية": "South Korea",
    "كوريا الشمالية": "North Korea",
    "بنغلاديش": "Bangladesh",
    "البنغالي": "Bangladesh",
    "البنغالية": "Bangladesh",
    "سريلانكا": "Sri Lanka",
    "السريلانكي": "Sri Lanka",
    "السريلانكية": "Sri Lanka",
    "أوزبكستان": "Uzbekistan",
    "الأوزبكي": "Uzbekistan",
    "الأوزبكية": "Uzbekistan",
    "كازاخستان": "Kazakhstan",
    "الكازاخي": "Kazakhstan",
    "الكازاخية": "Kazakhstan",
    "قرغيزستان": "Kyrgyzstan",
    "القرغيزي": "Kyrgyzstan",
    "القرغيزية": "Kyrgyzstan",
    "طاجيكستان": "Tajikistan",
    "الطاجيكي": "Tajikistan",
    "الطاجيكية": "Tajikistan",
    "تركمانستان": "Turkmenistan",
    "جورجيا": "Georgia",
    "الجورجي": "Georgia",
    "الجورجية": "Georgia",
    "بيلاروسيا": "Belarus",
    "البيلاروسي": "Belarus",
    "البيلاروسية": "Belarus",
    "السنغال": "Senegal",
    "السنغالي": "Senegal",
    "السنغالية": "Senegal",
    "غانا": "Ghana",
    "الغاني": "Ghana",
    "الغانية": "Ghana",
    "أوغندا": "Uganda",
    "الأوغندي": "Uganda",
    "الأوغندية": "Uganda",
    "تنزانيا": "Tanzania",
    "التنزاني": "Tanzania",
    "التنزانية": "Tanzania",
    "رواندا": "Rwanda",
    "الرواندي": "Rwanda",
    "الرواندية": "Rwanda",
    "الكاميرون": "Cameroon",
    "الكاميروني": "Cameroon",
    "الكاميرونية": "Cameroon",
    "جيبوتي": "Djibouti",
    "الجيبوتي": "Djibouti",
    "الجيبوتية": "Djibouti",
    "جزر القمر": "Comoros",
    "زيمبابوي": "Zimbabwe",
    "الزيمبابوي": "Zimbabwe",
    "الزيمبابوية": "Zimbabwe",
    "أنغولا": "Angola",
    "الأنغولي": "Angola",
    "الأنغولية": "Angola",
    "موزمبيق": "Mozambique",
    "الموزمبيقي": "Mozambique",
    "الموزمبيقية": "Mozambique",
    "الإكوادور": "Ecuador",
    "الإكوادوري": "Ecuador",
    "الإكوادورية": "Ecuador",
    "الأوروغواي": "Uruguay",
    "الأوروغواياني": "Uruguay",
    "الأوروغوايانية": "Uruguay",
    "باراغواي": "Paraguay",
    "الباراغواياني": "Paraguay",
    "الباراغوايانية": "Paraguay",
    "بنما": "Panama",
    "البنمي": "Panama",
    "البنمية": "Panama",
    "غواتيمالا": "Guatemala",
    "الغواتيمالي": "Guatemala",
    "الغواتيمالية": "Guatemala",
    "نيوزيلندا": "New Zealand",
    "النيوزيلندي": "New Zealand",
    "النيوزيلندية": "New Zealand",
    "سنغافورة": "Singapore",
    "السنغافوري": "Singapore",
    "السنغافورية": "Singapore",
    "بروناي": "Brunei",
    "ميانمار": "Myanmar",
    "نيبال": "Nepal",
    "النيبالي": "Nepal",
    "النيبالية": "Nepal",
    "سلوفاكيا": "Slovakia",
    "السلوفاكي": "Slovakia",
    "السلوفاكية": "Slovakia",
    "كرواتيا": "Croatia",
    "الكرواتي": "Croatia",
    "الكرواتية": "Croatia",
    "البوسنة والهرسك": "Bosnia and Herzegovina",
    "البوسني": "Bosnia and Herzegovina",
    "البوسنية": "Bosnia and Herzegovina",
    "ألبانيا": "Albania",
    "الألباني": "Albania",
    "الألبانية": "Albania",
    "الجبل الأسود": "Montenegro",
    "إستونيا": "Estonia",
    "الإستوني": "Estonia",
    "الإستونية": "Estonia",
    "لاتفيا": "Latvia",
    "اللاتفي": "Latvia",
    "اللاتفية": "Latvia",
    "ليتوانيا": "Lithuania",
    "الليتواني": "Lithuania",
    "الليتوانية": "Lithuania",
    "مالطا": "Malta",
    "المالطي": "Malta",
    "المالطية": "Malta",
    "لوكسمبورغ": "Luxembourg",
    "آيسلندا": "Iceland",
    "الآيسلندي": "Iceland",
    "الآيسلندية": "Iceland",
    "الغابون": "Gabon",
    "الغابوني": "Gabon",
    "الغابونية": "Gabon",
    "زامبيا": "Zambia",
    "الزامبي": "Zambia",
    "الزامبية": "Zambia",
    "بوتسوانا": "Botswana",
    "مدغشقر": "Madagascar",
    "موريشيوس": "Mauritius",
    "كمبوديا": "Cambodia",
    "الكمبودي": "Cambodia",
    "الكمبودية": "Cambodia",
    "لاوس": "Laos",
    "منغوليا": "Mongolia",
    "المنغولي": "Mongolia",
    "المنغولية": "Mongolia",
}
_KNOWN = {
    "بلينكن": ("أنتوني بلينكن", "Secretary of State", "United States"),
    "برايس": ("نيد برايس", "State Department spokesperson", "United States"),
    "المقداد": ("فيصل المقداد", "Foreign Minister", "Syria"),
    "الأسد": ("بشار الأسد", "President", "Syria"),
    "أردوغان": ("رجب طيب أردوغان", "President", "Turkey"),
    "اردوغان": ("رجب طيب أردوغان", "President", "Turkey"),
    "الصفدي": ("أيمن الصفدي", "Foreign Minister", "Jordan"),
    "فيدان": ("هاكان فيدان", "Foreign Minister", "Turkey"),
}
_NOT_NAME = {
    # "his counterpart" ends a name: "استقبل ... بدر البوسعيدي نظيره الأردني"
    "نظيره",
    "نظيرها",
    "نظيريه",
    "نظيرته",
    # honorifics and pronouns: "أكد معالي السفير", "قال معاليه", "نقل عنه" (QA of set AR/TR)
    "معالي",
    "معاليه",
    "سمو",
    "سموه",
    "فخامة",
    "فخامته",
    "جلالة",
    "جلالته",
    "صاحب",
    "السمو",
    "عنه",
    "عنها",
    "أنه",
    "إنه",
    "انه",
    # a state's title, "and the Republic of ...": "أكد مندوبا السعودية وجمهورية ناميبيا"
    "جمهورية",
    "الجمهورية",
    "مملكة",
    "المملكة",
    "الأستاذ",
    # reports, not a person: "ذكرت تقارير إعلامية"
    "تقارير",
    "تقرير",
    "إعلامية",
    # prepositions a relative clause puts before its subject: "التي أعربت من خلالها الجزائر"
    "خلال",
    "خلالها",
    "خلاله",
    "عبرها",
    "عبره",
    # nouns a verb of saying governs, and titles: "أكد وزير الخارجية السعودي أهمية الاتفاق",
    # "كشفت العضو في الوفد"
    "أهمية",
    "ضرورة",
    "استعداد",
    "رغبة",
    "حرص",
    "العضو",
    "عضو",
    "النائب",
    "النائبة",
    "الدكتور",
    "د.",
    "السيد",
    "الرئيس",
    "وزير",
    "الخارجية",
    "والمغتربين",
    "باسم",
    "وزارة",
    "النظام",
    "حكومة",
    "المتحدث",
    "متحدث",
    "رئيس",
    "بلاده",
    "مستشار",
    "نائب",
    "مساعد",
    "الوزراء",
    "ووزير",
    "وشؤون",
    "المغتربين",
    "جامعة",
    "الدول",
    "العربية",
    "الجامعة",
    "الحكومة",
    "مجلس",
    "النواب",
    "الأمم",
    "المتحدة",
    "السورية",
    "الخارجيه",
    "الدولة",
    "للشؤون",
    "الشؤون",
    "أمين",
    "الأمين",
    "المساعد",
    "الرسمي",
    "الرسمية",
    "لدى",
    "الدائم",
    "السفير",
    "سفير",
    "الرئاسة",
    "المتحدثة",
    "الناطقة",
    "مندوب",
    "الشيخ",
    "الأمير",
    "السيدة",
    "الدكتورة",
    "د",
    "عام",
    "العام",
    "لجامعة",
    "لجامعه",
    "عن",
    # Not persons: pronouns and function words, people named only by a common noun ("the two
    # officials", "the two countries", "the two sides"), and nouns of the act ("the decision").
    "فيها",
    "فيه",
    # Prepositions, also as Egypt spells them with a final ى: "قررت الحكومة فى الجزائر"
    "في",
    "فى",
    "من",
    "إلى",
    "الى",
    "إلي",
    "على",  # not علي: also the name Ali
    "مع",
    "التي",
    "الذي",
    "ذلك",
    "هذا",
    "هذه",
    "مسؤول",
    "مسؤولة",
    "مسؤولان",
    "مسؤولين",
    "مسؤولون",
    "المسؤول",
    "المسؤولان",
    "المسؤولين",
    "المسؤولون",
    "البلدان",
    "البلدين",
    "الطرفان",
    "الطرفين",
    "الجانبان",
    "الجانبين",
    "الدولتان",
    "الدولتين",
    "القرار",
    "قرار",
    "البيان",
    "بيان",
    "الاتفاق",
    "تعيين",
    # Nouns and adjectives that stand beside an office, never a person's name: the
    # authorities, "in charge", "issued", "the new", "the former", "the office", the agency.
    "السلطات",
    "سلطات",
    "المكلف",
    "المكلفة",
    "صادر",
    "الصادر",
    "الصادرة",
    "دولة",
    "مكتب",
    "المكتب",
    "الوكالة",
    "وكالة",
    "الجديد",
    "الجديدة",
    "السابق",
    "السابقة",
    "الحالي",
    "الحالية",
    "اليساري",
    "اليسارية",
    "اليميني",
    "المنتخب",
    "المنتخبة",
    "الحكومي",
    "الحكومية",
    "حكومي",
    "الرسميين",
    "المصالح",
    "رعاية",
}
_OFFICE_WORD = re.compile(r"وزير|خارجي|متحدث|ناطق|رئيس|نائب|مجلس|وزار|سفير|مندوب|قائد")


# A nationality adjective that names each state, to carry an agency's state to its source.
_STATE_ADJ = {state: word for word, state in _NATION_ADJ.items() if word.startswith("ال")}


def _nation_of(word: str) -> str | None:
    """The state of a nationality word, also in the dual and plural ("تركيان", "تركيين")."""
    bare = word.strip('“”"«»،,')
    if bare in _NATION_ADJ:
        return _NATION_ADJ[bare]
    if bare.startswith("و") and bare[1:] in _NATION_ADJ:
        return _NATION_ADJ[bare[1:]]  # "وتونس": "and Tunisia"
    stem = re.sub(r"(?:ان|ين|ون|تان|تين)$", "", bare)
    if not stem.endswith("ي"):
        return None
    return _NATION_ADJ.get(stem) or _NATION_ADJ.get("ال" + stem)


def named_states_ar(text: str) -> frozenset[str]:
    """The states an Arabic text names (names, capitals, nationalities), in English; a word
    may carry a preposition ("بالكويت", "للعراق")."""
    found: set[str] = set()
    for word in text.split():
        state = _nation_of(word)
        if state is None and len(word) > 4 and word[0] in "بل":
            rest = word[1:]
            state = _nation_of(rest) or (_nation_of("ال" + rest[1:]) if rest[0] == "ل" else None)
        if state:
            found.add(state)
    return frozenset(found)


def _joint_states(phrase: str) -> list[str]:
    """The states of a subject that opens with two or more states joined by و ("السعودية
    وإيران استئناف ...", "سوريا وتونس")."""
    states: list[str] = []
    for i, w in enumerate(phrase.split()):
        state = _nation_of(w)
        if state is None or (i > 0 and not w.startswith("و")):
            break
        states.append(state)
    found = list(dict.fromkeys(states))
    return found if len(found) >= 2 else []


def _nation(words: list[str]) -> str | None:
    for a, b in pairwise(words):  # two-word states: "جنوب أفريقيا"
        state = _NATION_ADJ.get(f"{a} {b}".strip('“”"«»،,'))
        if state:
            return state
    for w in words:
        state = _nation_of(w)
        if state:
            return state
    return None


def _parse_subject(phrase: str) -> tuple[str | None, str | None, str | None, str | None]:
    """(speaker, office, actor, role words as written) from an Arabic subject phrase."""
    words = phrase.replace("#", " ").replace("_", " ").split()  # "#تركيا": a hashtag's state
    if not words:
        return None, None, None, None
    joined = " ".join(words)
    actor = _nation(words)
    office: str | None = None
    rest: list[str] = []
    if re.search(r"جامع[ةه]\s+الدول\s+العربي|الجامع[ةه]\s+العربي", joined):
        actor = "Arab League"
    if re.search(r"متحدث|المتحدث|الناطق|ناطق", joined):
        body = "State Department" if actor == "United States" else "Foreign Ministry"
        if actor == "Arab League":
            body = "Arab League"
        office = (
            f"{body} spokesperson"
            if re.search(r"خارجي", joined) or actor == "Arab League"
            else "spokesperson"
        )
        rest = [w for w in words if not re.search(r"متحدث|ناطق|باسم|وزار|خارجي", w)]
    elif re.search(r"(?:نائب|مساعد)\s+وزير\s+(?:ال)?خارجي", joined):
        # "مساعد وزير الخارجية" (an assistant minister) is a deputy's office, not a name
        office = "Deputy Foreign Minister"
        rest = words
    elif re.search(r"نائب\s+رئيس\s+(?:ال)?(?:وزراء|حكوم)", joined):
        office = "Deputy Prime Minister"  # not the prime minister
        rest = [w for w in words if not re.search(r"نائب|رئيس|وزراء|حكوم", w)]
    elif re.search(r"نائب\s+(?:ال)?رئيس(?!\s+(?:مجلس|البرلمان))", joined):
        office = "Vice President"  # not the president
        rest = [w for w in words if not re.search(r"نائب|رئيس", w)]
    elif re.search(r"(?:^|\s)(?:الرئاس[ةه]|رئاس[ةه]\s+(?:ال)?جمهوري)", joined):
        # "الرئاسة التركية", "رئاسة الجمهورية الجزائرية": the office, no name
        return None, "Presidency", actor, joined
    elif re.search(r"(?:ال)?أمين\s+(?:ال)?عام", joined):
        office = "Secretary-General"
        rest = words
        if re.search(r"جامع", joined):
            actor = "Arab League"
        if re.search(r"(?:ال)?أمين\s+(?:ال)?عام\s+(?:ال)?مساعد", joined):
            office = "Assistant Secretary-General"
    elif re.search(r"(?:^|\s)وزير\s+(?:ال)?دول[ةه](?:\s|$)", joined):
        office = "Minister of State"  # "وزير الدولة الإماراتي": not the state's minister
        rest = [w for w in words if w not in ("وزير", "الدولة", "الدوله")]
    elif re.search(r"(?:^|\s)(?:ال)?سفير", joined):
        office = "Ambassador"
        rest = words
    elif re.search(r"(?:^|\s)(?:ال)?مندوب", joined):
        office = "Permanent Representative"
        rest = words

    elif re.search(r"(?:^|\s)(?:ال)?(?:ملك|عاهل)(?:\s|$)", joined):
        # "العاهل الأردني الملك عبدالله الثاني": "the monarch" is the office, not a name
        office = "King"
        rest = [w for w in words if not re.fullmatch(r"(?:ال)?(?:ملك|عاهل)", w)]
    elif (emir := re.match(r"أمير\s+(?:دول[ةه]\s+)?(\S+)", joined)) and _nation_of(emir.group(1)):
        office = "Emir"  # "أمير الكويت الشيخ مشعل": the Emir of Kuwait (QA round 20)
        rest = [w for w in words if w != "أمير"]
    elif re.search(r"(?:^|\s)ولي\s+(?:ال)?عهد", joined):
        office = "Crown Prince"
        rest = [w for w in words if w not in ("ولي", "العهد")]
    elif re.search(r"(?:^|\s)(?:ال)?مسؤول", joined):
        return None, None, actor, joined  # "مسؤولان تركيان": unnamed officials of a state
    elif re.search(r"(?:^|\s)(?:ال)?مصدر|(?:^|\s)(?:ال)?مصادر", joined):
        return None, "source", actor, joined  # "مصدر دبلوماسي تركي": no name
    elif re.search(r"وزير\s+(?:ال)?دول[ةه]\s+(?:لل|ل)?شؤون\s+(?:ال)?خارجي", joined):
        office = "Minister of State for Foreign Affairs"
        rest = words
    elif re.match(r"رئيس\s+(?:مجلس\s+)?(?:ال)?(?:وزراء|حكوم)", joined):
        # "رئيس مجلس الوزراء وزير الخارجية القطري ...": a prime minister who is also foreign
        # minister is named by the office written first (QA round 21: two statements)
        office = "Prime Minister"
        rest = [w for w in words if not re.search(r"رئيس|وزراء|حكوم|مجلس", w)]
    elif re.search(r"وزير\s+(?:ال)?(?:شؤون\s+(?:ال)?)?خارجي", joined):
        office = "Secretary of State" if actor == "United States" else "Foreign Minister"
        rest = words
    elif re.search(r"رئيس\s+(?:مجلس\s+النواب|البرلمان|مجلس\s+الشعب)", joined):
        office = "Speaker of Parliament"
        rest = words
    elif re.search(r"رئيس\s+(?:ال)?(?:وزراء|حكوم)", joined):
        office = "Prime Minister"
        rest = [w for w in words if not re.search(r"رئيس|وزراء|حكوم", w)]
    elif re.search(r"(?:^|\s)(?:ال)?رئيس", joined):
        office = "President"
        rest = [w for w in words if not re.search(r"رئيس", w)]
    elif re.search(r"وزار[ةه]|(?:^|\s)(?:ال)?خارجي[ةه]", joined):
        office = "State Department" if actor == "United States" else "Foreign Ministry"
        return None, office, actor, joined
    elif re.search(r"باحث|محلل|خبير|كاتب", joined):
        office = words[0]
        rest = words[1:]
    elif words[0] in ("واشنطن", "الولايات", "أنقرة", "دمشق", "موسكو"):
        return None, None, actor or _NATION_ADJ.get(words[0]), joined
    else:
        rest = words
    name_words: list[str] = []
    bare = [x.strip('“”"«»') for x in words]
    for i, w in enumerate(bare):
        if (
            not name_words
            and re.fullmatch(r"ال\S+ي", w)
            and i + 1 < len(bare)
            and bare[i + 1] in rest
            and bare[i + 1] not in _NOT_NAME
            and not _OFFICE_WORD.search(bare[i + 1])
        ):
            continue  # a nationality before the name: "الرئيس الكيني دانيال موي"
        if (
            w in _NOT_NAME
            # "ودولة", "لكولومبيا": a word that is no name behind "and", "to", "by"
            or (len(w) > 3 and w[0] in "ولب" and (w[1:] in _NOT_NAME or _nation_of(w[1:])))
            # "المختصة", "الرئاسية": a feminine noun or adjective opening the run is no name
            or (not name_words and w.startswith("ال") and w.endswith("ة"))
            # "والجالية الوطنية بالخارج": the rest of a portfolio's title, not a name
            or re.match(r"(?:وال|بال|لل)", w) is not None
            or (not name_words and any(x.startswith("وال") for x in bare[:i]))
            or ((w in _NATION_ADJ or _nation_of(w)) and w != "الأسد")
            or _OFFICE_WORD.search(w)
            or "جامع" in w
            or w not in rest
            # "روحاني لإردوغان": "to Erdogan" after a name ends it
            or (name_words and re.match(r"ل[إأ]", w) is not None)
        ):
            if name_words:
                break  # the first run of name words: "أيمن الصفدي نائب رئيس الوزراء"
            continue
        name_words.append(w)
    name = " ".join(name_words) or None
    if name and _NATION_ADJ.get(name):
        actor, name = actor or _NATION_ADJ[name], None  # "جنوب أفريقيا" is a state, not a name
    compound = {"عبد", "بن", "آل", "أبو", "ابن"} & set(name_words)
    # a ruler's name after "الشيخ" runs longer: "الشيخ مشعل الأحمد الجابر الصباح"
    royal = re.search(r"(?:^|\s)(?:ال)?(?:شيخ|أمير|ملك)(?:\s|$)", joined) is not None
    # "الشيخ محمد بن عبد الرحمن آل ثاني": a ruling family's compound name runs to six
    longest = 6 if compound and royal else 5 if compound else 4 if royal else 3
    if name and len(name_words) > longest:
        name = None  # a long phrase is not a name ("الولايات المتحدة الأمريكية ...")
    if name and name.split()[-1] in _KNOWN:
        full, known_office, known_actor = _KNOWN[name.split()[-1]]
        if len(name.split()) == 1:
            name = full
        office = office or known_office
        actor = actor or known_actor
        if office == "Foreign Minister" and known_office == "Secretary of State":
            office = known_office
    return name, office, actor, joined


def _content_after(text: str, start: int, end: int) -> tuple[int, str]:
    lead = _CONTENT_LEAD.match(text, start, end)
    s = lead.end() if lead else start
    return s, text[s:end].strip(' ،,.:"“”«»')


_TITLED_NAME = re.compile(
    r"(?P<office>وزير\s+(?:ال)?خارجي[ةه]\s+\S+|(?:ال)?رئيس\s+\S+|(?:ال)?متحدث\s+باسم\s+\S+\s+\S+"
    r"(?:\s+\S+)?)\s*[،,]?\s+(?:(?:الشيخ|الأمير|الدكتور|السيد)\s+)?[“\"«]?(?P<name>[^\s“”\"«»،,.:]+"
    r"(?:\s+[^\s“”\"«»،,.:]+){1,5})"
)
# "وكان أوغلو قد دعا في وقت سابق": a pluperfect puts the subject before the verb.
_HAD_SAID = re.compile(r"(?<!\S)و?كان(?:ت)?\s+(?P<who>[^\s،,]+(?:\s+[^\s،,]+){0,3}?)\s+قد\s+$")
# The noun of an act closing a subject phrase is the verb's object: "وأعلن وزير الخارجية رمطان
# لعمامرة القرار في مؤتمر صحفي".
_ACT_OBJECT = re.compile(r"\s+(?:ال)?(?:قرار|خطوة|خطوه|بيان|اتفاق)(?:ات)?\s*$")
# "بحسب ما صرح به", "وفق ما قاله", "حسبما أعلن": a trailing attribution.
_ACCORDING_TO_WHAT = re.compile(r"[،,]?\s*(?:بحسب|حسب|وفق|وفقا\s+ل)\s*ما\s*$")
_DAY_WORDS = re.compile(
    r"(?:(?:يوم|أمس|امس|اليوم|الأحد|الاثنين|الإثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت)\s*)+"
)
# "NAME، OFFICE، قال": a name, its office between commas, then the verb.
_NAME_OFFICE_BEFORE = re.compile(
    r"(?:^|[.!?؟\n][ \t]*)(?P<name>[^\s،,.]+(?:[ \t]+[^\s،,.]+){1,3})[ \t]*[،,][ \t]*"
    r"(?P<office>(?:وزير|رئيس|الرئيس|المتحدث|الناطق|سفير|أمين|ولي)[^،,.]{2,60}?)\s*[،,]\s*$"
)
# "ويذكر أن الملك محمد السادس، كان قد دعا ...": the subject before "كان قد".
_HAD_SAID_AFTER = re.compile(
    r"(?:^|\s)(?:أن|ان|أنّ|إن)\s+(?P<who>[^\s،,]+(?:\s+[^\s،,]+){0,3}?)\s*[،,]?\s+كان(?:ت)?\s+قد\s+$"
)
_EARLIER = re.compile(r"في\s+وقت\s+سابق|سبق\s+(?:و)?أن|سابقا|سابقاً")


def _alif_fold(word: str) -> str:
    """ "أوغلوا" and "أوغلو": one name written two ways."""
    return word[:-1] if word.endswith("وا") else word


_HEADLINE = re.compile(r"^(?P<who>[^\s:،,.]+(?:\s+[^\s:،,.]+){0,6})\s*:\s+(?P<words>\S.*)$")
_QUOTED_SPANS = re.compile(r"“[^“”\n]*”|«[^«»\n]*»|\"[^\"\n]*\"")


def _titled_names(text: str) -> dict[str, str]:
    """Full names written after an office anywhere ("وزير الخارجية المصري سامح شكري"), by the
    name's last word and by the office phrase, so a bare surname or office finds its person."""
    found: dict[str, str] = {}
    first_line = text.find("\n")
    if first_line > 0 and len(text[:first_line].split()) > 16:
        first_line = 0  # a lead paragraph, not a headline
    for m in _TITLED_NAME.finditer(text):
        if first_line > 0 and m.start() < first_line:
            continue  # a headline puts the verb after the office: "وزير الخارجية يجدد رفض ..."
        name = _counterpart_name(m.group("name")) or ""
        words = name.split()
        if name:
            found.setdefault(words[-1], name)
            found.setdefault(_alif_fold(words[-1]), name)
            found.setdefault(" ".join(m.group("office").split()), name)
            # "... مع نظيره السعودي فيصل بن فرحان": the counterpart holds the same office in
            # the state named, so a later "وزير الخارجية السعودي" is him.
            other = _COUNTERPART.match(text, m.end("name"))
            if other is None:
                other = _COUNTERPART.match(text, m.start("name") + len(name))
            if other is not None:
                theirs = _counterpart_name(other.group("name"))
                if theirs:
                    office = " ".join(m.group("office").split()[:-1])
                    found.setdefault(f"{office} {other.group('nat')}", theirs)
                    found.setdefault(theirs.split()[-1], theirs)
    return found


_COUNTERPART = re.compile(
    r"\s*[،,]?\s*(?:مع|و|ب)?\s*نظير(?:ه|ها|يه)\s+(?P<nat>ال\S+ي)\s+(?P<name>(?:\S+\s+){1,4}\S+)"
)


def _counterpart_name(phrase: str) -> str | None:
    """The full name opening a phrase written after an office: two or three words, or more
    with a compound's part ("حسين أمير عبد اللهيان", "فيصل بن فرحان"); None if none."""
    words: list[str] = []
    for w in phrase.split():
        w = w.strip("،,.:")
        if w in _NOT_NAME or w in _NATION_ADJ or _OFFICE_WORD.search(w) or w in _WITH:
            break
        if _SUBJECT_STOP.search(f" {w} ") or _VERB_RE.fullmatch(w):
            break
        words.append(w)
    if len(words) >= 2 and (len(words) <= 3 or _COMPOUND & set(words)):
        return " ".join(words)
    return None


_WITH = frozenset({"مع", "ومع", "لدى"})  # "... عبد اللهيان مع نظيره": the name ends there


# A headline that is a state's act, subject first as headlines write it: "تونس تستدعي السفير
# الإيطالي", "المغرب يقطع علاقاته مع إيران", "إثيوبيا وإريتريا تعيدان العلاقات". The verb, in
# the present (one state, or two: the dual -ان), is one of acts on ties.
_HEAD_ACT_VERB = re.compile(
    r"^(?:ت|ي)(?:قرر|طرد|ستدعي|ستدعى|قطع|عيد|علن|ستأنف|ستانف|فتح|رفض|عين|سحب|علق|جمد|"
    r"طبع|عترف|نهي|غلق|وقف)(?:ان)?$"
)


def _headline_act(line: str) -> list[Said]:
    """The states whose act the headline reports, each a statement of its own (no speaker).
    A lead phrase before ".." opens many headlines ("بعد قطيعة عقدين.. إثيوبيا وإريتريا ...")."""
    line = re.split(r"\.\.+|…", line)[-1]
    words = line.split()
    for n in (1, 2, 3):
        if len(words) < n + 2 or not _HEAD_ACT_VERB.match(words[n]):
            continue
        subject = words[:n]
        states = [x for x in (_nation_of(w) for w in subject) if x]
        if len(states) < 2:
            one = _nation(subject)
            states = [one] if one else []
        if len(states) != len(subject) and not (len(states) == 1 and n == 2):
            return []  # "وزير الخارجية يقرر": an office, read by the other patterns
        return [Said(0, 0, None, None, st, line.strip(), False) for st in dict.fromkeys(states)]
    return []


def _and_verb_object(
    verb: str, phrase: str, speaker: str | None, office: str | None, names: dict[str, str]
) -> bool:
    """A verb after "and" (وأكد) whose "subject" names no office and no known person: one
    unknown word, or a phrase of three words or more that runs on to the clause's end (its
    object: "دعم المملكة لعودة سوريا ..."), not "وأكد الأردن أن" (Jordan affirmed that)."""
    if verb[:1] not in "وف" or _VERB_RE.fullmatch(verb[1:]) is None or office is not None:
        return False
    if speaker is None:
        return len(phrase.split()) >= 3
    return len(speaker.split()) == 1 and speaker not in _KNOWN and _alif_fold(speaker) not in names


def _sentence_subject(
    text: str, start: int, end: int
) -> tuple[str | None, str | None, str | None, str | None] | None:
    """The subject after a sentence's opening verb ("التقى وزير الخارجية ... الأمير فيصل"),
    up to where a subject ends; None unless it names an office or a full name."""
    first = re.match(r"\s*\S+\s+", text[start:end])
    if first is None:
        return None
    at = start + first.end()
    stop = _SUBJECT_STOP.search(text, at, end)
    speaker, office, actor, written = _parse_subject(text[at : stop.start() if stop else end])
    if office is None and (speaker is None or len(speaker.split()) < 2):
        return None
    return speaker, office, actor, written


def said_ar(text: str) -> list[Said]:
    """Every attribution in an Arabic text, in order."""
    out: list[Said] = []
    first = text.split("\n", 1)[0]
    head_act = _headline_act(first) if len(first.split()) <= 16 else []
    names = _titled_names(text)
    quote_spans = [(q.start(), q.end()) for q in _QUOTED_SPANS.finditer(text)]
    spans = sentences_quoted(text)
    for s, e in spans:
        head = _HEADLINE.match(text[s:e])
        if head and len(text[s:e].split()) <= 20:
            # "أردوغان: سندعو الأسد قريبا" or "وزير الخارجية التركي: ...", a headline's form.
            who = head.group("who")
            verb = _VERB_RE.match(who)
            if verb:
                # "قال وزير الخارجية ... عبدالله بن زايد: «...»": the verb opens the subject
                who = who[verb.end() :].strip()
            speaker, office, actor, written = _parse_subject(who)
            if speaker and speaker in names:
                speaker = names[speaker]
            known = speaker is not None and (
                speaker.split()[-1] in _KNOWN or speaker.split()[-1] in names
            )
            words = head.group("words").strip(' ."“”«»')
            if (known or office) and len(words.split()) >= 3:
                keys = tuple(k for k in (speaker.split()[-1] if speaker else None, written) if k)
                out.append(
                    Said(s, s + head.start("words"), speaker, office, actor, words, True, keys=keys)
                )
                continue
        for m in list(_VERB_RE.finditer(text, s, e)) + list(_ALA_LISAN.finditer(text, s, e)):
            if any(a < m.start() < b for a, b in quote_spans):
                continue  # a verb inside somebody's quoted words
            after = m.end()
            if text.startswith("قوله", after + 1):
                continue
            day_lead = _DAY_AFTER_VERB.match(text, after, e)
            if day_lead and not _SUBJECT_STOP.match(text, day_lead.end()):
                after = day_lead.end()
            stop = _SUBJECT_STOP.search(text, after, e)
            subj_end = stop.start() if stop else e
            act = _ACT_OBJECT.search(text, after, subj_end)
            if act:
                subj_end = act.start()  # "وأعلن الوزير القرار في ...": the act is the object
            phrase = text[after:subj_end].strip()
            had = _HAD_SAID.search(text, max(s, m.start() - 60), m.start())
            if had and not phrase:
                phrase = had.group("who")  # "وكان أوغلو قد دعا ...": the subject comes first
            appositive = _NAME_OFFICE_BEFORE.search(text, max(0, m.start() - 90), m.start())
            if appositive and (
                not phrase
                or _DAY_WORDS.fullmatch(phrase)
                or re.match(r"(?:إن|أن|ان|بأن|إنه|أنه)\s", phrase)
            ):
                # "نواف سلام، رئيس الحكومة اللبنانية، قال ...": the subject and its office come
                # first, between commas (QA round 20: the statement was unattributed)
                phrase = f"{appositive.group('office')} {appositive.group('name')}"
                subj_end = after
            had_after = _HAD_SAID_AFTER.search(text, max(s, m.start() - 60), m.start())
            if had_after and not had:
                # "أن الملك محمد السادس، كان قد دعا الجزائر إلى ...": the words after the verb
                # are its object and content, not its subject.
                had = had_after
                phrase, subj_end = had_after.group("who"), after
            media = _MEDIA.match(phrase)
            if media:
                # "نقلت قناة الحرة عن متحدث ... قوله": the speaker is after عن.
                an = re.search(r"\sعن\s+(.+?)\s+(?:قوله|قولها)", text[after:e])
                if not an:
                    continue
                phrase = an.group(1)
                subj_end = after + an.end()
                if _nation(phrase.split()) is None:
                    # "نقلت وكالة الأنباء السعودية عن مصدر في الخارجية": the agency's state
                    state = _nation(text[after : after + an.start()].split())
                    phrase = f"{phrase} {_STATE_ADJ.get(state, '')}".strip() if state else phrase
            quoted = _QUOTED_NAME.match(text, subj_end)
            if quoted and len(quoted.group(1).split()) <= 3:
                phrase = f"{phrase} {quoted.group(1)}"
                subj_end = quoted.end()
            according = _ACCORDING_TO_WHAT.search(text, max(s, m.start() - 20), m.start())
            if according:
                # "..., بحسب ما صرح به وزير الخارجية ...": the words came before the verb
                phrase = re.sub(r"^(?:به|بها)\s+", "", phrase)
            speaker, office, actor, written = _parse_subject(phrase)
            if _and_verb_object(m.group(), phrase, speaker, office, names):
                # "التقى وزير الخارجية السعودي ... الأسد ...، وأكد دعم المملكة ...": after "and"
                # the verb's subject is the sentence's; "دعم" (support) is what he affirmed
                opener = _sentence_subject(text, s, m.start())
                if opener is not None:
                    speaker, office, actor, written = opener
                    subj_end = after
            joint = _joint_states(phrase)
            if _AGREED.fullmatch(m.group()) and not (joint or office or actor):
                continue  # "وكانت إيران والسعودية اتفقتا برعاية صينية": no subject after it
            if not joint and re.match(r"(?:البلدان|الدولتان|البلدين)(?:\s|$)", phrase):
                # "وقال البلدان ...": the last two states the text named before.
                prior = [x for x in (_nation_of(w) for w in text[: m.start()].split()) if x]
                joint = list(dict.fromkeys(reversed(prior)))[:2][::-1]
                joint = joint if len(joint) == 2 else []
            if joint:
                # "أعلنت سوريا وتونس أنهما ...": each state speaks, one statement each.
                # The verb and its subject are part of the act: "أعلنت سوريا وتونس أنهما ...".
                content = text[m.start() : e].strip(" ،,.:")
                if len(content.split()) >= 4:
                    for state in joint:
                        out.append(Said(m.start(), m.start(), None, None, state, content, False))
                continue
            if speaker is None and office is not None:
                # "قال وزير الخارجية الأردني، أيمن الصفدي، عقب ...": the name between commas.
                named = _COMMA_NAME.match(text, subj_end, e)
                if (
                    named
                    and not any(
                        w in _NOT_NAME or _OFFICE_WORD.search(w) or _SUBJECT_STOP.search(f" {w} ")
                        for w in named.group(1).split()
                    )
                    and (
                        len(named.group(1).split()) <= 3 or _COMPOUND & set(named.group(1).split())
                    )
                ):
                    speaker, subj_end = named.group(1), named.end(1)
            if speaker and len(speaker.split()) >= 2:
                names[speaker.split()[-1]] = speaker
                names[_alif_fold(speaker.split()[-1])] = speaker
            elif speaker and _alif_fold(speaker) in names:
                speaker = names[_alif_fold(speaker)]
            elif speaker:  # a first name alone ("وكشف مولود") of a person named in full
                speaker = next((n for n in names.values() if n.split()[0] == speaker), speaker)
            elif speaker is None and office and written:
                # "وقال وزير الخارجية القطري ..." after the text named him in full.
                key = " ".join(written.split()[:3])
                speaker = names.get(key) or names.get(" ".join(written.split()[:2]))
            if speaker is None and office is None and actor is None:
                if out and (not phrase or len(phrase.split()) <= 1):
                    prev = out[-1]  # "وأكد أن ...": the previous speaker goes on
                    speaker, office, actor = prev.speaker, prev.office, prev.actor
                else:
                    continue
            qs, content = _content_after(text, subj_end, e)
            if according:
                qs, content = s, text[s : according.start()].strip(" ،,.:")
            if len(content.split()) < 3 and text[subj_end:e].rstrip().endswith(":"):
                # "أفاد الصفدي بأنّ:" and the quote on the next line.
                nxt = next(((a, b) for a, b in spans if a >= e), None)
                if nxt is not None:
                    qs, content = nxt[0], text[nxt[0] : nxt[1]].strip(' ،,.:"“”«»')
            if _REFUSED.fullmatch(re.sub("[\u064b-\u0652]", "", m.group())):
                if not _REFUSED_TIES.search(content):
                    continue
                content = f"{m.group()} {content}"
            if len(content.split()) < 3:
                continue
            direct = mostly_quoted(text[subj_end:e])
            keys = tuple(k for k in (speaker.split()[-1] if speaker else None, written) if k)
            role: Role = "commentator" if is_commentator_role(written) else "official"
            earlier = had is not None or bool(_EARLIER.search(text, m.start(), qs + 40))
            out.append(
                Said(
                    m.start(),
                    qs,
                    speaker,
                    office,
                    actor,
                    content,
                    direct,
                    role,
                    keys,
                    False,
                    earlier,
                )
            )
    # each state's act unless the headline already gave that state a statement
    said_first = {o.actor for o in out if o.pos < len(first)}
    out[:0] = [a for a in head_act if a.actor not in said_first]
    return out
