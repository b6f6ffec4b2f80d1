"""Answers to what people type: words a command does not take are named, not ignored; a
format that does not exist is refused with the ones that do; a command without its number
shows the current value; a channel at the console gets the console's answer. Driven through
the console's command loop with the real commands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bot.chat.commands import Commands
from bot.chat.replies import Caller
from store import Store
from tests.logcapture import warnings_of_bot  # noqa: F401
from tests.typist import Typist as BaseTypist

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


class Typist(BaseTypist):
    def __init__(self, store: Store, folder: Path) -> None:
        super().__init__(store, folder, NOW)


async def _theme(store: Store, tmp_path: Path) -> Typist:
    console = Typist(store, tmp_path)
    await console.type("/addtheme iran-talks Iran talks")
    await console.type("/query iran-talks Iran AND nuclear")
    return console


async def test_export_in_a_format_there_is_not_is_refused_with_the_formats(
    store: Store, tmp_path: Path
) -> None:
    console = await _theme(store, tmp_path / "out")
    for fmt in ("xml", "pdf"):
        answer = await console.type(f"/export iran-talks {fmt}")
        assert f"I did not understand “{fmt}”: the formats are csv (the default) and json" in (
            answer
        )
    assert not (tmp_path / "out").exists(), "no file written"
    # by its name too; with nothing recorded it says so instead of writing an empty file
    assert "No statements recorded yet" in await console.type("/export Iran talks json")


async def test_timeline_names_the_words_it_did_not_understand(store: Store, tmp_path: Path) -> None:
    console = await _theme(store, tmp_path)
    answer = await console.type("/timeline iran-talks bogus words here")
    assert "I did not understand “bogus words here”" in answer
    assert "[since] [until] [who:NAME]" in answer
    assert "Timeline" not in answer
    assert "I did not understand “zz”." in await console.type("/timeline iran-talks 2023 zz 2024")
    assert "Timeline" in await console.type("/timeline Iran talks 2023")


async def test_threshold_without_a_number_shows_the_current_one(
    store: Store, tmp_path: Path
) -> None:
    console = await _theme(store, tmp_path)
    await console.type("/threshold iran-talks 65")
    assert "threshold of iran-talks: 65" in await console.type("/threshold iran-talks")
    assert "Usage: /threshold THEME N" in await console.type("/threshold iran-talks high")
    # the same value again changes nothing: no new version, no audit entry
    version = (await store.get_theme("iran-talks")).version  # type: ignore[union-attr]
    assert "65 already; nothing changed" in await console.type("/threshold iran-talks 65")
    assert (await store.get_theme("iran-talks")).version == version  # type: ignore[union-attr]
    # by its name with a space, as /timeline takes it
    assert "threshold of iran-talks: 65" in await console.type("/threshold Iran talks")
    assert "threshold 65 → 60" in await console.type("/threshold Iran talks 60")
    # a short name, then a word that is no number: the word is named, not the theme doubted
    answer = await console.type("/threshold iran abc")
    assert "“abc” is not a number. Usage: /threshold THEME N" in answer
    assert "No theme" not in answer


async def test_a_channel_id_at_the_console_is_for_telegram(store: Store, tmp_path: Path) -> None:
    console = await _theme(store, tmp_path)
    for channel in ("-100123", "-1001234567890", "@mychannel"):
        answer = await console.type(f"/subscribe iran-talks {channel}")
        assert "Channels can only be subscribed through Telegram." in answer
    assert "follows no theme" in await console.type("/mysubs")


async def test_addtheme_says_why_a_slug_or_name_is_refused_by_the_rule_the_shell_keeps(
    store: Store, tmp_path: Path
) -> None:
    console = Typist(store, tmp_path)
    short = await console.type("/addtheme z Zed")
    assert "is 1 character long; use 2 to 40" in short and "Usage: /addtheme" in short
    upper = await console.type("/addtheme Iran-Deal Iran deal")
    assert "use lowercase letters, digits and hyphens" in upper
    # one answer, with the command to type (QA round 20), not the refusal and the usage
    assert "Type: /addtheme iran-deal Iran deal" in upper and "Usage:" not in upper
    named = await console.type("/addtheme Gaza ceasefire talks")  # the name typed first
    assert "Type: /addtheme gaza-ceasefire-talks Gaza ceasefire talks" in named
    assert await store.list_themes() == []
    assert "Added theme" in await console.type("/addtheme gaza-ceasefire-talks Gaza talks")


async def test_search_says_it_has_no_operators_when_one_is_typed(
    store: Store, tmp_path: Path
) -> None:
    console = Typist(store, tmp_path)
    told = await console.type("/search Iran OR Tehran -Assad")
    assert "OR, -Assad: /search has no operators" in told
    assert "has no operators" not in await console.type("/search Iran Tehran")


async def test_a_theme_named_loosely_with_a_word_that_is_no_filter_names_the_word(
    store: Store, tmp_path: Path
) -> None:
    console = await _theme(store, tmp_path)
    answer = await console.type("/export iran xml")
    assert "I did not understand “xml”: the formats are csv (the default) and json" in answer
    assert "No theme" not in answer
    assert "reaches back before the year 1" in await console.type("/timeline iran 800000d")


async def test_a_span_reaching_before_the_year_one_is_refused_with_the_forms(
    store: Store, tmp_path: Path
) -> None:
    console = await _theme(store, tmp_path)
    for span in ("9999y", "2026y", "99999m"):
        answer = await console.type(f"/timeline iran-talks {span}")
        assert "reaches back before the year 1" in answer or "I did not understand" in answer
        assert "failed" not in answer


async def test_who_without_a_name_says_what_to_type(store: Store, tmp_path: Path) -> None:
    console = await _theme(store, tmp_path)
    answer = await console.type("/timeline iran-talks who:")
    assert "who: needs a name after the colon, e.g. who:Blinken" in answer
    assert "Timeline" not in answer


async def test_filters_that_match_nothing_say_so_and_a_huge_who_is_refused(
    store: Store, tmp_path: Path
) -> None:
    console = await _theme(store, tmp_path)
    answer = await console.type("/timeline iran-talks stance:supports")
    assert "No statement matches these filters; /timeline iran-talks shows them all." in answer
    assert "who: takes a name of at most 100 characters" in await console.type(
        "/timeline iran-talks who:" + "<&>" * 500
    )
    assert len(await console.type("/digest daily 08:00 " + "x/" * 500)) < 300
    # nothing to draw or export: said, not an empty picture or file
    chart = await console.type("/timeline iran-talks chart stance:supports")
    assert "No statement matches these filters" in chart and ".png" not in chart
    export = await console.type("/export iran-talks csv")
    assert "No statements recorded yet" in export and ".csv" not in export
    both = await console.type("/timeline iran-talks stance:supports stance:opposes")
    assert "stance:supports and stance:opposes: one stance: filter at a time" in both


async def test_the_console_keeps_quotes_and_apostrophes_as_telegram_does(
    store: Store, tmp_path: Path
) -> None:
    console = Typist(store, tmp_path)
    await console.type("/addtheme league-return League return")
    await console.type('/query league-return "arab league" AND syria')
    shown = await console.type("/query league-return")
    assert '"arab league" AND syria' in shown  # the phrase stays a phrase
    answer = await console.type("/search Syria's")
    assert "Syrias" not in answer


async def test_feeds_says_when_nobody_is_polling_and_which_pages_there_are(
    store: Store, tmp_path: Path
) -> None:
    from datetime import timedelta

    console = Typist(store, tmp_path)
    await store.add_feed("https://news.example/late.xml", NOW - timedelta(hours=2))
    await store.add_feed("https://news.example/due.xml", NOW - timedelta(minutes=1))
    answer = await console.type("/feeds")
    # due two hours ago and never polled: only a sender is running, or nothing at all
    assert answer.count("overdue by") == 1 and "overdue by 2 h" in answer
    assert answer.count("no policywatch process is polling them") == 1
    assert "there is no page 9" in await console.type("/feeds 9")


async def _group_member(
    store: Store, tmp_path: Path, user_id: int, *, can_manage_chat: bool
) -> tuple[Commands, Caller]:
    """The commands, with a theme made, and a member of group -500 who is no bot admin."""
    await _theme(store, tmp_path)
    member = Caller(
        -500, "group", user_id, "member", is_admin=False, can_manage_chat=can_manage_chat
    )
    return Commands(store, lambda: NOW), member


async def test_a_member_refused_a_chat_change_is_logged_like_every_refusal(
    store: Store,
    tmp_path: Path,
    warnings_of_bot: Callable[[], list[str]],  # noqa: F811
) -> None:
    from bot.chat.buttons import cancel_data

    commands, member = await _group_member(store, tmp_path, 77, can_manage_chat=False)
    for line in (["unsubscribe", "iran-talks"], ["subscribe", "iran-talks"], ["digest", "off"]):
        reply = await commands.run(member, line[0], line[1:])
        assert "⛔ Only this group's admins" in reply.text
    logged = [w for w in warnings_of_bot() if "from user 77 in chat -500" in w]
    assert len(logged) == 3 and all("not a chat admin" in w for w in logged)
    # another member pressing an admin's Cancel is told it is a cancel, and it is logged
    pressed = await commands.press(member, cancel_data(1001))
    assert pressed.toast == "Only the admin who asked can cancel this."
    assert any("refused button CancelPress" in w for w in warnings_of_bot())


async def test_timeline_filters_typed_the_wrong_way_say_how_to_type_them(
    store: Store, tmp_path: Path
) -> None:
    console = await _theme(store, tmp_path)
    spaced = await console.type('/timeline iran-talks who:"Ned Price"')
    assert "a name with spaces is written with _ for each space, e.g. who:Ned_Price" in spaced
    named = await console.type("/timeline iran-talks since:2023")
    assert "dates are written without a name" in named and "no since: filter" not in named
    assert "reaches back before the year 1" in await console.type("/timeline iran-talks 9999y")
    assert "Timeline" in await console.type("/timeline iran-talks 99999d")
    future = await console.type("/timeline iran-talks 2027")
    assert "is after today (2026-11-30): nothing has been said then yet" in future


async def test_a_member_asking_about_a_channel_is_refused_and_logged(
    store: Store,
    tmp_path: Path,
    warnings_of_bot: Callable[[], list[str]],  # noqa: F811
) -> None:
    commands, member = await _group_member(store, tmp_path, 78, can_manage_chat=True)
    for name, args in (
        ("subscribe", ["iran-talks", "@news"]),
        ("unsubscribe", ["iran-talks", "@news"]),
        ("mysubs", ["@news"]),
    ):
        reply = await commands.run(member, name, args)
        assert "⛔ Only the bot's admins" in reply.text, name
    logged = [w for w in warnings_of_bot() if "from user 78 in chat -500: not an admin" in w]
    assert len(logged) == 3


async def test_the_audit_says_what_a_chat_got_before_and_after_a_digest_change(
    store: Store, tmp_path: Path
) -> None:
    console = Typist(store, tmp_path)
    await console.type("/digest daily 08:00")
    await console.type("/digest weekly mon 09:30")
    await console.type("/digest off")
    log = await console.type("/audit")
    assert "single alerts → a digest every day at 08:00 UTC" in log
    assert "a digest every day at 08:00 UTC → a digest every Monday at 09:30 UTC" in log
    assert "a digest every Monday at 09:30 UTC → single alerts" in log
    assert "(new) → off" not in log


async def test_an_example_of_one_word_says_one_word(store: Store, tmp_path: Path) -> None:
    console = await _theme(store, tmp_path)
    answer = await console.type("/example iran-talks Sanctions")
    assert "too short for an example (1 word)" in answer


async def test_preview_asks_which_concept_with_preview_commands_and_names_the_concept(
    store: Store, tmp_path: Path
) -> None:
    # QA round 13: the question offered /keywords commands, which change the theme at once.
    admin = Typist(store, tmp_path)
    await admin.type("/addtheme pv-t Preview test")
    await admin.type("/query pv-t Iran AND nuclear")
    asked = await admin.type("/preview pv-t add atomic")
    assert "shares no word with a concept of pv-t" in asked
    assert "/preview pv-t add nuclear: atomic" in asked and "/keywords" not in asked
    shown = await admin.type("/preview pv-t add nuclear: atomic")
    assert "adding “atomic” to concept nuclear" in shown
    assert "Nothing changed yet" in shown
    theme = await store.get_theme("pv-t")
    assert theme is not None and theme.options["query"] == "Iran AND nuclear"
