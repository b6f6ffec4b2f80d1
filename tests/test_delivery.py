"""Alerts go from the outbox to Telegram once each, through 429s, 5xx, timeouts and restarts.

Everything runs through the real store and the real python-telegram-bot against the fake Bot
API server; time that would be long (retry_after, backoff, giving up) is a fake clock.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pytest
from telegram import Bot
from telegram.ext import ApplicationBuilder
from telegram.request import HTTPXRequest

from bot.telegram.delivery import Deliverer, deliver_until_idle
from bot.telegram.pacing import Limits, PacedRateLimiter, Pacer
from matcher import Statement
from store import Store
from store.records import (
    FeedPollOutcome,
    GroupSpec,
    ItemToStore,
    MatchToStore,
    NewItem,
    NewMatch,
    ThemeSpec,
)
from tests.clocks import FakeClock
from tests.conftest import NOW
from tests.databases import BOTH
from tests.fakebotapi import Call, FakeBotAPI, check_html
from tests.storing import always_new

THEME = ThemeSpec(
    slug="normalization-with-assad",
    name="Normalization with Assad",
    description="ties with Damascus",
    threshold=50,
    groups=(GroupSpec("who", 40.0, True, ("Assad", "Damascus")),),
    exclude=(),
    exemplars=(),
)


@dataclass
class Clock:
    """The deliverer's `now` and the pacer's clock: moved by the test, never by waiting."""

    value: datetime = NOW
    pacer_clock: FakeClock = field(default_factory=FakeClock)

    def __call__(self) -> datetime:
        return self.value

    def advance(self, seconds: float) -> None:
        self.value += timedelta(seconds=seconds)
        self.pacer_clock.advance(seconds)


async def enqueue(
    store: Store,
    chat_ids: list[int],
    *,
    events: int = 1,
    title: str = "US opposes normalizing with Assad",
    quote: str | None = "now is not the time to normalize",
) -> None:
    """Subscribe `chat_ids` to the theme and store `events` statements: one alert each per chat."""
    if await store.get_theme(THEME.slug) is None:
        await store.save_theme(THEME, NOW)
    feed = await store.add_feed(f"https://example.org/{len(chat_ids)}-{events}.xml", NOW)
    for chat_id in chat_ids:
        kind = "private" if chat_id > 0 else "group"
        await store.upsert_chat(chat_id, kind, f"chat {chat_id}", NOW)
        await store.subscribe(chat_id, THEME.slug, NOW)
    batch = [
        ItemToStore(
            item=NewItem(
                key=f"item-{n}",
                title=f"{title} #{n}" if events > 1 else title,
                summary="Assad",
                link=f"https://example.org/news/{n}?a=1&b=2",
                published_at=NOW - timedelta(hours=1),
                dated=True,
            ),
            matches=(
                MatchToStore(
                    NewMatch(THEME.slug, 80, [{"term": "Assad"}], "Assad (who)"),
                    (
                        Statement(
                            "Ned Price", "spokesperson", "US", quote, "opposes", date(2023, 1, 5)
                        ),
                    ),
                ),
            ),
            alertable=True,
        )
        for n in range(events)
    ]
    outcome = FeedPollOutcome(polled_at=NOW, next_poll_at=NOW + timedelta(minutes=5), ok=True)
    commit = await store.commit_poll(feed.id, outcome, batch, NOW, always_new)
    assert commit.alerts_enqueued >= events * len(chat_ids)  # chats subscribed before count too


@pytest.fixture
async def bot(fake_bot_api: FakeBotAPI) -> AsyncIterator[Bot]:
    request = HTTPXRequest(connection_pool_size=32, read_timeout=1.0)
    async with Bot(
        fake_bot_api.token,
        base_url=fake_bot_api.bot_base_url,
        base_file_url=fake_bot_api.file_base_url,
        request=request,
    ) as b:
        yield b


@pytest.fixture
def clock() -> Clock:
    return Clock()


def deliverer(store: Store, bot: Bot, clock: Clock, **kwargs: object) -> Deliverer:
    """Telegram's limits on the fake clock: pacing is exercised, nobody waits."""
    fake = clock.pacer_clock
    pacer = kwargs.pop("pacer", None) or Pacer(clock=fake, sleep=fake.sleep)
    return Deliverer(store, bot, pacer, now=clock, **kwargs)  # type: ignore[arg-type]


def texts_by_chat(server: FakeBotAPI) -> dict[int, int]:
    counts: dict[int, int] = {}
    for m in server.sent_messages():
        counts[m.chat_id] = counts.get(m.chat_id, 0) + 1
    return counts


