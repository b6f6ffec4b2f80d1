"""Reads who said what in English news text: quotes, reported speech, speakers and offices.

Wire copy patterns: "“...,” State Department spokesman Ned Price told reporters", "a State
Department spokesperson said: “...”", "the Spokesperson noted that the United States “urges
...”", "Sam Heller, a researcher at ..., argued that ...", "..., the ministry said on
Saturday", "This was stated by ... Barbara Leaf". Offices are canonical ("State Department
spokesperson", "Secretary of State") and a state is read from the office, nationality or a
few known officials. It does not date, read stance or merge (see `statements`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from matcher.said import Role, Said, is_commentator_role, mostly_quoted
from matcher.text import normalize_text

__all__ = ["KEY_WORDS", "SAY_ALL_RE", "fold_key", "said_en", "sentences_en"]

_CAP = r"(?:[A-Z]|[ÇŞĞİÖÜÂÉÈÀ])[\w’'\-]+"
_NAME = (  # a name never runs over a line break; "Ursula von der Leyen", "Mohammed bin Salman"
    rf"(?:(?:Sheikh|Prince|King|Emir)[ \t]+)?{_CAP}"
    rf"(?:[ \t]+(?:al-|al[ \t]+|bin[ \t]+|de[ \t]+(?:la[ \t]+)?|van[ \t]+(?:der[ \t]+|den[ \t]+)?|"
    rf"von[ \t]+(?:der[ \t]+)?)?{_CAP}){{0,3}}"
)
_ORG_CORE = (
    r"(?:State\s+Department|State\s+Dept\.?|Department\s+of\s+State|Foreign\s+Ministry|"
    r"Foreign\s+Office|White\s+House|Kremlin|Pentagon|Elysee|Élysée)"
)
_ORG = rf"(?:(?:U\.?S\.?|US|American)\s+)?{_ORG_CORE}"
# More states, for statements on ties between any two: "Country|adjective|capital" (a part left
# empty where the word is also a common name or stands for something else: Chad, Georgia,
# Brussels for the EU, Vienna for the talks held there).
_MORE_STATES = """
Paraguay|Paraguayan|Asuncion
Lithuania|Lithuanian|Vilnius
Latvia|Latvian|Riga
Estonia|Estonian|Tallinn
Poland|Polish|Warsaw
Hungary|Hungarian|Budapest
the Netherlands|Dutch|The Hague
Belgium|Belgian|
Sweden|Swedish|Stockholm
Norway|Norwegian|Oslo
Finland|Finnish|Helsinki
Denmark|Danish|Copenhagen
Ireland|Irish|Dublin
Portugal|Portuguese|Lisbon
Austria|Austrian|
Switzerland|Swiss|Bern
Czech Republic|Czech|Prague
Romania|Romanian|Bucharest
Croatia|Croatian|Zagreb
Albania|Albanian|Tirana
Belarus|Belarusian|Minsk
Cyprus|Cypriot|Nicosia
Kazakhstan|Kazakh|Astana
Uzbekistan|Uzbek|Tashkent
Turkmenistan|Turkmen|Ashgabat
Kyrgyzstan|Kyrgyz|Bishkek
Tajikistan|Tajik|Dushanbe
Mongolia|Mongolian|Ulaanbaatar
Chile|Chilean|
Peru|Peruvian|Lima
Ecuador|Ecuadorian|Quito
Bolivia|Bolivian|La Paz
Uruguay|Uruguayan|Montevideo
Guatemala|Guatemalan|Guatemala City
Belize|Belizean|Belmopan
Panama|Panamanian|
Costa Rica|Costa Rican|
El Salvador|Salvadoran|San Salvador
Dominican Republic|Dominican|Santo Domingo
Haiti|Haitian|Port-au-Prince
South Africa|South African|Pretoria
Kenya|Kenyan|Nairobi
Rwanda|Rwandan|Kigali
Uganda|Ugandan|Kampala
Tanzania|Tanzanian|Dodoma
DR Congo|Congolese|Kinshasa
Senegal|Senegalese|Dakar
Ghana|Ghanaian|Accra
Cameroon|Cameroonian|Yaounde
Eritrea|Eritrean|Asmara
Djibouti|Djiboutian|
Mauritania|Mauritanian|Nouakchott
|Chadian|N'Djamena
Indonesia|Indonesian|Jakarta
Malaysia|Malaysian|Kuala Lumpur
the Philippines|Philippine|Manila
Vietnam|Vietnamese|Hanoi
Thailand|Thai|Bangkok
Bangladesh|Bangladeshi|Dhaka
Sri Lanka|Sri Lankan|Colombo
Singapore|Singaporean|
New Zealand||
United Kingdom||
the United States||
South Sudan|South Sudanese|Juba
Equatorial Guinea|Equatoguinean|Malabo
the Vatican||
Holy See||
Nepal|Nepali|Kathmandu
Bhutan|Bhutanese|Thimphu
Maldives|Maldivian|
Myanmar||Naypyidaw
Cambodia|Cambodian|Phnom Penh
Laos|Laotian|Vientiane
Brunei||
East Timor|Timorese|Dili
Papua New Guinea||Port Moresby
Fiji|Fijian|Suva
Kiribati||Tarawa
Solomon Islands||Honiara
Vanuatu||Port Vila
Samoa|Samoan|
Tonga|Tongan|
Nauru|Nauruan|
Tuvalu|Tuvaluan|
Palau|Palauan|
Marshall Islands||Majuro
Slovakia|Slovak|Bratislava
Slovenia|Slovenian|Ljubljana
Bulgaria|Bulgarian|
Moldova|Moldovan|Chisinau
Bosnia and Herzegovina|Bosnian|Sarajevo
Montenegro|Montenegrin|Podgorica
North Macedonia|Macedonian|Skopje
Iceland|Icelandic|Reykjavik
Luxembourg|Luxembourgish|
Malta|Maltese|Valletta
Angola|Angolan|Luanda
Mozambique|Mozambican|Maputo
Zambia|Zambian|Lusaka
Zimbabwe|Zimbabwean|Harare
Botswana||Gaborone
Namibia|Namibian|Windhoek
Madagascar|Malagasy|Antananarivo
Malawi|Malawian|Lilongwe
Burundi|Burundian|Gitega
Gabon|Gabonese|Libreville
Benin|Beninese|Porto-Novo
Togo|Togolese|Lome
Ivory Coast|Ivorian|Abidjan
Sierra Leone|Sierra Leonean|Freetown
Liberia|Liberian|Monrovia
Gambia|Gambian|Banjul
Guinea-Bissau||Bissau
Central African Republic||Bangui
Lesotho||Maseru
Eswatini||Mbabane
Comoros|Comorian|Moroni
Seychelles||
Mauritius|Mauritian|Port Louis
Jamaica|Jamaican|
Trinidad and Tobago||Port of Spain
Guyana|Guyanese|
Suriname|Surinamese|Paramaribo
Barbados|Barbadian|Bridgetown
the Bahamas|Bahamian|Nassau
Saint Lucia||Castries
Grenada||
Saint Vincent and the Grenadines||Kingstown
Saint Kitts and Nevis||Basseterre
Antigua and Barbuda||
Czechia||
Cape Verde|Cape Verdean|Praia
Cabo Verde||
Timor-Leste||
Dominica||Roseau
Micronesia||
Monaco||
San Marino||
Liechtenstein||Vaduz
Andorra||
DR Congo||Kinshasa
Democratic Republic of the Congo||
Democratic Republic of Congo||
Republic of the Congo||Brazzaville
Republic of Congo||
Equatorial Guinea||
the Taliban||
Taliban||
"""
_MORE = [line.split("|") for line in _MORE_STATES.strip().splitlines()]
_STATE_OF = {  # each name, adjective and capital -> the state's name
    word.casefold(): (name or adjective).removeprefix("the ")
    for name, adjective, capital in _MORE
    for word in (name, name.removeprefix("the "), adjective, capital)
    if word
}
_STATE_OF["chadian"] = _STATE_OF["n'djamena"] = _STATE_OF["chad"] = "Chad"
_STATE_OF["georgian"] = _STATE_OF["tbilisi"] = _STATE_OF["georgia"] = "Georgia"
_STATE_OF["guinean"] = _STATE_OF["conakry"] = _STATE_OF["guinea"] = "Guinea"
for _congo in ("democratic republic of the congo", "democratic republic of congo", "kinshasa"):
    _STATE_OF[_congo] = "DR Congo"
for _congo in ("republic of congo", "brazzaville"):
    _STATE_OF[_congo] = "Republic of the Congo"


def _alternation(words: list[str]) -> str:
    """A regex alternation of these words, longest first, spaces as any whitespace."""
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True) if w
    )


_MORE_COUNTRY = _alternation(
    [n for n, _, _ in _MORE] + [n.removeprefix("the ") for n, _, _ in _MORE]
)
_MORE_NAT = _alternation([a for _, a, _ in _MORE])
_MORE_CAPITAL = _alternation([c for _, _, c in _MORE])

_COUNTRY = (
    r"(?:Turkey|Jordan|Egypt|Saudi\s+Arabia|Iraq|Oman|Qatar|Bahrain|Kuwait|Lebanon|Russia|Iran|"
    r"Italy|France|Germany|Britain|China|Tunisia|Algeria|Morocco|the\s+UAE|UAE|Syria|Israel|"
    r"Armenia|Azerbaijan|Greece|Libya|Sudan|Yemen|Palestine|Turkiye|Türkiye|"
    # Ties between any states: the states of other disputes and recognitions.
    r"Honduras|Taiwan|Nigeria|Niger|Mali|Burkina\s+Faso|Pakistan|India|Afghanistan|Ukraine|"
    r"Japan|South\s+Korea|North\s+Korea|Venezuela|Colombia|Nicaragua|Cuba|Ethiopia|Spain|"
    r"Canada|Australia|Mexico|Brazil|Argentina|Somalia|Kosovo|Serbia|"
    r"(?:the\s+)?United\s+Arab\s+Emirates|"
    # Also first names or a US state: a state only where no capitalised word follows ("Chad
    # breaks off ...", not "Chad Smith"), and Guinea not as part of another state's name.
    r"(?:Chad|Georgia)(?!\s+[A-Z])|(?<!Equatorial\s)(?<!New\s)Guinea(?![\w-])|"
    rf"{_MORE_COUNTRY})"
)
# Capitals speak for their states ("Ankara and Cairo said").
_CAPITAL = (
    r"(?:Washington|Ankara|Tehran|Moscow|Riyadh|Amman|Cairo|Doha|Abu\s+Dhabi|Damascus|Baku|Yerevan|"
    r"Beijing|Taipei|Paris|London|Berlin|Rabat|Algiers|Niamey|Islamabad|New\s+Delhi|Kabul|Kyiv|"
    r"Tokyo|Seoul|Caracas|Manama|Muscat|Tegucigalpa|Bamako|Beirut|Baghdad|Khartoum|Tunis|Sanaa|"
    rf"{_MORE_CAPITAL})"
)
_NAT = (
    rf"(?:{_COUNTRY}['’]s|Turkish|Syrian|Saudi|Emirati|Jordanian|Egyptian|Iraqi|Omani|"
    r"Qatari|Bahraini|Kuwaiti|Lebanese|Russian|Iranian|Italian|French|German|British|Chinese|US|U\.S\.|American|EU|"
    r"UN|UAE|Arab\s+League|Armenian|Azerbaijani|Greek|Israeli|Palestinian|Libyan|Sudanese|"
    r"Yemeni|Tunisian|Algerian|Moroccan|Honduran|Taiwanese|Nigerien|Nigerian|Malian|Pakistani|"
    r"Indian|Afghan|Ukrainian|Japanese|South\s+Korean|North\s+Korean|Venezuelan|Colombian|"
    r"Nicaraguan|Cuban|Ethiopian|Spanish|Canadian|Australian|Mexican|Brazilian|Argentine|"
    r"Somali|Serbian|UK|"
    rf"{_MORE_NAT})"
)
_ROLE = (
    r"(?:[Ff]oreign\s+[Mm]inistry\s+[Ss]pokes(?:person|man|woman)|"
    r"[Mm]inister\s+of\s+(?:[Ss]tate\s+for\s+)?[Ff]oreign\s+[Aa]ffairs"
    r"(?:\s+and\s+[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)?|[Ss]pokes(?:person|man|woman)|Assistant\s+Secretary\s+of\s+State(?:\s+for\s+"
    r"(?:[A-Z]\w+\s+){1,4}Affairs)?|Secretary\s+of\s+State|[Ss]ecretary[-\s][Gg]eneral|"
    # "James Cleverly, the Foreign Secretary": a British office, not "Secretary" alone
    r"(?:[Ff]oreign|[Hh]ome|[Dd]efen[cs]e)\s+[Ss]ecretary|"
    r"[Ss]ecretary|top\s+(?:US|U\.S\.|American)\s+diplomat|"
    # "Saudi Arabia's top diplomat, Prince Faisal, said": a state's foreign minister
    r"(?<=['’]s\s)top\s+diplomat|[Ff]oreign\s+[Mm]inister|"
    r"[Dd]efen[cs]e\s+[Mm]inister|[Pp]rime\s+[Mm]inister|"
    r"(?:(?:European\s+)?Commission\s+)?(?:[Vv]ice[\s-]+)?[Pp]resident|[Ee]nvoy|"
    # "Former US Ambassador to Syria Robert Ford"
    rf"[Aa]mbassador(?:\s+to\s+(?:the\s+)?(?:{_COUNTRY}))?|"
    r"[Dd]irector|[Cc]hair(?:man|woman|person)?|(?:[Ss]enior\s+)?[Ff]ellow|"
    r"(?:[Ss]enior\s+)?[Aa]dvis[eo]r|"
    # "Minister of State (for Foreign Affairs)": an office of its own, before bare "Minister"
    r"[Mm]inister\s+of\s+[Ss]tate(?:\s+for\s+[A-Z][a-z]+(?:\s+(?:and\s+)?[A-Z][a-z]+){0,3})?|"
    r"[Mm]inister|[Ss]pecial\s+[Rr]apporteur|[Cc]rown\s+[Pp]rince|King|Emir|"
    # "Iranian parliament speaker Mohammad Baqer Qalibaf", "Speaker Nabih Berri"
    r"(?:[Pp]arliament(?:ary)?\s+)?Speaker|[Pp]arliament(?:ary)?\s+speaker|"
    # "Kuwait's emir Sheikh Meshal": a title written small after a state's name (QA round 20)
    r"(?<=['’]s\s)(?:emir|king|sultan|crown\s+prince)|"
    # "Arab League chief Ahmed Aboul Gheit", "UN rights chief Volker Türk", "the EU's foreign
    # policy chief Josep Borrell"
    r"(?:[Ff]oreign\s+[Pp]olicy|[Ii]ntelligence|[Aa]rmy|[Rr]ights|[Aa]id|[Nn]uclear|[Ss]py)\s+"
    r"[Cc]hief|(?<=\w\s)chief|"
    # legislators: "Senator Jane Roe", "Rep. John Roe (R-Ohio)", "Congresswoman Roe"
    r"[Ss]enator|Sen\.|Rep\.|[Rr]epresentative|[Cc]ongress(?:man|woman)|[Ll]awmaker|"
    r"[Nn]ational\s+[Ss]ecurity\s+[Aa]dvis[eo]r|[Rr]esearcher|[Aa]nalyst|[Ee]xpert|[Pp]rofessor|"
    r"[Ss]cholar|[Cc]olumnist|[Cc]ommentator|[Mm]inister\s+of\s+(?:[Ss]tate\s+for\s+)?[Ff]oreign\s+"
    r"[Aa]ffairs(?:\s+and\s+[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)?)"
)
_SAY = r"(?:said|says|told|tells|added|noted|stated|stressed|wrote|warned|insisted|replied|tweeted)"
# A name right after one of these words is the object of the words reported, not a speaker.
_OBJECT_BEFORE = re.compile(
    r"\b(?:with|to|on|for|against|from|by|of|at|about|toward|towards|into|meet|meets|met|"
    r"visit|visits|visited|and)\s+$",
    re.IGNORECASE,
)
_NOT_NAMES = {
    # Peoples and regions, not persons ("... says Arab states should ...")
    "Arab",
    "Arabs",
    "Gulf",
    "Western",
    "European",
    "African",
    "Asian",
    "Muslim",
    "Islamic",
    "Kurdish",
    "Sunni",
    "Shia",
    "Christian",
    "Jewish",
    "The",
    "A",
    "An",
    "In",
    "On",
    "It",
    "He",
    "She",
    "We",
    "They",
    "This",
    "That",
    # Days and months stand where names do ("said Thursday", "on Monday, a spokesman said").
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    # Headline words that "say" things without being anyone ("Analysis says ...").
    "Analysis",
    "Report",
    "Reports",
    "Study",
    "Survey",
    "Poll",
    "Data",
    "Research",
    "Editorial",
    "Opinion",
    "Review",
    "Document",
    "Documents",
    "Letter",
    "Statement",
    "Sources",
    "Source",
    "Officials",
    "Official",
}

_MODIFIER = (
    r"(?:(?:[Cc]aretaker|[Aa]cting|[Ii]nterim|[Oo]utgoing|[Dd]eputy|[Ss]enior|[Tt]op|"
    r"[Ff]ormer)\s+)?"
)
_PERSON_FULL = re.compile(
    # At a word's start only: tried at every character, its alternations cost 3 ms a summary.
    rf"(?<!\w)(?P<mod0>{_MODIFIER})(?:(?P<org>{_ORG})\s+|(?P<nat>{_NAT})\s+)?(?P<mod>{_MODIFIER})"
    rf"(?P<role>{_ROLE})[ \t]+"
    rf"(?P<name>{_NAME})"
)
_PERSON_APPOS = re.compile(
    rf"(?P<name>{_NAME}),\s+(?:the\s+|a\s+)?(?P<role>{_ROLE})\s+(?:for|of|at)\s+"
    rf"(?:the\s+)?(?P<org>{_ORG})"
)
_ORG_NAME = re.compile(rf"(?P<org>{_ORG})\s+(?P<name>{_NAME})\s+{_SAY}")
_OFFICE_ONLY = re.compile(
    rf"\b(?:[Aa]n?|[Tt]he)\s+(?P<org>{_ORG}|[Dd]epartment|[Mm]inistry)\s+"
    r"(?P<role>spokes(?:person|man|woman))\b"
)
_PERSON_APPOS_ANY = re.compile(
    rf"(?P<name>{_NAME}),\s+(?:the\s+|a\s+|an\s+)?"
    # "Prince Faisal bin Farhan, Saudi Arabia's foreign minister,": a state's office
    rf"(?:(?:{_COUNTRY})['’]s\s+)?(?:[A-Za-z]+\s+)??(?P<role>{_ROLE})\b|"
    # "Ahmed Aboul Gheit, the Arab League chief, said": a body's head, named by the body
    rf"(?P<name2>{_NAME}),\s+the\s+(?P<org2>(?:[A-Z][\w'’-]*\s+){{1,3}})(?P<role2>chief|head)(?=,)"
)
_BODY_SPOKESPERSON = re.compile(
    r"\b(?:[Aa]n?|[Tt]he)\s+(?P<org>(?:[A-Z][\w.]*\s+){1,3}?)(?P<role>spokes(?:person|man|woman))\b"
)
# "a spokesman for the Iranian Foreign Ministry", "a spokesperson for the League"
_SPOKESPERSON_FOR = re.compile(
    rf"\b(?:[Aa]n?|[Tt]he)\s+(?P<role>spokes(?:person|man|woman))\s+for\s+the\s+"
    rf"(?:(?P<nat>{_NAT})\s+)?(?P<org>{_ORG}|(?:[A-Z][\w'’]*\s+){{0,3}}?"
    r"(?:Ministry(?:\s+of\s+[A-Z]\w+(?:\s+[A-Z]\w+)?(?:\s+of\s+[A-Z]\w+)?)?|Department|League|"
    r"Office|Presidency))"
    rf"(?:,\s+(?P<name>{_NAME})(?=\s*[,.;]|\s*$))?"
)
# "The Iranian Foreign Minister, for his part, said": an office of a state, no name given.
_NATIONAL_OFFICE = re.compile(
    # "Colombian president has said": a sentence may open on the office with no article
    rf"(?<!\w)(?:\b(?:[Tt]he|[Aa]n?)\s+|\b(?={_COUNTRY}['’]s\s)|(?:(?<=\n)|(?<=[.!?]\s)|(?<![\s\S]))"
    rf"(?=[A-Z]))(?P<nat>{_NAT})\s+(?P<role>(?:[Dd]eputy\s+)?[Ff]oreign\s+[Mm]inister|"
    r"[Pp]resident|[Pp]rime\s+[Mm]inister|[Dd]efen[cs]e\s+[Mm]inister|[Ff]oreign\s+[Mm]inistry\s+"
    r"spokes(?:person|man|woman)|[Kk]ing|[Cc]rown\s+[Pp]rince|[Ee]nvoy|[Aa]mbassador)\b"
    r"(?!\s+(?:[A-Z]\w+|al-))"
)
# "the Israeli foreign minister, Gabi Ashkenazi, said": the office of a state, then the name
# between commas.
_NATIONAL_OFFICE_NAMED = re.compile(
    rf"(?<!\w)(?:(?:[Tt]he|[Aa]n?)\s+|(?={_COUNTRY}['’]s\s))(?P<nat>{_NAT})\s+(?P<role>{_ROLE}),\s+"
    rf"(?P<name>{_NAME}),"
)
# "Niger's junta", "the Honduran government", "authorities in Paris": a state's body speaks.
_NATIONAL_BODY = re.compile(
    rf"\b(?:(?P<nat>{_NAT})\s+(?:(?:ruling(?!\s+(?:political\s+)?party)|military|interim|new)\s+)?"
    rf"(?P<inst>government|junta|authorities|cabinet|presidency|parliament|"
    rf"(?:ruling\s+)?(?:political\s+)?party|(?:[Ee]mbassy|[Cc]onsulate|[Mm]ission)(?:\s+(?:in|to)\s+"
    rf"(?:{_CAPITAL}|{_COUNTRY}))?)|(?P<inst2>[Aa]uthorities|[Oo]fficials)\s+in\s+"
    rf"(?P<city>{_CAPITAL}))\b"
)
# "the minister told state television": the office of someone the text named before.
_BARE_OFFICE = re.compile(
    # "the country's president has said": the state the text is about speaks
    rf"\b[Tt]he\s+(?:(?P<nat>{_NAT})\s+|(?:country|nation)['’]s\s+)?"
    r"(?P<role>(?:foreign\s+|prime\s+|defen[cs]e\s+)?minister|"
    r"president|envoy|ambassador|secretary-general|official|diplomat)\b(?!\s+(?:of|for)\b)"
    r"(?!\s+[A-Z])"
)
_TOP_DIPLOMAT = re.compile(rf"(?<!\w)(?P<nat>{_NAT})\s+(?P<role>(?:top\s+)?diplomat)\b")
_THE_SPOKESPERSON = re.compile(r"\b[Tt]he\s+(?P<role>[Ss]pokes(?:person|man|woman))\b(?!\s+for)")
# What other ministries are of: "Morocco's Interior Ministry", "the Ministry of Health" speak
# for their state as the foreign ministry does, under their own name (QA: "Foreign Ministry").
_MINISTRY_OF = (
    r"[Dd]efen[cs]e|[Ii]nformation|[Ii]nterior|[Hh]ealth|[Ff]inance|[Ee]conomy|[Jj]ustice|"
    r"[Ee]nergy|[Tt]rade|[Ee]ducation|[Aa]griculture|[Ee]nvironment|[Tt]ransport|[Cc]ulture|"
    r"[Oo]il|[Ll]abou?r|[Ii]ndustry|[Ee]mergenc(?:y|ies)|[Ii]mmigration|[Hh]ome\s+[Aa]ffairs"
)
_INSTITUTION_ANY = re.compile(
    rf"(?<!\w)(?:[Tt]he\s+|[Ii]ts\s+)?(?:(?P<nat>{_NAT})\s+)?(?P<inst>(?:(?:US|U\.S\.)\s+)?State\s+Department|"
    rf"[Ff]oreign\s+[Mm]inistry|(?:{_MINISTRY_OF})\s+[Mm]inistry|"
    rf"[Mm]inistry\s+of\s+(?:the\s+)?(?:[Ff]oreign\s+[Aa]ffairs|{_MINISTRY_OF})\b|"
    r"[Ff]oreign\s+[Aa]ffairs\s+[Mm]inistry|"
    r"(?:(?:ruling|military)\s+)?junta|"
    r"White\s+House|Kremlin|Pentagon|(?<=\s)army|(?<=\s)military|(?<=\s)UN\s+body|"
    r"Arab\s+League|European\s+Union|Gulf\s+Cooperation\s+Council|GCC|NATO)\b"
    r"(?:\s+(?:source|sources|official|officials)\b)?"  # "a Defense Ministry source said"
    r"(?:\s+in\s+(?P<city>Tehran|Ankara|Damascus|Riyadh|Cairo|Amman|Moscow|Baghdad|Beirut|Doha|"
    r"Yerevan|Washington|Abu\s+Dhabi)\b)?"  # "the Foreign Ministry in Tehran announced"
)
_SOURCES = re.compile(
    rf"\b(?:(?:[Aa]\s+)?(?:senior|top|high-ranking)\s+)?(?:(?P<nat>{_NAT})\s+)"
    r"(?:diplomatic\s+|government\s+|security\s+|senior\s+|official\s+|administration\s+)?"
    r"(?:sources?|officials?|diplomats?)\b"
)
_STATE = re.compile(rf"\b(?P<nat>{_COUNTRY}|{_CAPITAL})\b(?![’']s)")
# A state named by what it is: "the kingdom", "the Gulf nation", "the country" (not "the
# country's president", an office `_BARE_OFFICE` reads).
_THE_STATE = re.compile(
    r"\b[Tt]he\s+(?:(?:Gulf|Arab|African|Asian|European|Latin\s+American|Caribbean|"
    r"Central\s+American|South\s+American|island|west\s+African|east\s+African)\s+)?"
    r"(?:kingdom|emirate|sultanate|nation|country|state)\b(?![’']s)"
)
_GULF = {"Saudi Arabia", "United Arab Emirates", "Qatar", "Bahrain", "Kuwait", "Oman"}
_ARAB = _GULF | {
    "Egypt", "Jordan", "Iraq", "Syria", "Lebanon", "Libya", "Tunisia", "Algeria", "Morocco",
    "Sudan", "Yemen", "Mauritania", "Somalia", "Palestine",
}  # fmt: skip


def _region_state(m: re.Match[str], title: str, text: str) -> str | None:
    """The state "the Gulf state" or "the Arab country" stands for: the first of that region
    the headline (else the text before it) names; not the headline's first state whatever
    it is ("Turkey threatens to suspend UAE ties ... a day after the Gulf state announced")."""
    phrase = m.group().casefold()
    region = _GULF if "gulf" in phrase else _ARAB if "arab" in phrase else None
    if region is None:
        return None
    for where in (title, text[: m.start()]):
        for x in _STATE.finditer(where):
            state = _ACTORS.get(re.sub(r"['’]s$", "", _clean_ws(x.group("nat")).casefold()))
            if state in region:
                return state
    return None


# Between a name and a later verb, a phrase whose own verb of saying has its own subject
# ("ties with Taiwan, the Latin American country announced on Saturday, saying ..."): the
# name is the object of the sentence before it, not the speaker ("X, who said ..., added"
# keeps X).
_SPEAKS_BETWEEN = re.compile(
    r",\s+(?:the|a|an)\s+[^,;.]{0,60}?\b(?:said|says|announced|announces|stated|declared)\b"
)
_OFFICE_OF = re.compile(r"(?<![\w-])(?:[Aa]l-)?(?P<who>[A-Z][a-z]+)['’]s\s+office\b")
_TWO_STATES = re.compile(
    r"\b(?:[Tt]he|[Bb]oth)\s+(?:two\s+)?(?:countries|nations|neighbou?rs|capitals|governments)\b"
)
# Two states doing one thing: "Iran and Saudi Arabia agreed to resume diplomatic relations".
_JOINT_ACT = re.compile(
    rf"\b(?P<a>{_COUNTRY})\s+and\s+(?P<b>{_COUNTRY})\s+(?:have\s+|had\s+|both\s+)?"
    r"(?:agreed|decided|announced|signed|will|would|are\s+to|to)\b"
    r"(?=[^.;]{0,80}\b(?:relations|ties|embass|ambassador|diplomatic|normali))"
)
_STATE_AND = re.compile(rf"\b(?P<nat>{_COUNTRY}|{_CAPITAL})\s+and\s+")
_SAY_SURNAME = (
    rf"(?:(?:has|had|also|further|later|then|again|previously)\s+){{0,2}}(?:{_SAY[3:-1]}|"
    r"emphasi[sz]ed|affirmed|"
    r"reiterated|argued|explained|announced|confirmed|expressed|voiced|urged|mentioned|"
    # summaries in the present: "Boris Johnson announces the embassy is to reopen"
    r"announces|confirms|reiterates|"
    # a refusal without a verb of saying: "Vjosa Osmani ruled out more talks"
    r"ruled\s+out|rejected|refused|condemned|denounced|welcomed)"
)
_SURNAME = re.compile(
    rf"(?:\b(?P<a>(?:al-)?{_CAP})\s+{_SAY_SURNAME}\b|\b{_SAY}\s+(?P<b>(?:al-)?{_CAP})\b)"
)
_OTHER_DEPARTMENT = re.compile(
    r"\b(?!State\b)([A-Z][a-z]+)\s+Department\b|\bDepartment\s+of\s+(?!State\b)([A-Z][a-z]+)"
)
_INSTITUTION = re.compile(
    rf"\b(?:[Tt]he\s+)?(?P<inst>(?:(?:US|U\.S\.)\s+)?State\s+Department|[Dd]epartment|"
    rf"White\s+House|Foreign\s+Ministry|[Mm]inistry)\s+(?:on\s+\w+\s+|late\s+on\s+\w+\s+)?{_SAY}"
)

_ACTORS = {
    "state department": "United States",
    "department of state": "United States",
    "white house": "United States",
    "pentagon": "United States",
    "secretary of state": "United States",
    "us": "United States",
    "u.s.": "United States",
    "american": "United States",
    "kremlin": "Russia",
    "elysee": "France",
    "élysée": "France",
    "turkish": "Turkey",
    "syrian": "Syria",
    "saudi": "Saudi Arabia",
    "emirati": "United Arab Emirates",
    "jordanian": "Jordan",
    "egyptian": "Egypt",
    "iraqi": "Iraq",
    "omani": "Oman",
    "qatari": "Qatar",
    "bahraini": "Bahrain",
    "kuwaiti": "Kuwait",
    "lebanese": "Lebanon",
    "russian": "Russia",
    "iranian": "Iran",
    "italian": "Italy",
    "french": "France",
    "german": "Germany",
    "british": "United Kingdom",
    "chinese": "China",
    "eu": "European Union",
    "un": "United Nations",
    "arab league": "Arab League",
    "turkey": "Turkey",
    "jordan": "Jordan",
    "egypt": "Egypt",
    "saudi arabia": "Saudi Arabia",
    "iraq": "Iraq",
    "oman": "Oman",
    "qatar": "Qatar",
    "bahrain": "Bahrain",
    "kuwait": "Kuwait",
    "lebanon": "Lebanon",
    "russia": "Russia",
    "iran": "Iran",
    "italy": "Italy",
    "france": "France",
    "germany": "Germany",
    "britain": "United Kingdom",
    "china": "China",
    "tunisia": "Tunisia",
    "algeria": "Algeria",
    "morocco": "Morocco",
    "the uae": "United Arab Emirates",
    "uae": "United Arab Emirates",
    "israel": "Israel",
    "syria": "Syria",
    "washington": "United States",
    "ankara": "Turkey",
    "riyadh": "Saudi Arabia",
    "amman": "Jordan",
    "cairo": "Egypt",
    "moscow": "Russia",
    "damascus": "Syria",
    "abu dhabi": "United Arab Emirates",
    "tehran": "Iran",
    "baghdad": "Iraq",
    "beirut": "Lebanon",
    "khartoum": "Sudan",
    "tunis": "Tunisia",
    "sanaa": "Yemen",
    "doha": "Qatar",
    "yerevan": "Armenia",
    "armenia": "Armenia",
    "azerbaijan": "Azerbaijan",
    "greece": "Greece",
    "libya": "Libya",
    "sudan": "Sudan",
    "yemen": "Yemen",
    "palestine": "Palestine",
    "armenian": "Armenia",
    "azerbaijani": "Azerbaijan",
    "greek": "Greece",
    "israeli": "Israel",
    "palestinian": "Palestine",
    "libyan": "Libya",
    "sudanese": "Sudan",
    "yemeni": "Yemen",
    "tunisian": "Tunisia",
    "algerian": "Algeria",
    "moroccan": "Morocco",
    "united states": "United States",
    "united nations": "United Nations",
    "european union": "European Union",
    "turkiye": "Turkey",
    "türkiye": "Turkey",
    "united arab emirates": "United Arab Emirates",
    "the united arab emirates": "United Arab Emirates",
    "baku": "Azerbaijan",
    "honduras": "Honduras",
    "honduran": "Honduras",
    "tegucigalpa": "Honduras",
    "taiwan": "Taiwan",
    "taiwanese": "Taiwan",
    "taipei": "Taiwan",
    "nigeria": "Nigeria",
    "nigerian": "Nigeria",
    "niger": "Niger",
    "nigerien": "Niger",
    "niamey": "Niger",
    "mali": "Mali",
    "malian": "Mali",
    "bamako": "Mali",
    "burkina faso": "Burkina Faso",
    "pakistan": "Pakistan",
    "pakistani": "Pakistan",
    "islamabad": "Pakistan",
    "india": "India",
    "indian": "India",
    "new delhi": "India",
    "afghanistan": "Afghanistan",
    "afghan": "Afghanistan",
    "kabul": "Afghanistan",
    "ukraine": "Ukraine",
    "ukrainian": "Ukraine",
    "kyiv": "Ukraine",
    "japan": "Japan",
    "japanese": "Japan",
    "tokyo": "Japan",
    "south korea": "South Korea",
    "south korean": "South Korea",
    "seoul": "South Korea",
    "north korea": "North Korea",
    "north korean": "North Korea",
    "venezuela": "Venezuela",
    "venezuelan": "Venezuela",
    "caracas": "Venezuela",
    "colombia": "Colombia",
    "colombian": "Colombia",
    "nicaragua": "Nicaragua",
    "nicaraguan": "Nicaragua",
    "cuba": "Cuba",
    "cuban": "Cuba",
    "ethiopia": "Ethiopia",
    "ethiopian": "Ethiopia",
    "spain": "Spain",
    "spanish": "Spain",
    "canada": "Canada",
    "canadian": "Canada",
    "australia": "Australia",
    "australian": "Australia",
    "mexico": "Mexico",
    "mexican": "Mexico",
    "brazil": "Brazil",
    "brazilian": "Brazil",
    "argentina": "Argentina",
    "argentine": "Argentina",
    "somalia": "Somalia",
    "somali": "Somalia",
    "kosovo": "Kosovo",
    "serbia": "Serbia",
    "serbian": "Serbia",
    "beijing": "China",
    "paris": "France",
    "london": "United Kingdom",
    "berlin": "Germany",
    "rabat": "Morocco",
    "algiers": "Algeria",
    "manama": "Bahrain",
    "muscat": "Oman",
    "uk": "United Kingdom",
    **_STATE_OF,
}


@dataclass(frozen=True)
class _Mention:
    """A possible source of the quote found in the text."""

    kind: int  # 0 person, 1 office without a name, 2 institution, 3 surname only
    start: int
    end: int
    name: str | None
    role: str | None
    org: str | None
    nat: str | None


def _clean_ws(s: str) -> str:
    return " ".join(s.split())


def _mentions(text: str) -> list[_Mention]:
    out: list[_Mention] = []
    for m in _PERSON_FULL.finditer(text):
        name = _trim_name(m.group("name"))
        if name:
            role = m.group("role")
            mod = (m.group("mod") or m.group("mod0") or "").strip()
            if mod.casefold() in ("deputy", "former"):
                # "Deputy Foreign Minister" is another office; a former one speaks as an analyst
                role = f"{mod.capitalize()} {role}"
            out.append(_Mention(0, m.start(), m.end(), name, role, m.group("org"), m.group("nat")))
    for m in _PERSON_APPOS.finditer(text):
        name = _trim_name(m.group("name"))
        if name:
            # The appositive ends at its closing comma: "Jane Roe, a spokeswoman for the
            # Foreign Ministry, said" binds the name to the verb as the comma-less form does.
            end = m.end() + 1 if text.startswith(",", m.end()) else m.end()
            out.append(_Mention(0, m.start(), end, name, m.group("role"), m.group("org"), None))
    for m in _ORG_NAME.finditer(text):
        name = _trim_name(m.group("name"))
        if name:
            out.append(
                _Mention(0, m.start(), m.end("name"), name, "spokesperson", m.group("org"), None)
            )
    for m in _NATIONAL_OFFICE_NAMED.finditer(text):
        name = _trim_name(m.group("name"))
        if name and not any(o.kind == 0 and o.start <= m.start("name") < o.end for o in out):
            nat = re.sub(r"['’]s$", "", m.group("nat"))
            out.append(_Mention(0, m.start(), m.end(), name, m.group("role"), None, nat))
    for m in _PERSON_APPOS_ANY.finditer(text):
        name = _trim_name(m.group("name") or m.group("name2"))
        if not name or name.casefold() in _ACTORS or name.split()[-1].casefold() in _ACTORS:
            continue
        if _OBJECT_BEFORE.search(text, max(0, m.start() - 20), m.start()):
            # "... restore ties with Assad, minister says": the name ends the reported words,
            # the speaker is the minister, not Assad.
            continue
        if not any(o.kind == 0 and o.start <= m.start() < o.end for o in out):
            # The appositive runs to its closing comma: "Sam Heller, a researcher at X, argued".
            close = re.compile(
                r"(?:[^,.;:“”\"\n]|\.(?=\S)|(?<=\b[A-Z])\.){0,110}(?:,|(?=\.(?:\s|$)))"
            ).match(text, m.end())
            end = close.end() if close else m.end()
            org = _clean_ws(m.group("org2")) if m.group("org2") else None
            role = m.group("role") or m.group("role2")
            out.append(_Mention(0, m.start(), end, name, role, org, None))
    for m in _TOP_DIPLOMAT.finditer(text):
        if not any(o.start <= m.start("role") < o.end for o in out):
            nat = re.sub(r"['’]s$", "", m.group("nat"))
            out.append(_Mention(1, m.start(), m.end(), None, m.group("role"), nat, m.group("nat")))
    for m in _BODY_SPOKESPERSON.finditer(text):
        if not any(o.start <= m.start("role") < o.end for o in out):
            org = _clean_ws(m.group("org"))
            out.append(_Mention(1, m.start(), m.end(), None, m.group("role"), org, None))
    for m in _BARE_OFFICE.finditer(text):
        if not any(o.start <= m.start("role") < o.end for o in out):
            out.append(_Mention(1, m.start(), m.end(), None, m.group("role"), None, m.group("nat")))
    for m in _NATIONAL_OFFICE.finditer(text):
        if not any(o.start <= m.start("role") < o.end for o in out):
            nat = re.sub(r"['’]s$", "", m.group("nat"))
            out.append(_Mention(1, m.start(), m.end(), None, m.group("role"), nat, m.group("nat")))
    for m in _SPOKESPERSON_FOR.finditer(text):
        if not any(o.start <= m.start("role") < o.end for o in out):
            org = _clean_ws(m.group("org"))
            name = _trim_name(m.group("name")) if m.group("name") else None
            kind = 0 if name else 1
            out.append(
                _Mention(kind, m.start(), m.end(), name, m.group("role"), org, m.group("nat"))
            )
    for m in _THE_SPOKESPERSON.finditer(text):
        if not any(o.start <= m.start() < o.end for o in out):
            out.append(_Mention(1, m.start(), m.end(), None, m.group("role"), None, None))
    for m in _INSTITUTION_ANY.finditer(text):
        if not any(o.start <= m.start("inst") < o.end for o in out):
            inst_nat: str | None = m.group("nat") or m.group("city")
            if inst_nat is None and m.group().casefold().startswith("its "):
                # "Honduras has ended ..., its ministry of foreign affairs announced": the
                # sentence's own subject, not the state its verb acts on.
                sent_start = max(text.rfind(". ", 0, m.start()), text.rfind("\n", 0, m.start()))
                states = list(_STATE.finditer(text, sent_start + 1, m.start()))
                inst_nat = states[0].group("nat") if states else None
            out.append(_Mention(2, m.start(), m.end(), None, None, m.group("inst"), inst_nat))
    for m in _NATIONAL_BODY.finditer(text):
        if not any(o.start <= m.start() < o.end for o in out):
            body_nat: str = re.sub(r"['’]s$", "", m.group("nat") or m.group("city"))
            inst = m.group("inst") or m.group("inst2")
            out.append(_Mention(2, m.start(), m.end(), None, None, inst, body_nat))
    for m in _OFFICE_ONLY.finditer(text):
        out.append(_Mention(1, m.start(), m.end(), None, m.group("role"), m.group("org"), None))
    for m in _INSTITUTION.finditer(text):
        out.append(_Mention(2, m.start(), m.end("inst"), None, None, m.group("inst"), None))
    for m in _OFFICE_OF.finditer(text):
        # "al-Assad's office reported": the office speaks for its principal, no person.
        if not any(o.start <= m.start() < o.end for o in out if o.kind < 2):
            state = _KNOWN_SPEAKERS.get(normalize_text(m.group("who")))
            out.append(_Mention(2, m.start(), m.end(), None, None, _clean_ws(m.group()), state))
    whole: list[tuple[int, int]] | None = None  # the text's states, found once if needed
    for m in _SURNAME.finditer(text):
        sur = m.group("a") or m.group("b")
        if not sur or sur in _NOT_NAMES:
            continue
        start, end = (m.start("a"), m.end("a")) if m.group("a") else (m.start("b"), m.end("b"))
        if sur.casefold() in _ACTORS:
            # "South Sudan says": the state whose name ends with this word, not Sudan.
            if whole is None:
                whole = [(s.start(), s.end()) for s in _STATE.finditer(text)]
            longer = next(((a, b) for a, b in whole if a < start and b == end), None)
            if longer is not None:
                start, sur = longer[0], _clean_ws(text[longer[0] : longer[1]])
        if sur in ("PM", "FM"):
            # "..., says PM": an office, not a state's initials (set 12: "PM" was a state)
            out.append(_Mention(1, start, end, None, sur, None, None))
        elif sur.casefold() in _ACTORS or sur.isupper():
            # "the US said", "Washington says": a state speaks, no person or office.
            out.append(_Mention(2, start, end, None, None, None, sur))
        elif not _is_org_word(sur):
            first = _FIRST_NAMES.search(text, 0, start) if m.group("a") else None
            if first and not any(
                w in _NOT_NAMES
                or w.casefold() in _ACTORS
                or _is_org_word(w)
                or w.endswith(("'s", "’s"))  # "Jordan's Safadi": a state's, not a first name
                for w in first.group("first").split()
            ):
                # "Maria Lopez says": the name as written, first name included
                full = f"{_clean_ws(first.group('first'))} {sur}"
                out.append(_Mention(3, first.start("first"), end, full, None, None, None))
                continue
            out.append(_Mention(3, start, end, sur, None, None, None))
    return out


# One or two capitalised words just before a surname, at the start of a line or after a
# comma: the rest of a name written in full ("Maria Lopez says", ", Gustavo Petro said").
_OFFICE_WORDS = re.compile(
    r"\b(?:Minister|President|Secretary|Spokes\w+|Ministry|Office|Department|Chancellor|"
    r"Premier|Envoy|Ambassador|General|Commission|Council|Agency|Government|Cabinet|"
    r"Parliament|Assembly|Court|Army|Police|TV|Radio|News|Press|Times|Post)\b",
    re.IGNORECASE,
)
# After a closing quote too: '“...,” Jane Roe said' (QA round 19: nobody spoke).
_FIRST_NAMES = re.compile(rf"(?:^|\n|,\s|[”\"’']\s)(?P<first>{_CAP}(?:[ \t]+{_CAP})?)[ \t]+$")


# Where analysts work: an appositive naming one makes its person a commentator.
_THINK_TANK = re.compile(
    r"\b(?:Institute|Institution|University|Center|Centre|Council\s+on|Fund|Foundation|"
    r"Crisis\s+Group|Brookings|Carnegie|Chatham|RAND|think\s+tank|College|School)\b"
)


def _is_org_word(word: str) -> bool:
    return word.casefold() in {
        "department",
        "ministry",
        "house",
        "office",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "washington",
        "statement",
        "dept",
        "co-operation",
        "cooperation",
        "affairs",
        "international",
    }


def _trim_name(name: str) -> str | None:
    words = re.sub(r"['’]s$", "", name).split()
    while words and (words[-1] in _NOT_NAMES or _is_org_word(words[-1])):
        words.pop()
    if not words or words[0] in _NOT_NAMES:
        return None
    if " ".join(words).casefold() in _ACTORS:
        return None  # "Turkish", "Iran": a state, not a person
    return " ".join(words)


_QUOTE_PATTERNS = (
    re.compile(r"“([^“”]{12,}?)”"),
    re.compile(r"\"([^\"\n]{12,}?)\""),
    re.compile(r"“([^“”\n]{12,}?),[’']"),  # opened with a double, closed with a single quote
    re.compile(r"“([^“”\n]{12,})(?=\n|$)"),  # an opening quote the page never closed
    re.compile(r"(?:^|(?<=[\s(]))‘([^‘’]{20,}?)’(?=[\s,.;:)]|$)"),
    # Straight single quotes, as headlines and some wires use them; an apostrophe inside
    # ("Syria's") ends the attempt rather than risk a false quote.
    re.compile(r"(?:^|(?<=[\s(]))'([^'\n]{20,}?)'(?=[\s,.;:)]|$)"),
)
_KEY_WORDS = (
    ("normaliz", 5),
    ("normalis", 5),
    ("rehabilitat", 2),
    ("relations", 1),
    ("ties", 1),
    ("support", 1),
    ("oppose", 1),
    ("assad", 1),
    ("regime", 1),
    ("damascus", 1),
)


def _quotes(text: str) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    for pat in _QUOTE_PATTERNS:
        for m in pat.finditer(text):
            if any(s <= m.start() < e for s, e, _ in spans):
                continue
            body = _clean_ws(m.group(1)).strip(" ,")
            if len(body.split()) >= 4:
                spans.append((m.start(), m.end(), body))
    return sorted(spans)


def _distance(m: _Mention, qs: int, qe: int, text: str) -> int:
    """How far a mention is from the quote as an attribution; 999 when it cannot be one.

    After the quote it must sit in the same sentence (", Price told reporters"); before it,
    the same paragraph is best ("a State Department spokesperson said: ...").
    """
    if m.start >= qe:
        between = text[qe : m.start]
        closed = text[max(qs, qe - 3) : qe]
        if "\n" in between or re.search(r"[.!?]", between) or re.search(r"[.!?]", closed):
            return 999
        if re.search(r"\b(?:he|she|they|we)\s+[a-z]+", between) or re.search(
            r"\b(?:to|with|for)\s+$", between
        ):
            return 999  # '“...,” they wrote in a letter to President X': X is not the speaker
        return m.start - qe
    if m.end <= qs:
        gap = qs - m.end + 5
        return gap + 100 if "\n" in text[m.end : qs] else gap
    return 400  # inside the quote


def _bound_after(m: _Mention, qe: int, text: str) -> bool:
    """Whether a mention right after a quote is bound to a verb of saying: '...,” X said',
    '...,” said X'."""
    if not 0 <= m.start - qe <= 12:
        return False
    between = text[qe : m.start]
    if re.fullmatch(rf"[\s,”\"’']*(?:{_SAY_ALL})\s+(?:the\s+)?", between):
        return True
    # the first part of a double surname may stand between: '...,” Bou Habib said'
    if not re.fullmatch(
        r"[\s,”\"’']*(?:the\s+|a\s+|an\s+|(?:Bou|Abu|Abou|Al|El|Bin|Ben|Van|Von|De|Da|Di|Le|La)\s+)?",
        between,
    ):
        return False
    verb = rf"(?:{_SAY_ALL}|reported|quoted)"  # an office or an agency reports the words
    return re.match(rf"\s*(?:\w+\s+){{0,2}}?{verb}\b", text[m.end : m.end + 50]) is not None


def _canon_org(org: str | None) -> str | None:
    if not org:
        return None
    o = _clean_ws(org)
    low = o.casefold()
    if any(k in low for k in ("state department", "state dept", "department of state")) or (
        low == "department"
    ):
        return "State Department"
    if low == "ministry" or re.fullmatch(
        r"ministry of foreign affairs|foreign affairs ministry", low
    ):
        return "Foreign Ministry"
    if re.match(r"(?:embassy|consulate|mission)\b", low):
        return low.split()[0].capitalize()  # "the Saudi embassy in Tehran": the Embassy
    if low in ("government", "junta", "presidency", "authorities", "cabinet", "officials"):
        return o.capitalize()  # "the Honduran presidency", "Authorities in Paris"
    if low in ("foreign ministry", "defense ministry", "defence ministry", "information ministry"):
        return o.title()  # "Saudi Arabia's foreign ministry said"
    of = re.fullmatch(r"ministry\s+of\s+(?:the\s+)?(.+)", low)
    if of:  # "the Ministry of the Interior": the Interior Ministry
        return f"{of[1].title()} Ministry"
    if low.endswith(" ministry"):
        return o.title()  # "Morocco's interior ministry said": the Interior Ministry
    return re.sub(r"^(?:U\.?S\.?|US|American)\s+", "", o)


_ROLE_ABBREVIATIONS = {
    "rep.": "Representative",
    "sen.": "Senator",
    "pm": "Prime Minister",
    "fm": "Foreign Minister",
}
_US_PARTY_TAG = re.compile(r"\s*\([RDI]-[A-Z]")


def _canon_role(role: str | None, org: str | None, text: str) -> str | None:
    if not role:
        return org
    r = _clean_ws(role).casefold()
    if r.startswith("foreign ministry spokes"):
        return "Foreign Ministry spokesperson"
    if r.startswith("spokes"):
        return f"{org} spokesperson" if org else "spokesperson"
    if "diplomat" in r and ((org and org != "State Department") or r == "top diplomat"):
        return "Foreign Minister"  # "Jordan's top diplomat" (a US one has "US" in it)
    if r.startswith("minister of foreign affairs"):
        return "Foreign Minister"
    if r == "secretary of state" or "diplomat" in r:
        return "Secretary of State"
    if r in ("secretary-general", "secretary general"):
        return "Secretary-General"
    if r in ("chief", "head") and org:
        return f"{org} {r}"  # "the Arab League chief"
    if r == "secretary":
        us = "State Department" in text or "Secretary of State" in text
        return "Secretary of State" if us else "Secretary"
    if r in _ROLE_ABBREVIATIONS:
        return _ROLE_ABBREVIATIONS[r]
    small = ("to", "of", "for", "the", "and")  # "Ambassador to Syria", not "To"
    return " ".join(
        w if w in small else (w.capitalize() if w.islower() else w) for w in _clean_ws(role).split()
    )


# Officials often named without their country in short items ("Erdogan says ...").
_KNOWN_SPEAKERS = {
    "erdogan": "Turkey",
    "cavusoglu": "Turkey",
    "fidan": "Turkey",
    "akar": "Turkey",
    "blinken": "United States",
    "price": "United States",
    "patel": "United States",
    "miller": "United States",
    "assad": "Syria",
    "mekdad": "Syria",
    "safadi": "Jordan",
    "shoukry": "Egypt",
    "tajani": "Italy",
    "guterres": "United Nations",
    "borrell": "European Union",
    "leyen": "European Union",  # Ursula von der Leyen, Commission President
    "salman": "Saudi Arabia",  # King Salman, Crown Prince Mohammed bin Salman
    "tariq": "Oman",  # Sultan Haitham bin Tariq
    "gheit": "Arab League",
    "zaki": "Arab League",
    "trump": "United States",
    "biden": "United States",
    "kirby": "United States",
    "sullivan": "United States",
    "putin": "Russia",
    "lavrov": "Russia",
    "peskov": "Russia",
    "zakharova": "Russia",
    "raisi": "Iran",
    "kanaani": "Iran",
    "amir-abdollahian": "Iran",
    "araghchi": "Iran",
    "pashinyan": "Armenia",
    "mirzoyan": "Armenia",
    "aliyev": "Azerbaijan",
    "netanyahu": "Israel",
    "sisi": "Egypt",
    "mikati": "Lebanon",
    "pedersen": "United Nations",
}


@lru_cache(maxsize=4096)
def _actor_of_key(key: str) -> str | None:
    """The state a nationality, body or office names (cached: the same few keys recur, and the
    states of all the ties the extractor reads make the table long)."""
    low = re.sub(r"['’]s$", "", _clean_ws(key).casefold())
    exact = _ACTORS.get(low)
    if exact is not None:
        return exact
    # Else the longest state word standing as a word of the key: "South Sudan's envoy" is
    # South Sudan, not Sudan; "Romania" holds "omani" but not as a word.
    best = ""
    for word in _ACTORS:
        if len(word) > len(best) and (
            low.startswith(word + " ") or low.endswith(" " + word) or f" {word} " in f" {low} "
        ):
            best = word
    return _ACTORS[best] if best else None


_TITLE_LEAD = re.compile(rf"\s*(?:{_COUNTRY}|{_NAT})\b")
_TITLE_OFFICE = re.compile(
    rf"(?P<nat>{_NAT}|(?:{_COUNTRY})['’]s)\s+(?P<office>PM|FM|President|Prime\s+Minister|"
    r"Foreign\s+Minister)\b"
)


def _actor(m: _Mention | None, office: str | None, title: str, speaker: str | None) -> str | None:
    keys = []
    if m is not None:
        keys += [m.nat or "", m.org or "", m.role or ""]
    keys.append(office or "")
    if speaker:
        known = _KNOWN_SPEAKERS.get(normalize_text(speaker).split()[-1])
        if known:
            keys.append(known.casefold())
    for k in keys:
        found = _actor_of_key(k)
        if found:
            return found
    if office:
        # the headline names whose office it is: "Israel recalls envoy over Spanish PM's
        # comments" with "Prime Minister Pedro Sánchez" in the text is Spain's, not Israel's
        for t in _TITLE_OFFICE.finditer(title):
            if (
                _ABBREVIATED.get(t.group("office"), t.group("office")).casefold()
                == office.casefold()
            ):
                state = _actor_of_key(t.group("nat"))
                if state:
                    return state
    lead = _TITLE_LEAD.match(title)
    if lead:
        word = re.sub(r"['’]s$", "", _clean_ws(lead.group()).casefold())
        lead_actor = _ACTORS.get(word)
        if lead_actor and lead_actor != "Syria":
            return lead_actor
    return None


# First words of two-word bodies that speak as a person does ("White House said").
_BODY_FIRST_WORDS = frozenset(
    re.findall(
        r"\w+",
        "white downing foreign human state prime home defence defense justice supreme united "
        "european security general amnesty national "
        # a sentence's first word before a body: "The Treasury said", "But Treasury said"
        "the a an this that its his her their our but and in on at when while after before as "
        "if then also",
    )
)
_SAYS_OFFICE_LAST = re.compile(
    r"(?i),\s+(?:says|said)\s+(?:the\s+)?(?:pm|fm|president|(?:foreign\s+|prime\s+)?minister)"
    r"\.?\s*$"
)
_PERSON_ROLE = re.compile(r"(?i)(?:foreign\s+|prime\s+|defen[cs]e\s+)?(?:minister|president)")


def _holder_named(m: _Mention, mentions: list[_Mention], text: str) -> str | None:
    """ "Catherine Colonna said" in a text whose statement is an unnamed office's ("France's
    foreign minister has said"): a full name speaking there is the office's holder, so it is
    trusted as a speaker (grouping then joins it to the office). None without such an office
    or when the name reads as a body ("White House said")."""
    office_named = any(
        o.kind == 1 and o.role and _PERSON_ROLE.fullmatch(_clean_ws(o.role)) for o in mentions
    )
    # "..., says PM" above "Boris Johnson says ...": the headline named the office
    if not (office_named or _SAYS_OFFICE_LAST.search(text.split("\n", 1)[0])):
        return None
    if m.name and " " in m.name:  # already a full name ("Boris Johnson says")
        first = m.name.split()[0]
        return None if first.casefold() in _BODY_FIRST_WORDS else m.name
    before = re.search(rf"(?<![\w-])(?P<first>{_CAP})[ \t]+$", text[max(0, m.start - 30) : m.start])
    if before is None or before["first"].casefold() in _BODY_FIRST_WORDS:
        return None
    return f"{before['first']} {m.name}"


def _full_name(surname: str, mentions: list[_Mention]) -> _Mention | None:
    """The mention naming in full a person written by surname ("Zardari", or a double
    surname "Bhutto Zardari" of "Bilawal Bhutto Zardari")."""
    if " " in surname:
        for m in mentions:
            if m.kind == 0 and m.name and m.name.endswith(f" {surname}"):
                return m
    for m in mentions:
        if m.kind == 0 and m.name and m.name.split()[-1] == surname and " " in m.name:
            return m
    for m in mentions:
        if m.kind == 0 and m.name and m.name.split()[-1] == surname:
            return m
    return None


def _org_for(m: _Mention, text: str) -> str | None:
    """The body a spokesperson speaks for: written with the role, else the first in the text."""
    if m.org:
        return _canon_org(m.org)
    if m.role and m.role.casefold().startswith("spokes"):
        found = re.search(_ORG, text)
        return _canon_org(found.group()) if found else None
    return None


def _office_for(name: str, mentions: list[_Mention], text: str) -> str | None:
    """The office written next to this person anywhere in the text, most specific first."""
    best: str | None = None
    for m in mentions:
        if m.kind == 0 and m.name and m.name.split()[-1] == name.split()[-1]:
            office = _canon_role(m.role, _org_for(m, text), text)
            if office and (best is None or len(office) > len(best)):
                best = office
    return best


# Not after "U.S." or "U.N.": "the U.S. Institute of Peace" goes on.
# A title's full stop ends no sentence: "Rep. Jane Roe", "Dr. Roe", "Gen. Roe".
_TITLE_STOPS = "".join(
    rf"(?<!\b{t}\.)"
    for t in ("Rep", "Sen", "Mr", "Ms", "Mrs", "Dr", "Gen", "Gov", "Prof", "Lt", "Col")
)
_SENT_END = re.compile(rf"(?<=[.!?])(?<!\.[A-Z]\.){_TITLE_STOPS}[”\"’]?\s+(?=[A-Z“\"])|\n+")


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENT_END.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if e > s]


_SAY_ALL = (
    r"(?:said|says|say|told|tells|added|adds|noted|notes|stated|states|stressed|wrote|warned|"
    r"tweeted|posted|emphasi[sz]ed|underlined|highlighted|asserted|assured|conveyed|"
    r"insisted|announced|announces|argued|argues|believes|explained|considered|claimed|claims|"
    r"declared|continued|reiterated|affirmed|confirmed|denied|deny|denies|voiced|expressed|"
    r"made\s+clear|indicated|accused|accuses|criticized|criticised|demanded|replied|responded|"
    r"answered|saying|mentioned|urged|invited|welcomed|hailed|praised|put\s+it|called\s+(?:on|for)|"
    # "called the leader's charge “baseless and cynical”": a quoted verdict
    r"called(?=\s+(?:\S+\s+){0,5}?[“\"])|"
    r"[Aa]ccording\s+to|revealed|disclosed|suggested|"
    # Verbs a summary uses for a stance (not only for words): "the president hopes ties ...".
    r"warns|vowed|vows|pledged|pledges|hoped|hopes|signall?ed|signals|insists|stresses|"
    r"affirms|confirms|"
    # A refusal of the ties is a statement whatever the verb: "ruled out any normalisation"
    r"(?:ruled\s+out|rejected|refused|condemned|denounced)(?=[^.;:]{0,80}?\b(?:normali|ties\b|"
    r"relations|rapprochement|embass|ambassador|engag|readmi|reinstat|dialogue|talks\b)))"
)
_SAY_ALL_RE = re.compile(rf"\b{_SAY_ALL}\b")
# What may stand between a subject and its verb: an adverbial, an auxiliary, an appositive.
_GAP_OK = re.compile(
    r"^(?:\s+|,[^.;:“”\"]{0,90},|\b(?:on|late|early|in|at|has|have|had|also|once|again|"
    r"recently|earlier|later|then|further|reportedly|publicly|would|will|[A-Z][a-z]+day(?:'s)?|"
    r"sharply|strongly|firmly|openly|angrily|bluntly|flatly|explicitly|categorically|formally|"
    r"officially|privately|separately|jointly|"
    r"previously|"
    r"[A-Z][a-z]+\.?\s*\d{1,2}(?:st|nd|rd|th)?|\d{1,2}|in\s+[A-Z][a-z]+|repeatedly|"
    r"for\s+(?:his|her|its|their)\s+part)\b|,\s*who\b|"
    # a US legislator's party and state: "Rep. Jane Roe (R-Ohio) said"
    r"\s*\([RDI]-[A-Z][\w. ]{1,20}\))*"
    # a coordinated verb phrase: "received Assad on Sunday and told him"
    r"(?:\s+[a-z]+(?:\s+[\w’']+){0,5}\s+and\s*)?$"
)
_CONTENT_LEAD = re.compile(  # used with match(text, pos): no "^", which pins to the string start
    r"(?:\s|,|:|\b(?:that|him|her|them|us|journalists|to\s+reporters|reporters|in\s+a\s+statement|"
    # "said last week that ...", "said earlier this month": the day is no content
    r"(?:last|this|earlier\s+this|late\s+last)\s+(?:week|month|year)|yesterday|"
    # "said on November 28 that", "said the same day that"
    r"on\s+[A-Z][a-z]+\s+\d{1,2}(?:st|nd|rd|th)?|the\s+same\s+day|"
    r"on\s+condition\s+of\s+anonymity|(?:late\s+|early\s+)?(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|"
    r"in\s+an?\s+[\w\s]{0,30}?"
    r"interview(?:\s+with\s+[\w\s]{0,30}?)?|on\s+\w+|late\s+on\s+\w+|"
    # "said during talks with Assad that ...": up to the "that", not into the words
    r"during\s+[^,]{0,60}?(?=\s+that\b|\s*,)|"
    r"at\s+[^,]{0,60}briefing|in\s+\w+|to\s+the\s+[A-Z][\w.\s]{0,40}?(?=\s[a-z])|once\s+again|"
    r"(?:a|the)\s+(?:regular\s+|daily\s+|weekly\s+)?(?:news\s+|press\s+)?(?:briefing|conference)|"
    r"again|its\s+opposition\s+to[^,]{0,120}|the\s+\w+\s+that|"
    r"[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3}\s+(?:TV|television|newspaper|news\s+agency|agency|channel)|"
    # "told AFP on Tuesday that ...": the agency spoken to is no content
    r"AFP|Reuters|AP|the\s+Associated\s+Press|Anadolu(?:\s+Agency)?|Xinhua|TASS|RIA\s+Novosti|"
    r"IRNA|SPA|WAM|QNA|KUNA|MENA|SANA|Al\s+Jazeera|Al\s+Arabiya|CNN|BBC)\b)*"
)
# ", consolidating ...", ", marking ..." after a verb of saying is the reporter's narration.
_NARRATION_AFTER = re.compile(
    r"\s*,\s*(?!adding|saying|noting|stressing|warning|urging|calling|insisting|arguing|"
    r"explaining|emphasi[sz]ing|underlining|pointing|according)[a-z]+ing\b"
)
# Verbs that put their subject after them ("..., said Jane Roe"); "invited X" has an object.
_INVERTS = re.compile(
    r"said|says|say|told|tells|added|adds|noted|notes|stated|states|wrote|stressed|explained|"
    r"argued|argues|continued|insisted|replied|responded|answered|announced|announces|"
    r"tweeted|warned|affirmed|confirmed|declared|emphasi[sz]ed|reiterated|[Aa]ccording\s+to"
)
# "Erdogan had previously said", "X had earlier told": another, earlier occasion.
_EARLIER_EN = re.compile(
    r"(?:[^.;:“”\"]{0,20}?)\b(?:had\s+(?:also\s+)?(?:previously|earlier)\s+\w+|"
    r"(?:has|had)\s+previously\s+\w+|previously\s+(?:said|told|stated|called|urged))"
)
_STATE_OR_NAT = re.compile(rf"\b(?:{_NAT}|{_COUNTRY})\b")
# A sentence whose subject stands before a quote that goes on from it: 'Bolivia “has ...'.
_QUOTED_PREDICATE = re.compile(r"\s*((?:[A-Z][\w'’.-]+\s+){1,3}?)(?=[“\"])")


def _bound_after_any(text: str, qe: int) -> bool:
    """A verb of saying follows the quote's end: '...,” the minister announced'."""
    return (
        re.match(rf"[,.]?[”\"]?[^.;:“”\"\n]{{0,80}}?\b{_SAY_ALL}\b", text[qe : qe + 100])
        is not None
    )


