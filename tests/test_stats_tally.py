"""`/stats` counts every alert Telegram accepted, also after the rows behind it went: a removed
feed, a deleted theme, a chat that left (QA rounds 15 and 16: the count went down)."""

from __future__ import annotations

import json

from sqlalchemy import text

from store import Store, make_engine, upgrade
from tests.conftest import NOW
from tests.databases import BOTH
from tests.storing import same_quote
from tests.test_store import THEME, item, ok, setup


@BOTH
async def test_alerts_sent_stay_counted_when_their_feed_and_theme_are_gone(store: Store) -> None:
    feed_id = await setup(store)
    await store.commit_poll(feed_id, ok(), [item("a")], NOW, same_quote)
    first, _other_chat = await store.due_alerts(NOW)
    await store.mark_sent(first.id, NOW, 42)
    assert (await store.outbox_stats()).sent == 1

    assert await store.remove_feed(feed_id)
    stats = await store.outbox_stats()
    assert (stats.sent, stats.pending) == (1, 0), "the sent alert is still counted"

    feed_id = (await store.add_feed("https://example.org/other.xml", NOW)).id
    await store.commit_poll(feed_id, ok(), [item("b")], NOW, same_quote)
    rows = await store.due_alerts(NOW)
    await store.mark_sent_many([(row.id, NOW, 50 + row.id) for row in rows])
    assert (await store.outbox_stats()).sent == 3

    assert await store.remove_theme(THEME.slug)
    assert (await store.outbox_stats()).sent == 3


@BOTH
async def test_upgrading_counts_the_alerts_already_sent_and_those_kept_aside(
    store: Store, database_url: str
) -> None:
    feed_id = await setup(store)
    await store.commit_poll(feed_id, ok(), [item("a"), item("b")], NOW, same_quote)
    rows = await store.due_alerts(NOW)
    await store.mark_sent(rows[0].id, NOW, 42)
    (matched, *_) = await store.latest_matches(THEME.slug, 10)
    kept = [{"status": "sent", "chat_id": 100}, {"status": "pending", "chat_id": -200}]
    engine = make_engine(database_url)
    try:
        async with engine.begin() as conn:  # a database from before the total existed
            await conn.execute(
                text(
                    "INSERT INTO withdrawn_matches "
                    "(match_id, theme_id, item_id, alerts, votes, withdrawn_at) "
                    "SELECT 9999, id, :item, :alerts, '[]', :at FROM themes WHERE slug = :slug"
                ),
                {
                    "slug": THEME.slug,
                    "item": matched.item.id,
                    "alerts": json.dumps(kept),
                    "at": NOW.replace(tzinfo=None),
                },
            )
            await conn.execute(text("DROP TABLE tallies"))
            await conn.execute(text("ALTER TABLE withdrawn_matches DROP COLUMN event"))  # 0021
            await conn.execute(text("ALTER TABLE feeds DROP COLUMN known_keys"))  # 0022
            await conn.execute(text("DROP TABLE feed_aliases"))  # 0023
            await conn.execute(text("ALTER TABLE events DROP COLUMN quote_lang"))  # 0024
            await conn.execute(text("UPDATE alembic_version SET version_num = '0019'"))
        await upgrade(engine)
    finally:
        await engine.dispose()
    assert (await store.outbox_stats()).sent == 2, "one sent row and one kept aside"
