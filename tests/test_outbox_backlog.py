"""A delivery pass takes the oldest due outbox rows in queue order, whatever the backlog.

`due_alerts` reads a partial index of pending rows (migration 0006); these check that the
rows and their order are the ones the delivery loop relied on before: id order among the due
rows of active chats, rows waiting for a retry skipped until due, the limit honoured.
"""

from __future__ import annotations

from datetime import timedelta

from store import Store
from tests.conftest import NOW
from tests.databases import BOTH
from tests.storing import always_new
from tests.test_store import item, ok, setup


@BOTH
async def test_a_pass_takes_the_oldest_due_rows_in_queue_order(store: Store) -> None:
    feed_id = await setup(store)  # chats 100 and -200 follow the theme
    batch = [item(f"k{n}") for n in range(1, 5)]  # four events
    await store.commit_poll(feed_id, ok(), batch, NOW, always_new)
    queue = await store.due_alerts(NOW, limit=100)
    ids = [r.id for r in queue]
    assert len(ids) == 8 and ids == sorted(ids)

    first = queue[0]
    await store.mark_retry(first.id, NOW, NOW + timedelta(minutes=5), "HTTP 502")
    await store.mark_sent(queue[1].id, NOW, 1)
    await store.mark_failed(queue[2].id, NOW, "Telegram refused: bad HTML")
    assert [r.id for r in await store.due_alerts(NOW, limit=3)] == ids[3:6]

    # once due again, the retried row goes first: it was queued first
    later = NOW + timedelta(minutes=6)
    assert [r.id for r in await store.due_alerts(later, limit=2)] == [ids[0], ids[3]]

    chat = first.chat_id
    mine = [r.id for r in queue[3:] if r.chat_id == chat]
    assert [r.id for r in await store.due_alerts(later, chat_id=chat)] == [ids[0], *mine]

    await store.deactivate_chat(chat, "blocked by the user", NOW)
    rest = await store.due_alerts(later, limit=100)
    assert rest and all(r.chat_id != chat for r in rest)
    assert [r.id for r in rest] == sorted(r.id for r in rest)


@BOTH
async def test_a_burst_of_accepted_messages_is_recorded_in_one_go(store: Store) -> None:
    feed_id = await setup(store)
    await store.commit_poll(feed_id, ok(), [item(f"k{n}") for n in range(3)], NOW, always_new)
    queue = await store.due_alerts(NOW, limit=100)
    await store.mark_sent_many([(row.id, NOW, 500 + n) for n, row in enumerate(queue[:4])])
    left = await store.due_alerts(NOW, limit=100)
    assert [r.id for r in left] == [r.id for r in queue[4:]]
    stats = await store.outbox_stats()
    assert stats.sent == 4 and stats.pending == len(queue) - 4
