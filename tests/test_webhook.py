"""Webhook mode end to end: the real Application runs PTB's webhook server on 127.0.0.1, the fake
Bot API registers it and POSTs updates to it, as Telegram would; bad settings are one line."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.app.errors import SetupError
from bot.app.settings import Settings, SettingsError, load_settings
from bot.app.wiring import open_store
from bot.telegram.pacing import Limits, Pacer
from bot.telegram.service import TelegramService
from tests.fakebotapi import TEST_TOKEN, FakeBotAPI
from tests.logcapture import warnings_of_bot  # noqa: F401  (fixture)

ALICE = 1001
SECRET = "s3cret_token-for-tests"


async def _post_raw(target: str, body: bytes, secret: str) -> int:
    """A POST whose body is not an update (a scanner, a broken proxy)."""
    import aiohttp

    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret}
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session,
        session.post(target, data=body, headers=headers) as response,
    ):
        return response.status


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def webhook_settings(api: FakeBotAPI, folder: Path, port: int) -> Settings:
    """A bot in webhook mode against the fake Bot API, listening on 127.0.0.1:port."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=TEST_TOKEN,
        telegram_api_base_url=api.base_url,
        database_url=f"sqlite:///{folder}/bot.db",
        webhook_url="https://bot.example.org/telegram/hook",
        webhook_secret=SECRET,
        webhook_port=port,
    )


