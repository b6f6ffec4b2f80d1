"""Reads who said what in Turkish news text: speaker, office, state and content.

Turkish puts the verb last: "Dışişleri Bakanı Çavuşoğlu, “...” dedi.", "Esad, ... görüşmenin
içeriğe bağlı olduğunu söyledi.", "... hatırlatan Çavuşoğlu, “...” şeklinde konuştu.",
"Erdoğan, şu ifadeleri kullanmıştı: “...”". The subject is the first name in the sentence
that stands in the nominative, followed by a comma, "de/da" or a quote; a possessive
("Erdoğan'ın") is an object. A verb with no subject, and a dash-led quote line, continue the
previous speaker. It does not date, read stance or merge (see `statements`).
"""

from __future__ import annotations

import re

from matcher.said import Role, Said, is_commentator_role, mostly_quoted, sentences_quoted

__all__ = ["english_office", "said_tr"]

# Turkish offices in English, most specific first, as the English and Arabic readers name
# them: a timeline reads "Mevlüt Çavuşoğlu (Foreign Minister, Turkey)" whatever the outlet's
# language, and an unnamed office joins its English report (matcher/events.py compares offices).
_OFFICES_EN = [
    (r"dışişleri bakanlığı sözcüsü", "Foreign Ministry spokesperson"),
    (r"cumhurbaşkanlığı sözcüsü", "Presidential spokesperson"),
    (r"dışişleri bakan yardımcısı", "Deputy Foreign Minister"),
    (r"dışişleri bakanlığı", "Foreign Ministry"),
    (r"dışişleri bakanı", "Foreign Minister"),
    (r"cumhurbaşkanı yardımcısı", "Vice President"),
    (r"cumhurbaşkanlığı", "Presidency"),
    (r"cumhurbaşkanı", "President"),
    (r"başbakan yardımcısı", "Deputy Prime Minister"),
    (r"başbakan", "Prime Minister"),
    (r"savunma bakanı", "Defence Minister"),
    # rulers (QA round 20): "Katar Emiri", "Ürdün Kralı", "Veliaht Prensi"
    (r"veliaht prens", "Crown Prince"),
    (r"\bemiri\b", "Emir"),
    (r"\bkralı\b", "King"),
    (r"büyükelçi(?:si)?$", "Ambassador"),
    (r"(?:askeri\s+)?(?:cunta|yönetim)(?:ı|sı)?$", "Junta"),
    (r"(?:hükümeti|yönetimi|idaresi)$", "Government"),
]
# Words put in English in place, the rest kept: "Kremlin Sözcüsü" -> "Kremlin spokesperson",
# "HDP eski milletvekili" -> "HDP former Member of Parliament".
_WORDS_EN = [
    (re.compile(r"\b[Ss]özcüsü\b"), "spokesperson"),
    (re.compile(r"\b[Mm]illetvekili\b"), "Member of Parliament"),
    (re.compile(r"\b[Ee]ski\b"), "former"),
]


def english_office(written: str) -> str:
    """A Turkish office in English ("Dışişleri Bakanı" -> "Foreign Minister"); the state it
    is of is the statement's actor. An office not in the lists is kept as written."""
    text = " ".join(written.split())
    low = _lower_tr(text)
    for pattern, english in _OFFICES_EN:
        if re.search(pattern, low):
            return english
    for word, english in _WORDS_EN:
        text = word.sub(english, text)
    return text


