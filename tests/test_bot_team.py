"""Teams end to end: forum topics, channels and digests through the real python-telegram-bot
Application against the fake Bot API, with the real store; the digest's schedule and text."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.app.clock import utcnow
from bot.app.settings import Settings
from bot.app.wiring import open_store
from bot.chat.html import tg_len
from bot.digest.making import make_due_digests
from bot.digest.render import render_digest
from bot.digest.schedule import (
    Schedule,
    ScheduleError,
    digest_due,
    next_due,
    parse_schedule,
)
from bot.telegram.delivery import deliver_until_idle
from bot.telegram.pacing import Limits, Pacer
from bot.telegram.service import TelegramService
from matcher import Statement
from store import Store
from store.records import (
    AlertView,
    DigestRow,
    FeedPollOutcome,
    ItemToStore,
    MatchToStore,
    NewItem,
    NewMatch,
)
from tests.clocks import FakeClock
from tests.fakebotapi import TEST_TOKEN, FakeBotAPI, SentMessage
from tests.logcapture import bot_warnings
from tests.storing import always_new
from tests.test_bot import ADMIN, ALICE, BOB, THEME, Running, bot, eventually  # noqa: F401  (fixture)

FORUM = -100900
TOPIC = 7
CHANNEL = -100777
PNG = b"\x89PNG"


def settings_for(api: FakeBotAPI, tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=TEST_TOKEN,
        telegram_api_base_url=api.base_url,
        database_url=f"sqlite:///{tmp_path}/bot.db",
        admin_ids=frozenset({ADMIN}),
        poll_interval=3600,
    )


@contextlib.asynccontextmanager
async def running(
    settings: Settings, store: Store, clock: Callable[[], datetime] = utcnow
) -> AsyncIterator[TelegramService]:
    service = TelegramService(
        settings, store, poll_timeout=1, pacer=Pacer(Limits.unlimited()), clock=clock
    )
    await service.start()
    try:
        yield service
    finally:
        await service.stop()


_feeds = iter(range(1_000_000))


async def new_statements(store: Store, count: int, prefix: str = "s") -> None:
    """`count` new statements on THEME, as a poll would store them: alerts are enqueued."""
    feed = await store.add_feed(f"https://example.org/{prefix}{next(_feeds)}.xml", utcnow())
    now = utcnow()
    batch = [
        ItemToStore(
            NewItem(
                f"{prefix}{n}",
                f"{prefix} headline {n}",
                "summary",
                f"https://example.org/{prefix}/{n}",
                now - timedelta(hours=n),
                True,
            ),
            (
                MatchToStore(
                    NewMatch(THEME, 80, [], "why"),
                    (
                        Statement(
                            f"Speaker {prefix}{n}",
                            "Foreign Minister",
                            "Jordan",
                            f"{prefix} quote {n}",
                            "supports",
                            (now - timedelta(days=n)).date(),
                        ),
                    ),
                ),
            ),
            alertable=True,
        )
        for n in range(count)
    ]
    # polled already, next in a month: the watcher leaves this stand-in feed alone
    outcome = FeedPollOutcome(now, now + timedelta(days=30), True)
    await store.commit_poll(feed.id, outcome, batch, now, always_new)


def alerts_to(api: FakeBotAPI, chat: int) -> list[SentMessage]:
    return [m for m in api.sent_messages(chat) if any(d.startswith("fb:") for d in m.callback_data)]


async def say_in_topic(api: FakeBotAPI, text: str, user: int, topic: int = TOPIC) -> SentMessage:
    before = len(api.sent_messages(FORUM))
    api.inject_message(
        FORUM,
        text,
        user_id=user,
        chat_type="supergroup",
        **({"message_thread_id": topic, "is_topic_message": True} if topic else {}),
    )
    return await api.wait_for(
        lambda: m[before] if len(m := api.sent_messages(FORUM)) > before else None,
        10,
        f"an answer to {text!r}",
    )


# --- private chat: a digest instead of alerts, delivered after a downtime -----------------------


async def test_a_digest_replaces_single_alerts_and_arrives_after_a_downtime(
    tmp_path: Path,
) -> None:
    async with FakeBotAPI() as api:
        settings = settings_for(api, tmp_path)
        store = await open_store(settings)
        try:
            async with running(settings, store) as first:
                chat = Running(api, first, store)
                assert "now follows" in await chat.say(f"/subscribe {THEME}")
                assert "Usage: /digest" in await chat.say("/digest hourly")
                answer = await chat.say("/digest daily 08:00")
                assert "every day at 08:00 UTC" in answer and "instead of single alerts" in answer
                await new_statements(store, 6)
                await deliver_until_idle(first.deliverer)
                assert alerts_to(api, ALICE) == []  # folded into the digest, not sent alone
                assert "As a digest, every day at 08:00 UTC" in await chat.say("/mysubs")
            assert await store.folded_count(ALICE) == 6

            # The bot was down over 08:00: two days later it starts again.
            async with running(settings, store, clock=lambda: utcnow() + timedelta(days=2)):
                digest = await api.wait_for(
                    lambda: next((m for m in api.sent_messages(ALICE) if "Digest" in m.text), None),
                    15,
                    "the digest",
                )
                photo = await api.wait_for(
                    lambda: next(
                        (m for m in api.sent_messages(ALICE) if m.method == "sendPhoto"), None
                    ),
                    15,
                    "the digest's chart",
                )
            assert "6 statements" in digest.text and "Normalization with Assad" in digest.text
            assert all(f"Speaker s{n}" in digest.text for n in range(6))
            assert photo.file is not None and photo.file[:4] == PNG
            assert photo.at > digest.at and "6 statements" in photo.text
            assert await store.folded_count(ALICE) == 0
            assert (await store.outbox_stats()).sent == 1  # the digest; its alerts are folded
            assert alerts_to(api, ALICE) == []
        finally:
            await store.close()


# --- forum topics ---------------------------------------------------------------------------------


async def test_a_forum_topic_follows_themes_on_its_own_and_a_closed_topic_stops_only_it(
    bot: Running,  # noqa: F811
) -> None:
    bot.api.set_admins(FORUM, [BOB])
    answer = await say_in_topic(bot.api, f"/subscribe {THEME}", BOB)
    assert "This topic now follows" in answer.text
    assert answer.params.get("message_thread_id") == TOPIC  # answered in the topic
    general = await say_in_topic(bot.api, "/mysubs", BOB, topic=0)
    assert "This chat follows no theme" in general.text
    assert general.params.get("message_thread_id") is None
    await say_in_topic(bot.api, f"/subscribe {THEME}", BOB, topic=0)
    assert "normalization-with-assad" in (await say_in_topic(bot.api, "/mysubs", BOB)).text

    await new_statements(bot.store, 1, "a")
    await deliver_until_idle(bot.service.deliverer)
    topics = sorted(m.params.get("message_thread_id") or 0 for m in alerts_to(bot.api, FORUM))
    assert topics == [0, TOPIC]  # one alert in General, one in the topic

    bot.api.close_topic(FORUM, TOPIC)
    await new_statements(bot.store, 1, "b")
    await deliver_until_idle(bot.service.deliverer)
    assert await bot.store.subscriptions_of(FORUM, TOPIC) == []
    assert await bot.store.subscriptions_of(FORUM) == [THEME]  # the chat goes on
    chat = await bot.store.get_chat(FORUM)
    assert chat is not None and chat.active
    assert len(alerts_to(bot.api, FORUM)) == 3

    # reopened: /subscribe there starts it again; a digest there leaves General's alerts alone
    bot.api.reopen_topic(FORUM, TOPIC)
    assert "now follows" in (await say_in_topic(bot.api, f"/subscribe {THEME}", BOB)).text
    digest = await say_in_topic(bot.api, "/digest weekly mon 09:30 Asia/Dubai", BOB)
    assert "This topic now gets one digest every Monday at 09:30 Asia/Dubai" in digest.text
    assert await bot.store.digest_schedule_of(FORUM) is None
    refused = await say_in_topic(bot.api, "/digest off", ALICE)
    assert "Only this group's admins" in refused.text
    await new_statements(bot.store, 1, "c")
    await deliver_until_idle(bot.service.deliverer)
    assert len(alerts_to(bot.api, FORUM)) == 4  # General only
    assert await bot.store.folded_count(FORUM, TOPIC) == 1

    # next Monday 09:30 in Dubai has passed: the topic's digest goes to the topic
    later = utcnow() + timedelta(days=8)
    assert await make_due_digests(bot.store, later) == 1
    await deliver_until_idle(bot.service.deliverer, lambda: later)
    digest = next(m for m in bot.api.sent_messages(FORUM) if "Digest" in m.text)
    assert digest.params.get("message_thread_id") == TOPIC and "c quote 0" in digest.text

    # a deleted topic stops only itself too
    await say_in_topic(bot.api, f"/subscribe {THEME}", BOB, topic=8)
    bot.api.close_topic(FORUM, 8, deleted=True)
    await new_statements(bot.store, 1, "d")
    await deliver_until_idle(bot.service.deliverer)
    assert await bot.store.subscriptions_of(FORUM, 8) == []
    assert await bot.store.subscriptions_of(FORUM) == [THEME]


# --- channels -----------------------------------------------------------------------------------


async def forward_from(bot: Running, channel: int) -> SentMessage:  # noqa: F811
    """A bot admin forwards one of the channel's posts to the bot: its answer."""
    before = len(bot.api.sent_messages(ADMIN))
    bot.api.inject_message(
        ADMIN,
        "a post",
        user_id=ADMIN,
        chat_type="private",
        forward_origin={
            "type": "channel",
            "chat": bot.api.chat(channel),
            "message_id": 3,
            "date": int(time.time()),
        },
    )
    return await bot.api.wait_for(
        lambda: m[before] if len(m := bot.api.sent_messages(ADMIN)) > before else None,
        10,
        "the offer to subscribe the channel",
    )