@BOTH
async def test_an_alert_reaches_every_subscribed_chat_exactly_once(
    store: Store, bot: Bot, fake_bot_api: FakeBotAPI, clock: Clock
) -> None:
    chats = [11, 12, 13, -14, -15]
    await enqueue(store, chats)
    report = await deliver_until_idle(deliverer(store, bot, clock))
    assert report.sent == 5 and report.attempted == 5
    assert texts_by_chat(fake_bot_api) == dict.fromkeys(chats, 1)
    message = fake_bot_api.sent_messages(11)[0]
    assert message.parse_mode == "HTML"
    assert message.params["link_preview_options"] == {"is_disabled": True}
    assert message.callback_data[:2] == ["fb:1:1:1", "fb:1:0:1"]  # match 1 of item 1
    assert (await store.outbox_stats()).sent == 5
    # nothing is due any more: a second pass sends nothing
    assert (await deliver_until_idle(deliverer(store, bot, clock))).attempted == 0
    assert len(fake_bot_api.sent_messages()) == 5


@BOTH
async def test_two_passes_at_once_in_one_process_send_each_alert_once(
    store: Store, bot: Bot, fake_bot_api: FakeBotAPI, clock: Clock
) -> None:
    # The service's loop and a pass asked for meanwhile read the same due rows: a forum's
    # alerts went out twice under load (seen in the bot tests).
    chats = [21, 22, 23, -24, -25]
    await enqueue(store, chats, events=3)
    d = deliverer(store, bot, clock)
    await asyncio.gather(d.deliver_due(), d.deliver_due(), d.deliver_due())
    await deliver_until_idle(d)
    assert texts_by_chat(fake_bot_api) == dict.fromkeys(chats, 3)


@BOTH
async def test_a_digest_whose_alerts_all_went_is_dropped_not_failed(
    store: Store, bot: Bot, fake_bot_api: FakeBotAPI, clock: Clock
) -> None:
    # QA round 14: /stats counted it as a failed alert
    await store.save_theme(THEME, NOW)
    await store.upsert_chat(-20, "group", "team", NOW)
    await store.set_digest(-20, 0, "daily", None, 18 * 60, "UTC", NOW)
    await enqueue(store, [-20])
    assert await store.make_digest(-20, 0, NOW, NOW) is not None
    assert await store.remove_theme(THEME.slug)  # its matches, and so the digest's alerts, go
    report = await deliver_until_idle(deliverer(store, bot, clock))
    assert (report.emptied, report.failed, report.sent) == (1, 0, 0)
    stats = await store.outbox_stats()
    assert (stats.failed, stats.dropped, stats.pending) == (0, 1, 0)
    assert fake_bot_api.sent_messages() == []


async def test_link_previews_are_on_when_the_setting_says_so(
    store: Store, bot: Bot, fake_bot_api: FakeBotAPI, clock: Clock
) -> None:
    await enqueue(store, [21])
    await deliver_until_idle(deliverer(store, bot, clock, link_previews=True))
    assert fake_bot_api.sent_messages(21)[0].params["link_preview_options"] == {
        "is_disabled": False
    }


async def test_one_chat_gets_its_alerts_in_order_one_second_apart(
    store: Store, bot: Bot, fake_bot_api: FakeBotAPI, clock: Clock
) -> None:
    await enqueue(store, [31], events=3)
    fake = FakeClock()
    pacer = Pacer(clock=fake, sleep=fake.sleep)
    start = fake.now
    report = await deliver_until_idle(deliverer(store, bot, clock, pacer=pacer))
    assert report.sent == 3
    titles = [check_html(m.text) for m in fake_bot_api.sent_messages(31)]
    assert [t.count(f"#{n}") for n, t in enumerate(titles)] == [1, 1, 1]
    assert fake.now - start >= 2.0  # three messages to one chat take two paced seconds


async def test_a_429_with_retry_after_is_honoured_and_the_alert_is_delivered_once(
    store: Store, bot: Bot, fake_bot_api: FakeBotAPI, clock: Clock
) -> None:
    await enqueue(store, [41, 42])
    fake_bot_api.fail_next("sendMessage", 429, chat_id=41, retry_after=30)
    d = deliverer(store, bot, clock)
    first = await d.deliver_due()
    assert (first.sent, first.retried) == (1, 1)

    def calls_to_41() -> list[Call]:
        return [c for c in fake_bot_api.calls("sendMessage") if c.params["chat_id"] == 41]

    # before retry_after has passed, nothing more goes to that chat: no hammering
    for _ in range(3):
        clock.advance(9)
        assert (await d.deliver_due()).attempted == 0
    assert len(calls_to_41()) == 1
    clock.advance(3)  # 30 s since the 429
    assert (await d.deliver_due()).sent == 1
    assert len(calls_to_41()) == 2 and len(fake_bot_api.sent_messages(41)) == 1
    assert (await store.outbox_stats()).sent == 2


