"""Alerts read well, escape every feed string, and long HTML fits Telegram's limits intact."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from bot.chat.buttons import SubscriptionPress, parse_button, theme_ref
from bot.chat.html import (
    Button,
    fit_message,
    plain_text,
    render_alert,
    tg_len,
    trim_message,
    trim_plain,
)
from store.records import AlertView
from tests.fakebotapi import check_html

ALERT = AlertView(
    theme_slug="normalization-with-assad",
    theme_name="Normalization with Assad",
    event_id=1,
    item_id=2,
    match_id=3,
    title="US says <now> is not the time & Assad must answer",
    link="https://example.org/a?x=1&y=2",
    source="Reuters <World>",
    published_at=datetime(2023, 1, 4, 9, 0, tzinfo=UTC),
    day=date(2023, 1, 3),
    speaker="Ned Price",
    office="State Department spokesperson",
    quote="now is not the time to normalize relations with the Assad regime",
    stance="opposes",
    brief="Assad (who), normalize (action)",
    score=82,
)


def test_an_alert_shows_theme_date_source_headline_speaker_quote_stance_and_why() -> None:
    msg = render_alert(ALERT)
    visible = check_html(msg.text)  # Telegram would accept it
    for part in [
        "Normalization with Assad",
        "3 Jan 2023",
        "Reuters <World>",
        "US says <now> is not the time & Assad must answer",
        "Ned Price, State Department spokesperson",
        "now is not the time to normalize",
        "opposes",
        "Assad (who), normalize (action)",
    ]:
        assert part in visible
    assert '<a href="https://example.org/a?x=1&amp;y=2">' in msg.text
    assert msg.buttons == [
        [
            Button("👍 Relevant", "fb:3:1:2"),
            Button("👎 Not relevant", "fb:3:0:2"),
        ],  # match 3, item 2
        [Button("Unsubscribe", "unsub:normalization-with-assad")],
    ]


def test_an_alert_without_speaker_quote_or_link_still_reads() -> None:
    msg = render_alert(replace(ALERT, speaker=None, office=None, quote=None, link=None))
    visible = check_html(msg.text)
    assert "🗣" not in visible and "<a " not in msg.text and "Stance" in visible


def test_an_office_speaking_without_a_name_is_shown_with_its_state() -> None:
    office = render_alert(replace(ALERT, speaker=None, office="Foreign Minister", actor="Kenya"))
    assert "🗣 Foreign Minister (Kenya)" in check_html(office.text)
    named = render_alert(replace(ALERT, actor="United States"))
    assert "Ned Price, State Department spokesperson, United States" in check_html(named.text)


def test_a_javascript_link_is_not_linked() -> None:
    msg = render_alert(replace(ALERT, link='javascript:alert("x")'))
    assert "href" not in msg.text


def test_every_callback_data_fits_64_bytes_and_a_long_slug_keeps_its_unsubscribe() -> None:
    msg = render_alert(replace(ALERT, theme_slug="x" * 63, match_id=2**31 - 1))
    data = [b.callback_data for row in msg.buttons for b in row]
    assert data and all(len(d.encode()) <= 64 for d in data)
    unsub = next(d for d in data if d.startswith("unsub:"))
    assert parse_button(unsub) == SubscriptionPress(theme_ref("x" * 63), False, False)


def test_a_huge_alert_is_trimmed_to_one_acceptable_message() -> None:
    msg = render_alert(replace(ALERT, title="<&> " * 3000, quote="word " * 5000, brief="b " * 900))
    assert tg_len(msg.text) <= 4096
    assert "Stance" in check_html(msg.text)  # the tail survives the long fields


def test_long_html_is_split_at_line_breaks_without_breaking_tags_or_entities() -> None:
    lines = [f"<b>line {n}</b> &amp; <i>more &lt;text&gt;</i>" for n in range(600)]
    text = "\n".join(lines)
    parts = fit_message(text, 4096)
    assert len(parts) > 1
    for part in parts:
        assert tg_len(part) <= 4096
        check_html(part)
        assert not part.startswith("\n") and not part.endswith("\n")
    assert "\n".join(parts) == text  # cut only at line breaks here


def test_a_tag_spanning_a_cut_is_closed_and_reopened() -> None:
    text = "<blockquote>" + " ".join(f"w{n}" for n in range(3000)) + "</blockquote>"
    parts = fit_message(text, 1000)
    assert len(parts) > 1
    for part in parts:
        assert tg_len(part) <= 1000
        check_html(part)
        assert part.startswith("<blockquote>") and part.endswith("</blockquote>")
    words = " ".join(plain_text(p) for p in parts).split()
    assert words == [f"w{n}" for n in range(3000)]


def test_text_without_any_break_is_cut_anyway() -> None:
    parts = fit_message("&amp;" * 2000, 4096)
    assert len(parts) == 3 and all(tg_len(p) <= 4096 for p in parts)
    assert "".join(parts) == "&amp;" * 2000


def test_trimming_keeps_one_message_and_marks_the_cut() -> None:
    text = "<i>" + "a " * 5000 + "</i>"
    trimmed = trim_message(text)
    assert tg_len(trimmed) <= 4096 and trimmed.endswith("…")
    check_html(trimmed)
    assert trim_message("short") == "short"


def test_plain_text_for_the_console() -> None:
    out = plain_text(render_alert(ALERT).text)
    assert (
        "US says <now> is not the time & Assad must answer (https://example.org/a?x=1&y=2)" in out
    )
    assert "<b>" not in out


def test_one_unbreakable_tag_longer_than_a_message_still_fits() -> None:
    huge = f'<a href="https://example.org/{"x" * 5000}">the headline</a> and more'
    fitted = trim_message(huge)
    assert tg_len(fitted) <= 4096 and "the headline" in fitted
    assert tg_len(trim_plain("🙂" * 3000, 200)) <= 200
    assert trim_plain("a &amp; b " * 100, 12) == "a &amp; b a…"


def test_a_quote_holding_its_own_quotation_marks_gets_no_second_pair() -> None:
    mixed = 'Lisbon and Porto "have restored full ties" after the talks'
    visible = check_html(render_alert(replace(ALERT, quote=mixed, direct=True)).text)
    assert mixed in visible and f"“{mixed}”" not in visible
    plain = "now is not the time to normalize"
    assert f"“{plain}”" in check_html(render_alert(replace(ALERT, quote=plain, direct=True)).text)


def test_latest_on_all_themes_lists_an_item_once_naming_its_themes() -> None:
    from bot.chat.views import matches_list
    from store.records import ItemRow, MatchView

    at = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    item = ItemRow(
        1, 1, "k", "Ruritania reopens its embassy", "", "https://e.org/1", at, at, "Wire"
    )
    other = replace(item, id=2, title="Freedonia recalls its envoy", link="https://e.org/2")
    rows = [
        MatchView(item, "ties", 80, "", None, at),
        MatchView(item, "embassies", 72, "", None, at),
        MatchView(other, "ties", 75, "", None, at),
    ]
    text = check_html(matches_list("Latest on all themes", rows, themes=True))
    assert text.count("Ruritania reopens its embassy") == 1
    assert "80 · ties, embassies" in text and "75 · ties" in text
    # one theme's list is as before: no theme named on each line
    assert "· ties" not in check_html(matches_list("Latest on ties", rows[::2]))


def test_an_alert_quotes_its_own_article_when_the_statements_quote_is_another_language() -> None:
    # QA round 19: an alert linking to an English article showed the Turkish report's quote
    turkish = replace(
        ALERT,
        title="Erdogan says Ankara could restore ties with Damascus",
        quote="Suriye ile ilişkileri yeniden kurmaya hazırız",
        item_quote="Ankara could fully restore relations with Damascus",
        direct=True,
    )
    text = render_alert(turkish).text
    assert "Ankara could fully restore relations" in text and "Suriye" not in text
    # the same language: the statement's best quote, as before
    english = replace(turkish, quote="we are ready to restore ties with Damascus")
    assert "we are ready to restore ties" in render_alert(english).text
