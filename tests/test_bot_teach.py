"""Teaching a theme in Telegram: /example (pasted text and a URL), the proposed query and its
button, /labels, /unlabel, /learn, /preview and /undo; the real Application against the fake
Bot API, the real store. Every article text here was written for the test."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app.clock import utcnow
from bot.app.teaching import fetch_article, teach
from bot.chat.commands import Commands
from bot.chat.replies import Caller
from matcher import Statement
from store import LabelRow, Store
from store.records import FeedPollOutcome, ItemToStore, MatchToStore, NewItem, NewMatch
from tests.feedserver import FeedServer
from tests.storing import always_new
from tests.test_bot import ADMIN, ALICE, THEME, Running, bot
from watchers.fetch.client import FetchError, FetchPolicy

__all__ = ["bot"]  # the fixture, shared with test_bot
UNSAID = Statement(None, None, None, None, "unclear", None)

FIRST = (
    "Arland reopens its embassy in Borovia. On Monday Arland said it would reopen its "
    "embassy in Borovia and restore diplomatic ties after a decade of frozen relations."
)
PAGE = (
    b"<html><head><title>Envoys meet | Example News</title></head><body>"
    b"<nav><a href='/'>Home</a> | Subscribe</nav><article><h1>Arland names envoy to Borovia</h1>"
    b"<p>Arland named an ambassador to Borovia on Tuesday, the clearest sign yet that the "
    b"two states will restore diplomatic ties, officials in the capital said.</p>"
    b"<p>Borovia is expected to answer in kind before the summer.</p></article>"
    b"<footer>Cookie settings</footer></body></html>"
)


async def _wait(bot: Running) -> None:
    assert bot.service.commands.rematcher is not None
    await bot.service.commands.rematcher.wait()


async def test_examples_make_a_theme_propose_a_query_and_teaching_can_be_undone(
    bot: Running,
) -> None:
    await bot.say("/addtheme arland-borovia Arland and Borovia ties", ADMIN)
    short = await bot.say("/example arland-borovia Arland Borovia ties", ADMIN)
    assert "too short" in short
    added = await bot.say(f"/example arland-borovia {FIRST}", ADMIN)
    assert "example added" in added and "Proposed query" in added
    assert "1 labelled relevant, 0 not relevant" in added
    assert "labels count once it has terms" in added
    offer = bot.api.sent_messages(ADMIN)[-1]
    assert offer.callback_data == [f"usequery:arland-borovia:{ADMIN}"]  # only the asker

    async with FeedServer() as site:
        url = site.page("/envoy.html", PAGE)
        from_url = await bot.say(f"/example arland-borovia {url}", ADMIN)
        assert "example added" in from_url and "named an ambassador" in from_url
        assert "Subscribe" not in from_url
        missing = await bot.say(f"/example arland-borovia {site.url('/nothing')}", ADMIN)
        assert "Not added" in missing and "404" in missing
    spec = await bot.store.get_theme("arland-borovia")
    assert spec is not None and len(spec.exemplars) == 2 and spec.options.get("query") is None

    offers = [m for m in bot.api.sent_messages(ADMIN) if m.callback_data]
    offer = offers[-1]  # the latest proposal, from both examples
    answer = await bot.press(ADMIN, offer.message_id, offer.callback_data[0], user=ADMIN)
    assert answer == ""
    spec = await bot.store.get_theme("arland-borovia")
    assert spec is not None
    assert spec.options.get("query") == "(Borovia OR Arland) AND (diplomatic OR restor* OR ties)"
    await _wait(bot)

    listed = await bot.say("/labels arland-borovia", ADMIN)
    assert "2 taught" in listed and "Arland names envoy to Borovia" in listed
    first_id = (await bot.store.list_labels("arland-borovia"))[0].id
    back = await bot.say(f"/unlabel arland-borovia {first_id} 999", ADMIN)
    # what was taken back, and which id was not there (QA 18: it claimed both)
    assert f"label {first_id} taken back (no label 999)" in back
    assert "1 labelled relevant" in back
    assert "has no label 999" in await bot.say("/unlabel arland-borovia 999", ADMIN)
    await _wait(bot)
    await bot.say("/undo", ADMIN)
    offer = bot.api.sent_messages(ADMIN)[-1]
    assert "unlabel" in offer.text
    await bot.press(ADMIN, offer.message_id, offer.callback_data[0], user=ADMIN)
    assert len(await bot.store.list_labels("arland-borovia")) == 2
    # the label put back keeps its id, so /labels and /unlabel name it as before (QA)
    assert first_id in [r.id for r in await bot.store.list_labels("arland-borovia")]
    await _wait(bot)
    assert "Only the bot's admins" in await bot.say(f"/example arland-borovia {FIRST}")
    shipped = await bot.say(f"/example {THEME} {FIRST}", ADMIN)
    assert "example added" in shipped and "Proposed" not in shipped  # its groups stay


async def test_a_pasted_headline_above_its_text_is_the_examples_title(bot: Running) -> None:
    # QA round 12: the headline and the text ran together into one title.
    await bot.say("/addtheme arland-borovia Arland and Borovia ties", ADMIN)
    pasted = (
        "Arland and Borovia agree to restore ties\n\n"
        "Envoys of both states met in a border town on Monday and agreed that embassies "
        "would reopen before the summer"
    )
    added = await bot.say(f"/example arland-borovia {pasted}", ADMIN)
    assert "example added" in added
    (label,) = await bot.store.list_labels("arland-borovia")
    assert label.title == "Arland and Borovia agree to restore ties"
    assert label.summary.startswith("Arland and Borovia agree to restore ties. Envoys of")
    spec = await bot.store.get_theme("arland-borovia")
    assert spec is not None
    assert spec.exemplars[0].startswith("Arland and Borovia agree to restore ties. Envoys")
    audit = await bot.say("/audit", ADMIN)  # the teaching step in words (QA: "labels [0, 0]")
    # QA round 13: the counts after the step were on its left
    assert (
        "<b>example</b> arland-borovia: labels 0 relevant, 0 not, rules only → "
        "“Arland and Borovia agree to restore ties”, labels 1 relevant, 0 not"
    ) in audit


async def test_a_taught_theme_shows_in_preview_what_its_labels_changed(bot: Running) -> None:
    await bot.say("/addtheme ferry Arland-Borovia ferry", ADMIN)
    await bot.say("/query ferry (Arland OR Arlandian) AND (Borovia OR Borovian) AND ferry", ADMIN)
    rows = []
    for k in range(12):
        on = k % 2 == 0
        verb = ["agree to resume", "hold talks on restoring", "sign a deal to reopen"][k % 3]
        bad = ["cancel sailings as a storm hits", "report a fire aboard", "face a strike on"][k % 3]
        tail = "Envoys spoke of thawing ties." if on else "Passengers were stranded overnight."
        rows.append(
            LabelRow(
                f"Arland and Borovia {verb if on else bad} the ferry link",
                f"Report {k}. {tail}",
                None,
                "Example Wire",
                f"https://news.example/{k}",
                on,
                "teach",
            )
        )
    taught = await teach(bot.store, "ferry", rows, utcnow(), (ADMIN, "admin"))
    assert taught.report.active
    preview = await bot.say("/preview ferry", ADMIN)
    assert (
        "labels: of 6 marked relevant, 6 match by the rules alone and 6 as taught; "
        "of 6 marked not relevant, 6 and 0"
    ) in preview
    # fitted already when taught: /learn changes nothing, so it logs and re-matches nothing
    relearned = await bot.say("/learn ferry", ADMIN)
    assert "ferry is already fitted on its 12 labels: nothing changed" in relearned
    await bot.store.add_labels(
        "ferry", [replace(rows[1], link="https://news.example/x")], utcnow(), "teach"
    )
    relearned = await bot.say("/learn ferry", ADMIN)
    assert "re-fitted" in relearned and "the model is on" in relearned
    audit = await bot.say("/audit", ADMIN)  # QA round 13: it read “re-fit”, in quotes
    assert (
        "<b>learn</b> ferry: labels 6 relevant, 6 not, learned model in use → "
        "labels 6 relevant, 7 not, learned model in use"
    ) in audit
    await bot.say("/addtheme bare-t Bare test", ADMIN)
    bare = await bot.say("/learn bare-t", ADMIN)  # QA round 14: "re-fitted" on nothing
    assert "Nothing to learn yet: bare-t has no labels" in bare
    assert "bare-t has no labels yet" in await bot.say("/labels bare-t 2", ADMIN)
    assert "learn</b> bare-t" not in await bot.say("/audit", ADMIN)
    few = [replace(rows[k], link=f"https://news.example/few-{k}") for k in (0, 1)]
    await bot.store.add_labels("bare-t", few, utcnow(), "teach")
    too_few = await bot.say("/learn bare-t", ADMIN)  # QA round 15: "already fitted"
    assert "Nothing changed: bare-t has 1 labelled relevant and 1 not" in too_few
    assert "the rules alone decide: 0 relevant and 0 not relevant of them reach" in too_few
    await _wait(bot)
    more = [replace(r, link=f"https://news.example/more-{k}") for k, r in enumerate(rows * 2)]
    await bot.store.add_labels("ferry", more, utcnow(), "teach")
    # 37 labels: a page of the newest 20, and the way to the older ones (QA)
    first = await bot.say("/labels ferry", ADMIN)
    assert "37 taught" in first and "page 1 of 2, newest first; older: /labels ferry 2" in first
    assert first.count("Arland and Borovia") == 20
    second = await bot.say("/labels ferry 2", ADMIN)
    assert "page 2 of 2" in second and second.count("Arland and Borovia") == 17
    assert "has 2 pages of labels" in await bot.say("/labels ferry 3", ADMIN)
    assert "bare-t has 1 page of labels" in await bot.say("/labels bare-t 2", ADMIN)


async def test_feedback_votes_refit_the_theme_every_fifth_vote_and_never_alone(
    bot: Running,
) -> None:
    await bot.say("/addtheme ferry Arland-Borovia ferry", ADMIN)
    await bot.say("/query ferry (Arland OR Arlandian) AND (Borovia OR Borovian) AND ferry", ADMIN)
    await bot.say("/subscribe ferry")  # votes count only from a chat the alerts reached
    feed = await bot.store.add_feed("https://news.example/rss.xml", utcnow())
    now = datetime(2026, 3, 2, tzinfo=UTC)
    batch = []
    for k in range(10):
        on = k % 2 == 0
        verb = (
            ["agree to resume", "hold talks on restoring"][k % 4 // 2] if on else "count losses on"
        )
        tail = "Envoys spoke of thawing ties." if on else "Passengers were stranded after a storm."
        batch.append(
            ItemToStore(
                NewItem(
                    f"f{k}",
                    f"Arland and Borovia {verb} the ferry link",
                    f"Report {k}. {tail}",
                    f"https://news.example/{k}",
                    now - timedelta(hours=k),
                    True,
                ),
                (MatchToStore(NewMatch("ferry", 100, [], "why"), (UNSAID,)),),
                alertable=True,
            )
        )
    await bot.store.commit_poll(feed.id, FeedPollOutcome(now, now, True), batch, now, always_new)
    items = {it.link: it.id for it in await bot.store.recent_items(20)}
    bot.service.deliverer.wake()
    alerts = await bot.api.wait_for(
        lambda: (
            a
            if len(a := [m for m in bot.api.sent_messages(ALICE) if m.callback_data]) >= 10
            else None
        ),
        20,
        "ten alerts",
    )
    message = alerts[-1].message_id
    before = await bot.store.get_theme("ferry")
    assert before is not None
    for k in range(10):
        match_id = await bot.store.match_id_for(items[f"https://news.example/{k}"], "ferry")
        await bot.press(ALICE, message, f"fb:{match_id}:{1 if k % 2 == 0 else 0}", user=ALICE)
        spec = await bot.store.get_theme("ferry")
        assert spec is not None
        if k < 9:  # 5 votes (3 and 2) are too few for a model: nothing is saved
            assert spec.version == before.version and "learned" not in spec.options
    assert "learned" in spec.options and spec.version == before.version + 1
    assert "learn (feedback)" in await bot.say("/audit", ADMIN)
    await _wait(bot)
    assert not [m for m in bot.api.sent_messages(ALICE) if m.text.startswith("Re-matched")]


async def test_an_example_url_on_a_private_address_is_refused_by_the_feeds_guard() -> None:
    with pytest.raises(FetchError, match="loopback address"):
        await fetch_article("http://127.0.0.1:9/article.html", FetchPolicy(), utcnow())


async def test_the_console_takes_an_example_from_a_local_file(store: Store, tmp_path: Path) -> None:
    commands = Commands(store, utcnow)
    console = Caller(0, "console", None, "operator", True, True)
    await commands.run(console, "addtheme", ["ties", "Arland", "and", "Borovia"])
    page = tmp_path / "envoy.html"
    page.write_bytes(PAGE)
    added = await commands.run(console, "example", ["ties", str(page)])
    assert "example added" in added.text and "named an ambassador" in added.text
    title, text = added.text.split("\n")[1:3]  # QA round 13: the title ran into the text
    assert title.startswith("<b>") and title.endswith("</b>") and text.startswith("“")
    private = Caller(ADMIN, "private", ADMIN, "admin", True, True)
    refused = await commands.run(private, "example", ["ties", str(page)])
    assert "too short" in refused.text  # in Telegram a path is just two words of text
    # another scheme than http(s) is named, not read as two words of text (QA)
    ftp = await commands.run(private, "example", ["ties", "ftp://files.example.org/a.txt"])
    assert "only http(s) addresses are fetched, not ftp://" in ftp.text
