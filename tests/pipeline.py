"""Running the real poll cycle in tests: real store, real fetcher, real matcher."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.console.alerts import CONSOLE_CHAT_ID
from matcher import load_themes_toml, shipped_themes_toml
from store import Store
from watchers.fetch.client import FetchPolicy, make_client
from watchers.poll.cycle import CycleReport, CycleSettings, PollCycle
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


async def poll(store: Store, now: datetime, policy: FetchPolicy = POLICY) -> CycleReport:
    """One cycle with every feed due at `now`."""
    await store.poll_feeds_now(now)
    async with make_client(policy) as client:
        return await PollCycle(store, policy, SETTINGS, client, lambda: now).run()
