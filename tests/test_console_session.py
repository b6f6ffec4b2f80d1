"""The console finishes what it starts: buttons pressed by number or label, and charts and
exports written to files whose paths it prints. Driven through the console's command loop
(`ConsoleSession.handle`, one typed line at a time)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.chat.commands import Commands
from bot.console.service import CONSOLE
from bot.console.session import ConsoleSession
from store import Store
from tests.feeds import SEED_FEED, rss, seed_entries, split_seeds
from tests.logcapture import bot_warnings
from tests.pipeline import follow_everything, load_shipped_themes, poll
from tests.typist import Typist as BaseTypist

NOW = datetime(2023, 5, 9, 9, 0, tzinfo=UTC)


class Typist(BaseTypist):
    def __init__(self, store: Store, folder: Path) -> None:
        super().__init__(store, folder, NOW)


async def test_removefeed_is_confirmed_by_typing_the_buttons_number(
    store: Store, tmp_path: Path
) -> None:
    console = Typist(store, tmp_path)
    await store.add_feed(SEED_FEED.as_uri(), NOW)  # a local file: `feeds add --allow-file`
    feed = (await store.list_feeds())[0]

    asked = await console.type(f"/removefeed {feed.id}")
    assert "[1] Yes, remove  [2] Cancel" in asked
    done = await console.type("1")
    assert f"Removed feed {feed.id}" in done
    assert await store.list_feeds() == []
    assert "[1]" not in done, "the confirmation's buttons are gone once pressed"

    assert "No button “1” on screen" in await console.type("1"), "none is on screen any more"


async def test_undo_and_cancel_are_pressed_by_their_labels(store: Store, tmp_path: Path) -> None:
    console = Typist(store, tmp_path)
    await store.add_feed(SEED_FEED.as_uri(), NOW)  # a local file: `feeds add --allow-file`
    feed = (await store.list_feeds())[0]
    await console.type(f"/removefeed {feed.id}")
    assert "Cancelled; nothing changed." in await console.type("cancel")
    assert len(await store.list_feeds()) == 1

    await console.type(f"/removefeed {feed.id}")
    await console.type("Yes, remove")
    assert await store.list_feeds() == []
    offer = await console.type("/undo")
    assert "[1] Yes, undo  [2] Cancel" in offer
    assert "Undone" in await console.type("YES, UNDO")
    assert [f.url for f in await store.list_feeds()] == [feed.url]


async def _seeded(store: Store) -> None:
    await load_shipped_themes(store, NOW)
    await follow_everything(store, NOW)
    await store.add_feed(str(SEED_FEED), NOW)
    await poll(store, NOW)


async def test_timeline_chart_is_written_to_a_png_whose_path_is_printed(
    store: Store, tmp_path: Path
) -> None:
    await _seeded(store)
    console = Typist(store, tmp_path / "out")
    said = await console.type("/timeline normalization-with-assad chart")
    line = next(x for x in said.splitlines() if x.startswith("chart written to "))
    path = Path(line.removeprefix("chart written to "))
    assert path.parent == (tmp_path / "out").resolve()
    assert path.name.startswith("timeline-normalization-with-assad-chart-")
    assert path.read_bytes()[:4] == b"\x89PNG"
    again = await console.type("/timeline normalization-with-assad chart")
    assert str(path) not in again, "a second chart never overwrites the first"


async def test_export_writes_csv_and_json_files(store: Store, tmp_path: Path) -> None:
    await _seeded(store)
    console = Typist(store, tmp_path)
    said = await console.type("/export normalization-with-assad json")
    path = Path(said.split("export written to ", 1)[1].strip())
    events = json.loads(path.read_text(encoding="utf-8"))
    us = [e["date"] for e in events if e["actor"] == "United States"]
    assert us == ["2022-08-25", "2023-01-03", "2023-01-12", "2023-05-04"]
    assert len(events) == 6  # and Turkey's two statements of seed 001

    said = await console.type("/export normalization-with-assad csv")
    path = Path(said.split("export written to ", 1)[1].strip())
    assert path.suffix == ".csv"
    assert path.read_bytes().startswith("\ufeff".encode())  # spreadsheets then read UTF-8
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][0] == "date" and len(rows) == 7


async def test_timeline_pages_are_turned_by_typing_older_and_latest(
    store: Store, tmp_path: Path
) -> None:
    """Three years of the seed's statements: eighteen events, four pages of five."""
    await load_shipped_themes(store, NOW)
    seeds, _ = split_seeds(seed_entries())
    years = [
        replace(
            e,
            guid=f"{e.guid}-{k}",
            link=f"https://example.org/{k}/{e.guid}",
            published=e.published + timedelta(days=400 * k) if e.published else None,
        )
        for k in range(3)
        for e in seeds
    ]
    feed = tmp_path / "years.xml"
    feed.write_bytes(rss(years))
    later = NOW + timedelta(days=1000)  # after the last copy was published
    await store.add_feed(str(feed), later)
    await poll(store, later)
    console = Typist(store, tmp_path)

    first = await console.type("/timeline normalization-with-assad")
    assert "events 14–18 of 18" in first and "[1] ⏮ First  [2] « Older" in first
    older = await console.type("older")
    assert "events 9–13 of 18" in older
    assert "[1] ⏮ First  [2] « Older  [3] Newer »  [4] Latest ⏭" in older
    assert "events 1–3 of 18" in await console.type("1")
    assert "events 14–18 of 18" in await console.type("latest")
    assert "events 9–13 of 18" in await console.type("Older"), "the word as the README has it"
    assert "events 14–18 of 18" in await console.type("Newer")
    missing = await console.type("Newer")
    assert "No button “Newer” on screen. Type a number or a label: [1] ⏮ First" in missing