# Reported words that only add to words before the subject: "adding that ...".
_PARTICIPLE_ONLY = re.compile(r"(?:adding|saying|noting|stressing|insisting)\b")
# Three words are a statement when one is a verb: "talks would continue".
_FINITE = re.compile(
    r"\b(?:would|will|is|are|was|were|has|have|had|could|can|must|should|may|might)\b"
)


def _trim_owner(before: str) -> str:
    """Words before a subject without the subject's own owner: "..., the kingdom's" of "the
    kingdom's foreign ministry said"."""
    return re.sub(r"[\s,]+(?:the\s+)?(?:\w+['’]s|its|their)\s*$", "", before).strip(" ,")


# "... and said", "..., and also told": a verb coordinated with the one before it.
_AND_BEFORE = re.compile(r"\band\s+(?:also\s+|later\s+|then\s+)?$")
_CLAUSE_BREAK = re.compile(r"[.;:“”\"]")


def _and_verb(text: str, start: int, verb: int) -> bool:
    """The verb at `verb` follows "and", with no clause break since `start` (linear: a search
    for the whole pattern from every position was quadratic in the sentence)."""
    return (
        _AND_BEFORE.search(text, max(start, verb - 20), verb) is not None
        and _CLAUSE_BREAK.search(text, start, verb) is None
    )