_VERB = re.compile(
    r"(?<!\w)(?:dedi|demişti|der|diye\s+(?:konuştu|konuşmuştu|yanıtladı|ekledi)|"
    r"şeklinde\s+konuştu|açıkladı|açıklamıştı|belirtti|belirtmişti|"
    r"ifade\s+etti|ifadeleri(?:ni)?\s+kullan\w*|söyledi|söylemişti|kaydetti|vurguladı|bildirdi|dile\s+getirdi|"
    # the singular and pluperfect forms, and more reporting verbs of the agencies
    r"ifadesini\s+kullan\w*|ifadelerine\s+yer\s+verdi|ifade\s+etmişti|kaydetmişti|vurgulamıştı|"
    r"bildirmişti|dile\s+getirmişti|aktardı|ekledi|yineledi|hatırlattı|uyardı|"
    r"çağrısında\s+bulundu|nitelendirdi|değerlendirdi|kınadı|reddetti|tepki\s+gösterdi|"
    r"memnuniyetle\s+karşıladı|"
    # a ministry's written statement and the words it sets out: "açıklama yayımladı",
    # "Açıklamada, şu ifadelere yer verildi:"; a demand: "... terk etmesini istedi"
    r"açıklama\s+yayımladı|açıklama\s+yaptı|ifadeler(?:ine|e)\s+yer\s+verildi|"
    r"(?<=m[ae]sini\s)istedi|(?<=m[ae]lerini\s)istedi|"
    r"yanıtladı|devam\s+etti|şartını\s+koştu|şartını\s+sundu|konuştu|sözlerine|"
    # the passive of a statement's words: "açıklamada ... belirtildi / denildi"
    r"belirtildi|denildi|ifade\s+edildi|vurgulandı|kaydedildi|"
    r"duyurdu|duyurmuştu|ilan\s+etti|ilan\s+etmişti)(?!\w)"
)
# Verbs that take a side on what comes before them: kept in the statement's words.
_SIDE_VERB = re.compile(r"reddetti|kınadı|memnuniyetle\s+karşıladı")
_RULER_TITLE = re.compile(r"emiri|kralı|prensi|veliaht")
_UP = "A-ZÇĞİÖŞÜÂÎÛ"
_NAME_WORD = rf"[{_UP}][\wçğıöşüâîû]+"
# Arabic names keep their article: "Macid el-Ensari", "Faysal bin Ferhan".
_ARTICLE = r"(?:(?:el|al|er|es|en|eş|et|ed|ez)-|(?:bin|ibn)\s+)"
_OFFICE = (
    r"(?:(?:Suriye|ABD|Rusya|Türkiye|İran|Irak|Ürdün|Mısır|Suudi\s+Arabistan|AKP|AK\s+Parti|"
    r"CHP|MHP|Ermenistan|Azerbaycan|Kremlin|Katar|BAE|Yunanistan|İsrail|Arap\s+Birliği|"
    r"Cezayir|Fas|Tunus|Libya|Sudan|Bahreyn|Kuveyt|Umman|Lübnan|Çin|Tayvan|Honduras|Nijer|"
    r"Fransa|Pakistan|Hindistan|Afganistan|Ukrayna|Japonya|Venezuela|Almanya|İngiltere)"
    r"(?:'li|’li|'nin|’nin|'nın|’nın|'un|’un)?\s+)?(?:(?:[A-ZÇŞĞİÖÜ]\w+\s+){0,3}?)?(?:eski\s+)?"
    r"(?:Devlet\s+Başkanı|Cumhurbaşkanı(?:\s+ve\s+AKP\s+Genel\s+Başkanı)?|Dışişleri\s+Bakanı|"
    r"Savunma\s+Bakanı|Başbakanı?|(?:Özel\s+)?Temsilcisi|Sözcüsü|Bakanı?|Büyükelçisi?|"
    r"Veliaht\s+Prensi|Emiri(?:\s+Şeyh)?|Kralı(?:\s+II\.)?|"
    r"Genel\s+Başkanı|Genel\s+Sekreteri|lideri|[Mm]illetvekili|"
    r"köşe\s+yazarı|yazar|gazeteci|uzman|analist|akademisyen|editörü?|muhabiri?|yorumcusu?|"
    r"Başkan(?!ı))"
)
# When a statement was made, between its speaker and the verb, with no comma: "Bakan X pazar
# günü yaptığı açıklamada ...", "Dışişleri Bakanlığı bugün yaptığı açıklamada ...".
_WHEN_TR = (
    r"(?:(?:dün|bugün|pazar|pazartesi|salı|çarşamba|perşembe|cuma|cumartesi)(?:\s+günü)?|"
    r"(?:geçen|bu)\s+hafta|(?:dün|bu)\s+(?:sabah|akşam))"
)
# "Perşembe günü yaptığı açıklamada ...", "düzenlediği basın toplantısında ...": when and where
# the words were said, capitalised or not, is no part of them (QA round 21)
_WHEN_LEAD = re.compile(
    rf"^(?:(?i:{_WHEN_TR})\s+)?(?:(?:yaptığı|düzenlediği)\s+(?:yazılı\s+|basın\s+)?"
    r"(?:açıklamada|konuşmada|toplantısında),?\s*)?"
)
_WHEN_TAIL = re.compile(rf"\s+(?i:{_WHEN_TR})$")
_PERSON = re.compile(
    rf"(?:(?P<office>{_OFFICE})\s+)?(?P<name>{_NAME_WORD}(?:\s+{_ARTICLE}?{_NAME_WORD}){{0,3}})"
    r"(?P<tail>\s+(?:de|da|ise)\b\s*,?|\s*,|\s+(?=[“\"'])|"
    rf"\s+(?=(?:{_WHEN_TR}\s+)?(?:açıkladı|söyledi|belirtti|"
    r"dedi|kaydetti|vurguladı|bildirdi|açıklamasında|şöyle|şunları|yaptığı)\b))"
)
_STATE_TR = (
    r"(?:Türkiye|Suriye|ABD|Rusya|İran|Irak|Ürdün|Mısır|Suudi\s+Arabistan|Ermenistan|Azerbaycan|"
    r"Katar|BAE|Yunanistan|İsrail|Cezayir|Fas|Tunus|Libya|Sudan|Bahreyn|Kuveyt|Umman|Lübnan|Çin|"
    r"Tayvan|Honduras|Nijer|Fransa|Pakistan|Hindistan|Afganistan|Ukrayna|Japonya|Venezuela|"
    r"Almanya|İngiltere)"
)
_GOVERNMENT = ("hükümeti", "yönetimi", "idaresi")
# The state a headline opens with as its subject: "Umman, Suriye ile ...", "Katar Dışişleri
# Bakanı: ..." (not "Suriye ile ...", "Suriye'de ...": the state is then an object or a place).
_LEAD_STATE = re.compile(
    rf"\s*({_STATE_TR})(?:\s*[,:]|\s+(?:Dışişleri|Cumhurbaşkanı|Başbakanı|hükümeti|yönetimi)\b)"
)
# A ministry or its spokesperson speaking without a name: "Dışişleri Bakanlığı, ... açıklamada",
# "Ermenistan Dışişleri Bakanlığı Sözcüsü, ...".
_BODY = re.compile(
    rf"(?:(?P<country>{_STATE_TR})"
    r"(?:['’](?:nin|nın|in|ın|un|ün|deki|daki|teki|taki))?\s+)?"
    r"(?P<office>(?<=\s)(?:askeri\s+)?(?:yönetim|cunta)(?:ı|sı)?(?=\s*,)|[Dd]ışişleri\s+[Bb]akanlığı(?:\s+Sözcüsü)?|[Cc]umhurbaşkanlığı(?:\s+Sözcüsü)?|"
    # "Suudi Arabistan idaresi, ... duyurmuştu": a state's government speaks
    r"(?<=\s)(?:hükümeti|yönetimi|idaresi)|"
    # "Bakanlık, ... belirtti": the ministry the text named before
    r"(?<![\w’'])Bakanlık)"
    # "Mısır Cumhurbaşkanlığı'ndan yapılan açıklamada": a statement made by the office
    rf"(?=\s*,|\s+(?:de|da)\b|\s+(?:{_WHEN_TR}\s+)?(?:yaptığı|yayımladığı)\s|"
    r"['’]?n[dt][ae]n\s+yapılan\s)"
)
_NOT_NAMES = {
    "Türkiye",
    "Suriye",
    "ABD",
    "Rusya",
    "İran",
    "Irak",
    "Ankara",
    "Şam",
    "Moskova",
    "Washington",
    "Cumhurbaşkanı",
    "Dışişleri",
    "Bakanı",
    "Devlet",
    "Başkanı",
    "Bakanlığı",
    "Bakanlık",
    "Bakan",
    "Sözcüsü",
    "İşte",
    "Başkan",
    "Ancak",
    "Çünkü",
    "Ama",
    "Bu",
    "Biz",
    "Bizim",
    "Konuyla",
    "Sonuçta",
    "Geçtiğimiz",
    "Mayıs",
    "Temmuz",
    "Ağustos",
    "Eylül",
    # Parts of a title, and the EU's initials: "AB: ...", "Yardımcısı Josep Borrell"
    "AB",
    "Avrupa",
    "Birliği",
    "Yardımcısı",
    "Yüksek",
    "Temsilcisi",
    "Komisyon",
    "Konseyi",
    "Askeri",
}
_KNOWN = {
    "erdoğan": ("Recep Tayyip Erdoğan", "Cumhurbaşkanı", "Turkey"),
    "çavuşoğlu": ("Mevlüt Çavuşoğlu", "Dışişleri Bakanı", "Turkey"),
    "fidan": ("Hakan Fidan", "Dışişleri Bakanı", "Turkey"),
    "esad": ("Beşar Esad", "Devlet Başkanı", "Syria"),
    "esed": ("Beşar Esad", "Devlet Başkanı", "Syria"),
    "mikdad": ("Faysal Mikdad", "Dışişleri Bakanı", "Syria"),
    "blinken": ("Antony Blinken", "Dışişleri Bakanı", "United States"),
}
_COUNTRY = {
    "suriye": "Syria",
    "abd": "United States",
    "ab": "European Union",
    "rusya": "Russia",
    "türkiye": "Turkey",
    "iran": "Iran",
    "irak": "Iraq",
    "ürdün": "Jordan",
    "mısır": "Egypt",
    "akp": "Turkey",
    "ak": "Turkey",
    "ermenistan": "Armenia",
    "kremlin": "Russia",
    "katar": "Qatar",
    "bae": "United Arab Emirates",
    "israil": "Israel",
    "arap": "Arab League",
    "azerbaycan": "Azerbaijan",
    "yunanistan": "Greece",
    "cezayir": "Algeria",
    "fas": "Morocco",
    "tunus": "Tunisia",
    "libya": "Libya",
    "sudan": "Sudan",
    "bahreyn": "Bahrain",
    "kuveyt": "Kuwait",
    "umman": "Oman",
    "lübnan": "Lebanon",
    "çin": "China",
    "suudi": "Saudi Arabia",
    "tayvan": "Taiwan",
    "honduras": "Honduras",
    "nijer": "Niger",
    "fransa": "France",
    "pakistan": "Pakistan",
    "hindistan": "India",
    "afganistan": "Afghanistan",
    "ukrayna": "Ukraine",
    "japonya": "Japan",
    "venezuela": "Venezuela",
    "almanya": "Germany",
    "ingiltere": "United Kingdom",
    # more states by their Turkish names (one word: a name is looked up by its first word)
    "estonya": "Estonia",
    "letonya": "Latvia",
    "litvanya": "Lithuania",
    "polonya": "Poland",
    "macaristan": "Hungary",
    "romanya": "Romania",
    "bulgaristan": "Bulgaria",
    "sırbistan": "Serbia",
    "kosova": "Kosovo",
    "hırvatistan": "Croatia",
    "slovenya": "Slovenia",
    "karadağ": "Montenegro",
    "arnavutluk": "Albania",
    "kıbrıs": "Cyprus",
    "italya": "Italy",
    "ispanya": "Spain",
    "portekiz": "Portugal",
    "hollanda": "Netherlands",
    "belçika": "Belgium",
    "avusturya": "Austria",
    "isviçre": "Switzerland",
    "isveç": "Sweden",
    "norveç": "Norway",
    "danimarka": "Denmark",
    "finlandiya": "Finland",
    "irlanda": "Ireland",
    "çekya": "Czech Republic",
    "slovakya": "Slovakia",
    "gürcistan": "Georgia",
    "belarus": "Belarus",
    "moldova": "Moldova",
    "kazakistan": "Kazakhstan",
    "özbekistan": "Uzbekistan",
    "türkmenistan": "Turkmenistan",
    "kırgızistan": "Kyrgyzstan",
    "tacikistan": "Tajikistan",
    "moğolistan": "Mongolia",
    "endonezya": "Indonesia",
    "malezya": "Malaysia",
    "tayland": "Thailand",
    "filipinler": "Philippines",
    "bangladeş": "Bangladesh",
    "avustralya": "Australia",
    "kanada": "Canada",
    "meksika": "Mexico",
    "brezilya": "Brazil",
    "arjantin": "Argentina",
    "şili": "Chile",
    "kolombiya": "Colombia",
    "küba": "Cuba",
    "bolivya": "Bolivia",
    "nikaragua": "Nicaragua",
    "etiyopya": "Ethiopia",
    "nijerya": "Nigeria",
    "somali": "Somalia",
    "yemen": "Yemen",
    "filistin": "Palestine",
    "vatikan": "Vatican",
    "moritanya": "Mauritania",
}
_QUOTE = re.compile(r"[“\"]([^”\"]{8,})[”\"]|(?<![\w])'([^'\n]{12,}?)'(?![\w])")
_DASH_LINE = re.compile(r"^\s*[–—-]\s+")
# "... planlıyor mu?" sorusu yöneltilmesi üzerine,": the quote before it is a question put to
# the speaker.
_ASKED = re.compile(r"\s*(?:sorusu|sorusuna|sorusunu|diye\s+sor)\w*[^,.]*,?")
# A headline line "Davutoğlu: Esed ile diyaloğun anlamı yok": the name, a colon, the words.
_HEADLINE = re.compile(rf"^(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})\s*:\s+(?P<words>\S.*)$")


