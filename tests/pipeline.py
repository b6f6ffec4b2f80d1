"""Running the real poll cycle in tests, through the application's own wiring
(`bot.app.wiring.Poller`): real store, real fetcher, real matcher, a fixed clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.app.settings import Settings
from bot.app.wiring import Poller
from bot.console.alerts import CONSOLE_CHAT_ID
from matcher import load_themes_toml, shipped_themes_toml
from store import Store
from watchers.fetch.client import FetchPolicy
from watchers.poll.cycle import CycleReport, CycleSettings
from watchers.poll.schedule import Intervals
from watchers.poll.themes import spec_from_theme

SETTINGS = CycleSettings(
    intervals=Intervals(base=600, minimum=300, maximum=6 * 3600),
    backfill=timedelta(hours=24),
)
POLICY = FetchPolicy(allow_private=True, total_timeout=3.0, connect_timeout=1.0, read_timeout=2.0)


async def load_shipped_themes(store: Store, now: datetime) -> None:
    for theme in load_themes_toml(shipped_themes_toml()):
        await store.save_theme(spec_from_theme(theme), now)


async def follow_everything(store: Store, now: datetime, chat_id: int = CONSOLE_CHAT_ID) -> None:
    await store.upsert_chat(chat_id, "console", "console", now)
    await store.subscribe_all(chat_id, now)


# What the tests run the app with: loopback feeds allowed, short deadlines, no .env read.
APP_SETTINGS = Settings(_env_file=None, allow_private_feeds=True, fetch_timeout=3.0)  # type: ignore[call-arg]


async def poll(store: Store, now: datetime) -> CycleReport:
    """One cycle with every feed due at `now`, as `policywatch run` polls (parsing in a thread:
    tests/test_pipeline_concurrency.py runs the worker processes)."""
    await store.poll_feeds_now(now)
    poller = Poller(store, APP_SETTINGS, clock=lambda: now, parse_workers=0)
    try:
        return await poller.cycle()
    finally:
        await poller.close()