# A lowercase verb right after a sentence's subject, acting on what follows: "met", "held
# talks with", "received", "spoke by phone with".
_ACTS_ON = re.compile(r"\s+(?!and\b|or\b|who\b|which\b)[a-z]+\s")


def _opener_of(text: str, start: int, obj: _Mention, mentions: list[_Mention]) -> _Mention | None:
    """The person or office opening the sentence at `start` when `obj`, the mention nearest
    a verb after "and", is what the opener's first verb acts on; else None."""
    start = max(start, text.rfind("\n", 0, obj.start) + 1)  # a headline is no sentence of it
    for m in mentions:
        if m is obj or m.kind not in (0, 1) or not start <= m.start <= start + 4:
            continue
        if (
            m.end < obj.start
            and _ACTS_ON.match(text, m.end)
            and _CLAUSE_BREAK.search(text, m.end, obj.start) is None
            and _SAY_ALL_RE.search(text, m.end, obj.start) is None
        ):
            return m
    return None


_SAID_BEFORE = re.compile(r"\b(?:said|says|told|stated|declared|announced|added|noted)\b")
_CLAUSE_SUBJECT = re.compile(
    r"\s+(?:would|will|had|has|have|is|was|were|are|must|should|could|can|may|might|did|does|"
    r"do|wants?|plans?|intends?)\b"
)
_STATEMENT_FROM = re.compile(
    r"\s+(?:an?|the)\s+(?:joint\s+|written\s+|brief\s+)?(?:statement|communiqu[eé]|readout|"
    r"release|letter|post|tweet)\s+(?:from|by|of|issued\s+by|released\s+by)\b"
)
_TOLD_WHOM = re.compile(r"\s+[^,.;:“”\"\n]{2,60}?\s+that\s")
_ACT_VERB = re.compile(
    r"invited|welcomed|hailed|praised|urged|called\s+(?:on|for)|ruled\s+out|rejected|refused|condemned|"
    r"denounced"
)
_PASSIVE_URGED = re.compile(r"(?:urged|asked|pressed|called\s+on)\s+to\s")
_PASSIVE_BY = re.compile(r"\s+by\s+")
# "..., the junta said in a statement dated August 29": a place, a time or the statement's own
# particulars are no content; the words came before the subject.
_TAIL_ONLY = re.compile(
    # "of" too: "said in one of her bluntest speeches" reads "in one" as a lead
    r"^(?:on|in|at|of|during|via|through|from|after|before|to|dated|issued|released|published|"
    r"citing|accusing|blaming|referring|following|amid|over|as|while)\b"
)
_PRONOUN_BEFORE = re.compile(r"\b(?P<p>[Hh]e|[Ss]he|[Ii]t|[Tt]hey)\s+(?:\w+\s+)?$")
# ',” he said' - not "\nHe added:", which opens the next quote.
_PRONOUN_AFTER = re.compile(
    rf"^[,.]?[”\"’']?[ \t]*,?[ \t]*(?:[Hh]e|[Ss]he)\s+(?:{_SAY_ALL}|continued)\b(?!\s*:)"
)
_THEY_AFTER = re.compile(rf"^[,.]?[”\"’']?[ \t]*,?[ \t]*they\s+(?:{_SAY_ALL})\b")
_PRONOUN_INTRO = re.compile(r"(?:[Hh]e|[Ss]he)\s+(?:continued|added|said)\s*:\s*$")
# Background positions ("the US has long said") and plans are not statements of a day.
_FRAGMENT_BEFORE = re.compile(r"(?:\bthat|[:,(]|^)\s*$")