async def test_updates_posted_to_the_webhook_are_answered_and_a_wrong_secret_is_refused(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    warnings_of_bot: Callable[[], list[str]],  # noqa: F811
) -> None:
    port = free_port()
    async with FakeBotAPI() as api:
        settings = webhook_settings(api, tmp_path, port)
        store = await open_store(settings)
        service = TelegramService(settings, store, pacer=Pacer(Limits.unlimited()))
        await service.start()
        try:
            assert api.webhook_url == "https://bot.example.org/telegram/hook"
            assert api.webhook_secret == SECRET
            target = f"http://127.0.0.1:{port}/telegram/hook"

            status = await api.post_update(target, api.message_update(ALICE, "/help"))
            assert status == 200
            (answer,) = await api.wait_for_messages(1, ALICE, timeout=10)
            assert "Commands" in answer.text

            wrong = await api.post_update(target, api.message_update(ALICE, "/themes"), "nope")
            missing = await api.post_update(target, api.message_update(ALICE, "/themes"), "")
            assert wrong == 403 and missing == 403
            garbage = await _post_raw(target, b"not json at all", SECRET)
            assert garbage == 500
            # JSON, but not an update: one WARNING, not PTB's CRITICAL with the body (QA 13)
            stranger = await _post_raw(target, b'{"private": "do not log me"}', SECRET)
            assert stranger == 400
            refused = [w for w in warnings_of_bot() if "webhook: refused" in w]
            assert len(refused) == 4, refused  # each forged or broken POST, logged once
            assert "wrong secret token" in refused[0] and "127.0.0.1" in refused[0]
            assert "not include the secret" in refused[1] and "not an update" in refused[2]
            assert "400, the JSON is not a Telegram update" in refused[3]
            assert not any("do not log me" in r.getMessage() for r in caplog.records)
            assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
            assert not any("nope" in w for w in warnings_of_bot()), "never the secret sent"
            assert await api.post_update(target, api.message_update(ALICE, "/mysubs")) == 200
            await api.wait_for_messages(2, ALICE, timeout=10)
            texts = [m.text for m in api.sent_messages(ALICE)]
            assert len(texts) == 2 and "follows no theme" in texts[1]  # /themes never ran
            assert api.calls("getUpdates") == []  # no long polling beside the webhook
        finally:
            await service.stop()
            await store.close()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"WEBHOOK_URL": "http://bot.example.org/hook", "WEBHOOK_SECRET": "abc"}, "https://"),
        ({"WEBHOOK_URL": "https://bot.example.org/hook"}, "needs WEBHOOK_SECRET"),
        ({"WEBHOOK_URL": "https://bot.example.org/h", "WEBHOOK_SECRET": "a b"}, "A-Z a-z 0-9"),
        ({"WEBHOOK_SECRET": "abc"}, "WEBHOOK_URL is not"),
        ({"WEBHOOK_PORT": "70000"}, "WEBHOOK_PORT='70000'"),
    ],
)
def test_a_bad_webhook_setting_is_one_clear_line(
    env: dict[str, str], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings(env_file=None)
    message = str(caught.value)
    assert expected in message and "\n" not in message


def test_a_webhook_with_an_https_url_and_a_secret_is_accepted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/hook")
    monkeypatch.setenv("WEBHOOK_SECRET", SECRET)
    settings = load_settings(env_file=None)
    assert settings.webhook_listen == "127.0.0.1" and settings.webhook_port == 8443


async def test_a_webhook_port_already_taken_is_one_line_naming_the_settings(
    tmp_path: Path,
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        async with FakeBotAPI() as api:
            settings = webhook_settings(api, tmp_path, port)
            store = await open_store(settings)
            service = TelegramService(settings, store, pacer=Pacer(Limits.unlimited()))
            try:
                with pytest.raises(SetupError, match=f"WEBHOOK_PORT = 127.0.0.1:{port}"):
                    await service.start()
            finally:
                await service.stop()
                await store.close()


async def _start_refused(
    folder: Path, code: int, description: str, parameters: dict[str, int] | None
) -> str:
    """The one line start-up ends with when setWebhook is answered with this error."""
    async with FakeBotAPI() as api:
        api.refuse_webhook, api.refuse_webhook_as = description, (code, parameters)
        settings = webhook_settings(api, folder, free_port())
        store = await open_store(settings)
        service = TelegramService(settings, store, pacer=Pacer(Limits.unlimited()))
        try:
            with pytest.raises(SetupError) as refused:
                await service.start()
        finally:
            await service.stop()
            await store.close()
    return str(refused.value)


async def test_a_webhook_telegram_refuses_is_one_line_naming_the_setting(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # QA round 12: a refused setWebhook ended start-up with a hundred-line traceback; QA 13:
    # PTB still logged its own ERROR and traceback before that line.
    caplog.set_level(logging.DEBUG, logger="telegram")
    refusal = "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
    line = await _start_refused(tmp_path, 400, refusal, None)
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert "\n" not in line and "WEBHOOK_URL" in line
    assert "only on ports 80, 88, 443 or 8443" in line
    assert TEST_TOKEN not in line


@pytest.mark.parametrize(
    ("code", "description", "parameters", "said"),
    [
        (401, "Unauthorized", None, "TELEGRAM_BOT_TOKEN (bot 123456) was rejected"),
        (429, "Too Many Requests: retry after 5", {"retry_after": 5}, "start again in a minute"),
        (429, "Too Many Requests: retry after 600", {"retry_after": 600}, "start again after 10"),
    ],
)
async def test_a_webhook_not_registered_for_another_reason_names_that_reason(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    code: int,
    description: str,
    parameters: dict[str, int] | None,
    said: str,
) -> None:
    # QA round 15: a bad token or a busy Telegram was told to fix WEBHOOK_URL, with a traceback
    caplog.set_level(logging.DEBUG, logger="telegram")
    line = await _start_refused(tmp_path, code, description, parameters)
    assert said in line and "fix WEBHOOK_URL" not in line and "\n" not in line
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


def test_ptbs_error_records_below_its_loggers_are_dropped_while_registering(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # QA round 16: an HTML 502 page is logged with a traceback on "telegram.request.BaseRequest",
    # a child of the logger the filter was on, whose filters do not see it
    from telegram.error import TelegramError
    from telegram.request import BaseRequest

    from bot.telegram.webhook import _BootstrapAbort, _ptb_loggers

    caplog.set_level(logging.DEBUG, logger="telegram")
    quiet = _BootstrapAbort()
    loggers = _ptb_loggers()
    assert "telegram.request.BaseRequest" in {logger.name for logger in loggers}
    for logger in loggers:
        logger.addFilter(quiet)
    try:
        with pytest.raises(TelegramError):
            BaseRequest.parse_json_payload(b"<html>502 Bad Gateway</html>")
    finally:
        for logger in loggers:
            logger.removeFilter(quiet)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
