"""`who:` finds a speaker whatever script a report wrote the name in: an analyst types
"erdogan" and gets the statements an Arabic wire attributed to "رجب طيب أردوغان", and an
Arabic query finds the English reports; a name that merely shares two consonants does not."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.timeline.query import parse_words, select_events
from matcher import Statement
from matcher.lookup import name_matches
from store import Store
from store.records import FeedPollOutcome, ItemToStore, MatchToStore, NewItem, NewMatch
from tests.pipeline import load_shipped_themes
from tests.storing import always_new

NOW = datetime(2024, 1, 10, tzinfo=UTC)
THEME = "normalization-with-assad"


def test_a_latin_name_finds_its_arabic_spelling_and_back() -> None:
    assert name_matches("erdogan", "رجب طيب أردوغان")
    assert name_matches("cavusoglu", "مولود جاويش أوغلو")  # one word in Turkish, two in Arabic
    assert name_matches("ned price", "نيد برايس")
    assert name_matches("assad", "بشار الأسد")
    assert name_matches("أردوغان", "Recep Tayyip Erdoğan")


def test_a_states_official_or_turkish_name_finds_its_english_one() -> None:
    """QA round 17: `who:Türkiye` found none of the statements filed under Turkey."""
    assert name_matches("Türkiye", "Turkey")
    assert name_matches("Esad", "Bashar al-Assad")
    assert name_matches("suriye", "Syria") and not name_matches("suriye", "Turkey")


def test_a_name_that_only_shares_a_few_consonants_is_another_person() -> None:
    assert not name_matches("assad", "سعد الحريري")  # Saad: S-D as well, but no vowel first
    assert not name_matches("price", "إبراهيم رئيسي")
    assert not name_matches("blinken", "رجب طيب أردوغان")


def _report(key: str, speaker: str, office: str, actor: str, day: date) -> ItemToStore:
    said = Statement(speaker, office, actor, f"words of {key}", "supports", day)
    return ItemToStore(
        NewItem(key, f"Headline {key}", "summary", f"https://example.org/{key}", NOW, True),
        (MatchToStore(NewMatch(THEME, 80, [], "why"), (said,)),),
        alertable=False,
    )


async def test_who_finds_the_statements_of_both_scripts_in_the_store(store: Store) -> None:
    await load_shipped_themes(store, NOW)
    feed = await store.add_feed("https://example.org/wire.xml", NOW)
    batch = [
        _report("en", "Recep Tayyip Erdoğan", "President", "Turkey", date(2024, 1, 2)),
        _report("ar", "رجب طيب أردوغان", "President", "Turkey", date(2024, 1, 5)),
        _report("other", "سعد الحريري", "Prime Minister", "Lebanon", date(2024, 1, 6)),
    ]
    await store.commit_poll(feed.id, FeedPollOutcome(NOW, NOW, True), batch, NOW, always_new)
    for typed in ("erdogan", "أردوغان"):
        events, total = await select_events(store, parse_words(THEME, [f"who:{typed}"]), NOW.date())
        assert total == 2, typed
        assert {e.speaker for e in events} == {"Recep Tayyip Erdoğan", "رجب طيب أردوغان"}
