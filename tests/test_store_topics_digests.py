"""Forum topics, digests and migration 0009 in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

from matcher import Statement
from store import Store, make_engine
from tests.conftest import NOW
from tests.databases import BOTH
from tests.storing import same_quote
from tests.test_store import THEME, item, ok, setup

TOPIC = 7


def other(quote: str) -> Statement:
    return Statement("Speaker", "Office", "Actor", quote, "supports", date(2023, 1, 3))


async def places(store: Store) -> list[tuple[int, int, str]]:
    """(chat, topic, status) of every alert row."""
    from sqlalchemy import select

    from store.schema import outbox

    async with store.engine.connect() as conn:
        rows = await conn.execute(
            select(outbox.c.chat_id, outbox.c.thread_id, outbox.c.status)
            .where(outbox.c.kind == "alert")
            .order_by(outbox.c.chat_id, outbox.c.thread_id, outbox.c.id)
        )
        return [(r[0], r[1], r[2]) for r in rows]


@BOTH
async def test_a_topic_follows_a_theme_apart_from_its_chat_and_closing_it_stops_only_it(
    store: Store,
) -> None:
    feed_id = await setup(store)  # chat 100 and group -200 follow the theme
    assert await store.subscribe(-200, THEME.slug, NOW, thread_id=TOPIC)
    assert not await store.subscribe(-200, THEME.slug, NOW, thread_id=TOPIC)
    assert await store.subscriptions_of(-200, TOPIC) == [THEME.slug]

    await store.commit_poll(feed_id, ok(), [item("a")], NOW, same_quote)
    await store.commit_poll(feed_id, ok(), [item("a2")], NOW, same_quote)  # same statement
    assert await places(store) == [
        (-200, 0, "pending"),
        (-200, TOPIC, "pending"),
        (100, 0, "pending"),
    ]
    due = {(r.chat_id, r.thread_id) for r in await store.due_alerts(NOW)}
    assert due == {(-200, 0), (-200, TOPIC), (100, 0)}

    await store.deactivate_topic(-200, TOPIC, "Topic_closed", NOW)
    assert await store.subscriptions_of(-200, TOPIC) == []
    assert await store.subscriptions_of(-200) == [THEME.slug]
    chat = await store.get_chat(-200)
    assert chat is not None and chat.active
    await store.commit_poll(feed_id, ok(), [item("b", statement=other("another"))], NOW, same_quote)
    assert (-200, TOPIC, "dropped") in await places(store)
    assert [p for p in await places(store) if p[1] == TOPIC] == [(-200, TOPIC, "dropped")]
    # /subscribe in the reopened topic starts it again
    assert await store.subscribe(-200, THEME.slug, NOW, thread_id=TOPIC)
    assert await store.subscriptions_of(-200, TOPIC) == [THEME.slug]


@BOTH
async def test_a_digest_carries_the_alerts_folded_for_it_once(store: Store) -> None:
    feed_id = await setup(store)
    await store.commit_poll(feed_id, ok(), [item("a")], NOW, same_quote)
    folded = await store.set_digest(100, 0, "daily", None, 8 * 60, "UTC", NOW)
    assert folded == 1  # the alert not sent yet waits for the digest
    await store.commit_poll(feed_id, ok(), [item("b", statement=other("another"))], NOW, same_quote)
    assert [p for p in await places(store) if p[0] == 100] == [
        (100, 0, "folded"),
        (100, 0, "folded"),
    ]
    assert {r.chat_id for r in await store.due_alerts(NOW)} == {-200}
    assert await store.folded_count(100) == 2

    due_at = NOW + timedelta(hours=20)
    digest_id = await store.make_digest(100, 0, due_at, due_at)
    assert digest_id is not None
    assert await store.make_digest(100, 0, due_at, due_at) is None  # once per scheduled time
    (digest,) = await store.due_digests(due_at)
    assert digest.id == digest_id and digest.period_end == due_at and digest.period_start == NOW
    assert [a.title for a in digest.alerts] == ["title a", "title b"]
    schedule = await store.digest_schedule_of(100)
    assert schedule is not None and schedule.last_due_at == due_at
    await store.mark_sent(digest.id, due_at, 99)
    assert await store.due_digests(due_at) == []
    # an empty period makes no digest, but the schedule moves on
    assert await store.make_digest(100, 0, due_at + timedelta(days=1), due_at) is None

    await store.commit_poll(feed_id, ok(), [item("c", statement=other("a third"))], NOW, same_quote)
    assert await store.clear_digest(100, 0, NOW) == 1  # back to alerts: nothing is lost
    assert await store.clear_digest(100, 0, NOW) is None
    assert [r.alert.title for r in await store.due_alerts(NOW) if r.chat_id == 100] == ["title c"]


@BOTH
async def test_migration_0009_upgrades_a_database_that_holds_alerts_and_subscriptions(
    database_url: str,
) -> None:
    from alembic import command
    from sqlalchemy import text

    from store.db import alembic_config

    store = await Store.open(database_url)
    try:
        feed_id = await setup(store)
        await store.commit_poll(feed_id, ok(), [item("a")], NOW, same_quote)
    finally:
        await store.close()

    def migrate(connection: object, action: str, revision: str) -> None:
        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        getattr(command, action)(cfg, revision)

    engine = make_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(migrate, "downgrade", "0005")
            old = (await conn.execute(text("SELECT chat_id, status FROM outbox"))).all()
            assert sorted(old) == [(-200, "pending"), (100, "pending")]
        async with engine.begin() as conn:
            await conn.run_sync(migrate, "upgrade", "head")
    finally:
        await engine.dispose()

    store = await Store.open(database_url)
    try:
        assert await store.subscriptions_of(100) == [THEME.slug]
        assert await places(store) == [(-200, 0, "pending"), (100, 0, "pending")]
        assert await store.subscribe(-200, THEME.slug, NOW, thread_id=TOPIC)
        await store.commit_poll(feed_id, ok(), [item("a2")], NOW, same_quote)  # same statement
        assert len(await places(store)) == 2  # a second report of it: no new alert
        await store.commit_poll(
            feed_id, ok(), [item("b", statement=other("another"))], NOW, same_quote
        )
        assert (-200, TOPIC, "pending") in await places(store)
        assert len(await places(store)) == 5
    finally:
        await store.close()
