"""FEEDS_FILE, the OPML read at first start, never adds a local file as a feed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.app.settings import Settings
from bot.app.wiring import open_store
from tests.logcapture import warnings_of_bot  # noqa: F401


async def test_feeds_file_adds_web_feeds_and_skips_file_ones(
    tmp_path: Path,
    warnings_of_bot: Callable[[], list[str]],  # noqa: F811
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
    store = await open_store(settings)
    try:
        assert [f.url for f in await store.list_feeds()] == ["https://a.example.org/rss"]
    finally:
        await store.close()
    skipped = [line for line in warnings_of_bot() if "FEEDS_FILE: skipped" in line]
    assert len(skipped) == 2 and all("--allow-file" in line for line in skipped)