def _lower_tr(word: str) -> str:
    return word.replace("İ", "i").replace("I", "ı").lower()


# Institutions are nouns in -lık/-lik with a possessive ("Cumhurbaşkanlığı", "Bakanlığı",
# "Büyükelçiliği"): never a person's name, nor is a state ("Mısır", "İsrail").
_INSTITUTION_WORD = re.compile(r"(?:lığı|liği|luğu|lüğü)(?:n[ıiuü]n|nda|nde|ndan|nden)?$")


# A verbal noun with a case ending opens a sentence, not a name: "Açıklamada" (in the
# statement), "Görüşmede", "Toplantısında".
_CASED_NOUN = re.compile(r"(?:ma|me|tı|ti)(?:s[ıi])?(?:n?da|n?de|ya|ye)$")


# A case or possessive ending on a word that is no name: "Dışişlerinin" (of Foreign Affairs).
_CASE_ENDING = re.compile(r"['’]?(?:n[ıiuü]n|[ıiuü]n|nda|nde|ndan|nden|da|de|dan|den|ya|ye)$")


def _is_name_word(word: str) -> bool:
    if word in _NOT_NAMES or _INSTITUTION_WORD.search(word) or _CASED_NOUN.search(word):
        return False
    if _CASE_ENDING.sub("", word) in _NOT_NAMES:
        return False
    if len(word) > 2 and word.isupper() and _lower_tr(word) not in _KNOWN:
        return False  # a dateline ("TAHRAN, 13 Haziran") or a shouted headline word
    return re.split(r"['’]", _lower_tr(word))[0] not in _COUNTRY