def _fold_key(name: str) -> str:
    """A surname to compare: the last word, folded; an Arabic final alif after waw is a
    spelling variant ("أوغلوا" is "أوغلو")."""
    key = normalize_text(name).split()[-1] if name.split() else ""
    return key[:-1] if key.endswith("وا") else key


def _english_said(title: str, text: str) -> list[Said]:
    """Every attribution in an English text: direct quotes and reported speech, in order."""
    mentions = _mentions(text)
    quotes = _quotes(text)
    sents = _sentences(text)
    found: list[Said] = []

    def person(m: _Mention) -> tuple[str | None, str | None, str | None, str]:
        speaker = office = None
        basis = m  # the mention whose nationality or body tells the state
        if m.kind == 3 and m.name:
            full = _full_name(m.name, mentions)
            basis = full or m
            # A bare surname is trusted in the headline, for a known official, or when the
            # text makes it speak twice ("Gargash said ... Gargash added"); once in body text
            # it is too often "Treasury said".
            bare_ok = (
                # "Maria Lopez says": a name written in full (not "Prime Minister said")
                (len(m.name.split()) >= 2 and not _OFFICE_WORDS.search(m.name))
                or re.search(rf"\b{re.escape(m.name)}\b", title) is not None
                or normalize_text(m.name) in _KNOWN_SPEAKERS
                or sum(1 for o in mentions if o.kind == 3 and o.name == m.name) >= 2
            )
            speaker = full.name if full else (m.name if bare_ok else None)
            if speaker is None:
                speaker = _holder_named(m, mentions, text)
            if full is not None:
                office = _office_for(full.name or "", mentions, text)
        elif m.kind == 0 and m.name:
            full = _full_name(m.name.split()[-1], mentions)
            speaker = full.name if full and full.name else m.name
            office = _office_for(speaker, mentions, text)
        elif m.kind == 1 and m.org is None and m.role and m.role.islower():
            # "the minister", "the Iranian official": the last person named before it with
            # that office, or of that state.
            word = m.role.split()[-1]
            generic = word in ("official", "diplomat")
            named = [
                o
                for o in mentions
                if o.kind == 0
                and o.end <= m.start
                and o.role
                and (generic or word in o.role.casefold())
                and (m.nat is None or o.nat == m.nat)
            ]
            if named:
                basis = max(named, key=lambda o: o.end)
                speaker = basis.name
                office = _office_for(speaker or "", mentions, text)
            elif not generic:
                office = _canon_role(m.role, None, text)
        elif m.kind == 1:
            office = _canon_role(m.role, _org_for(m, text), text)
        elif m.kind == 2:
            office = _canon_org(m.org)
            bare = (m.org or "").casefold()
            if bare in ("ministry", "department"):
                earlier = [
                    o
                    for o in mentions
                    if o.kind == 2
                    and o.org
                    and o.end <= m.start
                    and bare in o.org.casefold()
                    and o.org.casefold() != bare
                ]
                if earlier:
                    m = max(earlier, key=lambda o: o.end)
                    office = _canon_org(m.org)
                elif bare == "department":
                    # "Education Department cancels ... The department said": that one, not
                    # the State Department (QA)
                    departments: list[tuple[str, str]] = _OTHER_DEPARTMENT.findall(text, 0, m.start)
                    if departments:
                        office = f"{departments[-1][0] or departments[-1][1]} Department"
        actor = _actor(basis, office, title, speaker)
        written = " ".join(x for x in (m.role, m.org, m.nat) if x)
        return speaker, office, actor, written

    def said(m: _Mention, pos: int, qpos: int, content: str, direct: bool) -> Said | None:
        speaker, office, actor, _written = person(m)
        if speaker is None and office is None and actor is None:
            return None
        # "Jane Roe, director of a fund in Ankara,": the whole appositive tells an analyst.
        appositive = text[m.start : m.end] if m.kind == 0 else ""
        commentator = is_commentator_role(m.role) or (
            bool(m.role) and _THINK_TANK.search(appositive) is not None
        )
        if commentator:
            # An analyst speaks for no state: not the one the headline leads with ("Jordan
            # backs ..." made a Beirut researcher speak for Jordan), only one they are from.
            actor = _actor(m, office, "", speaker)
        if actor is None and m.kind == 0 and not commentator:
            # "Mao Ning, a spokeswoman for China's foreign ministry,": the appositive's state
            # (not an analyst's subject: "Joshua Landis, a Syria analyst", QA 19).
            state = _STATE_OR_NAT.search(text, m.start, m.end)
            if state:
                actor = _ACTORS.get(re.sub(r"['’]s$", "", _clean_ws(state.group()).casefold()))
            elif _US_PARTY_TAG.match(text, m.end):
                actor = "United States"  # "Rep. Jane Roe (R-Ohio)": a member of Congress
        if actor is None and office and not commentator:
            # "Beirut will restore full relations ..., Prime Minister Nawaf Salam said": an
            # office holder of no named state speaks for the state his words open with.
            opening = _STATE.match(content)
            if opening:
                actor = _ACTORS.get(_clean_ws(opening.group("nat")).casefold())
        role: Role = "commentator" if commentator else "official"
        keys = [speaker.split()[-1]] if speaker else []
        if office:
            keys.append(office.split()[0] if "spokes" in office else office)
        if m.org:
            keys.append(_clean_ws(m.org))
        earlier = bool(_EARLIER_EN.match(text, m.end, m.end + 40))
        return Said(
            pos, qpos, speaker, office, actor, content, direct, role, tuple(keys), False, earlier
        )

    def previous(pos: int, more: list[Said]) -> Said | None:
        before = [s for s in found + more if s.pos < pos and (s.speaker or s.office)]
        return max(before, key=lambda s: s.pos) if before else None

    reported: list[Said] = []
    # Speakers of a quote's attribution ("“...,” Price told reporters"): not reported speech
    # themselves, but the person a later "He said ..." refers back to.
    voices: list[Said] = []
    used_quotes: set[int] = set()
    used_ends: list[int] = []
    subjects_only = [
        _Mention(2, m.start(), m.end(), None, None, None, m.group("nat"))
        for pat in (_SOURCES, _STATE)
        for m in pat.finditer(text)
    ]
    # "The kingdom said ...": the state the headline leads with (`_actor` falls back to it),
    # or none, and then no statement.
    subjects_only += [
        _Mention(2, m.start(), m.end(), None, None, None, _region_state(m, title, text))
        for m in _THE_STATE.finditer(text)
    ]
    for s, e in sents:
        last_subject: tuple[_Mention, int] | None = None  # this sentence's, and its verb's end
        for v in _SAY_ALL_RE.finditer(text, s, e):
            if any(qs <= v.start() < qe for qs, qe, _ in quotes):
                continue
            if _PASSIVE_URGED.match(text, v.start(), e):
                continue  # "Peru and Chile urged to mend ties": they are urged, not urging
            subject: _Mention | None = None
            for m in sorted(mentions + subjects_only, key=lambda m: (-m.end, m.kind)):
                if (
                    s <= m.start
                    and m.end <= v.start()
                    and _GAP_OK.match(text[m.end : v.start()])
                    and not _SPEAKS_BETWEEN.search(text, m.end, v.start())
                ):
                    subject = m
                    break
            if subject is not None and last_subject is None and _and_verb(text, s, v.start()):
                # "Saudi Foreign Minister Prince Faisal met President Assad in Damascus and
                # said ...": the person met is the object; the sentence's subject speaks.
                subject = _opener_of(text, s, subject, mentions) or subject
            if (
                last_subject is not None
                and (subject is None or subject.start >= last_subject[1])
                and _and_verb(text, last_subject[1], v.start())
            ):
                # "Lavrov welcomed the rapprochement between Ankara and Damascus and said ...":
                # the verb after "and" is the first subject's; the states were its object.
                subject = last_subject[0]
            if subject is not None:
                last_subject = (subject, v.end())
            pair = _TWO_STATES.search(text, s, v.start())
            if subject is None and pair and _GAP_OK.match(text[pair.end() : v.start()]):
                # "the two countries announced ...": the last two states the text named.
                named = [
                    _ACTORS.get(_clean_ws(x.group("nat")).casefold())
                    for x in _STATE.finditer(f"{title}\n{text[: pair.start()]}")
                ]
                last_two = list(dict.fromkeys(reversed([x for x in named if x])))[:2]
                content = text[pair.start() : e].strip(" ,.;:")
                if len(last_two) == 2 and len(content.split()) >= 5:
                    for state in reversed(last_two):
                        reported.append(
                            Said(pair.start(), pair.start(), None, None, state, content, False)
                        )
                continue
            tail_s = v.end()
            lead_m = _CONTENT_LEAD.match(text, tail_s, e)
            cs = lead_m.end() if lead_m else tail_s
            told = _TOLD_WHOM.match(text, tail_s, e) if v.group() in ("told", "tells") else None
            if told:
                cs = told.end()  # "told Bashar al-Assad that ...": the person told is no content
            content = text[cs:e].strip(" ,.;:")
            if _ACT_VERB.fullmatch(v.group()):
                # "invited Raisi to Riyadh", "welcomed the decision": the verb is the act.
                cs = v.start()
                content = text[cs:e].strip(" ,.;:")
            content = _without_background(content)
            if _NARRATION_AFTER.match(text, v.end(), e):
                content = ""  # "..., a spokesperson said, consolidating a push ...": not speech
            passive = _PASSIVE_BY.match(text, v.end(), e)
            if subject is None and passive:
                # "This was stated by Assistant Secretary Barbara Leaf": the words came before.
                by = [m for m in mentions if passive.end() <= m.start <= passive.end() + 4]
                prev_sent = next(((a, b) for a, b in reversed(sents) if b <= s), None)
                if v.start() - s > 40:  # "..., noting that this was confirmed by X": same sentence
                    prev_sent = (s, v.start())
                if by and prev_sent and len(text[prev_sent[0] : prev_sent[1]].split()) >= 4:
                    got = said(
                        by[0],
                        by[0].start,
                        prev_sent[0],
                        text[prev_sent[0] : prev_sent[1]].strip(" .,"),
                        False,
                    )
                    if got is not None:
                        reported.append(got)
                continue
            if (
                subject is None
                and v.group() == "saying"
                and _SAID_BEFORE.search(text, s, v.start())
            ):
                # "X said on Sunday that ..., saying that ...": the same speaker's words, in
                # the content of the verb before; nobody else's statement.
                continue
            if subject is None and v.group() == "saying":
                # "X met Y, saying ...": the subject of the sentence speaks.
                # Not across another subject's verb of saying: "..., the country announced on
                # Saturday, saying ..." is the announcer's, read with "announced".
                firsts = [
                    m
                    for m in mentions
                    if s <= m.start < v.start()
                    and m.kind in (0, 1, 2)
                    and not _SPEAKS_BETWEEN.search(text, m.end, v.start())
                ]
                subject = min(firsts, key=lambda m: m.start) if firsts else None
            if subject is None and _INVERTS.fullmatch(v.group()):
                # "..., says UN body": the speaker comes after the verb.
                reach = 6
                via = _STATEMENT_FROM.match(text, v.end(), e)
                if via and v.group().lower().startswith("according"):
                    reach = via.end() - v.end() + 6  # "according to a statement from X"
                after = [
                    m
                    for m in mentions
                    if v.end() < m.start <= v.end() + reach
                    and m.end <= e
                    # "said Morocco would keep ...": the content's subject, not the speaker
                    and not _CLAUSE_SUBJECT.match(text, m.end)
                ]
                if after:
                    subject = after[0]
                    content, cs = text[s : v.start()].strip(" ,"), s
                    if v.group().lower().startswith("according") and len(content.split()) < 4:
                        # "According to the minister, the talks were positive."
                        comma = text.find(",", subject.end, e)
                        if comma > 0:
                            cs = comma + 1
                            content = text[cs:e].strip(" ,.;:")
                    elif v.group().lower().startswith("according"):
                        # "... where the talks covered, according to the minister, a plan
                        # for ...": the parenthesis splits the reported words in two.
                        rest = re.match(r"\s*,\s*([^,;]{12,})", text[subject.end : e])
                        if rest and len(rest.group(1).split()) >= 3:
                            content = f"{content} {rest.group(1).strip(' .;:')}"
                    if len(content.split()) < 4 or re.search(r"[“”\"]", content):
                        voice = said(subject, subject.start, cs, "", False)
                        voices += [voice] if voice is not None else []
                        continue
            if subject is None:
                pron = _PRONOUN_BEFORE.search(text[max(s, v.start() - 20) : v.start()])
                prev = previous(v.start(), reported + voices) if pron else None
                if prev is None or len(content.split()) < 4:
                    continue
                reported.append(
                    Said(
                        v.start(),
                        cs,
                        prev.speaker,
                        prev.office,
                        prev.actor,
                        content,
                        mostly_quoted(content),
                        prev.role,
                        prev.keys,
                    )
                )
                continue
            if subject is not None and re.search(r",\s*who\b", text[subject.end : v.start()]):
                # "Erdogan, who has repeatedly expressed his wish to meet Assad, ...": the
                # relative clause ends at its comma.
                content = content.split(",")[0].strip()
            act = _ACT_VERB.fullmatch(v.group()) is not None
            raw_tail = text[v.end() : e].strip(" ,.;:")
            if (
                subject is not None
                and not act
                and _TAIL_ONLY.match(raw_tail)
                and "," in raw_tail
                and not _FINITE.search(raw_tail.split(",")[0])
                and not re.search(r"\bthat\b", raw_tail)
                and text[s : subject.start].rstrip().endswith(",")
            ):
                # "Beirut will restore ties ..., Prime Minister Nawaf Salam said on Monday,
                # in the clearest sign yet of a thaw": the words came before the subject; what
                # follows the verb's adverbials is the reporter's.
                before = _trim_owner(text[s : subject.start])
                goes_on = raw_tail.split(",", 1)[1].strip()
                if len(before.split()) >= 4 and not mostly_quoted(before):
                    # "..., saying it recognises ...": the speaker's words go on
                    content = f"{before}, {goes_on}" if _PARTICIPLE_ONLY.match(goes_on) else before
                    cs = s
            if subject is not None and _PARTICIPLE_ONLY.match(content):
                # "France will not normalise ..., the ministry said in a statement, adding
                # that ...": the words before the subject are the statement, the rest adds.
                before = _trim_owner(text[s : subject.start])
                if len(before.split()) >= 4 and not mostly_quoted(before):
                    content, cs = f"{before}, {content}", s
            if len(content.split()) < (3 if act or _FINITE.search(content) else 4) or (
                _TAIL_ONLY.match(content)
                and subject.start > s + 20
                # "..., Lamamra said on Tuesday at a news conference, accusing ...": a place
                # and a participle are no content; "said at a forum that ..." still is.
                and (len(content.split()) < 8 or not re.search(r"\bthat\b", content))
            ):
                # "..., the Syrian Defense Ministry said on Saturday.": the content comes first.
                before = _trim_owner(text[s : subject.start])
                if len(before.split()) < 4 or re.search(r"[“”\"]", before):
                    voice = said(subject, subject.start, s, "", False)
                    voices += [voice] if voice is not None else []
                    continue
                content, cs = before, s
            got = said(subject, subject.start, cs, content, mostly_quoted(content))
            partner = _STATE_AND.search(text, s, subject.start) if subject.kind == 2 else None
            if got is not None and got.actor and partner and partner.end() == subject.start:
                # "Israel and Turkey said Wednesday they had agreed ...": each state speaks.
                other = _ACTORS.get(_clean_ws(partner.group("nat")).casefold())
                if other and other != got.actor:
                    # The joint act is quoted from the first state: "Egypt and Turkey said ...".
                    quote = text[partner.start() : e].strip(" ,.;:")
                    got = replace(got, content=quote, qpos=partner.start())
                    reported.append(replace(got, actor=other))
            if got is not None:
                if v.group().startswith("den"):
                    got = replace(got, denial=True)
                reported.append(got)
    unresolved_end: int | None = None  # the end of a quote "they said": nobody named
    for qs, qe, body in quotes:
        if _THEY_AFTER.match(text[qe : qe + 40]):
            unresolved_end = qe
            continue
        if (
            unresolved_end is not None
            and 0 <= qs - unresolved_end < 200
            and "\n" not in text[unresolved_end:qs]
        ):
            unresolved_end = qe  # the same speakers go on: "“...,” they wrote ... . “...”"
            continue
        lead = text[max(0, qs - 40) : qs]
        sent = next(((s, e) for s, e in sents if s <= qs < e), (qs, qe))
        # A quote inside someone else's sentence ("accused Assad of continuing “to inflict”")
        # is a fragment, not a statement; it may still be part of reported speech below.
        starts_clause = qs <= sent[0] + 1 or _FRAGMENT_BEFORE.search(lead) is not None
        named_subject = _QUOTED_PREDICATE.match(text, sent[0])
        opens = named_subject is not None and named_subject.end() == qs
        if named_subject and opens and not starts_clause and _bound_after_any(text, qe):
            # 'Bolivia “has decided to break diplomatic relations ...,” the minister
            # announced': the state opens the sentence, the speaker's words go on from it.
            starts_clause = True
            body = f"{named_subject.group(1).strip()} {body}"
        if not starts_clause or len(body.split()) < 5:
            continue
        chosen: Said | None = None
        tail = text[qe : qe + 40]
        if _PRONOUN_AFTER.match(tail) or _PRONOUN_INTRO.search(text[max(0, qs - 30) : qs]):
            prev = previous(qs, reported)
            if prev is None:
                continue  # "he said" with nobody before it: no guess from a nearby name
            else:
                chosen = Said(
                    qe, qs, prev.speaker, prev.office, prev.actor, body, True, prev.role, prev.keys
                )
        if chosen is None:
            near = [m for m in mentions if _distance(m, qs, qe, text) <= 250]
            # '“...,” al-Assad's office said': the name bound to the verb right after the
            # quote is its speaker, whatever was named before it.
            near.sort(
                key=lambda m: (
                    not _bound_after(m, qe, text),
                    _distance(m, qs, qe, text) // 40,
                    m.kind,
                )
            )
            if near:
                pick = near[0]
                if pick.kind == 2:
                    # '“Secretary Blinken made clear that ...,” the department said': the
                    # person speaking inside the quote; not one merely named in it.
                    inside = [
                        m
                        for m in mentions
                        if m.kind == 0
                        and qs <= m.start < qe
                        and re.match(rf"\s*(?:{_SAY_ALL})\b", text[m.end : m.end + 30])
                    ]
                    if inside:
                        pick = inside[0]
                chosen = said(pick, pick.start, qs, body, True)
        if chosen is not None:
            found.append(chosen)
            used_quotes.add(qs)
            used_ends.append(qe)

    for qs, _qe, body in quotes:
        joint = _JOINT_ACT.search(body) if qs not in used_quotes else None
        if joint is None:
            continue
        # '“As a result of the talks, Iran and Saudi Arabia agreed to resume diplomatic
        # relations ...,” the agency reported': the two states' joint act, one statement each.
        states = [_ACTORS.get(_clean_ws(joint.group(g)).casefold()) for g in ("a", "b")]
        if states[0] and states[1] and states[0] != states[1]:
            used_quotes.add(qs)
            for one in states:
                found.append(Said(qs, qs, None, None, one, body, True))
    for got in reported:
        # Drop the attribution of a quote already taken ("“...,” Price told reporters") and a
        # content that is that quote.
        if any(qe <= got.pos and not re.search(r"[.!?\n]", text[qe : got.pos]) for qe in used_ends):
            continue
        if any(got.qpos <= q < got.qpos + 3 for q in used_quotes):
            continue
        found.append(got)
    found.extend(_headline_said(text, found, mentions, person))
    found.extend(_lead_act(text, found))
    return _cut_at_next(sorted(found, key=lambda x: x.qpos), text)


