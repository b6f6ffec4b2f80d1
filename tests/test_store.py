"""The store keeps items, matches, events and alerts the same way on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from matcher import Statement
from store import FeedExists, Store, UnknownTheme
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
from tests.storing import same_quote

THEME = ThemeSpec(
    slug="normalization-with-assad",
    name="Normalization with Assad",
    description="ties with Damascus",
    threshold=50,
    groups=(GroupSpec("who", 40.0, True, ("Assad", "Damascus")),),
    exclude=("Israel",),
    exemplars=("The US opposes normalizing with Assad.",),
    options={"until": "2024-12-08"},
)

STATEMENT = Statement(
    "Ned Price",
    "State Department spokesperson",
    "United States",
    "now is not the time to normalize",
    "opposes",
    date(2023, 1, 3),
)


def ok(now: datetime = NOW) -> FeedPollOutcome:
    return FeedPollOutcome(
        polled_at=now, next_poll_at=now + timedelta(minutes=5), ok=True, etag='"v1"'
    )


def item(key: str, *, statement: Statement = STATEMENT, alertable: bool = True) -> ItemToStore:
    return ItemToStore(
        item=NewItem(
            key=key,
            title=f"title {key}",
            summary="Assad",
            link=f"https://x/{key}",
            published_at=NOW - timedelta(days=1),
            dated=True,
        ),
        matches=(
            MatchToStore(
                NewMatch(THEME.slug, 80, [{"term": "Assad"}], "Assad (who)"), (statement,)
            ),
        ),
        alertable=alertable,
    )


async def setup(store: Store) -> int:
    await store.save_theme(THEME, NOW)
    feed = await store.add_feed("https://example.org/feed.xml", NOW)
    await store.upsert_chat(100, "private", "alice", NOW)
    await store.upsert_chat(-200, "group", "team", NOW)
    await store.subscribe(100, THEME.slug, NOW)
    await store.subscribe(-200, THEME.slug, NOW)
    return feed.id


@BOTH
async def test_a_theme_round_trips_with_its_groups_exclusions_and_exemplars(store: Store) -> None:
    saved = await store.save_theme(THEME, NOW)
    assert saved.groups == THEME.groups and saved.exclude == THEME.exclude
    assert saved.exemplars == THEME.exemplars and saved.options == {"until": "2024-12-08"}
    changed = await store.save_theme(
        ThemeSpec(**{**THEME.__dict__, "threshold": 70, "version": 1}), NOW
    )
    assert changed.threshold == 70 and changed.version == 2


@BOTH
async def test_a_feed_is_added_once_and_found_by_url_or_id(store: Store) -> None:
    feed = await store.add_feed("https://example.org/feed.xml", NOW)
    with pytest.raises(FeedExists):
        await store.add_feed("https://example.org/feed.xml", NOW)
    assert (await store.find_feed(str(feed.id))) == (await store.find_feed(feed.url))
    assert await store.remove_feed(feed.id)
    assert await store.find_feed(feed.url) is None


@BOTH
async def test_two_watchers_never_lease_the_same_feed(store: Store) -> None:
    for n in range(6):
        await store.add_feed(f"https://example.org/{n}.xml", NOW)
    first = await store.lease_due_feeds(NOW, "a", 4, 60)
    second = await store.lease_due_feeds(NOW, "b", 4, 60)
    assert len(first) == 4 and len(second) == 2
    assert not {f.id for f in first} & {f.id for f in second}
    # a lease that ran out (a crashed watcher) frees the feed again
    later = await store.lease_due_feeds(NOW + timedelta(seconds=61), "c", 10, 60)
    assert len(later) == 6


@BOTH
async def test_watchers_leasing_at_the_same_moment_get_disjoint_batches(
    store: Store, database_url: str
) -> None:
    for n in range(60):
        await store.add_feed(f"https://example.org/{n}.xml", NOW)
    others = [await Store.open(database_url) for _ in range(3)]  # other processes' stores
    try:
        leased: list[list[int]] = []
        for _ in range(3):  # rounds of four claims at once, each for up to 7 feeds
            batches = await asyncio.gather(
                *(s.lease_due_feeds(NOW, f"w{k}", 7, 60) for k, s in enumerate([store, *others]))
            )
            leased += [[f.id for f in batch] for batch in batches]
    finally:
        for other in others:
            await other.close()
    ids = [i for batch in leased for i in batch]
    assert all(len(batch) <= 7 and batch == sorted(batch) for batch in leased)
    assert len(ids) == len(set(ids)) == 60  # every feed once: none doubled, none lost


@BOTH
async def test_a_poll_stores_new_items_once_and_alerts_each_chat_once_per_event(
    store: Store,
) -> None:
    feed_id = await setup(store)
    batch = [item("a"), item("b")]  # one statement
    commit = await store.commit_poll(feed_id, ok(), batch, NOW, same_quote)
    assert (commit.new_items, commit.new_events, commit.alerts_enqueued) == (2, 1, 2)
    # the same items again change nothing
    again = await store.commit_poll(feed_id, ok(), batch, NOW, same_quote)
    assert (again.new_items, again.alerts_enqueued) == (0, 0)
    events, total = await store.timeline_page(THEME.slug)
    assert total == 1 and events[0].source_count == 2 and events[0].speaker == "Ned Price"
    due = await store.due_alerts(NOW)
    assert sorted(r.chat_id for r in due) == [-200, 100]
    assert due[0].alert.quote == "now is not the time to normalize"


@BOTH
async def test_later_coverage_joins_its_event_without_a_new_alert(store: Store) -> None:
    feed_id = await setup(store)
    await store.commit_poll(feed_id, ok(), [item("a")], NOW, same_quote)
    (event,) = await store.events_near(THEME.slug, date(2023, 1, 1), date(2023, 1, 5))
    later = replace(STATEMENT, said_on=date(2023, 1, 4), speaker=None)
    commit = await store.commit_poll(feed_id, ok(), [item("z", statement=later)], NOW, same_quote)
    assert (commit.new_items, commit.new_events, commit.alerts_enqueued) == (1, 0, 0)
    sources = await store.event_sources([event.id])
    assert [s.title for s in sources[event.id]] == ["title a", "title z"]


@BOTH
async def test_archive_items_of_a_first_poll_are_stored_but_not_alerted(store: Store) -> None:
    feed_id = await setup(store)
    commit = await store.commit_poll(feed_id, ok(), [item("old", alertable=False)], NOW, same_quote)
    assert commit.new_items == 1 and commit.alerts_enqueued == 0
    assert (await store.latest_matches(THEME.slug))[0].item.title == "title old"


@BOTH
async def test_a_failed_poll_counts_failures_until_one_succeeds(store: Store) -> None:
    feed_id = await setup(store)
    for n in range(3):
        await store.record_poll(
            feed_id,
            FeedPollOutcome(
                polled_at=NOW + timedelta(minutes=n),
                next_poll_at=NOW + timedelta(hours=1),
                ok=False,
                error="HTTP 500",
            ),
        )
    feed = await store.find_feed(str(feed_id))
    assert feed and feed.failures == 3 and feed.last_error == "HTTP 500"
    assert feed.failing_since == NOW
    await store.commit_poll(feed_id, ok(NOW + timedelta(hours=1)), [], NOW, same_quote)
    feed = await store.find_feed(str(feed_id))
    assert feed and feed.failures == 0 and feed.last_error is None and feed.etag == '"v1"'


@BOTH
async def test_delivery_outcomes_are_recorded(store: Store) -> None:
    feed_id = await setup(store)
    await store.commit_poll(feed_id, ok(), [item("a")], NOW, same_quote)
    first, second = await store.due_alerts(NOW)
    await store.mark_sent(first.id, NOW, 42)
    await store.mark_retry(second.id, NOW, NOW + timedelta(seconds=30), "429")
    assert await store.due_alerts(NOW) == []
    assert [r.id for r in await store.due_alerts(NOW + timedelta(seconds=31))] == [second.id]
    await store.mark_failed(second.id, NOW, "HTTP 500 for 10 minutes")
    stats = await store.outbox_stats()
    assert (stats.sent, stats.failed, stats.pending) == (1, 1, 0)


@BOTH
async def test_a_blocked_chat_stops_receiving_and_a_migrated_group_keeps_its_themes(
    store: Store,
) -> None:
    feed_id = await setup(store)
    await store.commit_poll(feed_id, ok(), [item("a")], NOW, same_quote)
    await store.deactivate_chat(100, "blocked by the user", NOW)
    assert [r.chat_id for r in await store.due_alerts(NOW)] == [-200]
    await store.migrate_chat(-200, -100200, NOW)
    assert await store.subscriptions_of(-100200) == [THEME.slug]
    assert await store.subscriptions_of(-200) == []
    assert [r.chat_id for r in await store.due_alerts(NOW)] == [-100200]


@BOTH
async def test_subscribing_to_an_unknown_theme_says_so(store: Store) -> None:
    await store.upsert_chat(1, "private", None, NOW)
    with pytest.raises(UnknownTheme):
        await store.subscribe(1, "no-such-theme", NOW)


@BOTH
async def test_audit_and_feedback_are_kept(store: Store) -> None:
    feed_id = await setup(store)
    await store.commit_poll(feed_id, ok(), [item("a")], NOW, same_quote)
    match = (await store.latest_matches(THEME.slug))[0]
    match_id = await store.match_id_for(match.item.id, THEME.slug)
    assert match_id is not None
    await store.record_feedback(match_id, 7, 100, True, NOW)
    await store.record_feedback(match_id, 7, 100, False, NOW)  # changes the vote
    assert await store.feedback_counts(THEME.slug) == (0, 1)
    await store.record_audit(
        at=NOW,
        actor_id=7,
        actor_name="admin",
        action="threshold",
        target=THEME.slug,
        before=50,
        after=60,
    )
    (entry,) = await store.latest_audit()
    assert (entry.action, entry.before, entry.after) == ("threshold", 50, 60)
    assert (await store.search_items("title a"))[0].key == "a"


def test_times_come_back_aware_utc() -> None:
    from store.schema import UTCDateTime

    t = UTCDateTime()
    assert t.process_result_value(datetime(2023, 1, 1), None) == datetime(  # type: ignore[arg-type]
        2023, 1, 1, tzinfo=UTC
    )


@BOTH
async def test_migrations_upgrade_a_database_that_already_holds_data(database_url: str) -> None:
    from sqlalchemy import text

    from store import make_engine, upgrade
    from store.schema import metadata

    engine = make_engine(database_url)
    try:
        async with engine.begin() as conn:  # the test database may be migrated: start empty
            await conn.run_sync(metadata.drop_all)
            await conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        await upgrade(engine, "0001")
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO audit_log (at, action, target) "
                    "VALUES (:at, 'threshold', 'normalization-with-assad')"
                ),
                {"at": NOW.replace(tzinfo=None)},
            )
        await upgrade(engine)  # 0001 -> head, keeping the row
        await upgrade(engine)  # and again: idempotent
    finally:
        await engine.dispose()
    store = await Store.open(database_url)
    try:
        (entry,) = await store.latest_audit()
        assert entry.action == "threshold" and entry.snapshot is None and entry.undone_by is None
    finally:
        await store.close()


@BOTH
async def test_a_database_a_newer_policywatch_migrated_is_one_line_and_left_alone(
    database_url: str,
) -> None:
    """QA round 17: an older watcher (or a rolled-back release) against a database a newer
    release upgraded printed Alembic's 100-line traceback."""
    from sqlalchemy import text

    from store import StoreConfigError, make_engine, upgrade

    engine = make_engine(database_url)
    try:
        await upgrade(engine)
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE alembic_version SET version_num = '0999'"))
        with pytest.raises(StoreConfigError, match="schema 0999, newer than this policywatch"):
            await upgrade(engine)
        async with engine.connect() as conn:
            assert await conn.scalar(text("SELECT version_num FROM alembic_version")) == "0999"
    finally:
        await engine.dispose()
