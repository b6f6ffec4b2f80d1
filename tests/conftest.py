"""Shared fixtures: databases (SQLite and PostgreSQL), the store, a fixed clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from store import Store
from tests.databases import cleanup_template, database_url  # noqa: F401  (fixture)

NOW = datetime(2023, 1, 6, 12, 0, tzinfo=UTC)


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:  # noqa: F811
    s = await Store.open(database_url)
    try:
        yield s
    finally:
        await s.close()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    cleanup_template()


# The fake Telegram Bot API server (tests/fakebotapi.py) as a fixture for every test module.
from tests.fakebotapi import fake_bot_api  # noqa: E402, F401
