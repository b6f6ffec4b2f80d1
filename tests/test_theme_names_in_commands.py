"""A theme's display name of several words names it in every command that takes a theme first,
as its slug does: "/query Ties between states" shows that theme's query (it once set
"between states" as the query of the theme its first word resolved to)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.chat.commands import slug_first
from store import Store
from tests.typist import Typist

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_the_longest_leading_display_name_becomes_the_slug() -> None:
    names: dict[str, str | None] = {"ties between states": "ties", "us policy": "us"}
    assert slug_first(["Ties", "between", "states"], names) == ["ties"]
    assert slug_first(["ties", "Between", "States", "60"], names) == ["ties", "60"]
    assert slug_first(["ties", "60"], names) == ["ties", "60"]  # one word: the resolver's
    shared: dict[str, str | None] = {"one name": None}
    assert slug_first(["one", "name", "60"], shared) == ["one", "name", "60"]


async def test_admin_commands_take_a_display_name(store: Store, tmp_path: Path) -> None:
    console = Typist(store, tmp_path, NOW)
    await console.type("/addtheme ties Ties between states")
    await console.type("/query ties (ties OR relations) AND restore*")

    shown = await console.type("/query Ties between states")
    assert "(ties OR relations) AND restore*" in shown and "query set" not in shown
    assert "60" in await console.type("/threshold Ties between states 60")
    assert (await store.get_theme("ties")).threshold == 60  # type: ignore[union-attr]
    asked = await console.type("/removetheme Ties between states")
    assert "Remove theme" in asked and "ties" in asked