async def test_a_bot_admin_subscribes_a_channel_by_name_or_by_forwarding_one_of_its_posts(
    bot: Running,  # noqa: F811
) -> None:
    bot.api.add_channel(CHANNEL, "policychan", "Policy Channel")
    bot.api.add_channel(-100778, "readonly", "Read Only", bot_can_post=False)
    assert "Only the bot's admins" in await bot.say(f"/subscribe {THEME} @policychan")
    refused = await bot.say(f"/subscribe {THEME} @readonly", chat=ADMIN)
    assert "Make me an administrator of Read Only" in refused
    assert "does not show me @nosuch" in await bot.say(f"/subscribe {THEME} @nosuch", chat=ADMIN)
    done = await bot.say(f"/subscribe {THEME} @policychan", chat=ADMIN)
    assert "Channel <b>Policy Channel</b> now follows" in done
    assert await bot.store.subscriptions_of(CHANNEL) == [THEME]

    await new_statements(bot.store, 1)
    await deliver_until_idle(bot.service.deliverer)
    (alert,) = alerts_to(bot.api, CHANNEL)
    assert "s headline 0" in alert.text

    hidden = -100779  # a private channel: no @name, found by forwarding one of its posts
    bot.api.add_channel(hidden, None, "Private Channel")
    offer = await forward_from(bot, hidden)
    assert "Private Channel" in offer.text
    press = next(d for d in offer.callback_data if d == f"ch:{hidden}:{THEME}")
    assert "now follows" in await bot.press(ADMIN, offer.message_id, press, user=ADMIN)
    assert await bot.store.subscriptions_of(hidden) == [THEME]
    # forwarded again: a followed theme is not offered again, it is listed as followed
    again = await forward_from(bot, hidden)
    assert f"ch:{hidden}:{THEME}" not in again.callback_data
    assert f"It follows: {THEME}" in again.text