async def test_a_500_then_success_delivers_once(
    store: Store, bot: Bot, fake_bot_api: FakeBotAPI, clock: Clock
) -> None:
    await enqueue(store, [51])
    fake_bot_api.fail_next("sendMessage", 500)
    d = deliverer(store, bot, clock, base_backoff=5.0)
    assert (await d.deliver_due()).retried == 1
    assert (await d.deliver_due()).attempted == 0  # backing off
    clock.advance(5)
    assert (await d.deliver_due()).sent == 1
    assert len(fake_bot_api.sent_messages(51)) == 1


async def test_a_timeout_is_retried(
    store: Store, bot: Bot, fake_bot_api: FakeBotAPI, clock: Clock
) -> None:
    await enqueue(store, [61])
    fake_bot_api.fail_next("sendMessage", "timeout", hang=3.0)  # the bot gives up after 1 s
    d = deliverer(store, bot, clock)
    assert (await d.deliver_due()).retried == 1
    clock.advance(10)
    assert (await d.deliver_due()).sent == 1
    assert len(fake_bot_api.sent_messages(61)) == 1


async def test_persisting_5xx_gives_up_after_the_bounded_time_and_the_row_is_failed(
    store: Store, bot: Bot, fake_bot_api: FakeBotAPI, clock: Clock
) -> None:
    await enqueue(store, [71])
    fake_bot_api.fail_next("sendMessage", 502, count=1000)
    d = deliverer(store, bot, clock, give_up_after=3600.0, base_backoff=5.0, max_backoff=300.0)
    start = clock.value
    failed_at = None
    for _ in range(100):  # bounded: each step is 60 fake seconds
        report = await d.deliver_due()
        if report.failed:
            failed_at = clock.value
            break
        clock.advance(60)
    assert failed_at is not None and timedelta(hours=1) <= failed_at - start < timedelta(
        hours=1, minutes=2
    )
    stats = await store.outbox_stats()
    assert (stats.failed, stats.sent, stats.pending) == (1, 0, 0)
    (failed,) = await store.failed_alerts()
    assert failed[1] == 71 and "Bad Gateway" in (failed[2] or "")
    attempts = len(fake_bot_api.calls("sendMessage"))
    assert 5 <= attempts <= 25  # backed off exponentially, not hammered every minute


async def test_403_deactivates_the_chat_and_drops_its_pending_alerts(
    store: Store, bot: Bot, fake_bot_api: FakeBotAPI, clock: Clock
) -> None:
    await enqueue(store, [81, 82], events=2)
    fake_bot_api.forbid(81)
    report = await deliver_until_idle(deliverer(store, bot, clock))
    assert (report.deactivated, report.sent) == (1, 2)
    chat = await store.get_chat(81)
    assert chat is not None and not chat.active and "blocked" in (chat.inactive_reason or "")
    stats = await store.outbox_stats()
    assert (stats.sent, stats.dropped, stats.pending) == (2, 2, 0)
    assert len(fake_bot_api.calls("sendMessage")) == 3  # one try at 81, then it stopped


async def test_chat_not_found_deactivates(
    store: Store, bot: Bot, fake_bot_api: FakeBotAPI, clock: Clock
) -> None:
    await enqueue(store, [-91])
    fake_bot_api.fail_next("sendMessage", "chat not found")
    report = await deliver_until_idle(deliverer(store, bot, clock))
    assert report.deactivated == 1
    chat = await store.get_chat(-91)
    assert chat is not None and not chat.active


async def test_another_bad_request_fails_the_row_with_telegrams_reason(
    store: Store, bot: Bot, fake_bot_api: FakeBotAPI, clock: Clock
) -> None:
    await enqueue(store, [101])
    fake_bot_api.fail_next(
        "sendMessage", 400, description="Bad Request: can't parse entities: nope"
    )
    report = await deliver_until_idle(deliverer(store, bot, clock))
    assert report.failed == 1
    (failed,) = await store.failed_alerts()
    assert "can't parse entities" in (failed[2] or "").lower()
    chat = await store.get_chat(101)
    assert chat is not None and chat.active


async def test_a_group_that_became_a_supergroup_gets_its_alert_at_the_new_id(
    store: Store, bot: Bot, fake_bot_api: FakeBotAPI, clock: Clock
) -> None:
    await enqueue(store, [-111])
    fake_bot_api.fail_next("sendMessage", "migrated", new_chat_id=-100111)
    report = await deliver_until_idle(deliverer(store, bot, clock))
    assert (report.migrated, report.sent) == (1, 1)
    assert len(fake_bot_api.sent_messages(-100111)) == 1
    assert await store.subscriptions_of(-100111) == [THEME.slug]