_HEAD_LEAD = re.compile(rf"^(?P<who>{_NAME})\s*:\s+(?P<words>\S.{{10,}})$")
_HEAD_TAIL = re.compile(
    rf"^(?P<words>\S.{{10,}}?)\s*(?::|\s[–—-])\s+(?P<who>(?:{_NAT}\s+)?(?:FM|PM|{_NAME}))\s*$"
)
_ABBREVIATED = {"FM": "Foreign Minister", "PM": "Prime Minister"}
# A headline's words after "Name:" are the speaker's own when quoted or in the first person
# ("Erdogan: 'We may meet Assad'", "Erdogan: We may meet Assad"), else the desk's summary.
_HEAD_OWN_WORDS = re.compile(r"[\"“'‘].{2,}[\"”'’]$|(?:I|We|We're|I'm|I'll|We'll|Our|My)\b")
# A headline that is the act or stance itself: "Saudi Arabia welcomes Iran deal", "Algeria
# recalls ambassador from France", "UAE to send ambassador back to Iran", "Israel's Netanyahu
# vows ...". Only the first line, and only verbs of taking a side on ties or acting on them.
_HEAD_ACT = re.compile(
    # "In tit-for-tat move, India asks ...": a short lead phrase may open the headline
    r"^(?:(?:In|After|Amid)\s+[^,]{3,40},\s+|['‘\"“][^'’\"”]{3,60}['’\"”]:\s+|"
    # "Rift grows, as Israel cancels ...": the desk's news first, then a state's act
    rf"[A-Z][^,:;]{{3,80}}?,?\s+as\s+(?=(?:{_COUNTRY}|{_CAPITAL})\s))?"
    rf"(?P<who>(?:{_NAT}\s+)?(?:{_COUNTRY}|{_CAPITAL}|{_NAME}))"
    rf"(?:(?:,|\s+and)\s+(?P<who2>{_COUNTRY}))?"
    r"(?:\s+(?P<body>(?i:junta|government|presidency|foreign\s+ministry|cabinet|lawmakers|"
    r"parliament|(?:coup|military)\s+(?:leaders|rulers))))?\s+"
    # Verbs in lower or Title Case ("Canada Moves to Restore Ties with ...").
    r"(?P<words>(?i:welcomes?|hails?|rejects?|condemns?|denounces?|vows?|urges?|calls?\s+(?:on|for)|"
    # "The Taliban Refuses to Come ...", "Colombia is the latest country to sever ties ..."
    r"refuses?\s+to|(?:is|becomes|became)\s+(?:the\s+)?(?:latest|first|second|third|fourth|"
    r"fifth|newest|only|last)\s+(?:[\w-]+\s+){0,4}?(?:country|nation|state|government)"
    r"(?:\s+(?:this|last)\s+(?:year|month|week))?\s+to\s+"
    r"(?=restore|reopen|resume|cut|sever|recall|expel|upgrade|normali[sz]e|establish|break|"
    r"end|recogni[sz]e|suspend|downgrade|close)|"
    # "Australia blocks new Russian embassy": blocking an embassy, a consulate, a diplomat
    r"blocks?\s+(?=(?:\S+\s+){0,3}(?:embass|consulate|envoy|ambassador|diplomat))|"
    r"praises?|backs?|slams?|pledges?|seeks?|recalls?|cuts?|severs?|restores?|reopens?|resumes?|"
    r"expels?|upgrades?|downgrades?|suspends?|establishes|establish|breaks?|appoints?|revokes?|"
    r"normali[sz]es?|closes?|shuts?|ends?|summons?|withdraws?|protests?|strips?|freezes?|"
    r"halts?|scraps?|cancels?|"
    # "declares Mexico envoy 'persona non grata'"; "agree to EU plan to normalise relations"
    r"declares?\s+(?:\S+\s+){1,4}?['‘\"“]?persona\s+non\s+grata|"
    r"agrees?\s+to\s+(?=.*\b(?:relations|ties|normali[sz]|embass|ambassador|diplomatic))|"
    r"asks?\s+\S+\s+"
    r"(?:diplomats?|envoys?|ambassadors?)|orders?\s+\S+\s+(?:diplomats?|envoys?|ambassadors?)|"
    r"(?:to|will|moves?\s+to|plans?\s+to|set\s+to|votes?\s+to)\s+(?:restore|reopen|resume|send|"
    r"appoint|cut|sever|recall|expel|upgrade|normali[sz]e|establish|return|break|end|exchange|"
    r"name|close|withdraw|summon|suspend|downgrade|shut))\b.{8,})$"
)


