"""A process restarted under the same host name and pid as the one that died (a container that
Docker restarts keeps its host name, and its process gets the same pid) gets its
predecessor's feeds back at start, instead of waiting out their leases; a running process
never frees its own leases. SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app.roles import dead_owners, reclaim_dead_leases, this_owner
from store import Store
from tests.databases import BOTH

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def test_a_lease_under_the_starting_process_own_name_is_a_predecessors() -> None:
    owners = ["box:7", "box:8", "other:7"]
    everyone_alive = lambda pid: True  # noqa: E731
    assert dead_owners(owners, "box", everyone_alive) == []
    assert dead_owners(owners, "box", everyone_alive, starting_as="box:7") == ["box:7"]
    assert dead_owners(owners, "box", lambda pid: pid != 8, starting_as="box:7") == [
        "box:7",
        "box:8",
    ]


@BOTH
async def test_a_restart_under_the_same_name_frees_the_feeds_at_once(store: Store) -> None:
    for n in range(3):
        await store.add_feed(f"https://example.org/{n}.xml", NOW)
    await store.lease_due_feeds(NOW, this_owner(), 10, 600)  # the process before the restart

    await reclaim_dead_leases(store, NOW)  # while running: its own leases are its own
    assert await store.feed_lease_owners(NOW) == [this_owner()]

    await reclaim_dead_leases(store, NOW, starting=True)
    assert await store.feed_lease_owners(NOW) == []
    assert len(await store.lease_due_feeds(NOW, this_owner(), 10, 600)) == 3
