"""Forged buttons, presses by the wrong person and oversized input, through the real
python-telegram-bot Application against the fake Bot API: every one gets a short answer (the
button is always answered), nothing is half-saved, and every refused press is logged."""

from __future__ import annotations

from collections.abc import Callable

from bot.app.clock import utcnow
from bot.chat.limits import MAX_PHRASE_CHARS, MAX_SEARCH_WORDS
from tests.feeds import rss, seed_entries, split_seeds
from tests.feedserver import FeedServer, site_with_a_feed
from tests.logcapture import refusals  # noqa: F401
from tests.test_bot import ADMIN, ALICE, BOB, GROUP, THEME, Running, bot  # noqa: F401

WENT_WRONG = "failed on our side"


def went_wrong(bot: Running) -> bool:  # noqa: F811
    return any(WENT_WRONG in m.text for m in bot.api.sent_messages())


async def test_forged_buttons_of_every_kind_are_answered_and_logged(
    bot: Running,  # noqa: F811
    refusals: Callable[[], list[str]],  # noqa: F811
) -> None:
    feed = await bot.store.add_feed("https://example.org/rss.xml", utcnow())
    forged = {
        f"tl:{2**64}:{THEME}||||": "not valid",  # offset beyond 64-bit
        f"tl:0:{THEME}|'; drop table|||": "not valid",
        "tl:0:no-such-theme||||": "no longer exists",
        "fb:987654:1": "no longer stored",  # an id that does not exist
        f"fb:{2**40}:1": "not valid",
        "fb:1:maybe": "not valid",
        "sub:no-such-theme:list": "no longer exists",
        f"unsub:{THEME}:elsewhere": "not valid",
        f"rmfeed:{feed.id}": "not valid",  # the old format, without the asker
        f"rmfeed:{10**12}:{ADMIN}": "not valid",
        "rmtheme:Not A Slug:1": "not valid",
        f"undo:{2**63}:{ADMIN}": "not valid",
        "cancel:everyone": "not valid",
        "frobnicate:1": "not valid",
        "x" * 64: "not valid",
    }
    for data, answer in forged.items():
        assert answer in await bot.press(ALICE, 1, data), data
    assert [f.id for f in await bot.store.list_feeds()] == [feed.id]
    assert not went_wrong(bot)
    refused = refusals()
    # every forged press is logged; so is feedback on a match that does not exist
    assert len(refused) == sum(1 for a in forged.values() if a in ("not valid", "no longer stored"))
    assert all(f"from user {ALICE} in chat {ALICE}" in line for line in refused)


async def test_only_the_admin_who_asked_can_confirm_or_cancel(
    bot: Running,  # noqa: F811
    refusals: Callable[[], list[str]],  # noqa: F811
) -> None:
    bot.api.set_admins(GROUP, [ADMIN, BOB])  # Bob administers the group, not the bot
    feed = await bot.store.add_feed("https://example.org/rss.xml", utcnow())
    ask = await bot.say(f"/removefeed {feed.id}", chat=GROUP, user=ADMIN, chat_type="group")
    assert "Remove feed" in ask
    offer = bot.api.sent_messages(GROUP)[-1]
    yes, cancel = offer.callback_data
    for data, act in ((cancel, "cancel"), (yes, "confirm")):
        answer = await bot.press(GROUP, offer.message_id, data, user=BOB)
        assert answer == f"Only the admin who asked can {act} this."
    assert [f.id for f in await bot.store.list_feeds()] == [feed.id]
    assert bot.api.message(GROUP, offer.message_id).edits == 0  # type: ignore[union-attr]
    # Bob forges a confirmation that names himself: he is still not one of the bot's admins.
    forged = yes.rsplit(":", 1)[0] + f":{BOB}"
    assert "Only the bot's admins" in await bot.press(GROUP, offer.message_id, forged, user=BOB)
    refused = refusals()
    assert len(refused) == 3 and all(f"from user {BOB} in chat {GROUP}" in r for r in refused)

    await bot.press(GROUP, offer.message_id, yes, user=ADMIN)
    assert await bot.store.list_feeds() == []
    assert not went_wrong(bot)


async def test_feedback_counts_only_from_a_chat_the_alert_was_sent_to(
    bot: Running,  # noqa: F811
    refusals: Callable[[], list[str]],  # noqa: F811
) -> None:
    await bot.say(f"/subscribe {THEME}")
    seeds, others = split_seeds(seed_entries())
    async with FeedServer() as feeds:
        url = feeds.feed("/feed.xml", rss(others))
        await bot.store.add_feed(url, utcnow())
        await bot.service.poller.cycle()  # first poll: the archive, no alerts
        feeds.set_body("/feed.xml", rss([*others, *seeds]))
        await bot.store.poll_feeds_now(utcnow())
        await bot.service.poller.cycle()
    alert = await bot.api.wait_for(
        lambda: next((m for m in bot.api.sent_messages(ALICE) if "fb:" in str(m.buttons)), None),
        20,
        "an alert to Alice",
    )
    relevant = next(
        d for d in alert.callback_data if d.startswith("fb:") and d.split(":")[2] == "1"
    )
    await bot.say("/start", chat=BOB)  # Bob's chat exists but never got this alert
    assert "not sent here" in await bot.press(BOB, 1, relevant)
    assert await bot.store.feedback_counts(THEME) == (0, 0)
    assert any(f"from user {BOB} in chat {BOB}" in line for line in refusals())
    # the button names the match's item too: a match id SQLite gave again to another item's
    # match is not that match, so a stale button cannot vote on it
    _, match_id, _, item_id = relevant.split(":")
    stale = f"fb:{match_id}:1:{int(item_id) + 1}"
    assert "no longer stored" in await bot.press(ALICE, alert.message_id, stale)
    assert await bot.store.feedback_counts(THEME) == (0, 0)
    assert "noted as relevant" in await bot.press(ALICE, alert.message_id, relevant)
    assert await bot.store.feedback_counts(THEME) == (1, 0)


