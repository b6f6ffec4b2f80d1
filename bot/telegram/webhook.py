"""Webhook mode: PTB's own webhook server receives updates instead of long polling.

`WEBHOOK_URL` is what Telegram calls (https, usually a reverse proxy in front of this process);
PTB's server listens on `WEBHOOK_LISTEN:WEBHOOK_PORT` at the URL's path and refuses (403) any
request whose `X-Telegram-Bot-Api-Secret-Token` header is not `WEBHOOK_SECRET`. Starting it
calls setWebhook with the URL and the secret. Does not terminate TLS (the proxy does) and does
not decide anything about updates: the handlers do.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import Updater

from bot.app.errors import SetupError
from bot.app.settings import Settings
from bot.chat.durations import human_duration
from bot.telegram.delivery import retry_after_seconds

log = logging.getLogger(__name__)


# PTB's webhook server logs what it refuses (a wrong or missing secret, a body that is not
# JSON) at DEBUG only, on the Updater's logger, so a forged POST left no trace (QA round 12).
PTB_WEBHOOK_LOGGER = "telegram.ext.Updater"


# PTB's CRITICAL record of a POST whose JSON is not an update, with the whole body and a
# traceback: a scanner's or a broken proxy's request is worth a WARNING line, not that.
_NOT_AN_UPDATE = "Something went wrong processing the data received from Telegram"
# Its network loop's ERROR (with a traceback) when a bootstrap call such as setWebhook fails
# for good, on the "telegram.ext" logger; start_webhook raises one line of its own instead.
PTB_LOOP_LOGGER = "telegram.ext"


def _ptb_loggers() -> list[logging.Logger]:
    """PTB's loggers: "telegram" and every one below it that exists now."""
    names = [
        name
        for name, logger in logging.root.manager.loggerDict.items()
        if isinstance(logger, logging.Logger) and (name + ".").startswith("telegram.")
    ]
    return [logging.getLogger(name) for name in {PTB_LOOP_LOGGER, "telegram", *names}]


class _BootstrapAbort(logging.Filter):
    """Drops PTB's records of a failed bootstrap while start_webhook is running: errors with
    a traceback ("... Aborting.", "Invalid token. Aborting retry loop.", a reply it could not
    parse); start_webhook raises one line of its own instead (QA rounds 13 and 15)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.levelno >= logging.ERROR and record.exc_info)


class _Refusals(logging.Filter):
    """Turns PTB's DEBUG record of a refused webhook request into one WARNING of ours (who
    sent it, the status and why; never the secret it sent); PTB's other records pass as the
    logger's level before this filter would have let them (DEBUG ones carry updates)."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith(_NOT_AN_UPDATE):
            return False  # JSON that is not an update: its refusal record follows, with why
        if record.msg == "%s - %s" and record.exc_info and isinstance(record.args, tuple):
            exc = record.exc_info[1]
            status = getattr(exc, "status_code", None)
            cause = exc.__cause__ if exc is not None else None
            if status is not None and cause is not None:
                why = (
                    f"{status}, the JSON is not a Telegram update "
                    f"({type(cause).__name__}: {str(cause)[:80]})"
                )
            elif status is not None:
                why = f"{status} {getattr(exc, 'reason', None) or 'refused'}"
            else:
                why = f"500, the body is not an update ({type(exc).__name__}: {str(exc)[:80]})"
            log.warning("webhook: refused a POST from %s: %s", record.args[0], why)
            return False
        return record.levelno >= self.level


def log_webhook_refusals() -> None:
    """Have each request the webhook server refuses logged as a WARNING (idempotent)."""
    ptb = logging.getLogger(PTB_WEBHOOK_LOGGER)
    if not any(isinstance(f, _Refusals) for f in ptb.filters):
        ptb.addFilter(_Refusals(ptb.getEffectiveLevel()))
    ptb.setLevel(logging.DEBUG)  # its refusals are DEBUG records; the filter decides


def webhook_path(url: str) -> str:
    """The path PTB's server answers on: the public URL's path, without its leading slash."""
    return urlsplit(url).path.lstrip("/")


async def start_webhook(updater: Updater, settings: Settings, allowed_updates: list[str]) -> None:
    """Listen for Telegram's POSTs and register the webhook (with its secret) with Telegram."""
    assert settings.webhook_url and settings.webhook_secret, "checked by Settings"
    log_webhook_refusals()
    quiet = _BootstrapAbort()
    # a logger's filters do not see its children's records ("telegram.request.BaseRequest"
    # logs an unreadable reply): every PTB logger there is gets the filter (QA round 16)
    ptb = _ptb_loggers()
    for logger in ptb:
        logger.addFilter(quiet)
    try:
        await updater.start_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=webhook_path(settings.webhook_url),
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret,
            allowed_updates=allowed_updates,
        )
    except OSError as exc:  # the port is taken, or the address is not this host's
        raise SetupError(
            f"cannot listen on WEBHOOK_LISTEN:WEBHOOK_PORT = {settings.webhook_listen}:"
            f"{settings.webhook_port}: {exc.strerror or exc} (another process holds the port, "
            "or the address is not one of this host's; change WEBHOOK_PORT or WEBHOOK_LISTEN)"
        ) from None
    except BadRequest as exc:  # before NetworkError, whose subclass it is: the URL's fault
        raise SetupError(_refused(settings, exc)) from None
    except InvalidToken:
        bot_id = (settings.telegram_bot_token or "").partition(":")[0]
        raise SetupError(
            f"TELEGRAM_BOT_TOKEN (bot {bot_id}) was rejected by the Bot API when setting the "
            "webhook: copy it again from @BotFather (/mybots, API Token)"
        ) from None
    except (RetryAfter, NetworkError) as exc:  # busy, down or slow: not the URL's fault
        wait = retry_after_seconds(exc) if isinstance(exc, RetryAfter) else 60
        later = "in a minute" if wait <= 60 else f"after {human_duration(int(wait))}"
        raise SetupError(
            f"the Bot API did not register the webhook now ({exc.message}): Telegram is busy "
            f"or cannot be reached; start again {later}, WEBHOOK_URL need not change"
        ) from None
    except TelegramError as exc:  # setWebhook refused: Telegram cannot or will not call the URL
        raise SetupError(_refused(settings, exc)) from None
    finally:
        for logger in ptb:
            logger.removeFilter(quiet)
    log.info(
        "webhook: %s -> listening on %s:%d",
        settings.webhook_url,
        settings.webhook_listen,
        settings.webhook_port,
    )


def _refused(settings: Settings, exc: TelegramError) -> str:
    return (
        f"Telegram refused the webhook WEBHOOK_URL = {settings.webhook_url}: {exc.message} "
        "(Telegram calls only a public https URL on port 443, 80, 88 or 8443; fix "
        "WEBHOOK_URL, or leave it empty to poll for updates instead)"
    )