# Headlines that report speech without a name: "Algerian president says Morocco ties reach
# 'point of no return'", "Iran Says Saudi Delegation Arrived to Reopen Embassy", "China backs
# off trade coercion against Lithuania, envoy says", "Saudi Arabia, Iran to reopen embassies
# 'within days': Minister". The speaker is a state, or an office of a state, or an office alone.
_HEAD_OFFICE = (
    r"(?:[Tt]op\s+)?(?:[Pp]resident(?:-[Ee]lect)?|[Pp]rime\s+[Mm]inister|[Ff]oreign\s+[Mm]inister|"
    r"[Dd]efen[cs]e\s+[Mm]inister|[Ff]inance\s+[Mm]inister|[Mm]inister|FM|PM|[Ee]nvoy|"
    r"[Aa]mbassador|[Dd]iplomat|[Ss]pokes(?:man|woman|person)|[Oo]fficials?|[Gg]overnment|"
    r"[Ff]oreign\s+[Mm]inistry|[Mm]inistry|[Kk]ing|[Cc]rown\s+[Pp]rince|[Ll]eader|[Jj]unta|"
    r"[Pp]residency|[Ss]ources?|[Mm]ilitary\s+(?:[Rr]ulers|[Aa]uthorities|[Gg]overnment|[Ll]eaders)|"
    # "...: parliament speaker"
    r"(?:[Pp]arliament(?:ary)?\s+)?[Ss]peaker)"
)
_HEAD_WHO = (
    rf"(?:(?P<nat>{_NAT}|{_COUNTRY})\s+)?(?P<office>{_HEAD_OFFICE})\b"
    # "..., White House says": an institution speaks for its state
    rf"|(?P<state>{_COUNTRY}|{_CAPITAL}|White\s+House|State\s+Department|Kremlin|Pentagon|"
    r"Elysee|Élysée|U\.S\.|US|UK|EU)"
)
_HEAD_VERB = (
    r"(?:[Ss]ays?|[Ss]aid|[Ww]arns?|[Hh]opes?|[Ss]ees|[Ss]ignals?|[Ii]nsists?|[Cc]onfirms?|"
    r"[Dd]enies|[Vv]ows?|[Ss]tresses|[Aa]ffirms?|[Aa]nnounces?|[Bb]elieves?|[Ee]xpects?|"
    r"[Cc]laims?|[Tt]ells\s+\S+|[Uu]rges|[Ww]elcomes|[Rr]ejects|[Rr]efuses|[Rr]ules\s+out|"
    r"[Oo]bjects(?:\s+to)?|"
    # "Serbian president sharply criticizes ...": a verdict is a statement
    r"(?:(?:[Ss]harply|[Ss]trongly|[Ff]iercely)\s+)?(?:[Cc]riticizes|[Cc]riticises|[Ss]lams|"
    r"[Bb]lasts|[Cc]ondemns|[Dd]enounces))"
)
# Verbs whose refusal is the statement: kept in its words, so its stance is read with them.
_HEAD_REFUSING = re.compile(
    r"(?:[Rr]ejects|[Rr]efuses|[Rr]ules\s+out|[Oo]bjects(?:\s+to)?|(?:\w+\s+)?(?:[Cc]riticizes|"
    r"[Cc]riticises|[Ss]lams|[Bb]lasts|[Cc]ondemns|[Dd]enounces))$"
)
_HEAD_WHO_ANY = re.sub(r"\(\?P<\w+>", "(?:", _HEAD_WHO)  # the same, without the groups
_HEAD_SAYS = re.compile(
    rf"^(?P<who>{_HEAD_WHO_ANY})\s+(?P<verb>{_HEAD_VERB})\s+(?:that\s+)?(?P<words>\S.{{8,}})$"
)
_HEAD_SAYS_AFTER = re.compile(
    rf"^(?P<words>\S.{{10,}}?)\s*(?:,\s+(?P<who>{_HEAD_WHO_ANY})\s+{_HEAD_VERB}"
    # "...: Minister", and "... – Turkish FM" as some wire desks write it
    rf"|(?::|\s[–—-])\s+(?P<who_>{_HEAD_WHO_ANY})"
    # "..., says PM": the verb before who, as British desks write it
    rf"|,\s+(?:[Ss]ays|[Ss]aid|[Ww]arns|[Ii]nsists|[Cc]laims)\s+(?:the\s+)?(?P<who_said>{_HEAD_WHO_ANY}))"
    # "..., White House Says Amid Concerns of ...": the desk's context after the speaker
    r"(?:\s+(?:[Aa]mid|[Aa]s|[Aa]fter|[Oo]ver|[Dd]espite)\s+\S.*)?"
    r"\.?\s*$"
)


