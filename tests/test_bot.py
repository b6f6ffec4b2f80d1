"""The Telegram bot end to end: the real python-telegram-bot Application against the fake Bot
API server on 127.0.0.1, the real store, the real matcher. Subscribers, groups and admins."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app.clock import utcnow
from bot.app.settings import Settings
from bot.app.wiring import open_store
from bot.telegram.pacing import Limits, Pacer
from bot.telegram.service import TelegramService
from matcher import Statement
from store import Store
from store.records import (
    FeedPollOutcome,
    ItemToStore,
    MatchToStore,
    NewItem,
    NewMatch,
)
from tests.fakebotapi import BOT_USERNAME, TEST_TOKEN, FakeBotAPI
from tests.feeds import rss, seed_entries, split_seeds
from tests.feedserver import FeedServer, site_with_a_feed
from tests.logcapture import bot_warnings
from tests.storing import always_new

ADMIN = 4242
ALICE = 1001
BOB = 1002
GROUP = -500
ANONYMOUS_ADMIN = 1087968824  # Telegram's GroupAnonymousBot
CHANNEL_BOT = 136817688  # Telegram's Channel_Bot: posts of a linked channel
THEME = "normalization-with-assad"


@dataclass
class Running:
    api: FakeBotAPI
    service: TelegramService
    store: Store

    async def say(
        self,
        text: str,
        chat: int = ALICE,
        user: int | None = None,
        chat_type: str = "private",
        **extra: Any,
    ) -> str:
        """Send `text` as a user and return the bot's answer in that chat."""
        before = len(self.api.sent_messages(chat))
        self.api.inject_message(
            chat, text, user_id=user if user is not None else chat, chat_type=chat_type, **extra
        )

        def answer() -> str | None:
            for m in self.api.sent_messages(chat)[before:]:
                # Background notices (re-match reports, a failing feed) are not answers.
                if not m.text.startswith(("Re-match", "⚠️ Feed", "✅ Feed")):
                    return m.text
            return None

        return await self.api.wait_for(answer, 10, f"an answer to {text!r}")

    async def press(self, chat: int, message_id: int, data: str, user: int | None = None) -> str:
        """Press a button; returns the callback answer's text."""
        before = len(self.api.calls("answerCallbackQuery"))
        self.api.inject_callback(chat, message_id, data, user_id=user)
        calls = await self.api.wait_for(
            lambda: c if len(c := self.api.calls("answerCallbackQuery")) > before else None,
            10,
            "a callback answer",
        )
        return str(calls[-1].params.get("text") or "")


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Running]:
    async with FakeBotAPI() as api:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            telegram_bot_token=TEST_TOKEN,
            telegram_api_base_url=api.base_url,
            database_url=f"sqlite:///{tmp_path}/bot.db",
            admin_ids=frozenset({ADMIN}),
            poll_interval=3600,
            allow_private_feeds=True,
            feed_alert_after=0.01,
        )
        store = await open_store(settings)
        # Unpaced: these tests are about behaviour; pacing has its own tests (test_delivery*).
        service = TelegramService(settings, store, poll_timeout=1, pacer=Pacer(Limits.unlimited()))
        await service.start()
        try:
            yield Running(api, service, store)
        finally:
            await service.stop()
            await store.close()


async def test_start_greets_and_offers_each_theme_with_a_subscribe_button(bot: Running) -> None:
    text = await bot.say("/start")
    assert "statement" in text and "Normalization with Assad" in text
    message = bot.api.sent_messages(ALICE)[-1]
    assert f"sub:{THEME}:list" in message.callback_data
    answer = await bot.press(ALICE, message.message_id, f"sub:{THEME}:list")
    assert "follows" in answer
    assert await bot.store.subscriptions_of(ALICE) == [THEME]
    edited = await bot.api.wait_for(
        lambda: m if (m := bot.api.message(ALICE, message.message_id)) and m.edits else None,
        10,
        "the theme list to be edited",
    )
    assert f"unsub:{THEME}:list" in edited.callback_data
    mine = await bot.say("/mysubs")
    assert f"Normalization with Assad ({THEME})" in mine