def _person(
    m: re.Match[str], lead: str | None = None
) -> tuple[str | None, str | None, str | None, str]:
    """(name, office, state, office as written) of a subject; `lead` is the state the headline
    opens with, for an office written without its country ("Dışişleri Bakanı X")."""
    if any(_INSTITUTION_WORD.search(w) for w in m.group("name").split()):
        return None, None, None, ""  # "İran Daimi Temsilciliği": an institution, no person
    words = [w for w in m.group("name").split() if _is_name_word(w)]
    office_written = " ".join((m.group("office") or "").split())
    # Page furniture glued to the office ("Abone OlCezayir Dışişleri Bakanı"): keep the
    # part after the join.
    office_written = re.sub(r"^.*[a-zçğıöşü](?=[A-ZÇĞİÖŞÜ][a-zçğıöşü])", "", office_written)
    named = m.group("name").split()
    if not words and not office_written and len(named) == 1:
        # "Estonya, ... Rusya'ya nota verdi": a state acting is no person, but it speaks
        state = _COUNTRY.get(re.split(r"['’]", _lower_tr(named[0]))[0])
        if state:
            return None, None, state, ""
    if not words:
        return None, None, None, office_written
    name = " ".join(words)
    last = _lower_tr(words[-1])
    known = _KNOWN.get(last)
    actor = None
    if office_written:
        first = _lower_tr(office_written.split()[0]).replace("'li", "").replace("’li", "")
        actor = _COUNTRY.get(first)
    bare = re.sub(
        r"^(?:\S+(?:'li|’li)?\s+)?(?=(?:Devlet|Cumhurbaşkanı|Dışişleri))", "", office_written
    )
    office = re.sub(r"\s+ve\s+AKP\s+Genel\s+Başkanı", "", bare) or None
    if known:
        full, k_office, k_actor = known
        if len(words) == 1:
            name = full
        office = office or k_office
        actor = actor or k_actor
    elif office and not actor and re.match(r"Cumhurbaşkanı|Dışişleri|AKP", office):
        # Turkish press names Turkey's offices without the country, unless the headline is
        # another state's ("Umman, ... kuracak": Oman's foreign minister, QA)
        actor = lead or "Turkey"
    return name, office, actor, office_written


