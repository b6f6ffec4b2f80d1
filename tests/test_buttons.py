"""The button-data parser on its own: what we draw parses back, anything else is refused with
a reason (never another exception), and every number is bounded."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.chat.buttons import (
    CALLBACK_DATA_LIMIT,
    MAX_OFFSET,
    MAX_ROW_ID,
    ButtonDataError,
    CancelPress,
    ConfirmPress,
    FeedbackPress,
    SubscriptionPress,
    TimelinePress,
    cancel_data,
    confirm_data,
    feedback_data,
    parse_button,
    refers_to,
    subscription_data,
    theme_ref,
    timeline_data,
)

LONG_SLUG = "a-theme-with-a-slug-as-long-as-the-theme-file-allows-it-to-be-x"  # 63 characters


def test_what_we_draw_parses_back_to_the_same_press() -> None:
    assert parse_button(subscription_data("iran-deal", follow=True, from_list=True)) == (
        SubscriptionPress("iran-deal", follow=True, from_list=True)
    )
    assert parse_button(feedback_data(MAX_ROW_ID, relevant=False)) == FeedbackPress(
        MAX_ROW_ID, relevant=False
    )
    assert parse_button(confirm_data("rmfeed", 12, 2**52)) == ConfirmPress("rmfeed", "12", 2**52)
    assert parse_button(confirm_data("undo", 7, None)) == ConfirmPress("undo", "7", 0)
    assert parse_button(cancel_data(4242)) == CancelPress(4242)
    page = parse_button(timeline_data("iran-deal", 15, "2023", "30d", "opposes", "Ned Price"))
    assert page == TimelinePress("iran-deal", 15, "2023", "30d", "o", "Ned Price")
    # the role filter rides with the stance: "oC" is opposes, commentators; "O" officials
    page = parse_button(timeline_data("iran-deal", 5, None, None, "opposes", None, "commentator"))
    assert page == TimelinePress("iran-deal", 5, None, None, "o", None, "c")
    page = parse_button(timeline_data("iran-deal", 5, None, None, None, None, "official"))
    assert page == TimelinePress("iran-deal", 5, None, None, None, None, "o")


def test_a_long_slug_is_named_by_its_hash_and_every_kind_still_fits() -> None:
    ref = theme_ref(LONG_SLUG)
    assert ref.startswith("~") and refers_to(ref, LONG_SLUG) and not refers_to(ref, "iran-deal")
    drawn = [
        subscription_data(LONG_SLUG, follow=False, from_list=True),
        confirm_data("rmtheme", LONG_SLUG, 2**53 - 1),
        timeline_data(LONG_SLUG, MAX_OFFSET, "2023-01-03", "2024-12-31", "u", "x" * 80),
    ]
    for data in drawn:
        assert len(data.encode()) <= CALLBACK_DATA_LIMIT
        parse_button(data)
    confirm = parse_button(drawn[1])
    assert isinstance(confirm, ConfirmPress) and confirm.target == ref


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("tl:99999999999999999999:normalization-with-assad||||", "not a number"),
        (f"tl:{MAX_OFFSET + 1}:normalization-with-assad||||", "outside"),
        ("tl:-5:normalization-with-assad||||", "not a number"),
        ("tl:٣:normalization-with-assad||||", "not a number"),  # int() would take it
        ("tl:0:normalization-with-assad", "theme|since|until"),
        ("tl:0:normalization-with-assad|'; drop|||", "not a date"),
        ("tl:0:normalization-with-assad|||x|", "not a stance"),
        ("tl:0:../etc||||", "not a theme"),
        ("tl:0:\udc80||||", "not valid UTF-8"),
        ("fb:999999999999:1", "outside"),
        ("fb:0:1", "outside"),
        ("fb:12:yes", "verdict"),
        ("fb:²:1", "not a number"),
        ("rmfeed:1", "asker"),
        ("rmfeed:1:", "asker"),
        (f"undo:{MAX_ROW_ID + 1}:4242", "outside"),
        ("rmtheme:Bad Slug:4242", "not a theme"),
        ("cancel:", "asker"),
        ("cancel:9007199254740993", "outside"),
        ("sub:normalization-with-assad:elsewhere", "origin"),
        ("frobnicate:1", "unknown kind"),
        ("nothing", "no kind"),
        ("", "not 1 to 64"),
        ("fb:" + "1" * 62, "not 1 to 64"),
        ("fb:1:1" + "é" * 30, "not 1 to 64"),  # 36 characters, 66 bytes
    ],
)
def test_forged_data_is_refused_with_the_reason(data: str, reason: str) -> None:
    with pytest.raises(ButtonDataError, match=reason):
        parse_button(data)


@given(st.text(max_size=80))
def test_any_text_parses_or_is_refused_never_anything_else(data: str) -> None:
    try:
        press = parse_button(data)
    except ButtonDataError:
        return
    assert len(data.encode("utf-8")) <= CALLBACK_DATA_LIMIT
    if isinstance(press, FeedbackPress):
        assert 1 <= press.match_id <= MAX_ROW_ID
    if isinstance(press, TimelinePress):
        assert 0 <= press.offset <= MAX_OFFSET


@given(st.binary(max_size=80))
def test_any_bytes_as_telegram_would_decode_them_are_handled(raw: bytes) -> None:
    data = raw.decode("utf-8", "surrogateescape")  # lone surrogates cannot be encoded back
    try:
        press = parse_button(data)
    except ButtonDataError as exc:
        assert str(exc), "a refusal always says why"
    else:
        assert raw.decode("utf-8") == data and type(press).__name__.endswith("Press")