async def test_themes_are_found_by_close_spelling_and_unknown_ones_get_the_list(
    bot: Running,
) -> None:
    assert "now follows" in await bot.say("/subscribe normalisation with asad")
    assert await bot.store.subscriptions_of(ALICE) == [THEME]
    reply = await bot.say("/subscribe iran deal")
    assert "No theme" in reply and THEME in reply
    assert "Usage: /subscribe THEME" in await bot.say("/subscribe")
    assert "Unsubscribed" in await bot.say(f"/unsubscribe {THEME}")


async def test_a_theme_is_never_picked_because_its_short_name_hides_in_a_longer_word(
    bot: Running,
) -> None:
    """QA #1 and #13: "russia" once meant theme "us"; two themes named alike once meant one."""
    await bot.say("/addtheme us US policy", ADMIN)
    refused = await bot.say("/subscribe russia")
    assert "No theme “russia”" in refused and "Did you mean" not in refused
    assert await bot.store.subscriptions_of(ALICE) == []
    assert f"Timeline: {THEME}" in await bot.say("/timeline assad")  # a word of one theme
    assert "now follows" in await bot.say("/subscribe us")
    await bot.say("/addtheme t3 Normalization with Assad", ADMIN)
    both = await bot.say("/unsubscribe Normalization with Assad")
    assert "names several themes" in both and THEME in both and "t3" in both
    assert "no longer" not in both.lower()


async def test_help_shows_admin_commands_only_to_admins(bot: Running) -> None:
    assert "/feeds" not in await bot.say("/help")
    assert "/feeds" in await bot.say("/help", chat=ADMIN)
    scopes = [c.params.get("scope") for c in bot.api.calls("setMyCommands")]
    assert any(s and "default" in str(s) for s in scopes)
    assert any(s and str(ADMIN) in str(s) for s in scopes)


async def test_non_admins_are_refused_admin_commands(bot: Running) -> None:
    for command in (
        "/feeds",
        "/addfeed https://example.org/rss",
        f"/threshold {THEME} 10",
        "/stats",
        "/audit",
    ):
        assert "Only the bot's admins" in await bot.say(command)
    assert await bot.store.list_feeds() == []


async def test_addfeed_finds_the_feed_of_a_page_and_refuses_what_is_not_a_feed(
    bot: Running,
) -> None:
    async with FeedServer() as site:
        feed_url, page, broken = site_with_a_feed(site)
        added = await bot.say(f"/addfeed {page}", chat=ADMIN)
        assert "Added feed" in added and feed_url in added and "HTML page" in added
        refused = await bot.say(f"/addfeed {broken}", chat=ADMIN)
        assert "Not added" in refused and "404" in refused
    assert [f.url for f in await bot.store.list_feeds()] == [feed_url]
    assert "Seed Outlet" in await bot.say("/feeds", chat=ADMIN)
    assert "not an http(s) URL" in await bot.say("/addfeed /etc/passwd", chat=ADMIN)
    assert "Usage" in await bot.say("/addfeed", chat=ADMIN)


