"""A theme change that stops matching an item, then undone: the item's alerts and votes come
back with its match (QA round 12: a digest chat lost a statement, a sent alert's buttons
answered that it was not sent there, a Relevant vote was lost). Through the real poll cycle
and re-matching, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app.rematching import RematchRunner
from bot.chat.buttons import feedback_data
from bot.chat.commands import Commands
from bot.chat.replies import Caller
from matcher import Theme, with_exclusion
from store import Store
from tests.databases import BOTH
from tests.feeds import Entry, rss, seed_entries, split_seeds
from tests.feedserver import FeedServer, feed_server  # noqa: F401  (fixture)
from tests.pipeline import load_shipped_themes, poll
from watchers.poll.rematch import RematchReport, rematch_theme
from watchers.poll.themes import spec_from_theme, theme_from_spec

NOW = datetime(2023, 5, 9, 9, 0, tzinfo=UTC)
SLUG = "normalization-with-assad"
SENT, DIGEST, WAITING, LEFT = -1001, -1002, -1003, -1004  # group chats following the theme
VOTER = 4242


async def _shipped(store: Store) -> Theme:
    spec = await store.get_theme(SLUG)
    assert spec is not None
    return theme_from_spec(spec)


async def _apply(store: Store, theme: Theme) -> RematchReport:
    """A theme change as the bot applies it: saved, then the archive re-matched."""
    await store.save_theme(spec_from_theme(theme), NOW)
    return await rematch_theme(store, theme, lambda: NOW)


@BOTH
async def test_undoing_a_change_that_unmatched_an_item_brings_back_its_alerts_and_votes(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    await load_shipped_themes(store, NOW)
    for chat in (SENT, DIGEST, WAITING, LEFT):
        await store.upsert_chat(chat, "group", f"team {chat}", NOW)
        await store.subscribe(chat, SLUG, NOW)
    await store.set_digest(DIGEST, 0, "daily", None, 18 * 60, "UTC", NOW)
    seed = split_seeds(seed_entries())[0][0]
    fresh = Entry("fresh-1", seed.title, seed.description, NOW - timedelta(hours=1))
    await store.add_feed(feed_server.feed("/feed.xml", rss([fresh])), NOW)
    await poll(store, NOW)

    due = await store.due_alerts(NOW + timedelta(minutes=1))
    assert sorted(r.chat_id for r in due) == [LEFT, WAITING, SENT]
    sent = next(r for r in due if r.chat_id == SENT)
    match_id = sent.alert.match_id
    (matched,) = await store.latest_matches(SLUG, 10)
    assert await store.match_id_for(matched.item.id, SLUG) == match_id
    await store.mark_sent(sent.id, NOW, message_id=77)
    await store.record_feedback(match_id, VOTER, SENT, True, NOW)
    assert await store.folded_count(DIGEST) == 1

    theme = await _shipped(store)
    narrower = with_exclusion(theme, fresh.title)
    assert (await _apply(store, narrower)).dropped == 1
    assert await store.due_alerts(NOW + timedelta(minutes=2)) == []
    assert await store.folded_count(DIGEST) == 0
    assert await store.alerted_chat(match_id, SENT) is None  # no such match now
    assert (await store.outbox_stats()).sent == 1, "/stats still counts the alert sent"
    # QA round 18: a vote on a match a change took away stopped counting as a label
    assert [label.relevant for label in await store.feedback_labels(SLUG)] == [True]

    await store.unsubscribe(LEFT, SLUG)  # meanwhile a chat stops following the theme
    assert (await _apply(store, theme)).added == 1  # the change undone

    assert await store.match_id_for(matched.item.id, SLUG) == match_id, "under its old id"
    assert await store.alerted_chat(match_id, SENT), "the sent alert's buttons still vote"
    assert await store.feedback_counts(SLUG) == (1, 0), "the Relevant vote is back"
    assert await store.folded_count(DIGEST) == 1, "the digest still owes the statement"
    (waiting,) = await store.due_alerts(NOW + timedelta(minutes=3))  # not to the chat that left
    assert waiting.chat_id == WAITING and waiting.alert.match_id == match_id
    stats = await store.outbox_stats()
    assert (stats.sent, stats.pending) == (1, 1)


@BOTH
async def test_a_folded_alert_brought_back_after_the_digest_was_turned_off_is_sent_alone(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    """QA round 13, through the chat's commands and the background re-matching: folded for a
    digest, un-matched by /exclude, `/digest off`, then /undo: the statement is owed as a
    single alert, not left folded for a digest that no longer exists."""
    await load_shipped_themes(store, NOW)
    told: list[str] = []

    async def notify(chat_id: int, text: str) -> None:
        told.append(text)

    runner = RematchRunner(store, lambda: NOW, notify)
    commands = Commands(store, lambda: NOW, runner)
    admin = Caller(DIGEST, "group", VOTER, "ann", is_admin=True, can_manage_chat=True)
    await commands.run(admin, "subscribe", [SLUG])
    await commands.run(admin, "digest", ["daily", "18:00"])
    seed = split_seeds(seed_entries())[0][0]
    fresh = Entry("fresh-1", seed.title, seed.description, NOW - timedelta(hours=1))
    await store.add_feed(feed_server.feed("/feed.xml", rss([fresh])), NOW)
    await poll(store, NOW)
    assert await store.folded_count(DIGEST) == 1

    (matched,) = await store.latest_matches(SLUG, 10)
    match_id = await store.match_id_for(matched.item.id, SLUG)
    assert match_id is not None
    await commands.run(admin, "exclude", [SLUG, "add", *fresh.title.split()[:4]])
    await runner.wait()
    assert "1 no longer matched" in told[-1]
    vote = await commands.press(admin, feedback_data(match_id, relevant=True))
    assert vote.toast is not None and "no longer matches that item" in vote.toast
    assert await store.folded_count(DIGEST) == 0
    off = await commands.run(admin, "digest", ["off"])
    assert "back to single alerts" in off.text

    offer = await commands.run(admin, "undo", [])
    done = await commands.press(admin, offer.buttons[0][0].callback_data)
    assert "Undone" in done.text
    await runner.wait()
    assert "1 newly matched" in told[-1]
    assert await store.folded_count(DIGEST) == 0
    (owed,) = await store.due_alerts(NOW + timedelta(minutes=3))
    assert owed.chat_id == DIGEST and owed.alert.title == fresh.title


async def _two_outlets(store: Store, feed_server: FeedServer) -> Entry:  # noqa: F811
    """One statement reported by Alpha (whose report opens the event) and, later, by Beta;
    three chats follow: one got the alert, one waits for it, one folds it for a digest.
    Returns Alpha's entry."""
    await load_shipped_themes(store, NOW)
    for chat in (SENT, DIGEST, WAITING):
        await store.upsert_chat(chat, "group", f"team {chat}", NOW)
        await store.subscribe(chat, SLUG, NOW)
    await store.set_digest(DIGEST, 0, "daily", None, 18 * 60, "UTC", NOW)
    seed = split_seeds(seed_entries())[0][0]
    alpha = Entry(
        "a-1", f"{seed.title} | Zanzibar Gazette", seed.description, NOW - timedelta(hours=2)
    )
    beta = Entry("b-1", seed.title, seed.description, NOW - timedelta(hours=1))
    await store.add_feed(feed_server.feed("/alpha.xml", rss([alpha], title="Alpha")), NOW)
    await poll(store, NOW)
    await store.add_feed(feed_server.feed("/beta.xml", rss([beta], title="Beta")), NOW)
    await poll(store, NOW + timedelta(minutes=1))
    (event,), _ = await store.timeline_page(SLUG)
    assert event.source_count == 2
    due = await store.due_alerts(NOW + timedelta(minutes=2))
    assert sorted(r.chat_id for r in due) == [WAITING, SENT]
    sent = next(r for r in due if r.chat_id == SENT)
    await store.mark_sent(sent.id, NOW, message_id=77)
    assert await store.folded_count(DIGEST) == 1
    return alpha


