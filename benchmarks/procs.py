"""What the process benchmarks (crash.py, scaleout.py) share: a fresh database, the fake Bot API
in its own process, and `policywatch run` processes started as an operator starts them.

Everything is local (127.0.0.1, a temporary directory, a database `pw_bench_*` dropped at the
end). Measures nothing itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import tempfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from store import Store  # noqa: E402
from tests.fakebotapi import TEST_TOKEN  # noqa: E402
from tests.pipeline import load_shipped_themes  # noqa: E402

THEME = "normalization-with-assad"


@contextlib.asynccontextmanager
async def database(kind: str, tag: str) -> AsyncIterator[str]:
    """A fresh SQLite file in a temporary directory, or a fresh PostgreSQL database."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix=f"pw-{tag}-") as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    from tests.databases import _pg_exec, _pg_url

    name = f"pw_bench_{tag}_{os.getpid()}"
    await _pg_exec(f'DROP DATABASE IF EXISTS "{name}"')
    await _pg_exec(f'CREATE DATABASE "{name}"')
    try:
        yield _pg_url(name)
    finally:
        await _pg_exec(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.asynccontextmanager
async def fake_bot_api(enforce_limits: bool = False) -> AsyncIterator[str]:
    """`python -m tests.fakebotapi` in its own process (its CPU is not the bot's to measure);
    yields its base URL. `enforce_limits`: it answers 429 as Telegram would."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.fakebotapi",
        *(["--enforce-limits"] if enforce_limits else []),
        cwd=ROOT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stdin is not None
    try:
        port = int(await asyncio.wait_for(proc.stdout.readline(), 30))
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.stdin.close()
        try:
            await asyncio.wait_for(proc.wait(), 10)
        except TimeoutError:
            proc.kill()
            await proc.wait()


async def sent_messages(api: str) -> list[dict[str, Any]]:
    """What the fake Bot API accepted: chat_id, message_id, text, at (time.monotonic())."""
    async with httpx.AsyncClient(trust_env=False, timeout=60) as client:
        response = await client.get(f"{api}/_fake/sent")
        response.raise_for_status()
        return list(response.json())


async def prepare(url: str, feeds: list[str], chats: int) -> list[int]:
    """Migrate; the shipped themes; `chats` private chats following the theme; the feeds."""
    store = await Store.open(url)
    try:
        now = datetime.now(UTC)
        await load_shipped_themes(store, now)
        chat_ids = [700_000 + n for n in range(chats)]
        for chat_id in chat_ids:
            await store.upsert_chat(chat_id, "private", f"reader {chat_id}", now)
            await store.subscribe(chat_id, THEME, now)
        for feed in feeds:
            await store.add_feed(feed, now)
        return chat_ids
    finally:
        await store.close()


class Runner:
    """Starts `policywatch run ARGS` processes with one environment; logs in `logs`."""

    def __init__(self, database_url: str, api: str, logs: Path, **settings: str) -> None:
        self.logs = logs
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
        self.env.pop("DATABASE_URL", None)
        self.env.update(
            DATABASE_URL=database_url,
            TELEGRAM_BOT_TOKEN=TEST_TOKEN,
            TELEGRAM_API_BASE_URL=api,
            ALLOW_PRIVATE_FEEDS="true",
            LOG_LEVEL="WARNING",
            PYTHONPATH=str(ROOT),
        )
        self.env.update(settings)
        self.started = 0

    async def start(self, *args: str) -> asyncio.subprocess.Process:
        log = (self.logs / f"run-{self.started:02d}.log").open("wb")
        self.started += 1
        try:
            return await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                *args,
                env=self.env,
                cwd=self.logs,
                stdout=log,
                stderr=log,
                stdin=asyncio.subprocess.DEVNULL,
            )
        finally:
            log.close()

    def tail(self, lines: int = 15) -> str:
        """The last lines of the latest log, for a run that went wrong."""
        logs = sorted(self.logs.glob("run-*.log"))
        if not logs:
            return ""
        return "\n".join(logs[-1].read_text(errors="replace").splitlines()[-lines:])


async def stop(proc: asyncio.subprocess.Process, grace: float = 30) -> None:
    """SIGTERM, then SIGKILL if it has not stopped within `grace` seconds."""
    if proc.returncode is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(proc.wait(), grace)
    except TimeoutError:
        proc.kill()
        await proc.wait()