# "... görüşmeyeceğini dile getiren Erdoğan,": a participle clause reporting a remark.
_PARTICIPLE = re.compile(
    r"(?P<said>(?:[^.,;:“”\"]|,(?!\s))+?\w+(?:d[ıiuü]ğ[ıiuü]n[ıiuü]|t[ıiuü]ğ[ıiuü]n[ıiuü]|"
    r"[ae]c[ae]ğ[ıi]n[ıi]|m[ae]d[ıi]ğ[ıi]n[ıi]))\s+(?:dile\s+getiren|belirten|söyleyen|"
    r"ifade\s+eden|açıklayan|vurgulayan|kaydeden)\s+"
    rf"(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})\s*,"
)
# 'Çavuşoğlu'nun "Suriye Dışişleri Bakanı ile görüştük" açıklaması': a quoted remark named by
# its speaker's possessive.
_POSSESSIVE_QUOTE = re.compile(
    rf"(?:(?P<office>{_OFFICE})\s+)?(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})"
    r"['’](?:n[ıiuü]n|[ıiuü]n)\s+[“\"](?P<q>[^”\"\n]{8,})[”\"]\s*(?:açıklaması|sözleri|ifadesi|"
    r"çağrısı|mesajı|yorumu)"
)
_EARLIER_TR = re.compile(r"\b(?:[Dd]aha\s+önce|[Gg]eçmişte|[Öö]nceden)\b")