async def _still_owed(store: Store) -> None:
    """The statement Beta still reports is owed as before: nothing lost, nothing doubled."""
    (event,), _ = await store.timeline_page(SLUG)
    assert event.source_count == 1 and event.headline.endswith("After Syria-Turkey Talks")
    (waiting,) = await store.due_alerts(NOW + timedelta(minutes=3))
    assert waiting.chat_id == WAITING
    assert await store.folded_count(DIGEST) == 1, "the digest still carries it"
    stats = await store.outbox_stats()
    assert (stats.sent, stats.pending) == (1, 1)


@BOTH
async def test_a_change_that_takes_the_report_an_event_began_with_keeps_its_alerts_owed(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    """QA round 14: an exclusion that took only Alpha's report left the statement on the
    timeline (Beta reports it) but lost its pending and folded alerts, which hung on
    Alpha's match."""
    alpha = await _two_outlets(store, feed_server)
    (item,) = [m.item for m in await store.latest_matches(SLUG, 10) if m.item.title == alpha.title]
    sent_match = await store.match_id_for(item.id, SLUG)  # the sent alert's buttons carry it
    assert sent_match is not None
    theme = await _shipped(store)
    narrower = with_exclusion(theme, "Zanzibar Gazette")
    assert (await _apply(store, narrower)).dropped == 1
    await _still_owed(store)
    # QA round 15: its buttons said the item was no longer stored, and after the undo the
    # report came back under a new id, so they never worked again
    assert await store.unmatched_by_change(sent_match, item.id) == SLUG
    assert (await _apply(store, theme)).added == 1
    assert await store.match_id_for(item.id, SLUG) == sent_match
    assert await store.alerted_chat(sent_match, SENT, item.id), "its buttons vote again"
    (event,), _ = await store.timeline_page(SLUG)
    assert event.source_count == 2
    assert (await store.outbox_stats()).sent == 1 and await store.folded_count(DIGEST) == 1


@BOTH
async def test_removing_the_feed_of_the_report_an_event_began_with_keeps_its_alerts_owed(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    """QA round 14: /removefeed of Alpha deleted the alerts by cascade, and /stats forgot
    the one sent."""
    await _two_outlets(store, feed_server)
    alpha = next(f for f in await store.list_feeds() if f.url.endswith("/alpha.xml"))
    assert await store.remove_feed(alpha.id)
    await _still_owed(store)


@BOTH
async def test_an_alert_whose_digest_was_emptied_while_it_was_away_goes_in_the_next_one(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    """QA round 14: a digest made and not yet sent lost its one statement to a theme change
    (delivery then had nothing to send); /undo brought the alert back still tied to that
    digest, so no later digest carried it. And the emptied digest was counted as failed."""
    await load_shipped_themes(store, NOW)
    await store.upsert_chat(DIGEST, "group", "team", NOW)
    await store.subscribe(DIGEST, SLUG, NOW)
    await store.set_digest(DIGEST, 0, "daily", None, 18 * 60, "UTC", NOW)
    seed = split_seeds(seed_entries())[0][0]
    fresh = Entry("fresh-1", seed.title, seed.description, NOW - timedelta(hours=1))
    await store.add_feed(feed_server.feed("/feed.xml", rss([fresh])), NOW)
    await poll(store, NOW)
    made = await store.make_digest(DIGEST, 0, NOW, NOW)
    assert made is not None and await store.folded_count(DIGEST) == 0

    theme = await _shipped(store)
    narrower = with_exclusion(theme, fresh.title)
    assert (await _apply(store, narrower)).dropped == 1
    (emptied,) = await store.due_digests(NOW + timedelta(minutes=1))
    assert emptied.id == made and not emptied.alerts
    await store.mark_dropped(made, "nothing left in it")  # as delivery does
    assert (await store.outbox_stats()).failed == 0, "not a failed alert"

    assert (await _apply(store, theme)).added == 1
    assert await store.folded_count(DIGEST) == 1, "owed to the next digest"
    tomorrow = NOW + timedelta(days=1)
    following = await store.make_digest(DIGEST, 0, tomorrow, tomorrow)
    (carried,) = await store.due_digests(tomorrow + timedelta(minutes=1))
    assert carried.id == following and [a.title for a in carried.alerts] == [fresh.title]


@BOTH
async def test_a_removed_feed_watched_again_by_undo_does_not_alert_its_archive_again(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    """QA round 15: /undo of /removefeed watched the feed as a new one, whose first poll
    alerted the last BACKFILL_HOURS again: a statement already sent was sent twice. What
    appeared while it was gone is news, however it is dated (QA rounds 16, 19)."""
    await load_shipped_themes(store, NOW)
    commands = Commands(store, lambda: NOW)
    admin = Caller(SENT, "group", VOTER, "ann", is_admin=True, can_manage_chat=True)
    await commands.run(admin, "subscribe", [SLUG])
    seed = split_seeds(seed_entries())[0][0]
    fresh = Entry("fresh-1", seed.title, seed.description, NOW - timedelta(hours=1))
    feed = await store.add_feed(feed_server.feed("/feed.xml", rss([fresh])), NOW)
    await poll(store, NOW)
    (sent,) = await store.due_alerts(NOW + timedelta(minutes=1))
    await store.mark_sent(sent.id, NOW, message_id=77)

    asked = await commands.run(admin, "removefeed", [str(feed.id)])
    await commands.press(admin, asked.buttons[0][0].callback_data)
    # QA round 16: what the outlet published while it was not watched is news all the same
    other = split_seeds(seed_entries())[0][4]  # another statement
    meanwhile = Entry("fresh-2", other.title, other.description, NOW + timedelta(minutes=2))
    # QA round 19: and so is an entry that appeared then dated before the last poll (late)
    third = split_seeds(seed_entries())[0][2]
    late = Entry("late-1", third.title, third.description, NOW - timedelta(minutes=30))
    feed_server.set_body("/feed.xml", rss([fresh, meanwhile, late]))
    offer = await commands.run(admin, "undo", [])
    done = await commands.press(admin, offer.buttons[0][0].callback_data)
    assert "what it had is not alerted again; what it published since is" in done.text
    # it keeps its id, so /feeds and /removefeed name it as before (QA round 19)
    assert [f.id for f in await store.list_feeds()] == [feed.id]
    assert f"feed {feed.id}" in done.text
    await poll(store, NOW + timedelta(minutes=5))
    headlines = {e.headline for e in (await store.timeline_page(SLUG))[0]}
    assert fresh.title in headlines, "the statement is back on the timeline"
    news = await store.due_alerts(NOW + timedelta(minutes=6))  # not the one sent before
    # (the late item reports several statements: an alert each)
    assert {n.alert.title for n in news} == {meanwhile.title, late.title}


@BOTH
async def test_a_statements_alerts_come_back_with_whichever_report_matches_again_first(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    """QA round 16: outlets A, B and C report one statement; changes take each in turn (the
    alerts move A -> B -> C, then are kept aside with C); undoing the change that took A
    while B and C stay out left a waiting chat owed nothing, and the sent alert's buttons
    said it was not sent there."""
    await load_shipped_themes(store, NOW)
    for chat in (SENT, WAITING):
        await store.upsert_chat(chat, "group", f"team {chat}", NOW)
        await store.subscribe(chat, SLUG, NOW)
    seed = split_seeds(seed_entries())[0][0]
    outlets = ("Zanzibar Gazette", "Quokka Times", "Marmot Post")
    for n, outlet in enumerate(outlets):
        entry = Entry(
            f"e-{n}", f"{seed.title} | {outlet}", seed.description, NOW - timedelta(hours=3 - n)
        )
        await store.add_feed(feed_server.feed(f"/{n}.xml", rss([entry], title=outlet)), NOW)
        await poll(store, NOW + timedelta(minutes=n))
    due = await store.due_alerts(NOW + timedelta(minutes=5))
    assert sorted(r.chat_id for r in due) == [WAITING, SENT]
    sent = next(r for r in due if r.chat_id == SENT)
    await store.mark_sent(sent.id, NOW, message_id=77)

    theme = await _shipped(store)
    for k in range(1, 4):  # take A, then B, then C
        narrower = theme
        for outlet in outlets[:k]:
            narrower = with_exclusion(narrower, outlet)
        assert (await _apply(store, narrower)).dropped == 1
    assert await store.due_alerts(NOW + timedelta(minutes=6)) == []

    without_a = with_exclusion(with_exclusion(theme, outlets[1]), outlets[2])
    assert (await _apply(store, without_a)).added == 1  # the change that took A, undone
    (waiting,) = await store.due_alerts(NOW + timedelta(minutes=7))
    assert waiting.chat_id == WAITING
    assert await store.alerted_chat(sent.alert.match_id, SENT, sent.alert.item_id)
    assert (await store.outbox_stats()).sent == 1


@BOTH
async def test_removing_the_feed_of_the_last_report_left_keeps_the_alerts_for_one_kept_aside(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    """QA round 15: Beta's report taken by an exclusion, then Alpha's feed removed, then the
    exclusion undone: the statement was back on the timeline, its folded alert lost."""
    await load_shipped_themes(store, NOW)
    for chat in (SENT, DIGEST):
        await store.upsert_chat(chat, "group", f"team {chat}", NOW)
        await store.subscribe(chat, SLUG, NOW)
    await store.set_digest(DIGEST, 0, "daily", None, 18 * 60, "UTC", NOW)
    seed = split_seeds(seed_entries())[0][0]
    alpha = Entry("a-1", seed.title, seed.description, NOW - timedelta(hours=2))
    beta = Entry("b-1", f"{seed.title} | Quokka Times", seed.description, NOW - timedelta(hours=1))
    feed = await store.add_feed(feed_server.feed("/alpha.xml", rss([alpha])), NOW)
    await poll(store, NOW)
    await store.add_feed(feed_server.feed("/beta.xml", rss([beta])), NOW)
    await poll(store, NOW + timedelta(minutes=1))
    (sent,) = await store.due_alerts(NOW + timedelta(minutes=2))
    await store.mark_sent(sent.id, NOW, message_id=77)

    theme = await _shipped(store)
    narrower = with_exclusion(theme, "Quokka Times")
    assert (await _apply(store, narrower)).dropped == 1
    assert await store.remove_feed(feed.id)
    assert await store.folded_count(DIGEST) == 0  # nothing reports the statement now

    assert (await _apply(store, theme)).added == 1  # the exclusion undone
    assert await store.folded_count(DIGEST) == 1, "the digest still owes the statement"
    assert await store.due_alerts(NOW + timedelta(minutes=3)) == [], "sent once already"
    assert (await store.outbox_stats()).sent == 1


@BOTH
async def test_a_new_report_of_a_statement_whose_only_report_was_excluded_is_not_alerted_again(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    """QA round 15: the only report of an alerted statement taken by an exclusion; another
    outlet reporting the statement later began a new event and alerted every chat again. The
    statement is recognised: the chat sent it is not sent it twice, the chat owed it is owed
    it once, and undoing the exclusion adds the old report to the same statement."""
    await load_shipped_themes(store, NOW)
    for chat in (SENT, WAITING):
        await store.upsert_chat(chat, "group", f"team {chat}", NOW)
        await store.subscribe(chat, SLUG, NOW)
    seed = split_seeds(seed_entries())[0][0]
    alpha = Entry("a-1", f"{seed.title} | Zanzibar Gazette", seed.description, NOW)
    await store.add_feed(feed_server.feed("/alpha.xml", rss([alpha])), NOW)
    await poll(store, NOW)
    due = await store.due_alerts(NOW + timedelta(minutes=1))
    sent = next(r for r in due if r.chat_id == SENT)
    await store.mark_sent(sent.id, NOW, message_id=77)

    theme = await _shipped(store)
    narrower = with_exclusion(theme, "Zanzibar Gazette")
    assert (await _apply(store, narrower)).dropped == 1
    assert await store.due_alerts(NOW + timedelta(minutes=2)) == []
    assert (await store.timeline_page(SLUG))[0] == []

    later = NOW + timedelta(hours=1)
    beta = Entry("b-1", f"{seed.title} | Quokka Times", seed.description, later)
    await store.add_feed(feed_server.feed("/beta.xml", rss([beta])), later)
    await poll(store, later)
    (event,), _ = await store.timeline_page(SLUG)
    assert event.source_count == 1
    (owed,) = await store.due_alerts(later + timedelta(minutes=1))
    assert owed.chat_id == WAITING, "the chat sent the statement is not sent it again"
    stats = await store.outbox_stats()
    assert (stats.sent, stats.pending) == (1, 1)

    assert (await _apply(store, theme)).added == 1  # the exclusion undone
    (event,), _ = await store.timeline_page(SLUG)
    assert event.source_count == 2, "the old report joins the same statement"
    (owed,) = await store.due_alerts(later + timedelta(minutes=2))
    assert owed.chat_id == WAITING
    stats = await store.outbox_stats()
    assert (stats.sent, stats.pending) == (1, 1)


@BOTH
async def test_a_theme_brought_back_by_undo_alerts_what_was_published_while_it_was_gone(
    store: Store,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    """QA round 21: /removetheme, a statement published meanwhile, /undo: the statement was
    matched again but never alerted (a feed brought back alerts what it published since)."""
    await load_shipped_themes(store, NOW)
    clock = [NOW]
    runner = RematchRunner(store, lambda: clock[0], _quiet)
    commands = Commands(store, lambda: clock[0], runner)
    admin = Caller(SENT, "group", VOTER, "ann", is_admin=True, can_manage_chat=True)
    await commands.run(admin, "subscribe", [SLUG])
    seeds = split_seeds(seed_entries())[0]
    before = Entry("before-1", seeds[0].title, seeds[0].description, NOW - timedelta(hours=1))
    await store.add_feed(feed_server.feed("/feed.xml", rss([before])), NOW)
    await poll(store, NOW)
    (sent,) = await store.due_alerts(NOW + timedelta(minutes=1))
    await store.mark_sent(sent.id, NOW, message_id=77)

    clock[0] = NOW + timedelta(minutes=2)
    asked = await commands.run(admin, "removetheme", [SLUG])
    await commands.press(admin, asked.buttons[0][0].callback_data)
    meanwhile = Entry("gone-1", seeds[4].title, seeds[4].description, NOW + timedelta(minutes=3))
    feed_server.set_body("/feed.xml", rss([before, meanwhile]))
    await poll(store, NOW + timedelta(minutes=5))

    clock[0] = NOW + timedelta(minutes=10)
    offer = await commands.run(admin, "undo", [])
    await commands.press(admin, offer.buttons[0][0].callback_data)
    await runner.wait()
    news = await store.due_alerts(NOW + timedelta(minutes=11))
    assert [n.alert.title for n in news] == [meanwhile.title], "not the one sent before"


async def _quiet(chat_id: int, text: str) -> None:
    pass