async def test_admin_changes_are_checked_confirmed_and_audited(bot: Running) -> None:
    await bot.store.add_feed("https://example.org/rss.xml", utcnow())
    await bot.store.record_audit(
        at=utcnow(),
        actor_id=ADMIN,
        actor_name="admin",
        action="addfeed",
        target="https://example.org/rss.xml",
    )
    assert "example.org/rss.xml" in await bot.say("/feeds", chat=ADMIN)
    assert "→ 60" in await bot.say(f"/threshold {THEME} 60", chat=ADMIN)
    done = await bot.api.wait_for(
        lambda: [m for m in bot.api.sent_messages(ADMIN) if "Re-matched" in m.text],
        10,
        "the background re-match to report",
    )
    assert "stored items against normalization-with-assad" in done[0].text
    assert "1000 is not from 0 to 100. Usage: /threshold" in await bot.say(
        f"/threshold {THEME} 1000", chat=ADMIN
    )
    assert "“frozen conflict”" in await bot.say(f"/exclude {THEME} add frozen conflict", chat=ADMIN)

    confirm = await bot.say("/removefeed https://example.org/rss.xml", chat=ADMIN)
    assert "Remove feed" in confirm
    message = bot.api.sent_messages(ADMIN)[-1]
    yes = next(d for d in message.callback_data if d.startswith("rmfeed:"))
    await bot.press(ADMIN, message.message_id, yes, user=ADMIN)
    assert await bot.store.list_feeds() == []

    audit = await bot.say("/audit", chat=ADMIN)
    for action in ("addfeed", "threshold", "exclude add", "removefeed"):
        assert action in audit

    # the latest change (removing the feed) is undone, then the exclusion
    assert "Undo entry" in await bot.say("/undo", chat=ADMIN)
    offer = bot.api.sent_messages(ADMIN)[-1]
    await bot.press(ADMIN, offer.message_id, offer.callback_data[0], user=ADMIN)
    assert [f.url for f in await bot.store.list_feeds()] == ["https://example.org/rss.xml"]
    await bot.say("/undo", chat=ADMIN)
    offer = bot.api.sent_messages(ADMIN)[-1]
    assert "exclude add" in offer.text
    await bot.press(ADMIN, offer.message_id, offer.callback_data[0], user=ADMIN)
    spec = await bot.store.get_theme(THEME)
    assert spec is not None and "frozen conflict" not in spec.exclude and spec.threshold == 60
    assert bot.service.commands.rematcher is not None
    await bot.service.commands.rematcher.wait()  # its report must not interleave with /audit
    assert "undone by" in await bot.say("/audit", chat=ADMIN)
    assert "Only the bot's admins" in await bot.say("/undo")
    assert "Stats" in await bot.say("/stats", chat=ADMIN)


async def test_in_a_group_only_admins_change_what_it_follows(bot: Running) -> None:
    bot.api.set_admins(GROUP, [BOB])
    refused = await bot.say(
        f"/subscribe@{BOT_USERNAME} {THEME}", chat=GROUP, user=ALICE, chat_type="group"
    )
    assert "Only this group's admins" in refused
    assert await bot.store.subscriptions_of(GROUP) == []
    ok = await bot.say(f"/subscribe {THEME}", chat=GROUP, user=BOB, chat_type="group")
    assert "now follows" in ok
    answer = await bot.say(
        f"/timeline@{BOT_USERNAME} {THEME}", chat=GROUP, user=ALICE, chat_type="group"
    )
    assert "Timeline" in answer


async def test_an_administrator_posting_as_the_group_may_change_what_it_follows(
    bot: Running,
) -> None:
    """QA round 17: an admin who "remains anonymous" writes as the group itself, from
    Telegram's GroupAnonymousBot; only administrators can, yet the bot refused them. A post
    a linked channel makes in the group is not an administrator's."""
    bot.api.set_admins(GROUP, [BOB])
    as_group = {"sender_chat": {"id": GROUP, "type": "group", "title": "team"}}
    ok = await bot.say(
        f"/subscribe {THEME}", chat=GROUP, user=ANONYMOUS_ADMIN, chat_type="group", **as_group
    )
    assert "now follows" in ok
    channel = {"sender_chat": {"id": -1009876, "type": "channel", "title": "a channel"}}
    refused = await bot.say(
        f"/unsubscribe {THEME}", chat=GROUP, user=CHANNEL_BOT, chat_type="group", **channel
    )
    assert "Only this group's admins" in refused
    assert await bot.store.subscriptions_of(GROUP) == [THEME]