def _set_out_below(text: str, end: int) -> tuple[int, str, int]:
    """The words set out after a line ending in ":": a quotation (which may run over several
    lines) or else the next line. Returns (start, words, where reading goes on)."""
    m = re.compile(r"\s*([“\"])").match(text, end)
    if m:
        close = "”" if m.group(1) == "“" else '"'
        stop = text.find(close, m.end())
        if 0 < stop - m.end() < 2000:
            return m.end(), text[m.end() : stop], stop + 1
    nl = re.compile(r"\s*").match(text, end)
    start = nl.end() if nl else end
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    return start, text[start:line_end], line_end


# "Haziran ayında İsrail ve Türkiye, ... duyurdu": two states speaking together, near the start.
_JOINT_TR = re.compile(
    rf"^[^,.;:]{{0,40}}?(?<!\w)(?P<a>{_STATE_TR})\s+ve\s+(?P<b>{_STATE_TR})(?![\w'’])\s*,?"
)


def _state_tr(name: str) -> str | None:
    return _COUNTRY.get(_lower_tr(name.split()[0]))


# A name, a comma and a quote that runs to the end of the text unclosed: the feed cut the
# summary inside the speaker's words.
_CUT_QUOTE = re.compile(r"(?P<name>[A-ZÇĞİÖŞÜ][\w'’-]+),\s*[\"“](?P<q>[^\"”]{12,})\Z")


