"""`/search` finds stored items the same way on SQLite (FTS5) and PostgreSQL (tsvector).

Words must all match, "phrases" match in order, prefix* matches word starts; case, Latin
accents, the Turkish i's and Arabic diacritics and letter forms do not matter; results come
best first, then newest; malformed or oversized queries get a message, never an SQL error.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Connection

from bot.chat.commands import Commands
from bot.chat.replies import Caller
from store import SearchQueryError, Store, make_engine, upgrade
from store.db import alembic_config
from store.records import FeedPollOutcome, ItemToStore, NewItem
from store.schema import metadata
from store.search_text import MAX_WORDS
from tests.conftest import NOW
from tests.databases import BOTH
from tests.feeds import Entry, rss
from tests.pipeline import poll
from tests.storing import always_new, stored_before

# Our own sentences, written for these tests (Turkish: "Erdoğan said he would meet Assad in
# Damascus"; Arabic: "President Bashar al-Assad received the Turkish delegation").
TEXTS = {
    "meet": ("Erdoğan says he may meet Assad", "Talks in Damascus are on the table."),
    "tr": ("Erdoğan: Esad ile Şam'da görüşebilirim", "İSTANBUL'da açıklama yaptı."),
    "ar": ("الرئيس بَشّار الأسد يستقبل الوفد التركي", "في دمشق، سورية، عام ٢٠٢٣"),
    "ar2": ("الرئيس بشار الاسد والوفد", "زيارة إلى سوريه"),
    "phrase": ("Bashar al-Assad and the League", "The Arab League voted on readmission."),
    "reverse": ("Assad, Bashar's envoy, in Cairo", "Normalizing ties was discussed."),
    "summary-only": ("A long report", "Among many other things, normalization with Assad."),
}


def item(key: str, title: str, summary: str, days_ago: float) -> ItemToStore:
    return ItemToStore(
        item=NewItem(
            key=key,
            title=title,
            summary=summary,
            link=f"https://example.org/{key}",
            published_at=NOW - timedelta(days=days_ago),
            dated=True,
        ),
        matches=(),
        alertable=False,
    )


async def stored(store: Store, items: list[ItemToStore], url: str = "https://example.org/a") -> int:
    feed = await store.add_feed(url, NOW)
    outcome = FeedPollOutcome(polled_at=NOW, next_poll_at=NOW + timedelta(minutes=5), ok=True)
    await store.commit_poll(feed.id, outcome, items, NOW, always_new)
    return feed.id


async def keys(store: Store, query: str) -> list[str]:
    return [r.key for r in await store.search_items(query, limit=50)]


@pytest.fixture
async def filled(store: Store) -> Store:
    await stored(store, [item(k, t, s, days_ago=n) for n, (k, (t, s)) in enumerate(TEXTS.items())])
    return store


@BOTH
async def test_every_word_must_match_in_any_order_and_case(filled: Store) -> None:
    assert await keys(filled, "ASSAD damascus") == ["meet"]
    assert await keys(filled, "damascus assad nowhere") == []


@BOTH
async def test_a_phrase_matches_its_words_in_order_and_a_hyphen_separates_words(
    filled: Store,
) -> None:
    assert await keys(filled, '"bashar al-assad"') == ["phrase"]
    assert await keys(filled, "al-Assad") == ["phrase"]  # a hyphenated word is a phrase
    assert sorted(await keys(filled, "bashar assad")) == ["phrase", "reverse"]
    assert await keys(filled, "“arab league”") == ["phrase"]  # curly quotes, as phones type


@BOTH
async def test_a_prefix_matches_word_starts_also_at_the_end_of_a_phrase(filled: Store) -> None:
    assert sorted(await keys(filled, "normaliz*")) == ["reverse", "summary-only"]
    assert await keys(filled, '"bashar al-ass"*') == ["phrase"]
    assert await keys(filled, "readmi*") == ["phrase"]


@BOTH
async def test_turkish_i_and_latin_accents_fold(filled: Store) -> None:
    assert sorted(await keys(filled, "erdogan")) == ["meet", "tr"]
    assert sorted(await keys(filled, "ERDOĞAN")) == ["meet", "tr"]
    for spelling in ("istanbul", "İstanbul", "ISTANBUL", "ıstanbul"):
        assert await keys(filled, spelling) == ["tr"], spelling
    assert await keys(filled, "sam esad gorusebilirim") == ["tr"]


@BOTH
async def test_arabic_diacritics_tatweel_and_letter_forms_fold(filled: Store) -> None:
    # without harakat, without hamza on the alef, as typed on most keyboards
    assert sorted(await keys(filled, "بشار الاسد")) == ["ar", "ar2"]
    assert sorted(await keys(filled, "الأســد")) == ["ar", "ar2"]  # tatweel
    assert sorted(await keys(filled, "سورية")) == ["ar", "ar2"]  # teh marbuta / heh
    assert await keys(filled, "2023") == ["ar"]  # Arabic-Indic digits
    assert await keys(filled, '"الوفد التركي"') == ["ar"]


@BOTH
async def test_results_come_by_relevance_then_newest(store: Store) -> None:
    await stored(
        store,
        [
            item("old-title", "Assad speaks", "A statement.", days_ago=30),
            item("new-summary", "A long report", "Somewhere inside, Assad.", days_ago=1),
            item("new-title", "Assad speaks", "A statement.", days_ago=2),
        ],
    )
    # in the title beats in the summary, whatever the date; equal texts: newest first
    assert await keys(store, "assad") == ["new-title", "old-title", "new-summary"]


@BOTH
async def test_the_index_follows_deleted_and_edited_items(store: Store) -> None:
    feed_id = await stored(store, [item("gone", "Assad in Sochi", "", days_ago=1)])
    await stored(store, [item("kept", "Assad in Tehran", "", days_ago=1)], "https://e.org/b")
    assert await store.remove_feed(feed_id)
    assert await keys(store, "assad") == ["kept"]
    # no command edits an item today; an operator's UPDATE must still keep the index right
    async with store.engine.begin() as conn:
        await conn.execute(text("UPDATE items SET title = 'Lavrov in Tehran' WHERE key = 'kept'"))
    assert await keys(store, "assad") == []
    assert await keys(store, "lavrov tehran") == ["kept"]


NASTY = [
    '"',
    "*",
    "**",
    "assad)",
    "(assad",
    "assad OR erdogan",
    "NOT assad",
    "-assad",
    "NEAR(assad damascus)",
    "title:assad",
    "^assad",
    "{title summary}: assad",
    "assad + damascus",
    "'; DROP TABLE items; --",
    "assad & | ! <-> :*",
    "\\",
    "%_%",
    "'",
    "a'b",
    "\x00assad",
    '"assad',
    'assad"',
    "as*sad",
    "a*",
    "---",
]


@BOTH
async def test_syntax_characters_never_reach_the_database_as_syntax(filled: Store) -> None:
    for query in NASTY:
        try:
            await filled.search_items(query)
        except SearchQueryError as exc:
            assert str(exc), query
    assert await keys(filled, "assad)") == await keys(filled, "assad")
    assert await keys(filled, "title:assad") == []  # the words "title" and "assad"
    assert await keys(filled, "'; DROP TABLE items; --") == []
    assert await keys(filled, "damascus") == ["meet"]  # and the table is still there


@BOTH
async def test_oversized_and_malformed_queries_are_refused_with_the_limit(store: Store) -> None:
    twenty = " ".join(f"w{n}" for n in range(MAX_WORDS))
    assert await store.search_items(twenty) == []
    cases = {
        twenty + " one-more": f"at most {MAX_WORDS}",
        " ".join(["assad"] * 2000): "at most 1,000 characters",  # issue 11 item 5
        '"' + " ".join(["assad"] * 21) + '"': "each word of a phrase counts",
        "x" * 51: "at most 50",
        '"bashar al-assad': "no closing quote",
        "a*": "at least 2 letters",
        "- . !": "Nothing to search for",
    }
    for query, message in cases.items():
        with pytest.raises(SearchQueryError, match=message):
            await store.search_items(query)


@BOTH
async def test_the_search_command_shows_the_refusal_and_the_usage(filled: Store) -> None:
    commands = Commands(filled, lambda: NOW)
    caller = Caller(100, "private", 7, "alice", is_admin=False, can_manage_chat=True)
    found = await commands.run(caller, "search", ['"bashar', 'al-assad"'])
    assert "Bashar al-Assad and the League" in found.text
    refused = await commands.run(caller, "search", [f"w{n}" for n in range(30)])
    assert "at most 20 words" in refused.text and "30" in refused.text


def _downgrade(connection: Connection, revision: str) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    command.downgrade(cfg, revision)


SEARCH_OBJECTS = {
    "sqlite": "SELECT name FROM sqlite_master WHERE name LIKE 'items_fts%' "
    "OR name = 'ix_outbox_pending_id'",
    "postgresql": "SELECT column_name FROM information_schema.columns "
    "WHERE table_name = 'items' AND column_name = 'search' "
    "UNION ALL SELECT proname FROM pg_proc WHERE proname LIKE 'policywatch_search_%' "
    "UNION ALL SELECT indexname FROM pg_indexes WHERE indexname = 'ix_outbox_pending_id'",
}


@BOTH
async def test_the_migration_indexes_items_stored_before_it_and_downgrades_cleanly(
    database_url: str,
) -> None:
    engine = make_engine(database_url)
    try:
        async with engine.begin() as conn:  # the test database is migrated: start empty
            await conn.run_sync(metadata.drop_all)
            await conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        await upgrade(engine, "0005")
        store = Store(engine)
        await stored_before(store, [item(k, t, s, days_ago=1) for k, (t, s) in TEXTS.items()], NOW)
        await upgrade(engine)  # 0005 -> head indexes what is already there
        assert await keys(store, "damascus assad") == ["meet"]
        assert await keys(store, "istanbul") == ["tr"]
        objects = SEARCH_OBJECTS[engine.dialect.name]
        async with engine.connect() as conn:
            assert (await conn.execute(text(objects))).all() != []
        async with engine.begin() as conn:
            await conn.run_sync(_downgrade, "0005")
        async with engine.connect() as conn:
            assert (await conn.execute(text(objects))).all() == []
            assert await conn.scalar(text("SELECT count(*) FROM items")) == len(TEXTS)
        await upgrade(engine)  # and up again
        assert await keys(store, "bashar al-ass*") == ["phrase"]
    finally:
        await engine.dispose()


# Our own sentences again, for the polled feed.
POLLED = [
    ("Lavrov and Fidan meet in Antalya", "The ministers discussed grain corridors."),
    ("Şam'da İSTANBUL heyeti", "Kısa bir açıklama yapıldı."),
    ("الوفد التركي في دمشق", "زيارة قصيرة"),
]


@BOTH
async def test_a_freshly_polled_item_is_found_by_the_search_command_before_and_after_indexing(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "feed.xml"
    entries = [Entry(f"p{n}", t, s, NOW - timedelta(hours=n)) for n, (t, s) in enumerate(POLLED)]
    path.write_bytes(rss(entries))
    await store.add_feed(str(path), NOW)
    report = await poll(store, NOW)  # as `policywatch run` polls; its indexing is cut short
    assert report.new_items == len(POLLED)
    commands = Commands(store, lambda: NOW)
    caller = Caller(100, "private", 7, "alice", is_admin=False, can_manage_chat=True)

    async def found(*words: str) -> str:
        return (await commands.run(caller, "search", list(words))).text

    for _ in range(2):  # from the queue (SQLite), then from the index
        assert "Lavrov and Fidan meet in Antalya" in await found("fidan", "antalya")
        assert "Lavrov and Fidan" in await found('"grain corridors"')
        assert "heyeti" in await found("istanbul", "sam")
        assert "دمشق" in await found("الوفد", "دمشق")
        assert "Lavrov" not in await found("fidan", "nowhere")
        await store.index_pending()
    if store.dialect == "sqlite":
        async with store.engine.connect() as conn:
            assert await conn.scalar(text("SELECT count(*) FROM search_pending")) == 0


async def fts_rowids(store: Store, match: str) -> list[int]:
    async with store.engine.connect() as conn:
        query = text("SELECT rowid FROM items_fts WHERE items_fts MATCH :m ORDER BY rowid")
        return [r[0] for r in await conn.execute(query, {"m": match})]


async def test_queued_and_indexed_items_leave_the_index_when_deleted_or_edited(
    store: Store,
) -> None:
    # SQLite only: PostgreSQL's index is a generated column, with no queue.
    indexed = [item(f"i-{k}", t, s, days_ago=1) for k, (t, s) in TEXTS.items()]
    gone = await stored(store, indexed, "https://example.org/indexed")
    assert await store.index_pending() == len(TEXTS)
    # (another headline each: one headline from two outlets on one day is listed once)
    queued = [item(f"q-{k}", f"{t} - later copy", s, days_ago=1) for k, (t, s) in TEXTS.items()]
    kept = await stored(store, queued, "https://example.org/queued")
    both = sorted(["i-meet", "q-meet"])
    assert sorted(await keys(store, "damascus assad")) == both  # index + queue
    assert sorted(await keys(store, "بشار الاسد")) == sorted(["i-ar", "i-ar2", "q-ar", "q-ar2"])
    # The indexed text is folded in Python as the delete trigger folds it in SQL: deleting
    # the items leaves no word of theirs behind in the contentless index.
    assert await store.remove_feed(gone)
    for word in ("damascus", "esad", "الاسد", "سوريه", "2023", "istanbul"):
        assert await fts_rowids(store, word) == [], word
    assert sorted(await keys(store, "damascus assad")) == ["q-meet"]
    # An edited queued item is searched by its new text, then indexed with it.
    async with store.engine.begin() as conn:
        await conn.execute(text("UPDATE items SET title = 'Lavrov in Tehran' WHERE key = 'q-meet'"))
    assert await keys(store, "damascus assad") == []
    assert await keys(store, "lavrov damascus") == ["q-meet"]
    assert await store.index_pending() == len(TEXTS)
    assert await keys(store, "lavrov damascus") == ["q-meet"]
    # An edited indexed item leaves the index and is queued again with its new text.
    async with store.engine.begin() as conn:
        await conn.execute(text("UPDATE items SET title = 'Fidan in Ankara' WHERE key = 'q-tr'"))
        assert await conn.scalar(text("SELECT count(*) FROM search_pending")) == 1
    assert await fts_rowids(store, "esad") == []
    assert await keys(store, "fidan ankara") == ["q-tr"]
    assert await store.index_pending() == 1
    assert await keys(store, "fidan ankara") == ["q-tr"]
    assert await store.remove_feed(kept)
    for word in ("lavrov", "fidan", "الاسد", "istanbul"):
        assert await fts_rowids(store, word) == [], word
    assert await keys(store, "lavrov") == []


async def test_downgrading_past_the_queue_indexes_what_was_queued(database_url: str) -> None:
    store = await Store.open(database_url)
    engine = store.engine
    try:
        await stored(store, [item(k, t, s, days_ago=1) for k, (t, s) in TEXTS.items()])
        async with engine.begin() as conn:
            await conn.run_sync(_downgrade, "0013")
        assert await fts_rowids(store, "damascus assad") != []  # 0013 searched items_fts
        async with engine.connect() as conn:
            assert (await conn.execute(text(SEARCH_OBJECTS["sqlite"]))).all() != []
        await upgrade(engine)
        assert await keys(store, "damascus assad") == ["meet"]
        await stored(
            store, [item("new", "Assad in Damascus again", "", days_ago=0)], "https://e.org/n"
        )
        assert sorted(await keys(store, "damascus assad")) == ["meet", "new"]
        assert await store.index_pending() == 1
        assert sorted(await keys(store, "damascus assad")) == ["meet", "new"]
    finally:
        await engine.dispose()


@BOTH
async def test_an_article_several_feeds_carry_is_found_once(store: Store) -> None:
    for n, url in enumerate(("https://example.org/all", "https://example.org/world")):
        same = item(f"copy-{n}", "Erdoğan says he may meet Assad", "Talks in Damascus.", 1)
        linked = replace(same, item=replace(same.item, link="https://outlet.example/meet"))
        await stored(store, [linked], url)
    assert len(await keys(store, "erdogan damascus")) == 1
    await store.index_pending()  # the same from the index as from the queue
    assert len(await keys(store, "erdogan damascus")) == 1


@BOTH
async def test_one_headline_carried_by_several_outlets_is_listed_once(store: Store) -> None:
    # Wire copy: one story under one headline from four outlets (four links, four feeds).
    for n in range(4):
        copy = item(f"wire-{n}", "Assad meets Gulf envoy in Damascus", "Talks on ties.", 0.1 * n)
        await stored(store, [copy], url=f"https://outlet{n}.example/rss")
    await stored(store, [item("other", "Assad speaks", "A statement.", days_ago=1)], "https://x/b")
    found = await keys(store, "assad")
    assert len(found) == 2 and "other" in found
    assert len({f"wire-{n}" for n in range(4)} & set(found)) == 1


@BOTH
async def test_the_search_command_says_when_more_items_match_than_it_lists(store: Store) -> None:
    await stored(
        store, [item(f"k{n}", f"Envoy {n} visits Damascus", "Talks.", n / 10) for n in range(12)]
    )
    commands = Commands(store, lambda: NOW)
    caller = Caller(100, "private", 7, "alice", is_admin=False, can_manage_chat=True)
    many = await commands.run(caller, "search", ["damascus"])
    assert many.text.count("visits Damascus") == 10  # ten items listed
    assert "More items match than these 10: add a word" in many.text
    few = await commands.run(caller, "search", ["envoy", "3"])
    assert "More items match" not in few.text


@BOTH
async def test_an_arabic_word_is_found_with_its_article_and_clitics(store: Store) -> None:
    await stored(
        store,
        [
            item("art", "استئناف العلاقات الدبلوماسية", "", days_ago=1),
            item("and", "وزير الخارجية يبحث والعلاقات الثنائية", "", days_ago=2),
            item("to", "دعوة للعلاقات الطبيعية", "", days_ago=3),
            item("other", "زيارة رسمية", "", days_ago=4),
        ],
    )
    assert sorted(await keys(store, "علاقات")) == ["and", "art", "to"]
    assert sorted(await keys(store, "علاق*")) == ["and", "art", "to"]
    assert sorted(await keys(store, "العلاقات")) == ["and", "art", "to"]
    assert await keys(store, "علاقات رسمية") == []  # every word is still needed


@BOTH
async def test_an_arabic_word_is_found_with_a_pronoun_written_on(store: Store) -> None:
    # QA round 19: سفارة ("embassy") did not find سفارتها ("its embassy")
    await stored(
        store,
        [
            item("its", "الكويت لن تعيد فتح سفارتها في دمشق", "", days_ago=1),
            item("ties", "قطر لن تعيد علاقاتها الدبلوماسية", "", days_ago=2),
            item("other", "زيارة رسمية", "", days_ago=3),
        ],
    )
    assert await keys(store, "سفارة") == ["its"]
    assert await keys(store, "علاقات") == ["ties"]


@BOTH
async def test_a_turkish_word_is_found_with_its_endings(store: Store) -> None:
    await stored(
        store,
        [
            item("loc", "Suriye ile ilişkilerde yeni dönem", "", days_ago=1),
            item("gen", "Ankara ilişkilerin düzeleceğini söyledi", "", days_ago=2),
            item("en", "Relations resume", "", days_ago=3),
        ],
    )
    assert sorted(await keys(store, "ilişkiler")) == ["gen", "loc"]
    assert sorted(await keys(store, "ilişki")) == ["gen", "loc"]


async def test_a_star_inside_a_word_is_refused_with_where_it_goes(store: Store) -> None:
    with pytest.raises(SearchQueryError, match=r"Syr\*a: a \* goes only at the end of a word"):
        await store.search_items("Syr*a")


@BOTH
@pytest.mark.parametrize("indexed", [False, True])
async def test_a_feed_of_many_matches_polled_at_once_is_searched_newest_first(
    store: Store, indexed: bool
) -> None:
    """QA round 17: a first poll of 500 items all matching a word, newest first as feeds list
    them; only the 100 highest ids were ranked, and the poll had given the newest the lowest:
    `/search` began 400 items back."""
    many = [
        item(f"w-{n}", f"Weather report number {n} for the region", "", days_ago=n / 1440)
        for n in range(150)
    ]
    await stored(store, many)
    if indexed:
        await store.index_pending()
    assert [r.key for r in await store.search_items("weather", limit=3)] == ["w-0", "w-1", "w-2"]