async def test_commands_for_other_bots_are_ignored_in_groups(bot: Running) -> None:
    bot.api.inject_message(GROUP, "/start@SomeOtherBot", user_id=ALICE, chat_type="group")
    await bot.say(f"/help@{BOT_USERNAME}", chat=GROUP, user=ALICE, chat_type="group")
    texts = [m.text for m in bot.api.sent_messages(GROUP)]
    assert len(texts) == 1 and "Commands" in texts[0]


async def eventually(check: Callable[[], Awaitable[bool]], what: str) -> None:
    """Wait (at most 10 s) until an update the bot received has changed the store."""
    for _ in range(100):
        if await check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


async def test_the_group_life_cycle_greeting_removal_and_migration(bot: Running) -> None:
    bot.api.inject_my_chat_member(GROUP, "group", "left", "member", user_id=BOB)
    (greeting,) = await bot.api.wait_for_messages(1, GROUP, timeout=10)
    assert "Hello" in greeting.text
    await bot.store.subscribe(GROUP, THEME, utcnow())

    bot.api.inject_migration(GROUP, -100500)

    async def moved() -> bool:
        return await bot.store.subscriptions_of(-100500) == [THEME]

    await eventually(moved, "the subscriptions to follow the supergroup")
    assert await bot.store.subscriptions_of(GROUP) == []

    bot.api.inject_my_chat_member(-100500, "supergroup", "member", "kicked", user_id=BOB)

    async def inactive() -> bool:
        chat = await bot.store.get_chat(-100500)
        return chat is not None and not chat.active

    await eventually(inactive, "the removed group to be marked inactive")


async def test_alerts_reach_every_following_chat_once_with_working_buttons(
    bot: Running,
) -> None:
    await bot.say(f"/subscribe {THEME}")
    bot.api.set_admins(GROUP, [BOB])
    await bot.say(f"/subscribe {THEME}", chat=GROUP, user=BOB, chat_type="group")
    seeds, others = split_seeds(seed_entries())
    async with FeedServer() as feeds:
        url = feeds.feed("/feed.xml", rss(others))
        await bot.store.add_feed(url, utcnow())
        await bot.service.poller.cycle()  # first poll: the archive, no alerts
        feeds.set_body("/feed.xml", rss([*others, *seeds]))
        await bot.store.poll_feeds_now(utcnow())
        await bot.service.poller.cycle()
    alerts = await bot.api.wait_for(
        lambda: (
            a
            if len(
                a := [m for m in bot.api.sent_messages(ALICE) if "fb:" in " ".join(m.callback_data)]
            )
            >= 6
            else None
        ),
        20,
        "alerts to Alice",
    )
    assert len(alerts) == 6  # five articles, six statements (see tests/test_pipeline.py)
    group_alerts = await bot.api.wait_for(
        lambda: (
            a
            if len(
                a := [m for m in bot.api.sent_messages(GROUP) if "fb:" in " ".join(m.callback_data)]
            )
            >= 6
            else None
        ),
        20,
        "group alerts",
    )
    assert len(group_alerts) == 6
    price = next(m for m in alerts if "Ned Price" in m.text)
    assert "normalize" in price.text.lower()
    alert_text = price.text

    relevant = next(
        d for d in price.callback_data if d.startswith("fb:") and d.split(":")[2] == "1"
    )
    assert "relevant" in await bot.press(ALICE, price.message_id, relevant)
    assert await bot.store.feedback_counts(THEME) == (1, 0)
    unsub = next(d for d in price.callback_data if d.startswith("unsub:"))
    assert "Unsubscribed" in await bot.press(ALICE, price.message_id, unsub)
    assert await bot.store.subscriptions_of(ALICE) == []
    assert price.text == alert_text  # the alert itself stays as it was
    stats = await bot.store.outbox_stats()
    assert stats.sent == 12 and stats.pending == 0

    preview = await bot.say(f"/preview {THEME} exclude {price_title(alert_text)}", chat=ADMIN)
    assert "no longer matched 1" in preview and "Nothing changed yet" in preview
    assert "of 1 item marked relevant, 1 match now and 0 would" in preview
    assert "the whole archive holds" in preview and "matches of it)" in preview
    assert "(excluded: “US Says" in preview  # it scores enough, but the phrase blocks it
    assert "Usage" in await bot.say("/preview", chat=ADMIN)
    assert "is not a change" in await bot.say(f"/preview {THEME} frobnicate", chat=ADMIN)