async def test_a_bot_admin_lists_and_unsubscribes_a_channel_by_name_or_id(
    bot: Running,  # noqa: F811
) -> None:
    bot.api.add_channel(CHANNEL, "policychan", "Policy Channel")
    await bot.say(f"/subscribe {THEME} @policychan", chat=ADMIN)
    follows = await bot.say("/mysubs @policychan", chat=ADMIN)
    assert "Channel <b>Policy Channel</b> follows:" in follows and THEME in follows
    assert "Only the bot's admins" in await bot.say(f"/unsubscribe {THEME} @policychan")
    assert "Only the bot's admins" in await bot.say("/mysubs @policychan")

    done = await bot.say(f"/unsubscribe {THEME} @policychan", chat=ADMIN)
    assert f"Channel <b>Policy Channel</b> no longer follows <b>{THEME}</b>." in done
    assert await bot.store.subscriptions_of(CHANNEL) == []
    # by id, even where the bot can no longer post: it only needs the subscription gone
    await bot.store.subscribe(CHANNEL, THEME, utcnow())
    assert "no longer follows" in await bot.say(f"/unsubscribe {THEME} {CHANNEL}", chat=ADMIN)
    assert "follows no theme" in await bot.say(f"/mysubs {CHANNEL}", chat=ADMIN)