async def test_feed_text_with_lt_amp_gt_is_escaped_and_telegram_accepts_it(
    store: Store, bot: Bot, fake_bot_api: FakeBotAPI, clock: Clock
) -> None:
    title = 'Assad <b>"talks"</b> & <script>alert(1)</script> > next'
    await enqueue(store, [121], title=title, quote="a < b && c > d")
    report = await deliver_until_idle(deliverer(store, bot, clock))
    assert report.sent == 1
    (message,) = fake_bot_api.sent_messages(121)
    visible = check_html(message.text)
    assert title in visible and "a < b && c > d" in visible
    assert "<script>" not in message.text


async def test_a_message_over_4096_characters_is_split_or_trimmed(
    store: Store, bot: Bot, fake_bot_api: FakeBotAPI, clock: Clock
) -> None:
    await enqueue(store, [131], title="Assad & co " * 800, quote="word " * 3000)
    report = await deliver_until_idle(deliverer(store, bot, clock))
    assert report.sent == 1  # accepted: the fake refuses more than 4096 characters
    (message,) = fake_bot_api.sent_messages(131)
    visible = check_html(message.text)
    assert len(visible) <= 4096 and "Stance" in visible and message.callback_data


@BOTH
async def test_a_restart_in_the_middle_of_a_delivery_burst_delivers_every_alert_exactly_once(
    database_url: str, bot: Bot, fake_bot_api: FakeBotAPI, clock: Clock
) -> None:
    chats = list(range(1000, 1150))
    setup = await Store.open(database_url)
    await enqueue(setup, chats)
    await setup.close()

    async def run_until(stop: asyncio.Event) -> None:
        store = await Store.open(database_url)
        try:
            pacer = Pacer(Limits(overall_per_second=100.0))  # real time, a short burst
            await Deliverer(store, bot, pacer, now=clock, idle_interval=0.05).run_forever(stop)
        finally:
            await store.close()

    stop = asyncio.Event()
    first = asyncio.create_task(run_until(stop))
    await fake_bot_api.wait_for_messages(40, timeout=20)
    stop.set()
    await asyncio.wait_for(first, 20)
    before = len(fake_bot_api.sent_messages())
    assert 40 <= before < len(chats)  # it stopped mid-burst

    stop = asyncio.Event()
    second = asyncio.create_task(run_until(stop))
    await fake_bot_api.wait_for_messages(len(chats), timeout=30)
    stop.set()
    await asyncio.wait_for(second, 20)
    assert texts_by_chat(fake_bot_api) == dict.fromkeys(chats, 1)
    check = await Store.open(database_url)
    try:
        stats = await check.outbox_stats()
        assert (stats.sent, stats.pending) == (len(chats), 0)
    finally:
        await check.close()


async def test_the_loop_delivers_new_alerts_and_stops_when_told(
    store: Store, bot: Bot, fake_bot_api: FakeBotAPI, clock: Clock
) -> None:
    stop = asyncio.Event()
    d = deliverer(store, bot, clock, idle_interval=0.05)
    task = asyncio.create_task(d.run_forever(stop))
    await enqueue(store, [141, 142])
    d.wake()
    await fake_bot_api.wait_for_messages(2, timeout=10)
    stop.set()
    await asyncio.wait_for(task, 10)
    assert texts_by_chat(fake_bot_api) == {141: 1, 142: 1}


async def test_a_group_past_twenty_a_minute_waits_without_holding_up_other_chats(
    store: Store, bot: Bot, fake_bot_api: FakeBotAPI, clock: Clock
) -> None:
    await enqueue(store, [-151], events=25)
    d = deliverer(store, bot, clock)
    first = await deliver_until_idle(d)
    assert first.sent == 20  # the group's minute is used up; the rest wait in the outbox
    await enqueue(store, [152])  # a new statement: one alert for the group, one for 152
    assert (await d.deliver_due()).sent == 1  # the private chat is not queued behind the group
    assert len(fake_bot_api.sent_messages(152)) == 1
    clock.advance(60)
    assert (await deliver_until_idle(d)).sent == 6
    assert len(fake_bot_api.sent_messages(-151)) == 26


async def test_the_applications_bot_with_the_shared_pacer_takes_one_slot_per_alert(
    store: Store, fake_bot_api: FakeBotAPI, clock: Clock
) -> None:
    fake = clock.pacer_clock
    pacer = Pacer(clock=fake, sleep=fake.sleep)
    app = (
        ApplicationBuilder()
        .token(fake_bot_api.token)
        .base_url(fake_bot_api.bot_base_url)
        .rate_limiter(PacedRateLimiter(pacer))
        .build()
    )
    await enqueue(store, [161], events=3)
    async with app:
        start = fake.now
        report = await deliver_until_idle(Deliverer(store, app.bot, pacer, now=clock))
    assert report.sent == 3 and len(fake_bot_api.sent_messages(161)) == 3
    assert 2.0 <= fake.now - start < 3.0  # 1 s apart, not 2: one slot each