def price_title(alert_html: str) -> str:
    """The headline of an alert (the text of its first link)."""
    import re

    found = re.search(r'<a href="[^"]*">(.*?)</a>', alert_html)
    assert found
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1)))


async def test_timeline_pages_with_buttons_that_edit_the_same_message(bot: Running) -> None:
    await add_events(bot.store, 12)
    await bot.say(f"/timeline {THEME}")
    message = bot.api.sent_messages(ALICE)[-1]
    assert "events 8–12 of 12" in message.text
    older = next(b["callback_data"] for row in message.buttons for b in row if "Older" in b["text"])
    await bot.press(ALICE, message.message_id, older)
    edited = await bot.api.wait_for(
        lambda: m if (m := bot.api.message(ALICE, message.message_id)) and m.edits else None,
        10,
        "the timeline message to be edited",
    )
    assert "events 3–7 of 12" in edited.text
    assert len(bot.api.sent_messages(ALICE)) == 1 + 0  # edited, not sent again
    reply = await bot.say(f"/timeline {THEME} 2023-13")
    assert "not a valid date" in reply
    filtered = await bot.say("/timeline normalization with assad 2023-01 2023-02 who:speker_3")
    assert "events 1–1 of 1" in filtered and "Speaker 3" in filtered
    assert "stance:maybe is not one of" in await bot.say(f"/timeline {THEME} stance:maybe")


async def test_timeline_chart_and_export_arrive_as_files(bot: Running) -> None:
    await add_events(bot.store, 6)
    await bot.say(f"/timeline {THEME} chart")
    photo = bot.api.sent_messages(ALICE)[-1]
    assert photo.method == "sendPhoto" and photo.file and photo.file[:4] == b"\x89PNG"
    await bot.say(f"/export {THEME} json")
    document = bot.api.sent_messages(ALICE)[-1]
    assert document.method == "sendDocument" and document.file
    exported = json.loads(document.file)
    assert len(exported) == 6 and exported[0]["items"][0]["link"] == "https://example.org/0"
    await bot.say(f"/export {THEME} 2023-02")
    assert bot.api.sent_messages(ALICE)[-1].file.startswith("\ufeffdate,speaker".encode())  # BOM


async def add_events(store: Store, count: int) -> None:
    feed = await store.add_feed("https://example.org/events.xml", utcnow())
    now = datetime(2024, 1, 1, tzinfo=UTC)
    batch = []
    for n in range(count):
        day = date(2023, 1, 1) + timedelta(days=7 * n)
        statement = Statement(
            f"Speaker {n}", "Foreign Minister", "Jordan", f"quote number {n}", "supports", day
        )
        batch.append(
            ItemToStore(
                NewItem(
                    f"k{n}",
                    f"Headline {n} & <more>",
                    "summary",
                    f"https://example.org/{n}",
                    datetime.combine(day, datetime.min.time(), UTC),
                    True,
                ),
                (MatchToStore(NewMatch(THEME, 80, [], "why"), (statement,)),),
                alertable=False,
            )
        )
    await store.commit_poll(feed.id, FeedPollOutcome(now, now, True), batch, now, always_new)


