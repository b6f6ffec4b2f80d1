"""Who spoke as what, and in whose words: an analysis whose only voice is a commentator's is
kept on the timeline, marked, and can be left out (or shown alone); the desk's summary of
what an official said is not put in quotation marks. Through the real poll, store and
commands. (A commentator quoted beside an official is left out: docs/matcher.md.)"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.chat.html import render_alert
from matcher import Statement
from store import Store
from store.records import EventRow
from tests.databases import BOTH
from tests.feeds import Entry, rss
from tests.feedserver import FeedServer, feed_server  # noqa: F401  (fixture)
from tests.pipeline import follow_everything, load_shipped_themes, poll
from tests.storing import always_new
from tests.typist import Typist

NOW = datetime(2023, 5, 9, 9, 0, tzinfo=UTC)
SLUG = "normalization-with-assad"
TITLE = "Jordan backs Syria's return to the Arab League, foreign minister says"
SUMMARY = (
    "Jordanian Foreign Minister Ayman Safadi said Jordan supports the restoration of ties with "
    "Damascus."
)
ANALYSIS_TITLE = "Why Jordan's bet on Damascus may not pay off"
ANALYSIS = (
    '"Normalization with Assad rewards him for nothing," said Jane Roe, a researcher at a think '
    "tank in Beirut, of Jordan's push to restore ties with Syria."
)


async def polled(store: Store, feed_server: FeedServer) -> None:  # noqa: F811
    await load_shipped_themes(store, NOW)
    await follow_everything(store, NOW)
    entries = [
        Entry("roles-1", TITLE, SUMMARY, NOW - timedelta(hours=2)),
        Entry("roles-2", ANALYSIS_TITLE, ANALYSIS, NOW - timedelta(hours=1)),
    ]
    await store.add_feed(feed_server.feed("/roles.xml", rss(entries)), NOW)
    await poll(store, NOW)


@BOTH
async def test_events_keep_the_speakers_role_and_whether_the_quote_is_their_own_words(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    await polled(store, feed_server)
    events, total = await store.timeline_page(SLUG)
    assert total == 2
    kept = {e.speaker: (e.role, e.direct, e.actor) for e in events}
    assert kept == {
        "Ayman Safadi": ("official", False, "Jordan"),  # reported speech
        "Jane Roe": ("commentator", True, None),  # speaks for no state, not for Jordan
    }
    officials, n = await store.timeline_page(SLUG, role="official")
    assert n == 1 and officials[0].speaker == "Ayman Safadi"

    alerts = {r.alert.speaker: render_alert(r.alert).text for r in await store.due_alerts(NOW)}
    assert "commentator" in alerts["Jane Roe"] and "“Normalization with Assad" in alerts["Jane Roe"]
    safadi = alerts["Ayman Safadi"]
    assert "reported:</i> Jordan supports" in safadi and "“Jordan supports" not in safadi
    assert "commentator" not in safadi


@BOTH
async def test_the_timeline_leaves_commentators_out_or_shows_them_alone_and_exports_the_role(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    await polled(store, feed_server)
    console = Typist(store, tmp_path, NOW)

    everything = await console.type(f"/timeline {SLUG}")
    assert "Jane Roe" in everything and "commentator" in everything
    assert "reported: Jordan supports" in everything

    officials = await console.type(f"/timeline {SLUG} role:official")
    assert "Ayman Safadi" in officials and "Jane Roe" not in officials
    assert "officials only" in officials
    commentators = await console.type("/timeline assad role:commentators")
    assert "Jane Roe" in commentators and "Ayman Safadi" not in commentators

    refused = await console.type(f"/timeline {SLUG} role:pundit")
    assert "role:pundit is not one of role:official" in refused
    assert "Timeline" not in refused

    answer = await console.type(f"/export {SLUG} csv")
    written = Path(answer.split("export written to ", 1)[1].split()[0])
    rows = list(csv.DictReader(io.StringIO(written.read_text(encoding="utf-8-sig"))))
    got = {r["speaker"]: (r["role"], r["quote_kind"]) for r in rows}
    assert got == {"Ayman Safadi": ("official", "reported"), "Jane Roe": ("commentator", "direct")}
    assert all(r["outlets"] for r in rows), "each row names its outlets, not only a count"


def _one_event(new: object, nearby: Sequence[EventRow]) -> int | None:
    """Every report is of the first event stored (the store applies whatever it is told)."""
    return nearby[0].id if nearby else None


@BOTH
async def test_an_event_takes_the_speakers_own_words_over_a_paraphrase_reported_first(
    store: Store,
) -> None:
    from tests.test_store import NOW as STORE_NOW
    from tests.test_store import item, ok, setup

    feed_id = await setup(store)
    said = Statement("Ned Price", "Spokesperson", "United States", "", "opposes", None)
    paraphrase = replace(said, quote="Washington will not normalize with Assad", direct=False)
    own_words = replace(said, quote="We will not normalize relations with Assad", direct=True)
    another_paraphrase = replace(said, quote="Price rejected normalization", direct=False)
    # One poll where the paraphrase comes first, then a later poll with another paraphrase.
    await store.commit_poll(
        feed_id,
        ok(),
        [item("a", statement=paraphrase), item("b", statement=own_words)],
        STORE_NOW,
        _one_event,
    )
    await store.commit_poll(
        feed_id, ok(), [item("c", statement=another_paraphrase)], STORE_NOW, _one_event
    )
    (event,), _ = await store.timeline_page("normalization-with-assad")
    assert (event.quote, event.direct, event.source_count) == (own_words.quote, True, 3)

    # Stored one poll at a time, the quotation still replaces the paraphrase kept.
    await store.commit_poll(feed_id, ok(), [item("d", statement=paraphrase)], STORE_NOW, always_new)
    events, _ = await store.timeline_page("normalization-with-assad", role="official")
    newest = max(events, key=lambda e: e.id)
    await store.commit_poll(
        feed_id, ok(), [item("e", statement=own_words)], STORE_NOW, _latest(newest.id)
    )
    grown = next(
        e for e in (await store.timeline_page("normalization-with-assad"))[0] if e.id == newest.id
    )
    assert (grown.quote, grown.direct, grown.source_count) == (own_words.quote, True, 2)


@BOTH
async def test_an_english_timeline_keeps_an_english_quote_over_another_languages_words(
    store: Store,
) -> None:
    """QA round 21: an Arabic outlet's "Name: words" headline (his own words) replaced the
    English report's paraphrase, and the English timeline quoted him in Arabic."""
    from tests.test_store import NOW as STORE_NOW
    from tests.test_store import item, ok, setup

    feed_id = await setup(store)
    said = Statement("Mohammed Al Thani", "Prime Minister", "Qatar", "", "opposes", None)
    english = replace(said, quote="Qatar would not normalise relations with Assad", direct=False)
    arabic = replace(said, quote="لا تطبيع مع نظام الأسد", direct=True, lang="ar")
    turkish = replace(said, quote="Katar Esad ile normalleşmeyecek", direct=False, lang="tr")
    # in one poll, and over two polls: the English paraphrase stays
    await store.commit_poll(
        feed_id,
        ok(),
        [item("a", statement=english), item("b", statement=arabic)],
        STORE_NOW,
        _one_event,
    )
    await store.commit_poll(feed_id, ok(), [item("c", statement=arabic)], STORE_NOW, _one_event)
    (event,), _ = await store.timeline_page("normalization-with-assad")
    assert (event.quote, event.source_count) == (english.quote, 3)

    # an event first quoted in Turkish takes the English report's words when they come
    await store.commit_poll(feed_id, ok(), [item("d", statement=turkish)], STORE_NOW, always_new)
    events, _ = await store.timeline_page("normalization-with-assad")
    newest = max(events, key=lambda e: e.id)
    await store.commit_poll(
        feed_id, ok(), [item("e", statement=english)], STORE_NOW, _latest(newest.id)
    )
    grown = next(
        e for e in (await store.timeline_page("normalization-with-assad"))[0] if e.id == newest.id
    )
    assert grown.quote == english.quote


