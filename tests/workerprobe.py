"""Run in a parse worker by tests/test_parsepool.py: imports only what the worker imports."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from watchers.poll.workers import ThemeSet, parse_and_score


def heavy_modules_after_parsing(body: bytes, themes: ThemeSet) -> list[str]:
    """Parse and score a feed, then list the heavy modules this process has imported."""
    parse_and_score(
        body,
        url="https://example.org/",
        fetched_at=datetime(2026, 8, 13, 5, 0, tzinfo=UTC),
        content_type=None,
        max_entries=500,
        previous=None,
        themes=themes,
        source="Wire",
    )
    return sorted(m for m in ("store", "sqlalchemy", "alembic", "httpx") if m in sys.modules)