async def test_admins_hear_once_when_a_feed_keeps_failing_and_when_it_recovers(
    bot: Running,
) -> None:
    seeds, _ = split_seeds(seed_entries())
    async with FeedServer() as feeds:
        url = feeds.status("/feed.xml", 500)
        await bot.store.add_feed(url, utcnow())
        for _ in range(2):
            await bot.store.poll_feeds_now(utcnow())
            await bot.service.poller.cycle()
            await asyncio.sleep(0.02)
            await bot.service.check_feed_health()
        warnings = [m.text for m in bot.api.sent_messages(ADMIN) if "has failed" in m.text]
        assert len(warnings) == 1 and "HTTP 500" in warnings[0] and "still retried" in warnings[0]
        listed = await bot.say("/feeds", chat=ADMIN)
        assert "failing ×2" in listed and "retried with a growing wait while it fails" in listed

        feeds.feed("/feed.xml", rss(seeds))
        await bot.store.poll_feeds_now(utcnow())
        await bot.service.poller.cycle()
        await bot.service.check_feed_health()
    assert "works again" in bot.api.sent_messages(ADMIN)[-1].text


async def test_the_bot_token_never_reaches_the_logs(tmp_path: Path) -> None:
    import io
    import logging

    from bot.app.logsetup import setup_logging

    async with FakeBotAPI() as api:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            telegram_bot_token=TEST_TOKEN,
            telegram_api_base_url=api.base_url,
            database_url=f"sqlite:///{tmp_path}/bot.db",
            log_level="DEBUG",
        )
        setup_logging(settings)
        for name in ("httpx", "telegram", "bot"):  # another test's tooling may have disabled them
            logging.getLogger(name).disabled = False
        buffer = io.StringIO()
        (handler,) = [h for h in logging.getLogger().handlers if h.name == "policywatch"]
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(buffer)
        try:
            store = await open_store(settings)
            service = TelegramService(settings, store, poll_timeout=1)
            await service.start()
            try:
                api.inject_message(ALICE, "/help", user_id=ALICE, chat_type="private")
                await api.wait_for_messages(1, ALICE, timeout=10)
                logging.getLogger("httpx").warning("GET %s/bot%s/getMe", api.base_url, TEST_TOKEN)
            finally:
                await service.stop()
                await store.close()
        finally:
            logging.getLogger().handlers.clear()
    logged = buffer.getvalue()
    assert "getMe" in logged and "<token>" in logged
    assert TEST_TOKEN not in logged and TEST_TOKEN.split(":")[1] not in logged


async def test_a_query_shows_the_words_its_prefixes_take_in_the_newest_items(bot: Running) -> None:
    """`bid*` written for bids also takes a president's name: /query says so when it is set."""
    feed = await bot.store.add_feed("https://example.org/lithium.xml", utcnow())
    now = datetime(2024, 1, 1, tzinfo=UTC)
    titles = [
        "Biden meets Chile's president on lithium",
        "Biden speaks on trade",
        "Chile opens lithium bids to foreign firms",
        "A state company bid for Chile's lithium",
    ]
    batch = [
        ItemToStore(NewItem(f"b{n}", title, "", f"https://example.org/b{n}", now, True), (), False)
        for n, title in enumerate(titles)
    ]
    await bot.store.commit_poll(feed.id, FeedPollOutcome(now, now, True), batch, now, always_new)
    await bot.say("/addtheme chile-bids Chile lithium bids", ADMIN)

    done = await bot.say("/query chile-bids Chile AND lithium AND bid* NOT join*", ADMIN)

    assert "query set" in done
    assert "• bid* biden (2), bid (1), bids (1)" in done
    assert "join*" not in done.split("newest")[1]  # an excluded prefix takes nothing to alert
    assert "biden (2)" in await bot.say("/query chile-bids", ADMIN)
    assert "prefix takes" not in await bot.say("/query chile-bids Chile AND lithium", ADMIN)