_HEAD_WHO_RE = re.compile(_HEAD_WHO)
# A headline that reports an analyst's words: "Jordan backs Arab normalization with Assad,
# analyst says", "Saudi Arabia will restore ties, professor predicts", "...: Expert". The
# state it names is the subject of the analysis, not a speaker.
_HEAD_COMMENTATOR = re.compile(
    r"^(?P<words>\S.{10,}?)\s*(?:,\s+(?:says?\s+)?|:\s+)(?:an?\s+|the\s+)?"
    r"(?P<who>(?:[A-Z][\w.-]*\s+){0,3}?(?i:analysts?|experts?|professors?|researchers?|"
    r"scholars?|academics?|commentators?|columnists?|observers?|think[- ]tank))"
    r"(?:\s+(?i:says?|predicts?|warns?|argues?|believes?|writes?|claims?))?\s*$"
)
# "Lapid says ...", "Turkey's Erdogan vows ...": a person named in full (two words or more) or
# after their state; one capitalised word alone ("Report says") is not taken for a name.
_HEAD_PERSON_SAYS = re.compile(
    rf"^(?:(?P<nat>{_NAT})\s+)?(?P<name>{_NAME})\s+(?P<verb>{_HEAD_VERB})\s+(?:that\s+)?"
    rf"(?P<words>\S.{{8,}})$"
)
_NOT_A_PERSON = re.compile(
    rf"^(?:The|A|An|New|Report|Reports|Study|Poll|Analysis|Opinion|Editorial|Sources?|Official|"
    rf"Officials|{_COUNTRY}|{_NAT}|{_CAPITAL})\b"
)


def _headline_speech(line: str) -> Said | None:
    """A first line reporting what a state or an unnamed office said (see _HEAD_SAYS)."""
    m = _HEAD_SAYS.match(line) or _HEAD_SAYS_AFTER.match(line)
    if m is None:
        return _headline_person(line)
    who = next(g for g in ("who", "who_", "who_said") if m.groupdict().get(g))
    inner = _HEAD_WHO_RE.fullmatch(m.group(who))
    if inner is None:
        return None
    state_word = inner.group("state") or inner.group("nat")
    actor = (
        _ACTORS.get(re.sub(r"['’]s$", "", _clean_ws(state_word).casefold())) if state_word else None
    )
    office_word = inner.group("office")
    office = None
    if office_word:
        low = _clean_ws(office_word).casefold()
        if low in ("source", "sources", "official", "officials"):
            office = None
        elif low in ("fm", "pm"):
            office = _ABBREVIATED[low.upper()]
        else:
            office = _canon_role(office_word, None, line) or None
    if office is None and actor is None:
        return None
    if actor is None:  # "Kenya to restore ties with Somalia, foreign minister says"
        actor = _actor(None, office, line, None)
    keys = tuple(k for k in (office,) if k)
    return Said(
        m.start(who), m.start("words"), None, office, actor, _head_words(m), False, keys=keys
    )


