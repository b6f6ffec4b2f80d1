"""Which chats may rate an alert: the store answers from the outbox, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from store import Store
from tests.conftest import NOW
from tests.databases import BOTH
from tests.storing import same_quote
from tests.test_store import item, ok, setup


@BOTH
async def test_an_alert_can_be_rated_only_in_a_chat_it_was_sent_to(store: Store) -> None:
    feed_id = await setup(store)  # chats 100 and -200 follow the theme
    await store.commit_poll(feed_id, ok(), [item("a")], NOW, same_quote)
    first, second = await store.due_alerts(NOW)
    match_id = first.alert.match_id
    assert await store.alerted_chat(match_id, first.chat_id) is False  # queued, never tried
    await store.mark_sent(first.id, NOW, 42)
    assert await store.alerted_chat(match_id, first.chat_id) is True
    assert await store.alerted_chat(match_id, second.chat_id) is False
    await store.mark_retry(second.id, NOW, NOW + timedelta(seconds=30), "timed out")
    assert await store.alerted_chat(match_id, second.chat_id) is True  # may have arrived
    assert await store.alerted_chat(match_id, 12345) is False  # a chat that never got it
    assert await store.alerted_chat(2**31 - 1, first.chat_id) is None  # no such match


@BOTH
async def test_an_alert_being_sent_can_be_rated_before_its_sent_is_recorded(
    store: Store,
) -> None:
    feed_id = await setup(store)
    await store.commit_poll(feed_id, ok(), [item("a")], NOW, same_quote)
    first, second = await store.due_alerts(NOW)
    await store.mark_attempting([first.id], NOW)  # on its way: Telegram may show it already
    assert await store.alerted_chat(first.alert.match_id, first.chat_id) is True
    assert await store.alerted_chat(first.alert.match_id, second.chat_id) is False
    assert [r.id for r in await store.due_alerts(NOW)] == [first.id, second.id]  # still due
