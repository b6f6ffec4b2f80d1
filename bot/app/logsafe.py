"""Keep the bot token out of every log record, whichever logger or handler it goes through.

httpx logs each request URL at INFO and the Bot API puts the token in the URL path; PTB's
errors can carry URLs too. `install_token_redaction(token)` redacts at the one place every
record passes: the log record factory, so handlers added later (by PTB, APScheduler, pytest's
caplog) are covered as well. It also lowers httpx/httpcore to WARNING, since a request log
with the token removed is still noise. Does not configure handlers, formats or levels of ours:
bot/app/logsetup.py does.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

REDACTED = "<token>"
# Anything shaped like a Bot API token (digits, a colon, a long secret), configured or not.
TOKEN_SHAPE = re.compile(r"(?<!\d)\d{5,12}:[A-Za-z0-9_-]{30,}")

_installed: dict[str, Any] = {}


def redact(text: str, token: str | None) -> str:
    """`text` with the token, and anything shaped like one, replaced by <token>."""
    if token:
        text = text.replace(token, REDACTED)
    return TOKEN_SHAPE.sub(REDACTED, text)


class TokenFilter(logging.Filter):
    """A filter for a handler or logger that rewrites records carrying the token."""

    def __init__(self, token: str | None) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        scrub(record, self.token)
        return True


def scrub(record: logging.LogRecord, token: str | None) -> None:
    """Redact a record's message (with its arguments merged in) and its exception text."""
    try:
        message = record.getMessage()
    except Exception:  # a broken format string is the logging module's to report
        return
    clean = redact(message, token)
    if clean != message:
        record.msg, record.args = clean, None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text, token)


def install_token_redaction(token: str | None) -> None:
    """Redact `token` from every log record created from now on (idempotent).

    Call once at start-up, after reading the settings and before the bot starts.
    """
    _installed["token"] = token
    if "factory" not in _installed:
        previous: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()
        _installed["factory"] = previous

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            scrub(record, _installed.get("token"))
            return record

        logging.setLogRecordFactory(factory)
    for noisy in ("httpx", "httpcore"):
        logger = logging.getLogger(noisy)
        if logger.level < logging.WARNING:
            logger.setLevel(logging.WARNING)


def uninstall_token_redaction() -> None:
    """Restore the previous record factory (for tests)."""
    previous = _installed.pop("factory", None)
    if previous is not None:
        logging.setLogRecordFactory(previous)
    _installed.pop("token", None)