# Two leaders each after their state: "Iran's Pezeshkian, Egypt's al-Sisi eye full ties",
# "Turkey's Erdogan and Egypt's Sisi agree to ...": a statement of each, in the same words.
_JOINT_VERB = (
    r"(?:[Ee]yes?|[Aa]gree[sd]?|[Dd]iscuss(?:es|ed)?|[Vv]ow(?:s|ed)?|[Hh]ail(?:s|ed)?|"
    r"[Pp]ledge[sd]?|[Cc]all(?:s|ed)?\s+for|[Ss]eek|[Bb]ack|[Ww]elcome[sd]?|[Ss]ign(?:s|ed)?|"
    r"[Rr]eview(?:s|ed)?|[Ss]tress(?:es|ed)?|[Uu]rge[sd]?|[Ss]ay|[Ss]aid|[Hh]old|[Hh]eld|"
    r"[Mm]eet|[Mm]et|[Tt]alk)"
)
_HEAD_TWO = re.compile(
    rf"^(?P<nat>{_NAT})\s+(?P<name>(?:al-)?{_NAME})(?:,|\s+and)\s+(?P<nat2>{_NAT})\s+"
    rf"(?P<name2>(?:al-)?{_NAME})\s+"
    rf"(?P<verb>{_JOINT_VERB})\s+(?:on\s+|to\s+)?(?P<words>\S.{{8,}})$"
)


def _quoted_by_name(m: re.Match[str]) -> bool:
    """ "Bassirou Diomaye Faye: 'There will soon be ...'": a full name (two words or more, no
    state's) before a colon and words in quotation marks is a person quoted, known or not."""
    if m.re is not _HEAD_LEAD:
        return False
    name = _clean_ws(m.group("who"))
    words = m.group("words").strip()
    return (
        len(name.split()) >= 2
        and not _NOT_A_PERSON.match(name)
        and not any(w.casefold() in _ACTORS for w in name.split())
        and words[:1] in "'‘\"“"
        and words[-1:] in "'’\"”"
    )


def _headline_pair(line: str) -> list[Said]:
    """A first line where two leaders, each after their state, say or agree one thing."""
    m = _HEAD_TWO.match(line)
    if m is None:
        return []
    out = []
    for nat_group, name_group in (("nat", "name"), ("nat2", "name2")):
        name = _clean_ws(m.group(name_group))
        actor = _ACTORS.get(re.sub(r"['’]s$", "", _clean_ws(m.group(nat_group)).casefold()))
        if actor is None or _NOT_A_PERSON.match(name) or name.casefold() in _ACTORS:
            return []
        words = m.group("words").strip(" .\"“”'‘’")
        out.append(
            Said(
                m.start(name_group),
                m.start("words"),
                name,
                None,
                actor,
                words,
                False,
                keys=(name.split()[-1],),
            )
        )
    return out


def _headline_person(line: str) -> Said | None:
    """A first line reporting what a named person said ("Petro says ties with Caracas ...")."""
    m = _HEAD_PERSON_SAYS.match(line)
    if m is None:
        return None
    name = _clean_ws(m.group("name"))
    nat = m.group("nat")
    if _NOT_A_PERSON.match(name) or (len(name.split()) < 2 and not nat):
        return None
    if any(w.casefold() in _ACTORS for w in name.split()):
        return None  # "Israel Hamas war says ...": states, not a person
    office = None
    titled = _HEAD_TITLED.match(name)
    if titled:  # "Tunisian President Kais Saied objects ...": the office, then the name
        office, name = _canon_role(titled.group("role"), None, line), titled.group("rest")
    actor = _ACTORS.get(re.sub(r"['’]s$", "", _clean_ws(nat).casefold())) if nat else None
    known = _KNOWN_SPEAKERS.get(normalize_text(name).split()[-1])
    if actor is None and known:
        actor = _actor_of_key(known.casefold())
    keys = (name.split()[-1],)
    return Said(
        m.start("name"), m.start("words"), name, office, actor, _head_words(m), False, keys=keys
    )


_HEAD_TITLED = re.compile(
    r"(?P<role>President|Prime\s+Minister|Foreign\s+Minister|Minister|Premier|Chancellor)\s+"
    r"(?P<rest>\S+\s+\S.*)$"
)


def _head_words(m: re.Match[str]) -> str:
    """What a headline says was said; a refusing verb stays in it ("rules out talks ...")."""
    words = m.group("words").strip(" .\"“”'")
    lead = _CONTENT_LEAD.match(words)  # "said on Sunday that ...": the day is no content
    if lead and lead.end() and len(words[lead.end() :].split()) >= 3:
        words = words[lead.end() :].strip(" ,")
    verb = m.groupdict().get("verb")
    if verb and _HEAD_REFUSING.match(verb):
        return f"{_clean_ws(verb).lower()} {words}"
    return words


def _headline_said(
    text: str,
    found: list[Said],
    mentions: list[_Mention],
    person: Callable[[_Mention], tuple[str | None, str | None, str | None, str]],
) -> list[Said]:
    """Headline forms: "Erdogan: Turkey ready to meet Assad", "... to reopen embassy: FM"."""
    out: list[Said] = []
    start = 0
    for line in text.split("\n"):
        s, start = start, start + len(line) + 1
        analyst = _HEAD_COMMENTATOR.match(line) if s == 0 else None
        if analyst and len(line.split()) <= 20:
            # the analyst's reading, whatever else found in the line: no state speaks in it
            found[:] = [f for f in found if not 0 <= f.pos < len(line)]
            words = analyst.group("words").strip(" .\"“”'")
            office = analyst.group("who").split()[-1].rstrip("s").capitalize()
            out.append(Said(0, 0, None, office, None, words, False, "commentator"))
            continue
        if len(line.split()) > 20 or any(s <= f.pos < s + len(line) for f in found):
            continue
        m = _HEAD_LEAD.match(line) or _HEAD_TAIL.match(line)
        pair = _headline_pair(line) if s == 0 and not m else []
        if pair:
            out.extend(pair)
            continue
        if not m:
            speech = _headline_speech(line) if s == 0 else None
            if speech is not None:
                out.append(speech)
                continue
            act = _HEAD_ACT.match(line) if s == 0 else None
            if act:
                out.extend(_headline_act(act, mentions, person))
            continue
        who = m.group("who")
        last = who.split()[-1]
        if last in _ABBREVIATED:
            nat = who[: -len(last)].strip() or None
            office = _ABBREVIATED[last]
            mention = _Mention(1, s + m.start("who"), s + m.end("who"), None, office, None, nat)
        elif normalize_text(last) in _KNOWN_SPEAKERS or any(
            o.kind == 0 and o.name and o.name.split()[-1] == last for o in mentions
        ):
            mention = _Mention(3, s + m.start("who"), s + m.end("who"), last, None, None, None)
        elif _quoted_by_name(m):
            name = _clean_ws(who)
            mention = _Mention(0, s + m.start("who"), s + m.end("who"), name, None, None, None)
        else:
            speech = _headline_speech(line) if s == 0 else None  # "...: Minister"
            if speech is not None:
                out.append(speech)
            continue
        speaker, office_, actor, _ = person(mention)
        if speaker is None and office_ is None:
            continue
        keys = tuple(k for k in (speaker.split()[-1] if speaker else None, office_) if k)
        raw = m.group("words").strip(" .")
        words = raw.strip("\"“”'‘’")
        # The words are the speaker's own only when the headline quotes them ("Erdogan: 'We
        # may meet Assad'"); "Erdogan: Turkey ready to meet Assad" is the desk's summary.
        direct = bool(_HEAD_OWN_WORDS.match(raw))
        out.append(Said(s, s + m.start("words"), speaker, office_, actor, words, direct, keys=keys))
    return out


# The lead sentence of a summary that is a state's act: "Japan's Foreign Ministry summoned a
# senior diplomat ...", "Nicaragua's government proposed suspending diplomatic relations",
# "Canada is looking to restore ties with ...". Only the first sentence after the headline:
# later ones tell the background ("broke off relations in 2019"), which is no statement.
_LEAD_ACT = re.compile(
    # "The tiny Pacific island of Nauru severed ...": the desk's description before the state
    r"(?:[Tt]he\s+(?:[\w-]+\s+){0,4}?(?:island|nation|country|state|kingdom|republic|emirate)"
    r"(?:\s+nation)?\s+of\s+)?"
    rf"(?:[Tt]he\s+)?(?:(?P<who>{_COUNTRY}|{_CAPITAL})(?:['’]s)?|(?P<nat>{_NAT})(?=\s+(?i:"
    r"government|foreign\s+ministry|junta|cabinet|presidency)))"
    r"(?:\s+(?P<body>(?i:government|foreign\s+ministry|junta|cabinet|presidency)))?"
    r"(?:\s+on\s+[A-Z][a-z]+day)?\s+(?:has\s+|have\s+|had\s+|is\s+|are\s+)?"
    r"(?P<words>(?:summoned|expelled|recalled|suspended|severed|cut|closed|reopened|restored|"
    r"resumed|proposed|decided\s+to|looking\s+to|seeking\s+to|moving\s+to|opened|"
    r"withdr(?:ew|awn)|ordered|upgraded|downgraded|broke\s+off|broken\s+off|established|"
    r"appointed|rejected|condemned)\b[^.!?\n]{8,})"
)


_TIES_WORD = re.compile(
    r"\b(?:ties|relations|embass(?:y|ies)|consulates?|ambassadors?|envoys?|diplomats?|"
    r"diplomatic|chargé|charge d'affaires)\b",
    re.IGNORECASE,
)


def _lead_act(text: str, found: list[Said]) -> list[Said]:
    """The summary's lead sentence when it is a state's act and nobody was found saying it."""
    start = text.find("\n") + 1
    m = _LEAD_ACT.match(text, start) if start > 0 else None
    if m is None or any(start <= f.pos < m.end() for f in found):
        return []
    word = m.group("who") or m.group("nat")
    state = _ACTORS.get(re.sub(r"['’]s$", "", _clean_ws(word).casefold()))
    if state is None or not _TIES_WORD.search(m.group("words")):
        return []  # "Moscow withdrew a key air defense system": an act, but not on ties
    office = _canon_org(m.group("body")) if m.group("body") else None
    words = _without_background(m.group("words")).strip(" ,;:")
    return [Said(m.start(), m.start("words"), None, office, state, words, False)]


def _headline_act(
    m: re.Match[str],
    mentions: list[_Mention],
    person: Callable[[_Mention], tuple[str | None, str | None, str | None, str]],
) -> list[Said]:
    """The acting states or person of an act headline; the headline's words are the quote, up
    to a semicolon: "Bolivia cuts ties with Israel; others recall envoys" is two acts, and
    Bolivia's is the first."""
    words = _without_background(m.group("words").split(";")[0]).strip(" .\"“”'")
    out: list[Said] = []
    for group in ("who", "who2"):
        who = m.group(group)
        if not who:
            continue
        state = _ACTORS.get(re.sub(r"['’]s$", "", _clean_ws(who).casefold()))
        if state:
            body = _canon_org(m.group("body")) if group == "who" else None
            # Both states of "Qatar and Bahrain to resume ..." act at the headline's start (a
            # day is then read alike for both).
            out.append(Said(m.start("who"), m.start("words"), None, body, state, words, False))
            continue
        last = who.split()[-1]
        named = normalize_text(last) in _KNOWN_SPEAKERS or any(
            o.kind == 0 and o.name and o.name.split()[-1] == last for o in mentions
        )
        if not named:
            continue
        nat = re.match(rf"(?:{_NAT})", who)
        mention = _Mention(3, m.start(group), m.end(group), last, None, None, None)
        speaker, office, actor, _ = person(mention)
        if nat and actor is None:
            actor = _ACTORS.get(re.sub(r"['’]s$", "", _clean_ws(nat.group()).casefold()))
        keys = tuple(k for k in (speaker.split()[-1] if speaker else None, office) if k)
        out.append(
            Said(m.start(group), m.start("words"), speaker, office, actor, words, False, keys=keys)
        )
    return out


def _cut_at_next(found: list[Said], text: str) -> list[Said]:
    """Reported words end where the next attribution of the sentence begins: "Erdogan said a
    meeting was possible, and in mid-December, he said he could meet him soon"."""
    out = []
    for r in found:
        start = text.find(r.content[:20], r.qpos) if r.content else -1
        if start < 0:
            out.append(r)
            continue
        end = start + len(r.content)
        nxt = [o.pos for o in found if o is not r and start < o.pos < end]
        if nxt:
            head = text[start : min(nxt)]
            words = list(_CLAUSE_WORD_END.finditer(head))
            cut = words or list(_CLAUSE_END.finditer(head))
            keep = head[: cut[-1].start()] if cut else head
            if len(keep.split()) >= 4:
                r = replace(r, content=keep.strip(" ,;"))
        out.append(r)
    return out


# The reporter's background after reported words: "said Amman would keep its channels open,
# as Western governments warned against ...", "..., amid calls for ...". Not the speaker's own
# participle ("while insisting on ...") nor "as well as", "as long as", "as part of".
_BACKGROUND = re.compile(
    r",\s+(?:even\s+as|as|while|whereas|amid)\s+"
    r"(?!\w+ing\b|well\b|long\b|soon\b|far\b|much\b|part\b|a\s+result\b|such\b|if\b|of\b)"
    # The desk's gloss on an act: "severed relations with Taiwan, a move that boosts ...",
    # "breaks off defense agreement with France, a slap in the face for Paris"
    r"|,\s+(?:in\s+)?an?\s+(?:[\w-]+\s+)?(?:move|step|decision|blow|slap|snub|setback|rebuke|"
    r"turnaround|reversal)\b"
)


def _without_background(content: str) -> str:
    """Reported words up to the reporter's background clause, if four words come before it."""
    cut = _BACKGROUND.search(content)
    if cut is None or len(content[: cut.start()].split()) < 4:
        return content
    if re.search(r"[“”\"]", content[cut.end() :]):
        return content  # a quote runs on past the comma: the speaker's words
    return content[: cut.start()]


_CLAUSE_END = re.compile(r",?\s+(?:and|while|but|whereas)\b|[,;]")
_CLAUSE_WORD_END = re.compile(r",?\s+(?:and|while|but|whereas)\b|;")


# The names `statements` uses.
@lru_cache(maxsize=4096)
def named_states(text: str) -> frozenset[str]:
    """The states an English text names: countries, capitals and nationalities, canonical
    ("Norwegian", "Oslo" and "Norway" are Norway)."""
    found = {m.group() for pat in (_STATE, _STATE_OR_NAT) for m in pat.finditer(text)}
    return frozenset(a for a in map(_actor_of_key, found) if a)


KEY_WORDS = _KEY_WORDS
SAY_ALL_RE = _SAY_ALL_RE
fold_key = _fold_key
said_en = _english_said
sentences_en = _sentences