async def test_mysubs_of_a_channel_that_removed_the_bot_says_nothing_is_delivered(
    bot: Running,  # noqa: F811
) -> None:
    # QA round 12: the themes were listed as if their alerts still went out.
    bot.api.add_channel(CHANNEL, "policychan", "Policy Channel")
    await bot.say(f"/subscribe {THEME} @policychan", chat=ADMIN)
    assert "Nothing" not in await bot.say("/mysubs @policychan", chat=ADMIN)

    bot.api.add_channel(CHANNEL, "policychan", "Policy Channel", bot_can_post=False)
    bot.api.inject_my_chat_member(CHANNEL, "channel", "administrator", "left", user_id=ADMIN)

    async def inactive() -> bool:
        chat = await bot.store.get_chat(CHANNEL)
        return chat is not None and not chat.active

    await eventually(inactive, "the channel to be marked inactive")
    for ref in ("@policychan", str(CHANNEL)):
        listed = await bot.say(f"/mysubs {ref}", chat=ADMIN)
        assert "Nothing is delivered there: I was removed from the channel" in listed, ref
        assert "Channel <b>Policy Channel</b> follows:" in listed, "by id too, its title (QA 13)"
        assert THEME in listed, "what it follows is still listed"
    done = await bot.say(f"/unsubscribe {THEME} @policychan", chat=ADMIN)
    assert "no longer follows" in done, "a removed bot's channel can still be unsubscribed"
    # following nothing now: still warned, and not sent to a /subscribe that is refused
    empty = await bot.say(f"/mysubs {CHANNEL}", chat=ADMIN)
    assert "Nothing is delivered there" in empty and "follows no theme" in empty
    assert "/subscribe" not in empty


async def test_channel_posts_follow_the_group_rate_limit() -> None:
    clock = FakeClock()
    pacer = Pacer(clock=clock, sleep=clock.sleep)
    for _ in range(20):
        await pacer.acquire(CHANNEL)
    assert clock.now - 1000.0 < 60  # 20 posts (1 s apart) fit in the first minute
    await pacer.acquire(CHANNEL)
    assert clock.now - 1000.0 >= 60  # the 21st waits for the minute to pass


# --- the schedule and the text (pure) -----------------------------------------------------------


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_a_missed_digest_is_made_once_at_the_next_start_for_the_latest_time() -> None:
    daily = Schedule("daily", None, 8 * 60)
    set_at = at("2026-11-02 10:00")
    assert digest_due(daily, set_at, at("2026-11-03 07:59")) is None
    assert digest_due(daily, set_at, at("2026-11-03 08:00")) == at("2026-11-03 08:00")
    # down from Tuesday to Friday noon: one digest, Friday 08:00's, covering it all
    assert digest_due(daily, set_at, at("2026-11-06 12:00")) == at("2026-11-06 08:00")
    assert digest_due(daily, at("2026-11-06 08:00"), at("2026-11-06 12:00")) is None

    weekly = parse_schedule(["weekly", "Monday", "09:30", "Asia/Dubai"])  # UTC+4
    assert weekly is not None and weekly.weekday == 0
    assert next_due(weekly, at("2026-11-04 00:00")) == at("2026-11-09 05:30")
    assert parse_schedule(["off"]) is None
    # a zone in any case is the tz database's name, as a day name in any case is the day
    lower = parse_schedule(["weekly", "MON", "09:30", "asia/dubai"])
    assert lower is not None and lower.tz == "Asia/Dubai"
    assert parse_schedule(["daily", "08:00", "utc"]) == Schedule("daily", None, 8 * 60, "UTC")
    # a time that is no time of day is named, with the range (QA: only the usage line)
    with pytest.raises(ScheduleError, match=r"'25:00' is not a time of day: .* 00:00 to 23:59"):
        parse_schedule(["daily", "25:00"])
    with pytest.raises(ScheduleError, match="At what time"):
        parse_schedule(["weekly", "mon"])


def alert(n: int, theme: str = THEME, quote_words: int = 60) -> AlertView:
    return AlertView(
        theme_slug=theme,
        theme_name=theme.replace("-", " ").title() + " & <co>",
        event_id=n,
        item_id=n,
        match_id=n,
        title=f"Headline {n} <b>",
        link=f"https://example.org/{n}?a=1&b=2",
        source="Outlet & Co",
        published_at=datetime(2026, 11, 1, tzinfo=UTC),
        day=date(2026, 11, 1) + timedelta(days=n % 20),
        speaker=f"Speaker {n}",
        office="Minister",
        quote=" ".join(["word"] * quote_words),
        stance="opposes",
        brief="",
        score=80,
    )


def test_a_long_digest_fits_one_message_and_says_how_to_see_the_rest() -> None:
    alerts = tuple(
        [alert(n) for n in range(60)] + [alert(100 + n, "other-theme") for n in range(30)]
    )
    row = DigestRow(
        1, ALICE, "private", 0, 0, None, at("2026-11-01 08:00"), at("2026-11-02 08:00"), alerts
    )
    text = render_digest(row).text
    assert tg_len(text) <= 4096
    assert "90 statements" in text
    assert f"more: /timeline {THEME} 2026-11-01" in text
    assert "more: /timeline other-theme" in text
    assert "&lt;co&gt;" in text and "<b>\n" not in text  # feed text escaped


