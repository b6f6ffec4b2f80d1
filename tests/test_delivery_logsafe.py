"""The bot token never reaches a log line, even from httpx's request logging."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from telegram import Bot

from bot.app.logsafe import install_token_redaction, redact, uninstall_token_redaction
from tests.fakebotapi import FakeBotAPI


@pytest.fixture
def redaction(fake_bot_api: FakeBotAPI) -> Iterator[str]:
    install_token_redaction(fake_bot_api.token)
    try:
        yield fake_bot_api.token
    finally:
        uninstall_token_redaction()


async def test_httpx_request_logs_do_not_show_the_token(
    redaction: str, fake_bot_api: FakeBotAPI, caplog: pytest.LogCaptureFixture
) -> None:
    httpx_log = logging.getLogger("httpx")
    assert httpx_log.level == logging.WARNING
    caplog.set_level(logging.DEBUG)  # even when someone turns httpx's logging up again
    httpx_log.setLevel(logging.INFO)
    was_disabled, httpx_log.disabled = httpx_log.disabled, False  # a logging.config call
    try:
        async with Bot(redaction, base_url=fake_bot_api.bot_base_url) as bot:
            await bot.get_me()
    finally:
        httpx_log.disabled = was_disabled
    assert "getMe" in caplog.text and "<token>" in caplog.text
    assert redaction not in caplog.text


def test_exceptions_and_arguments_are_redacted(
    redaction: str, caplog: pytest.LogCaptureFixture
) -> None:
    log = logging.getLogger("policywatch.test")
    try:
        raise RuntimeError(f"https://api.telegram.org/bot{redaction}/sendMessage failed")
    except RuntimeError:
        log.exception("send to %s failed", f"/bot{redaction}/x")
    assert redaction not in caplog.text and caplog.text.count("<token>") == 2


def test_anything_shaped_like_a_real_token_is_redacted() -> None:
    real_shape = "1234567890:" + "A" * 35
    assert redact(f"url /bot{real_shape}/getMe", None) == "url /bot<token>/getMe"
    assert redact("chat 12345 said hi", "123:abc") == "chat 12345 said hi"


def test_a_skipped_poll_tick_is_no_warning_and_other_scheduler_warnings_stay(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """One cycle at a time is the design: APScheduler's note that it skipped a tick while a
    cycle waits for a slow feed is DEBUG, not a WARNING at every tick."""
    from bot.app.logsetup import _skipped_tick_is_no_warning

    scheduler = logging.getLogger("apscheduler.scheduler")
    scheduler.addFilter(_skipped_tick_is_no_warning)
    try:
        with caplog.at_level(logging.INFO):
            scheduler.warning(
                'Execution of job "tick" skipped: maximum number of running instances reached (1)'
            )
            scheduler.warning("Run time of job was missed by 0:00:05")
    finally:
        scheduler.removeFilter(_skipped_tick_is_no_warning)
    assert [r.getMessage() for r in caplog.records] == ["Run time of job was missed by 0:00:05"]
