"""A poll's items and matches are inserted in bulk, yet only really new items count and alert,
in batch order, with the first of a repeated key kept, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from store import Store
from store.records import (
    FeedPollOutcome,
    GroupSpec,
    ItemToStore,
    MatchToStore,
    NewItem,
    NewMatch,
    ThemeSpec,
)
from tests.conftest import NOW
from tests.databases import BOTH
from tests.storing import same_quote, statement

THEME = ThemeSpec(
    slug="bulk-theme",
    name="Bulk theme",
    description="",
    threshold=50,
    groups=(GroupSpec("who", 40.0, True, ("Assad",)),),
    exclude=(),
    exemplars=(),
    options={},
)
CHATS = (100, -200)
OK = FeedPollOutcome(polled_at=NOW, next_poll_at=NOW + timedelta(minutes=5), ok=True)


def entry(key: str, *, title: str | None = None, event: int | None = None) -> ItemToStore:
    """An item; with `event`, it matches the theme with a statement that event reports."""
    found: tuple[MatchToStore, ...] = ()
    if event is not None:
        said = statement(f"quote {event}")
        found = (MatchToStore(NewMatch(THEME.slug, 80, [{"term": "Assad"}], "Assad"), (said,)),)
    return ItemToStore(
        item=NewItem(
            key=key,
            title=title or f"title {key}",
            summary="Assad " * 200,
            link=f"https://x/{key}",
            published_at=NOW - timedelta(hours=1),
            dated=True,
        ),
        matches=found,
        alertable=True,
    )


async def setup(store: Store) -> int:
    await store.save_theme(THEME, NOW)
    for chat_id in CHATS:
        await store.upsert_chat(chat_id, "private", None, NOW)
        await store.subscribe(chat_id, THEME.slug, NOW)
    return (await store.add_feed("https://example.org/bulk.xml", NOW)).id


async def stored_titles(store: Store) -> dict[str, str]:
    return {r.key: r.title for r in await store.recent_items(limit=10_000)}


async def alerted_titles(store: Store) -> list[str]:
    return sorted(r.alert.title for r in await store.due_alerts(NOW, limit=10_000))


@BOTH
async def test_a_poll_of_hundreds_of_items_stores_and_reports_them_all(store: Store) -> None:
    feed_id = await setup(store)
    batch = [entry(f"k{n}", event=n if n % 50 == 0 else None) for n in range(650)]

    commit = await store.commit_poll(feed_id, OK, batch, NOW, same_quote)

    assert (commit.new_items, commit.new_matches, commit.new_events) == (650, 13, 13)
    assert commit.alerts_enqueued == 13 * len(CHATS)
    assert (await store.counts())["items"] == 650
    due = await store.due_alerts(NOW, limit=1000)
    assert sorted({r.alert.title for r in due}) == sorted(f"title k{n}" for n in range(0, 650, 50))
    for row in due:  # each alert points at the match of its own item
        assert await store.match_id_for(row.alert.item_id, THEME.slug) == row.alert.match_id


@BOTH
async def test_only_the_new_half_of_a_batch_is_stored_counted_and_alerted(store: Store) -> None:
    feed_id = await setup(store)
    first = [entry(f"k{n}") for n in range(10)]
    await store.commit_poll(feed_id, OK, first, NOW, same_quote)
    # Known (served again with the same text) and new interleaved; every item matches into
    # its own event, and the known k8 shares its batch key with the new k10 behind it (k10
    # must create that event). A known item whose text is unchanged is not matched again,
    # even if the matcher now says it matches (an edited one is: test_store_edits.py).
    batch = []
    for n in range(5, 15):
        batch.append(entry(f"k{n}", event=n if n != 8 else 10))
    batch.append(entry("k10b", event=10))  # joins k10's new event: no second alert

    commit = await store.commit_poll(feed_id, OK, batch, NOW, same_quote)

    assert (commit.new_items, commit.new_matches, commit.new_events) == (6, 6, 5)
    assert commit.alerts_enqueued == 5 * len(CHATS)
    titles = await stored_titles(store)
    assert len(titles) == 16 and titles["k5"] == "title k5"  # a known item is left as it was
    assert await alerted_titles(store) == sorted(
        f"title k{n}" for n in range(10, 15) for _ in CHATS
    )
    events = await store.events_near(THEME.slug, date(2023, 1, 1), date(2023, 1, 5))
    by_id = sorted(events, key=lambda e: e.id)  # created in batch order
    assert [e.headline for e in by_id] == [f"title k{n}" for n in range(10, 15)]
    assert [e.source_count for e in by_id] == [2, 1, 1, 1, 1]


@BOTH
async def test_a_key_repeated_in_one_batch_keeps_its_first_item(store: Store) -> None:
    feed_id = await setup(store)
    # 700 rows spread over several INSERT chunks; k3 comes back far into the batch, matching.
    batch = [entry(f"k{n}") for n in range(700)]
    batch.insert(650, entry("k3", title="second k3", event=1))
    batch.insert(5, entry("dup", title="first dup"))
    batch.append(entry("dup", title="second dup", event=2))

    commit = await store.commit_poll(feed_id, OK, batch, NOW, same_quote)

    assert (commit.new_items, commit.new_matches, commit.new_events) == (701, 0, 0)
    assert commit.alerts_enqueued == 0
    titles = await stored_titles(store)
    assert titles["k3"] == "title k3" and titles["dup"] == "first dup"
    # served again with the text stored: nothing (a rewritten text is an edit:
    # tests/test_store_edits.py)
    again = await store.commit_poll(
        feed_id,
        OK,
        [entry("dup", title="first dup", event=3), entry("dup", title="first dup")],
        NOW,
        same_quote,
    )
    assert (again.new_items, again.new_matches) == (0, 0)


@BOTH
async def test_one_article_carried_by_several_feeds_is_one_source_and_one_latest_entry(
    store: Store,
) -> None:
    await setup(store)
    feeds = [(await store.add_feed(f"https://example.org/{n}.xml", NOW)).id for n in range(3)]
    for n, feed_id in enumerate(feeds):  # an outlet's "all", "world" and "mideast" feeds
        same = entry(f"k{n}", title="Assad visits the Gulf", event=1)
        item = replace(same.item, link="https://outlet.example/assad-visit")
        await store.commit_poll(feed_id, OK, [replace(same, item=item)], NOW, same_quote)

    latest = await store.latest_matches(THEME.slug)
    assert [m.item.link for m in latest] == ["https://outlet.example/assad-visit"]
    (event,) = await store.events_near(THEME.slug, date(2023, 1, 1), date(2023, 1, 5))
    sources = (await store.event_sources([event.id]))[event.id]
    assert [s.link for s in sources] == ["https://outlet.example/assad-visit"]