async def test_oversized_search_and_phrases_are_refused_with_the_limit(
    bot: Running,  # noqa: F811
) -> None:
    many = " ".join("abcdefghijklmnopqrstuvwxyz"[i % 26] for i in range(2000))
    assert f"at most {MAX_SEARCH_WORDS} words; this one has 2,000" in await bot.say(
        f"/search {many}"
    )
    assert "Search:" in await bot.say("/search " + " ".join(["syria"] * MAX_SEARCH_WORDS))

    before = await bot.store.get_theme(THEME)
    audit_before = await bot.store.latest_audit(50)
    huge = "x" * 4000
    for command in (f"/keywords {THEME} add {huge}", f"/exclude {THEME} add {huge}"):
        answer = await bot.say(command, chat=ADMIN)
        assert f"4,000 characters long; the limit is {MAX_PHRASE_CHARS}" in answer
    assert "the limit is 100" in await bot.say(f"/addtheme long-name {'N' * 150}", chat=ADMIN)
    assert "the limit is 100" in await bot.say(f"/preview {THEME} add {huge}", chat=ADMIN)
    not_there = await bot.say(f"/keywords {THEME} remove {huge}", chat=ADMIN)
    assert "the limit" not in not_there and len(not_there) <= 4096  # no such keyword: said so
    assert await bot.store.get_theme(THEME) == before
    assert await bot.store.latest_audit(50) == audit_before
    assert await bot.store.get_theme("long-name") is None

    longest = " ".join(["assad"] * 16) + " abcd"  # exactly 100 characters: saved and said so
    assert len(longest) == MAX_PHRASE_CHARS
    saved = await bot.say(f"/exclude {THEME} add {longest}", chat=ADMIN)
    assert saved.startswith("✅")
    spec = await bot.store.get_theme(THEME)
    assert spec is not None and longest in spec.exclude


async def test_no_reply_exceeds_a_message_even_echoing_a_huge_argument(
    bot: Running,  # noqa: F811
) -> None:
    ampersands = "&" * 4000  # escaped, it would be 20,000 characters
    assert "No theme “&amp;&amp;" in await bot.say(f"/subscribe {ampersands}")
    assert "Unknown command" in await bot.say("/" + "a" * 4000)
    assert "No feed" in await bot.say(f"/removefeed {ampersands}", chat=ADMIN)
    assert "Usage: /undo" in await bot.say("/undo ³", chat=ADMIN)
    assert "Usage: /threshold" in await bot.say(f"/threshold {THEME} ²", chat=ADMIN)
    assert all(len(m.text) <= 4096 for m in bot.api.sent_messages())
    assert not went_wrong(bot)


async def test_an_upper_case_scheme_is_checked_at_add_time_and_files_are_refused(
    bot: Running,  # noqa: F811
) -> None:
    async with FeedServer() as site:
        feed_url, page, broken = site_with_a_feed(site)
        shouted = "HTTP" + page[len("http") :]
        added = await bot.say(f"/addfeed {shouted}", chat=ADMIN)
        assert "Added feed" in added and feed_url in added and "HTML page" in added
        refused = await bot.say(f"/addfeed HtTp{broken[len('http') :]}", chat=ADMIN)
        assert "Not added" in refused and "404" in refused
    assert [f.url for f in await bot.store.list_feeds()] == [feed_url]
    for local in ("file:///etc/passwd", "FILE:///etc/hostname", "/etc/passwd"):
        answer = await bot.say(f"/addfeed {local}", chat=ADMIN)
        assert "policywatch feeds add --allow-file PATH" in answer
    assert [f.url for f in await bot.store.list_feeds()] == [feed_url]


async def test_a_button_under_a_deleted_message_answers_in_a_new_message(
    bot: Running,  # noqa: F811
) -> None:
    bot.api.set_admins(GROUP, [ADMIN])
    feed = await bot.store.add_feed("https://example.org/rss.xml", utcnow())
    await bot.say(f"/removefeed {feed.id}", chat=GROUP, user=ADMIN, chat_type="group")
    offer = bot.api.sent_messages(GROUP)[-1]
    yes, _ = offer.callback_data
    bot.api.fail_next("editMessageText", 400, description="Bad Request: message to edit not found")
    sent = len(bot.api.sent_messages(GROUP))
    await bot.press(GROUP, offer.message_id, yes, user=ADMIN)
    assert await bot.store.list_feeds() == []
    await bot.api.wait_for(lambda: len(bot.api.sent_messages(GROUP)) > sent, timeout=5)
    assert "emoved" in bot.api.sent_messages(GROUP)[-1].text
    assert not went_wrong(bot)