def _latest(event_id: int) -> Callable[[object, Sequence[EventRow]], int | None]:
    return lambda new, nearby: event_id


@BOTH
async def test_an_event_that_loses_the_report_it_quoted_quotes_and_links_a_report_left(
    store: Store,
) -> None:
    """QA round 13: an outlet's report taken out by a theme change (an exclusion) left its
    quote, speaker and link on the event that other outlets still report."""
    from tests.test_store import NOW as STORE_NOW
    from tests.test_store import item, ok, setup

    feed_id = await setup(store)
    first = Statement("Ned Price", "Spokesperson", "United States", "", "opposes", None)
    first = replace(first, quote="We will not normalize relations with Assad", direct=True)
    later = Statement(None, None, "United States", "", "unclear", None)
    later = replace(later, quote="Washington is against normalization", direct=False)
    await store.commit_poll(
        feed_id,
        ok(),
        [item("a", statement=first), item("b", statement=later)],
        STORE_NOW,
        _one_event,
    )
    (event,), _ = await store.timeline_page("normalization-with-assad")
    assert (event.quote, event.speaker, event.link) == (first.quote, "Ned Price", "https://x/a")

    stored = {it.title: it.id for it in await store.items_after(0, 10)}
    await store.apply_rematch(
        "normalization-with-assad", [], [], [stored["title a"]], STORE_NOW, _one_event
    )
    (event,), _ = await store.timeline_page("normalization-with-assad")
    assert event.source_count == 1
    assert (event.quote, event.direct) == (later.quote, None)
    assert (event.speaker, event.office, event.stance) == (None, None, "unclear")
    assert (event.headline, event.link) == ("title b", "https://x/b")