def test_a_digest_lists_each_themes_statements_in_the_order_they_were_made() -> None:
    late, early = alert(5), alert(2)  # found in this order, made on Nov 6 and Nov 3
    row = DigestRow(
        1,
        ALICE,
        "private",
        0,
        0,
        None,
        at("2026-11-01 08:00"),
        at("2026-11-08 08:00"),
        (late, early),
    )
    text = render_digest(row).text
    assert text.index("Speaker 2") < text.index("Speaker 5")


# --- a group, and the console -------------------------------------------------------------------


async def test_in_a_group_only_admins_choose_a_digest(bot: Running) -> None:  # noqa: F811
    group = -500
    bot.api.set_admins(group, [BOB])
    refused = await bot.say("/digest daily 18:00", chat=group, user=ALICE, chat_type="group")
    assert "Only this group's admins" in refused
    answer = await bot.say("/digest daily 18:00", chat=group, user=BOB, chat_type="group")
    assert "This chat now gets one digest every day at 18:00 UTC" in answer
    assert "a digest every day at 18:00 UTC" in await bot.say(
        "/digest", chat=group, user=ALICE, chat_type="group"
    )
    assert "back to single alerts" in await bot.say(
        "/digest off", chat=group, user=BOB, chat_type="group"
    )
    assert await bot.store.digest_schedule_of(group) is None


async def test_the_console_prints_its_digest_when_due(tmp_path: Path) -> None:
    import io

    from bot.console.alerts import CONSOLE_CHAT_ID, enable_console, print_due_alerts

    store = await Store.open(f"sqlite:///{tmp_path}/console.db")
    try:
        from tests.test_store import THEME as SPEC

        await store.save_theme(SPEC, utcnow())
        await enable_console(store)
        two_days_ago = utcnow() - timedelta(days=2)
        await store.set_digest(CONSOLE_CHAT_ID, 0, "daily", None, 0, "UTC", two_days_ago)
        await new_statements(store, 2, "k")
        out = io.StringIO()
        assert await print_due_alerts(store, out) == 1  # one digest, not two alerts
        assert "Digest: 2 statements" in out.getvalue() and "k quote 1" in out.getvalue()
        assert await print_due_alerts(store, io.StringIO()) == 0
    finally:
        await store.close()


def test_a_digest_line_says_who_with_their_state_and_the_side_taken() -> None:
    named = replace(alert(1), actor="Kuwait")
    office = replace(alert(2), speaker=None, office="Foreign Ministry", actor="Iraq", quote="x")
    row = DigestRow(
        1,
        ALICE,
        "private",
        0,
        0,
        None,
        at("2026-11-01 08:00"),
        at("2026-11-02 08:00"),
        (named, office),
    )
    text = render_digest(row).text
    assert "⛔ <b>Speaker 1 (Minister, Kuwait)</b>:" in text
    assert "⛔ <b>Foreign Ministry (Iraq)</b>: “x”" in text
    # A commentator is marked; reported speech is not put in quotation marks.
    analyst = replace(alert(3), office="Researcher", role="commentator", quote="y", direct=True)
    paraphrase = replace(alert(4), quote="z", direct=False)
    text = render_digest(replace(row, alerts=(analyst, paraphrase))).text
    assert "<b>Speaker 3 (Researcher)</b> · <i>commentator</i>: “y”" in text
    assert "<b>Speaker 4 (Minister)</b>: <i>reported:</i> z" in text


async def test_a_command_typed_in_a_topic_closed_before_its_reply_is_no_error(
    bot: Running,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The topic was closed between the command and its answer: nothing can be posted there,
    the command has run, and the log says so in one line (it was an ERROR with a traceback)."""
    bot.api.set_admins(FORUM, [BOB])
    await say_in_topic(bot.api, f"/subscribe {THEME}", BOB)
    bot.api.close_topic(FORUM, TOPIC)
    with bot_warnings(caplog, logging.INFO):
        bot.api.inject_message(
            FORUM,
            "/mysubs",
            user_id=BOB,
            chat_type="supergroup",
            message_thread_id=TOPIC,
            is_topic_message=True,
        )
        for _ in range(100):
            if any("reply dropped" in r.getMessage() for r in caplog.records):
                break
            await asyncio.sleep(0.1)
    assert any("topic of a command closed" in r.getMessage() for r in caplog.records)
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
    assert await bot.store.subscriptions_of(FORUM, TOPIC) == [THEME]  # still followed