async def test_a_new_theme_is_written_as_a_query_in_the_chat_and_every_edit_works(
    bot: Running,
) -> None:
    slug = "chile-lithium"
    added = await bot.say(f"/addtheme {slug} Chile lithium nationalization", ADMIN)
    assert "Added theme <b>Chile lithium nationalization</b> (slug <code>" in added
    assert "none yet" in await bot.say(f"/keywords {slug}", ADMIN)
    assert "has no query" in await bot.say(f"/query {slug}", ADMIN)
    for edit in (f"/exclude {slug} add Iran", f"/threshold {slug} 60", f"/preview {slug}"):
        assert "went wrong" not in await bot.say(edit, ADMIN)
    added = await bot.say(f"/keywords {slug} add Chile lithium deal", ADMIN)
    assert "add keyword “Chile lithium deal” to concept <b>Chile lithium deal</b>" in added

    refused = await bot.say(f"/query {slug} (Chile OR Santiago) AND Lithium AND", ADMIN)
    assert "Not changed: at column 36: expected a term or '(' after AND" in refused
    spec = await bot.store.get_theme(slug)
    assert spec is not None and spec.options["query"] == "Chile lithium deal"

    query = '(Chile OR Santiago) AND Lithium AND (nationaliz* OR "state company") NOT Peru'
    preview = await bot.say(f"/preview {slug} query {query}", ADMIN)
    assert "the query" in preview and "Nothing changed yet" in preview
    broken = await bot.say(f"/preview {slug} query Lithium OR", ADMIN)
    assert "at column 11" in broken
    assert "<code>Lithium OR\n          ^</code>" in broken, "the caret, as /query shows it"
    done = await bot.say(f"/query {slug} {query}", ADMIN)
    assert "query set" in done and '<b>nationaliz</b>: nationaliz* OR "state company"' in done
    shown = await bot.say("/query Chile-Lithium", ADMIN)  # also by a close spelling
    assert query in shown
    added = await bot.say(f"/keywords {slug} add nationaliz: takeover", ADMIN)
    assert "to concept <b>nationaliz</b>" in added
    empty = await bot.say(f"/keywords {slug} add nationaliz:", ADMIN)  # the phrase forgotten
    assert "Give a phrase after nationaliz:" in empty
    spec = await bot.store.get_theme(slug)
    assert (
        spec is not None and 'nationaliz* OR "state company" OR takeover' in spec.options["query"]
    )
    assert "Only the bot's admins" in await bot.say(f"/query {slug} Lithium")
    flat = await bot.say(f"/keywords {THEME} add resume flights", ADMIN)
    assert "to concepts <b>what</b>, <b>relations</b>" in flat
    assert "has no query" in await bot.say(f"/query {THEME}", ADMIN)

    assert bot.service.commands.rematcher is not None
    await bot.service.commands.rematcher.wait()
    assert "query" in await bot.say("/audit", ADMIN)
    for _ in range(2):  # the shipped theme's keyword, then the query theme's
        await bot.say("/undo", ADMIN)
        offer = bot.api.sent_messages(ADMIN)[-1]
        await bot.press(ADMIN, offer.message_id, offer.callback_data[0], user=ADMIN)
        # each undo re-matches in the background; its report must not pass for the next offer
        await bot.service.commands.rematcher.wait()
    await bot.say("/undo", ADMIN)  # the query
    offer = bot.api.sent_messages(ADMIN)[-1]
    assert "query" in offer.text
    await bot.press(ADMIN, offer.message_id, offer.callback_data[0], user=ADMIN)
    spec = await bot.store.get_theme(slug)
    assert spec is not None and spec.options["query"] == "Chile lithium deal"
    await bot.service.commands.rematcher.wait()


