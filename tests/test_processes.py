"""Several `policywatch run` processes on one database, as an operator deploys them: every alert
delivered once, one sender per bot token, and a killed sender's role taken over.

Real processes, a real database (SQLite and PostgreSQL), real feeds over HTTP from a local
feed server, and the fake Bot API on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from store import Store
from tests.databases import BOTH
from tests.fakebotapi import TEST_TOKEN, FakeBotAPI
from tests.feeds import Entry, rss, seed_entries, split_seeds
from tests.feedserver import FeedServer, feed_server  # noqa: F401  (fixture)
from tests.pipeline import load_shipped_themes

THEME = "normalization-with-assad"
CHATS = (501, 502, 503)


def fresh_statements(hours_ago: float = 1.0) -> list[Entry]:
    """The four distinct seed statements, published just now (so a first poll alerts them)."""
    seeds, _ = split_seeds(seed_entries())
    now = datetime.now(UTC) - timedelta(hours=hours_ago)
    keep = [s for s in seeds if s.guid != "seed-003"]  # 003 reports 000's statement
    return [Entry(f"{s.guid}-{now:%H%M%S}", s.title, s.description, now, s.link) for s in keep]


async def prepare(database_url: str, feeds: list[str]) -> None:
    store = await Store.open(database_url)
    try:
        now = datetime.now(UTC)
        await load_shipped_themes(store, now)
        for chat_id in CHATS:
            await store.upsert_chat(chat_id, "private", f"reader {chat_id}", now)
            await store.subscribe(chat_id, THEME, now)
        for url in feeds:
            await store.add_feed(url, now)
    finally:
        await store.close()


@contextlib.asynccontextmanager
async def policywatch(
    database_url: str, api: FakeBotAPI, tmp: Path, *args: str
) -> AsyncIterator[asyncio.subprocess.Process]:
    """`policywatch run ARGS` in its own process, stopped with SIGTERM (or already killed)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env.update(
        DATABASE_URL=database_url,
        TELEGRAM_BOT_TOKEN=TEST_TOKEN,
        TELEGRAM_API_BASE_URL=api.base_url,
        ALLOW_PRIVATE_FEEDS="true",
        POLL_INTERVAL="5",
        MIN_POLL_INTERVAL="5",
        ROLE_LEASE_SECONDS="6",
        LOG_LEVEL="INFO",
    )
    log = (tmp / f"run-{len(list(tmp.glob('run-*')))}.log").open("wb")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", *args, env=env, cwd=tmp, stdout=log, stderr=log
    )
    try:
        yield proc
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(proc.wait(), 30)
            except TimeoutError:
                proc.kill()
                await proc.wait()
        log.close()


def delivered(api: FakeBotAPI) -> list[tuple[int, str]]:
    return sorted((m.chat_id, m.text) for c in CHATS for m in api.sent_messages(c))


async def statements_stored(database_url: str, items: int) -> int:
    """How many statements (events) the processes stored, once `items` items are stored.

    A poll stores a feed's items, matches and events in one transaction, so once the items
    are there the count is final. (Seeds rewritten to one publication time may be read as
    fewer statements than items, and one item may report two: the count is read, not known.)
    """
    store = await Store.open(database_url, migrate=False)
    try:
        for _ in range(300):
            if await store.count_items() >= items:
                break
            await asyncio.sleep(0.3)
        _, total = await store.timeline_page(THEME)
        return total
    finally:
        await store.close()


async def sends_recorded(database_url: str, at_least: int) -> None:
    """Wait until the database records `at_least` alerts as sent (each mark follows Telegram's
    answer, so on a loaded machine it can trail the message by more than a second)."""
    store = await Store.open(database_url, migrate=False)
    try:
        for _ in range(300):
            if (await store.outbox_stats()).sent >= at_least:
                return
            await asyncio.sleep(0.3)
    finally:
        await store.close()


@BOTH
async def test_two_processes_on_one_database_deliver_every_alert_once(
    database_url: str,
    fake_bot_api: FakeBotAPI,
    feed_server: FeedServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    statements = fresh_statements()
    urls = [feed_server.feed(f"/outlet-{n}.xml", rss([s])) for n, s in enumerate(statements)]
    await prepare(database_url, urls)

    async with (
        policywatch(database_url, fake_bot_api, tmp_path),
        policywatch(database_url, fake_bot_api, tmp_path),
    ):
        want = await statements_stored(database_url, len(statements)) * len(CHATS)
        await fake_bot_api.wait_for(
            lambda: len(delivered(fake_bot_api)) >= want or None, 90, f"{want} alerts"
        )
        await asyncio.sleep(3)  # room for a duplicate to show up
        store = await Store.open(database_url)
        try:
            (holder,) = await store.role_holders()
            _, events = await store.timeline_page(THEME)
        finally:
            await store.close()

    got = delivered(fake_bot_api)
    want = events * len(CHATS)
    assert len(got) == want and len(set(got)) == want  # each alert once, to each chat
    assert holder.name == "sender:123456"  # one sender, named by the bot id, not the token


@BOTH
async def test_a_killed_senders_role_is_taken_over_and_alerts_keep_coming(
    database_url: str,
    fake_bot_api: FakeBotAPI,
    feed_server: FeedServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    first, later = fresh_statements()[:2], fresh_statements()[2:]
    feed = feed_server.feed("/outlet.xml", rss(first))
    await prepare(database_url, [feed])

    async with policywatch(database_url, fake_bot_api, tmp_path) as sender:
        # Every first alert delivered and recorded before the kill: a kill in the middle of a
        # send can repeat that one message (Telegram accepted it, the record was not written),
        # which benchmarks/crash.py measures; this test is about the takeover.
        first_events = await statements_stored(database_url, len(first))
        await fake_bot_api.wait_for(
            lambda: len(delivered(fake_bot_api)) >= first_events * len(CHATS) or None,
            90,
            "first alerts",
        )
        await sends_recorded(database_url, first_events * len(CHATS))
        async with policywatch(database_url, fake_bot_api, tmp_path) as standby:
            await asyncio.sleep(2)  # the second process has started as a watcher
            sender.kill()
            await sender.wait()
            feed_server.set_body("/outlet.xml", rss([*first, *later]))
            events = await statements_stored(database_url, len(first) + len(later))
            want = events * len(CHATS)
            await fake_bot_api.wait_for(
                lambda: len(delivered(fake_bot_api)) >= want or None, 90, "alerts after takeover"
            )
            assert standby.returncode is None
            await asyncio.sleep(2)  # room for a duplicate to show up
            got = delivered(fake_bot_api)
            assert len(got) == len(set(got)) == want


@BOTH
async def test_processes_starting_together_on_a_new_database_load_the_themes_once(
    database_url: str, tmp_path: Path
) -> None:
    # As compose starts a sender and watchers: several processes open a database with no
    # theme yet at the same moment; each would load the shipped theme (QA: one crashed on
    # the themes' unique slug). Four real processes, started together, all succeed.
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env.update({"DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"})
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "themes",
            "list",
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(4)
    ]
    results = [await asyncio.wait_for(p.communicate(), timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err.decode()[-2000:]
        assert b"normalization-with-assad" in out
    store = await Store.open(database_url)
    try:
        assert [t.slug for t in await store.list_themes()] == ["normalization-with-assad"]
    finally:
        await store.close()