def said_tr(text: str) -> list[Said]:
    """Every attribution in a Turkish text, in order."""
    out: list[Said] = []
    names: dict[str, str] = {}
    opens = _LEAD_STATE.match(text)
    lead = _COUNTRY.get(_lower_tr(opens.group(1)).split()[0]) if opens else None
    lead = None if lead == "Turkey" else lead
    # "HDP eski milletvekili Garo Paylan, dün ...": a person named once with an office keeps it
    # when a later sentence names them alone ("Paylan, ... söyledi").
    titled: dict[str, tuple[str, str, str | None, str]] = {}
    for pm in _PERSON.finditer(text):
        t_name, t_office, t_actor, t_written = _person(pm, lead)
        if t_name and t_office:
            titled.setdefault(_lower_tr(t_name.split()[-1]), (t_name, t_office, t_actor, t_written))
    last: Said | None = None  # the last person seen as a subject, speaking or not
    skip_to = 0
    for s, e in sentences_quoted(text):
        if s < skip_to:
            continue
        sentence = text[s:e]
        verbs = list(_VERB.finditer(text, s, e))
        verb = verbs[-1] if verbs else None  # the main verb ends the Turkish sentence
        dash = _DASH_LINE.match(sentence)
        if dash:
            # "– ...": a quoted remark set out as a list line; the whole line is its content.
            line_end = text.find("\n", s)
            line_end = len(text) if line_end < 0 else line_end
            skip_to = line_end
            prev = out[-1] if out else last
            content = text[s + dash.end() : line_end].strip()
            if prev is not None and len(content.split()) >= 4:
                out.append(
                    Said(
                        s,
                        s + dash.end(),
                        prev.speaker,
                        prev.office,
                        prev.actor,
                        content,
                        True,
                        prev.role,
                        prev.keys,
                    )
                )
            continue
        for pq in _POSSESSIVE_QUOTE.finditer(text, s, e):
            qwords = [w for w in pq.group("name").split() if _is_name_word(w)]
            if not qwords or len(pq.group("q").split()) < 3:
                continue
            qknown = _KNOWN.get(_lower_tr(qwords[-1]))
            qname = names.get(_lower_tr(qwords[-1])) or (
                qknown[0] if qknown and len(qwords) == 1 else " ".join(qwords)
            )
            qoffice = " ".join((pq.group("office") or "").split()) or (
                qknown[1] if qknown else None
            )
            out.append(
                Said(
                    pq.start(),
                    pq.start("q"),
                    qname,
                    qoffice,
                    qknown[2] if qknown else None,
                    pq.group("q").strip(),
                    True,
                    "official",
                    (qwords[-1],),
                )
            )
        joint = _JOINT_TR.match(sentence) if verb else None
        if joint and verb is not None:
            states = [x for x in (_state_tr(joint.group("a")), _state_tr(joint.group("b"))) if x]
            content = text[s + joint.start("a") : e].strip(" .")
            if len(set(states)) == 2 and len(content.split()) >= 5:
                for state in states:
                    out.append(Said(s, s + joint.start("a"), None, None, state, content, False))
                continue
        head = _HEADLINE.match(sentence) if not verb else None
        if head and len(head.group("words").split()) >= 3:
            words = [
                w
                for w in head.group("name").split()
                if _is_name_word(w) and not _RULER_TITLE.fullmatch(_lower_tr(w))
            ]
            ruler = _RULER_TITLE.search(_lower_tr(head.group("name")))
            if ruler and not words:
                # "Katar Emiri: ...": the ruler of a state speaks, as its office (QA round 20:
                # "Emiri" was a person and a second alert)
                head_state = _state_tr(head.group("name"))
                # as written, like every Turkish office here ("Ürdün Kralı"): put in English
                # with the statement, and found inside the body's "Ürdün Kralı II. Abdullah"
                ruler_office = " ".join(head.group("name").split())
                out.append(
                    Said(
                        s,
                        s + head.start("words"),
                        None,
                        ruler_office,
                        head_state,
                        head.group("words").strip(" .\"“”'"),
                        True,
                        "official",
                        (ruler_office,),
                    )
                )
                continue
            if words:
                head_name = names.get(_lower_tr(words[-1]), " ".join(words))
                known = _KNOWN.get(_lower_tr(words[-1]))
                if known and len(words) == 1:
                    head_name = known[0]
                qs = s + head.start("words")
                out.append(
                    Said(
                        s,
                        qs,
                        head_name,
                        known[1] if known else None,
                        known[2] if known else None,
                        head.group("words").strip(" .\"“”'"),
                        True,
                        "official",
                        (words[-1],),
                    )
                )
                continue
            inst = [w for w in head.group("name").split() if _INSTITUTION_WORD.search(w)]
            if inst:  # "Mısır Cumhurbaşkanlığı: ...": an office of a state speaks
                head_state = _state_tr(head.group("name"))
                out.append(
                    Said(
                        s,
                        s + head.start("words"),
                        None,
                        " ".join(head.group("name").split()),
                        head_state,
                        head.group("words").strip(" .\"“”'"),
                        True,
                        "official",
                        (inst[-1],),
                    )
                )
                continue
        cut = _CUT_QUOTE.match(text, s) if not verb else None
        if cut and _lower_tr(cut.group("name")) in titled:
            # 'Bozdağ, "Alman Devleti'nin sessizliği ...' and the feed's cut: the person named
            # before with an office opens a quote whose verb ("dedi") was cut off with it.
            c_name, c_office, c_actor, _ = titled[_lower_tr(cut.group("name"))]
            content = cut.group("q").strip(" .…")
            if len(content.split()) >= 3:
                out.append(
                    Said(
                        s,
                        cut.start("q"),
                        c_name,
                        c_office,
                        c_actor,
                        content,
                        True,
                        "official",
                        (cut.group("name"),),
                    )
                )
                break
        if not verb:
            for pm in _PERSON.finditer(text, s, e):
                name, office, actor, _ = _person(pm, lead)
                if name:
                    last = Said(pm.start(), pm.start(), name, office, actor, "", False)
                    break
            continue
        if not verb:
            continue
        for part in _PARTICIPLE.finditer(text, s, e):
            # "Daha önce Esad ile görüşmeyeceğini dile getiren Erdoğan, ...": a remark of its
            # own, before the sentence's main statement.
            pname = part.group("name")
            pwords = [w for w in pname.split() if _is_name_word(w)]
            if not pwords or len(part.group("said").split()) < 3:
                continue
            full = names.get(_lower_tr(pwords[-1]))
            known = _KNOWN.get(_lower_tr(pwords[-1]))
            pspeaker = full or (known[0] if known and len(pwords) == 1 else " ".join(pwords))
            out.append(
                Said(
                    part.start("name"),
                    part.start("said"),
                    pspeaker,
                    known[1] if known else None,
                    known[2] if known else None,
                    part.group("said").strip(" ,"),
                    False,
                    "official",
                    (pwords[-1],),
                    False,
                    bool(_EARLIER_TR.search(part.group("said"))),
                )
            )
        subject = None
        speaker: str | None
        role: Role
        keys: tuple[str, ...]
        for pm in _PERSON.finditer(text, s, verb.end()):
            name, office, actor, written = _person(pm, lead)
            # a state opening the sentence with a comma speaks as a person would
            a_state = bool(actor) and not office and pm.start() - s <= 1 and pm.group("tail") == ","
            if name or a_state:
                subject = (pm, name, office, actor, written)
                break
        body = _BODY.search(text, s, verb.start())
        if body and body.group("office") in _GOVERNMENT and not body.group("country"):
            body = None  # "hükümeti" alone: whose government is not said here
        if body and (subject is None or body.start() < subject[0].start()):
            country = _state_tr(body.group("country") or "Türkiye")
            office_b = " ".join(body.group("office").split())
            if office_b in _GOVERNMENT:
                office_b = " ".join(body.group(0).split())  # "Suudi Arabistan idaresi"
            if office_b == "Bakanlık":
                named = re.findall(r"([A-ZÇĞİÖŞÜ]\w+\s+Bakanlığı)", text[: body.start()])
                office_b = named[-1] if named else "Dışişleri Bakanlığı"
            pos, subj_end = body.start(), body.end()
            speaker, office, actor, written = None, office_b, country, ""
            role = "official"
            keys = (office_b,)
        elif subject is None:
            prev = out[-1] if out else last
            if prev is None:
                continue
            speaker, office, actor, written, pos, subj_end = (
                prev.speaker,
                prev.office,
                prev.actor,
                "",
                verb.start(),
                s,
            )
            role = prev.role
            keys = prev.keys
        else:
            pm, speaker, office, actor, written = subject
            if speaker and office is None and _lower_tr(speaker.split()[-1]) in titled:
                speaker, office, t_actor, written = titled[_lower_tr(speaker.split()[-1])]
                actor = actor or t_actor
            if speaker and len(speaker.split()) >= 2:
                names[_lower_tr(speaker.split()[-1])] = speaker
            elif speaker and _lower_tr(speaker) in names:
                speaker = names[_lower_tr(speaker)]
            pos, subj_end = pm.start(), pm.end()
            role = (
                "commentator"
                if is_commentator_role(written) or re.search(r"köşe\s+yazı", sentence)
                else "official"
            )
            keys = tuple(k for k in (speaker.split()[-1] if speaker else None,) if k)
        asked = [q for q in _QUOTE.finditer(text, subj_end, e) if _ASKED.match(text, q.end())]
        if asked:
            subj_end = asked[-1].end()  # a reporter's question is not the speaker's words
            subj_end = _ASKED.match(text, subj_end).end()  # type: ignore[union-attr]
        quotes = [q.group(1) or q.group(2) for q in _QUOTE.finditer(text, subj_end, e)]
        quotes = [q for q in quotes if len(q.split()) >= 3]
        if quotes:
            content, direct = " ".join(q.strip() for q in quotes), True
            qs = text.find(quotes[0], subj_end)
        else:
            tail = text[verb.end() : e].lstrip()
            if tail.startswith(":") and len(tail.split()) >= 4:
                content, qs = tail[1:].strip(), verb.end()
            elif tail.startswith(":") or sentence.rstrip().endswith(":"):
                # "... şu ifadeleri kullandı:" and the statement set out below it.
                qs, content, skip_to = _set_out_below(text, e)
            else:
                content, qs = text[subj_end : verb.start()].strip(" ,"), subj_end
                if _SIDE_VERB.fullmatch(verb.group()):
                    # "... normalleşme çağrısını reddetti": the verb is the side taken
                    content = f"{content} {verb.group()}"
                if len(content.split()) < 3 and subject is not None and pos - s > 20:
                    # "... yapılabileceğini Ermenistan'ın temsilcisi Rubinyan açıkladı": the
                    # reported words come before the subject.
                    content, qs = text[s:pos].strip(" ,"), s
            direct = mostly_quoted(content)
        content = content.strip(" ,.:\"“”'")
        # "pazartesi günü yaptığı açıklamada, ..." / "... olduklarını pazartesi günü": the day
        # is no part of the words (QA round 20)
        content = _WHEN_LEAD.sub("", content)
        content = _WHEN_TAIL.sub("", content)
        if len(content.split()) < 3:
            continue
        out.append(Said(pos, qs, speaker, office, actor, content, direct, role, keys))
    return out