async def test_quit_ends_the_loop(store: Store, tmp_path: Path) -> None:
    session = ConsoleSession(Commands(store, lambda: NOW), CONSOLE, io.StringIO(), tmp_path)
    assert await session.handle("  ") is True
    assert await session.handle("/quit") is False


async def test_a_command_that_fails_on_our_side_is_told_and_the_console_goes_on(
    store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    console = Typist(store, tmp_path)
    async with store.engine.begin() as conn:  # the database is damaged under the running bot
        await conn.execute(text("DROP TABLE audit_log"))

    with bot_warnings(caplog):
        told = await console.type("/audit")

    assert "That failed on our side and was logged for the operator" in told
    assert "console command failed: /audit" in caplog.text
    assert "Unknown command" in await console.type("/nosuchcommand"), "the session goes on"


async def test_a_query_nested_too_deep_is_refused_and_nothing_changes(
    store: Store, tmp_path: Path
) -> None:
    console = Typist(store, tmp_path)
    await console.type("/addtheme deep-one Deep one")

    told = await console.type("/query deep-one " + "(" * 300 + "Iran" + ")" * 300)

    assert "too deeply nested" in told
    assert "no query" in (await console.type("/query deep-one")).lower()


async def test_a_theme_made_at_the_prompt_alerts_the_console_and_an_unfollow_holds(
    store: Store, tmp_path: Path
) -> None:
    from bot.console.alerts import CONSOLE_CHAT_ID, enable_console, print_due_alerts
    from tests.feeds import Entry

    await enable_console(store)  # the console starts on an empty database
    console = Typist(store, tmp_path)
    await console.type("/addtheme ruritania Ruritania ties")
    assert "query set" in await console.type("/query ruritania Ruritania AND (embassy OR ties)")
    assert await store.subscriptions_of(CONSOLE_CHAT_ID) == ["ruritania"]

    feed = tmp_path / "feed.xml"
    feed.write_bytes(
        rss(
            [
                Entry(
                    "r1",
                    "Ruritania reopens its embassy in Freedonia",
                    "The foreign minister of Ruritania said on Monday the embassy reopens.",
                    NOW - timedelta(hours=1),
                )
            ]
        )
    )
    await store.add_feed(feed.as_uri(), NOW)
    await poll(store, NOW)
    out = io.StringIO()
    assert await print_due_alerts(store, out) == 1
    assert "[ruritania]" in out.getvalue()

    # Unfollowed at the prompt, it stays unfollowed when the console starts again.
    await console.type("/unsubscribe ruritania")
    await enable_console(store)
    assert await store.subscriptions_of(CONSOLE_CHAT_ID) == []
