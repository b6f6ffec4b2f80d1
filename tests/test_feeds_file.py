"""FEEDS_FILE, the OPML read at first start, never adds a local file as a feed."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.app.settings import Settings
from bot.app.wiring import open_store


async def test_feeds_file_adds_web_feeds_and_skips_file_ones(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    local = tmp_path / "local.xml"
    local.write_text("<rss/>")
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
        '<outline text="A" xmlUrl="Https://a.example.org/rss"/>'
        f'<outline text="Local" xmlUrl="{local.as_uri()}"/>'
        f'<outline text="Path" xmlUrl="{local}"/></body></opml>'
    )
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite:///{tmp_path}/pw.db",
        feeds_file=opml,
    )
    caplog.set_level(logging.WARNING, logger="bot")
    store = await open_store(settings)
    try:
        assert [f.url for f in await store.list_feeds()] == ["https://a.example.org/rss"]
    finally:
        await store.close()
    skipped = [r.getMessage() for r in caplog.records if "FEEDS_FILE: skipped" in r.getMessage()]
    assert len(skipped) == 2 and all("--allow-file" in line for line in skipped)
