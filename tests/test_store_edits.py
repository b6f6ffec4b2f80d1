"""An entry the feed rewrites (same key, new title or summary) at the layer that owns the rule:
its item takes the new text; it gets the matches its new text makes for themes it had not
matched, with their events and alerts; the matches it had are kept; nothing else is touched."""

from __future__ import annotations

from store import Store
from tests.databases import BOTH
from tests.storing import same_quote
from tests.test_store_bulk import CHATS, NOW, OK, alerted_titles, entry, setup, stored_titles


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
