"""Logging set-up: levels, format, and keeping the bot token out of every log line.

httpx logs each request URL at INFO, and the Bot API puts the token in the URL; its request
logs are lowered to WARNING and a filter redacts anything shaped like a token anywhere.
"""

from __future__ import annotations

import logging
import re

from bot.settings import Settings

TOKEN_SHAPE = re.compile(r"\d{5,12}:[A-Za-z0-9_-]{20,}")


class RedactTokens(logging.Filter):
    """Replace the configured token, and anything shaped like a bot token, with <token>."""

    def __init__(self, token: str | None) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = TOKEN_SHAPE.sub("<token>", message)
        if self.token:
            clean = clean.replace(self.token, "<token>")
        if clean != message:
            record.msg, record.args = clean, None
        return True


def setup_logging(settings: Settings) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactTokens(settings.telegram_bot_token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    for noisy in (
        "httpx",
        "httpcore",
        "apscheduler",
        "telegram.ext.Updater",
        "aiosqlite",
        "alembic",
    ):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