async def test_a_reply_the_chat_refuses_stops_its_deliveries_without_an_error(
    bot: Running, caplog: pytest.LogCaptureFixture
) -> None:
    """The user blocked the bot right after writing: the command ran, its reply gets a 403."""
    await bot.store.upsert_chat(ALICE, "private", "alice", utcnow())
    bot.api.forbid(ALICE)

    async def stopped() -> bool | None:
        chat = await bot.store.get_chat(ALICE)
        return True if chat is not None and not chat.active else None

    with bot_warnings(caplog, logging.INFO):  # loggers another test's tooling disabled, too
        bot.api.inject_message(ALICE, "/themes", user_id=ALICE)
        for _ in range(100):
            if await stopped():
                break
            await asyncio.sleep(0.1)
    chat = await bot.store.get_chat(ALICE)
    assert chat is not None and not chat.active
    assert any("refused a reply" in r.getMessage() for r in caplog.records)
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


async def test_an_answer_telegram_turns_away_for_a_moment_is_sent_again(
    bot: Running, caplog: pytest.LogCaptureFixture
) -> None:
    """Flood control and a 5xx hold a command's answer back; it arrives once, after the wait,
    and nobody is told the command failed."""
    with bot_warnings(caplog):
        bot.api.fail_next("sendMessage", 429, chat_id=ALICE, retry_after=1)
        assert "Normalization with Assad" in await bot.say("/themes")
        bot.api.fail_next("sendMessage", 500, chat_id=ALICE)
        assert "Normalization with Assad" in await bot.say("/themes")
    texts = [m.text for m in bot.api.sent_messages(ALICE)]
    assert len(texts) == 2 and not any("failed on our side" in t for t in texts)
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


async def test_an_answer_given_up_is_logged_and_the_command_still_counts(
    bot: Running, caplog: pytest.LogCaptureFixture
) -> None:
    """Telegram refuses the answer to /subscribe every time: the subscription is made, the chat
    is not told it failed, and the log says the answer was lost (a WARNING, no traceback)."""
    bot.api.fail_next("sendMessage", 500, count=3, chat_id=ALICE)

    def given_up() -> bool | None:
        return True if any("was not sent" in r.getMessage() for r in caplog.records) else None

    with bot_warnings(caplog):
        bot.api.inject_message(ALICE, f"/subscribe {THEME}", user_id=ALICE)
        await bot.api.wait_for(given_up, 60, "the lost answer to be logged")
    assert await bot.store.subscriptions_of(ALICE) == [THEME]
    assert not [m for m in bot.api.sent_messages(ALICE) if "failed" in m.text]
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
    assert "already" in await bot.say(f"/subscribe {THEME}")  # the next command is answered


async def test_an_answer_to_a_chat_that_is_gone_stops_its_deliveries(
    bot: Running, caplog: pytest.LogCaptureFixture
) -> None:
    await bot.store.upsert_chat(ALICE, "private", "alice", utcnow())
    bot.api.fail_next("sendMessage", "chat not found", chat_id=ALICE)

    async def stopped() -> bool | None:
        chat = await bot.store.get_chat(ALICE)
        return True if chat is not None and not chat.active else None

    with bot_warnings(caplog, logging.INFO):
        bot.api.inject_message(ALICE, "/themes", user_id=ALICE)
        for _ in range(100):
            if await stopped():
                break
            await asyncio.sleep(0.1)
    assert await stopped()
    assert any("refused a reply" in r.getMessage() for r in caplog.records)
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


async def test_a_chat_that_had_blocked_the_bot_is_told_its_alerts_resume(bot: Running) -> None:
    """QA 18: after unblocking, /subscribe answered only "already follows"."""
    assert "now follows" in await bot.say(f"/subscribe {THEME}")
    await bot.store.deactivate_chat(ALICE, "blocked the bot", utcnow())
    again = await bot.say(f"/subscribe {THEME}")
    assert "Alerts resume here" in again and "I was blocked" in again
    chat = await bot.store.get_chat(ALICE)
    assert chat is not None and chat.active
    assert "already follows" in await bot.say(f"/subscribe {THEME}")
