"""Settings, read once from the environment and `.env`, checked before anything starts.

The only place that reads the environment. A bad value stops start-up with a message naming
the setting and what it accepts, never a traceback.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.app.errors import BotError
from store import StoreConfigError, async_url

DEFAULT_DATABASE_URL = "sqlite:///data/policywatch.db"
# Telegram's rule for setWebhook's secret_token: 1-256 of A-Z, a-z, 0-9, _ and -.
SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,256}")


class SettingsError(BotError):
    """A setting with a value we cannot use; str() is meant for the operator."""


class Settings(BaseSettings):
    """Every knob of policywatch; `.env.example` documents each one."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    telegram_bot_token: str | None = None
    telegram_api_base_url: str = "https://api.telegram.org"
    database_url: str = DEFAULT_DATABASE_URL
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    poll_interval: float = Field(default=600, gt=0)
    min_poll_interval: float = Field(default=300, gt=0)
    max_poll_interval: float = Field(default=6 * 3600, gt=0)
    backfill_hours: float = Field(default=24, ge=0)
    themes_file: Path | None = None
    feeds_file: Path | None = None
    allow_private_feeds: bool = False
    log_level: str = "INFO"
    fetch_timeout: float = Field(default=30, gt=0)
    max_feed_bytes: int = Field(default=15 * 1024 * 1024, gt=0)
    feed_alert_after: float = Field(default=24 * 3600, gt=0)
    link_previews: bool = False
    delivery_give_up_after: float = Field(default=3600, gt=0)
    # Webhook mode (docs/delivery.md): Telegram POSTs updates to WEBHOOK_URL, a reverse proxy
    # passes them to PTB's server on WEBHOOK_LISTEN:WEBHOOK_PORT. Unset: long polling.
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p for p in value.replace(";", ",").replace(" ", ",").split(",") if p]
            try:
                return frozenset(int(p) for p in parts)
            except ValueError as exc:
                raise ValueError("expected a comma-separated list of Telegram user ids") from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        try:
            async_url(value)
        except StoreConfigError as exc:
            raise ValueError(str(exc)) from exc
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level

    @field_validator("themes_file", "feeds_file")
    @classmethod
    def _exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"no such file: {value}")
        return value

    @field_validator("webhook_url", "webhook_secret")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @model_validator(mode="after")
    def _webhook(self) -> Settings:
        """A webhook needs an https URL and a secret Telegram sends back with each update."""
        if self.webhook_url is None:
            if self.webhook_secret is not None:
                raise ValueError(
                    "WEBHOOK_SECRET is set but WEBHOOK_URL is not: set both or neither"
                )
            return self
        url = urlsplit(self.webhook_url)
        if url.scheme != "https" or not url.hostname:
            raise ValueError(
                f"WEBHOOK_URL={self.webhook_url!r} is not valid: Telegram only calls https:// "
                "URLs, e.g. https://bot.example.org/telegram"
            )
        if self.webhook_secret is None:
            raise ValueError(
                "WEBHOOK_URL needs WEBHOOK_SECRET (1-256 of A-Z a-z 0-9 _ -), so that only "
                "Telegram's requests are accepted"
            )
        if not SECRET_SHAPE.fullmatch(self.webhook_secret):
            raise ValueError(
                "WEBHOOK_SECRET is not valid: Telegram accepts 1-256 characters of "
                "A-Z a-z 0-9 _ and -"
            )
        return self


HINTS = {
    "float_parsing": "a number",
    "int_parsing": "a whole number",
    "bool_parsing": "true or false",
    "greater_than": "a number above 0",
    "greater_than_equal": "a number of 0 or more",
}


def load_settings(env_file: str | None = ".env") -> Settings:
    """Read the settings or raise SettingsError naming every bad one."""
    try:
        return Settings(_env_file=env_file)  # type: ignore[call-arg]
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = str(err["loc"][0]).upper() if err["loc"] else "settings"
            got = err.get("input")
            if err["type"] == "value_error" and not err["loc"]:  # a rule across settings
                problems.append(str(err["msg"]).removeprefix("Value error, "))
            elif err["type"] == "value_error":
                why = str(err["msg"]).removeprefix("Value error, ")
                problems.append(f"{name}={got!r} is not valid: {why}")
            else:
                wanted = HINTS.get(err["type"], str(err["msg"]))
                problems.append(f"{name}={got!r} is not valid: expected {wanted}")
        raise SettingsError("; ".join(problems)) from None
