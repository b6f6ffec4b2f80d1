"""An entry the feed rewrites (same key, new title or summary) at the layer that owns the rule:
its item takes the new text; it gets the matches its new text makes for themes it had not
matched, with their events and alerts; the matches it had are kept; nothing else is touched."""

from __future__ import annotations

from store import Store
from store.records import ItemToStore
from tests.databases import BOTH
from tests.storing import same_quote
from tests.test_store_bulk import (
    CHATS,
    NOW,
    OK,
    THEME,
    alerted_titles,
    entry,
    setup,
    stored_titles,
)


@BOTH
async def test_a_rewritten_entry_takes_its_new_text_and_alerts_once_for_a_new_match(
    store: Store,
) -> None:
    feed_id = await setup(store)
    first = [entry("plain"), entry("matched", event=1), entry("same")]
    await store.commit_poll(feed_id, OK, first, NOW, same_quote)
    assert await alerted_titles(store) == sorted(["title matched"] * len(CHATS))

    rewritten = [
        entry("plain", title="now on theme", event=2),  # newly matches: one alert per chat
        entry("matched", title="matched, reworded", event=3),  # had its match: kept as it was
        entry("same", event=4),  # same text served again: not matched again
    ]
    commit = await store.commit_poll(feed_id, OK, rewritten, NOW, same_quote)

    assert (commit.new_items, commit.new_matches, commit.new_events) == (0, 1, 1)
    assert commit.alerts_enqueued == len(CHATS)
    titles = await stored_titles(store)
    assert titles == {"plain": "now on theme", "matched": "matched, reworded", "same": "title same"}
    # (an alert shows its item as it now reads)
    assert await alerted_titles(store) == sorted(
        ["matched, reworded"] * len(CHATS) + ["now on theme"] * len(CHATS)
    )
    # served again as rewritten: nothing more
    again = await store.commit_poll(feed_id, OK, rewritten, NOW, same_quote)
    assert (again.new_items, again.new_matches, again.alerts_enqueued) == (0, 0, 0)


@BOTH
async def test_a_rewritten_entry_takes_its_new_link_too(store: Store) -> None:
    from dataclasses import replace

    feed_id = await setup(store)
    await store.commit_poll(feed_id, OK, [entry("moved", event=1)], NOW, same_quote)
    moved = entry("moved", event=1)
    moved = replace(moved, item=replace(moved.item, link="https://x/moved-to"))
    commit = await store.commit_poll(feed_id, OK, [moved], NOW, same_quote)
    assert (commit.new_items, commit.new_matches, commit.alerts_enqueued) == (0, 0, 0)
    (row,) = [r for r in await store.recent_items(limit=10) if r.key == "moved"]
    assert row.link == "https://x/moved-to"


def _saying(key: str, title: str, quote: str, stance: str) -> ItemToStore:
    from dataclasses import replace
    from datetime import date

    from matcher import Statement

    said = Statement("Jane Roe", "Foreign Minister", "Arland", quote, stance, date(2023, 1, 3))
    base = entry(key, title=title, event=1)
    (match,) = base.matches
    return replace(base, matches=(replace(match, statements=(said,)),))


@BOTH
async def test_a_rewrite_that_reverses_a_statement_replaces_its_event_and_alerts_once(
    store: Store,
) -> None:
    feed_id = await setup(store)
    first = _saying("turn", "Roe: ties will be restored", "ties will be restored", "supports")
    await store.commit_poll(feed_id, OK, [first], NOW, same_quote)
    (before,) = (await store.timeline_page(THEME.slug, limit=50))[0]
    assert before.stance == "supports"

    # the same words reworded: the event stays, no alert
    reworded = _saying("turn", "Roe: ties to be restored", "ties will be restored", "supports")
    commit = await store.commit_poll(feed_id, OK, [reworded], NOW, same_quote)
    assert (commit.new_matches, commit.new_events, commit.alerts_enqueued) == (0, 0, 0)
    assert [e.id for e in (await store.timeline_page(THEME.slug, limit=50))[0]] == [before.id]

    # the other side: the old statement leaves the timeline, the new one is alerted once
    reversed_ = _saying("turn", "Roe: no ties", "ties will not be restored", "opposes")
    commit = await store.commit_poll(feed_id, OK, [reversed_], NOW, same_quote)
    assert (commit.new_matches, commit.new_events) == (1, 1)
    assert commit.alerts_enqueued == len(CHATS)
    (after,) = (await store.timeline_page(THEME.slug, limit=50))[0]
    assert after.stance == "opposes" and after.quote == "ties will not be restored"
    assert await alerted_titles(store) == sorted(["Roe: no ties"] * len(CHATS))
    # served again: nothing more
    again = await store.commit_poll(feed_id, OK, [reversed_], NOW, same_quote)
    assert (again.new_matches, again.new_events, again.alerts_enqueued) == (0, 0, 0)
