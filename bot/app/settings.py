"""Settings, read once from the environment and `.env`, checked before anything starts.

The only place that reads the environment. A bad value stops start-up with a message naming
the setting and what it accepts, never a traceback. An empty value (`NAME=` in `.env`, as
`.env.example` ships them) means the default.

Where things live, whatever the current directory: `.env` is the nearest one in the current
directory or a parent folder; the default SQLite database is `data/policywatch.db` beside that
`.env`, or, with no `.env`, `$XDG_DATA_HOME/policywatch/policywatch.db`
(`~/.local/share/policywatch/` when XDG_DATA_HOME is unset). A relative path (of a SQLite
DATABASE_URL, THEMES_FILE, FEEDS_FILE) is taken from the `.env`'s folder too.
"""

from __future__ import annotations

import difflib
import logging
import os
import re
from collections.abc import Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from dotenv import dotenv_values
from dotenv.parser import parse_stream
from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.app.errors import BotError
from store import StoreConfigError, async_url, shown_url

ENV_FILE_NAME = ".env"
# The folder of the .env being read, while load_settings reads it: relative file settings
# (THEMES_FILE, FEEDS_FILE) are taken from there. None: from the current directory.
_ENV_FOLDER: ContextVar[Path | None] = ContextVar("env_folder", default=None)
DATABASE_FILE = "policywatch.db"
DEFAULT_DATABASE_URL = "sqlite:///data/policywatch.db"
# Telegram's rule for setWebhook's secret_token: 1-256 of A-Z, a-z, 0-9, _ and -.
SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,256}")
TOKEN_SHAPE = re.compile(r"\d{1,20}:[A-Za-z0-9_-]{1,100}")


SECRET_SETTINGS = {"TELEGRAM_BOT_TOKEN", "WEBHOOK_SECRET"}  # never echoed in an error


class SettingsError(BotError):
    """A setting with a value we cannot use; str() is meant for the operator."""


# python-dotenv warns of a line it cannot parse on each read, without the file's name;
# env_file_warnings says it once, naming the file and the line.
logging.getLogger("dotenv.main").setLevel(logging.ERROR)

MONTH_SECONDS = 30 * 24 * 3600  # the longest interval between two polls of a feed
YEAR_SECONDS = 365 * 24 * 3600
YEARS_HOURS = 20 * 365 * 24  # the furthest back a first poll alerts: twenty years


class Settings(BaseSettings):
    """Every knob of policywatch; `.env.example` documents each one."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
        env_ignore_empty=True,
        allow_inf_nan=False,  # POLL_INTERVAL=inf would be accepted, then fail every poll
    )

    telegram_bot_token: str | None = None
    telegram_api_base_url: str = "https://api.telegram.org"
    database_url: str = ""  # "" until load_settings fills in the default (see the docstring)
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    # Upper bounds keep every time computed from them within what datetime holds (QA round
    # 14: BACKFILL_HOURS=1e9 failed every poll, POLL_INTERVAL=1e30 crashed start-up).
    poll_interval: float = Field(default=600, ge=1, le=MONTH_SECONDS)
    min_poll_interval: float = Field(default=300, ge=1, le=MONTH_SECONDS)
    max_poll_interval: float = Field(default=6 * 3600, ge=1, le=MONTH_SECONDS)
    backfill_hours: float = Field(default=24, ge=0, le=YEARS_HOURS)
    themes_file: Path | None = None
    feeds_file: Path | None = None
    allow_private_feeds: bool = False
    log_level: str = "INFO"
    fetch_timeout: float = Field(default=30, gt=0, le=3600)
    max_feed_bytes: int = Field(default=15 * 1024 * 1024, gt=0)
    feed_alert_after: float = Field(default=24 * 3600, gt=0, le=YEAR_SECONDS)
    link_previews: bool = False
    delivery_give_up_after: float = Field(default=3600, gt=0, le=YEAR_SECONDS)
    # How long a silent sender keeps its role before another process takes it over.
    role_lease_seconds: float = Field(default=45, ge=3, le=3600)
    # Webhook mode (docs/delivery.md): Telegram POSTs updates to WEBHOOK_URL, a reverse proxy
    # passes them to PTB's server on WEBHOOK_LISTEN:WEBHOOK_PORT. Unset: long polling.
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)

    @field_validator("telegram_bot_token")
    @classmethod
    def _token(cls, value: str | None) -> str | None:
        """BotFather's shape, DIGITS:LETTERS; blanks pasted around it are dropped. The value
        itself is never echoed: a near-miss of a real token is still a secret."""
        if value is None:
            return None
        value = value.strip()
        if not value:
            return None
        if not TOKEN_SHAPE.fullmatch(value):
            raise ValueError(
                "not a bot token: BotFather gives one like 123456789:AAF..., digits, a colon, "
                "then letters, digits, _ and - (no quotes, no 'bot' before it)"
            )
        return value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _api_base(cls, value: str) -> str:
        url = urlsplit(value.strip())
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError("expected a URL like https://api.telegram.org (with https://)")
        return value.strip().rstrip("/")

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p for p in value.replace(";", ",").replace(" ", ",").split(",") if p]
            try:
                ids = frozenset(int(p) for p in parts)
            except ValueError as exc:
                raise ValueError(
                    "expected a comma-separated list of Telegram user ids: numbers, such as "
                    "@userinfobot shows a user"
                ) from exc
            if any(i <= 0 for i in ids):
                raise ValueError(
                    "a user id is a positive number; a negative one is a group or channel, "
                    "which cannot be an admin"
                )
            return ids
        return value

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        if not value:
            return value
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
        if value is None:
            return None
        anchor = _ENV_FOLDER.get()
        if anchor is not None and not value.is_absolute():
            value = anchor / value  # relative to the .env that named it, like DATABASE_URL
        if not value.is_file():
            raise ValueError(f"no such file: {value}")
        return value

    @field_validator("webhook_url", "webhook_secret")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @model_validator(mode="after")
    def _intervals(self) -> Settings:
        """The adaptive interval lives between the two bounds: they must leave it room.

        POLL_INTERVAL outside the bounds: when both were set, that is a contradiction and is
        refused; when one of them is a default, the setting given wins and the default gives
        way (QA round 13: a MAX_POLL_INTERVAL below the default POLL_INTERVAL was raised).
        """
        given = self.model_fields_set
        if self.min_poll_interval > self.max_poll_interval:
            # one bound set against the other's default: the default gives way (QA round 15:
            # MAX_POLL_INTERVAL=120 alone was refused for the default minimum of 300)
            if "max_poll_interval" in given and "min_poll_interval" not in given:
                self.min_poll_interval = self.max_poll_interval
            elif "min_poll_interval" in given and "max_poll_interval" not in given:
                self.max_poll_interval = self.min_poll_interval
        if self.min_poll_interval > self.max_poll_interval:
            raise ValueError(
                f"MIN_POLL_INTERVAL={self.min_poll_interval:g} is above "
                f"MAX_POLL_INTERVAL={self.max_poll_interval:g}: the shortest interval between two "
                "polls of a feed must not exceed the longest (seconds)"
            )
        for bound, name, outside in (
            ("max_poll_interval", "MAX", self.poll_interval > self.max_poll_interval),
            ("min_poll_interval", "MIN", self.poll_interval < self.min_poll_interval),
        ):
            if not outside:
                continue
            value = getattr(self, bound)
            if "poll_interval" in given and bound in given:
                side = "above" if name == "MAX" else "below"
                raise ValueError(
                    f"POLL_INTERVAL={self.poll_interval:g} is {side} "
                    f"{name}_POLL_INTERVAL={value:g}: a feed's first interval must lie between "
                    "MIN_POLL_INTERVAL and MAX_POLL_INTERVAL (seconds)"
                )
            if bound in given:
                self.poll_interval = value
            else:
                setattr(self, bound, self.poll_interval)
        return self

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
    "finite_number": "a number (not inf or nan)",
    "greater_than": "a number above {gt}",
    "greater_than_equal": "a number of {ge} or more",
    "less_than_equal": "a number of at most {le}",
    "less_than": "a number below {lt}",
}


def _number(value: float) -> str:
    """A bound as a person types it: 2592000, not 2.592e+06; 0.5 stays 0.5."""
    return str(int(value)) if value.is_integer() else f"{value:g}"


def _hint(err: Mapping[str, object]) -> str:
    """What a setting accepts, with the bound pydantic checked (`a number of 3 or more`)."""
    hint = HINTS.get(str(err["type"]))
    if hint is None:
        return str(err["msg"])
    ctx = err.get("ctx")
    bounds: dict[str, object] = {}
    if isinstance(ctx, dict):
        bounds = {k: _number(v) if isinstance(v, float) else v for k, v in ctx.items()}
    try:
        return hint.format(**bounds)
    except (KeyError, IndexError):
        return str(err["msg"])


def find_env_file(start: Path | None = None) -> Path | None:
    """The nearest `.env`: in `start` (default: the current directory) or one of its parents."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / ENV_FILE_NAME
        if candidate.is_file():
            return candidate
    return None


def user_data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The per-user data folder: $XDG_DATA_HOME/policywatch, else ~/.local/share/policywatch."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "policywatch"


def _shown(name: str, value: object) -> str:
    """A setting's value as an error may print it: secrets hidden, a URL's password too."""
    if name in SECRET_SETTINGS:
        return "(hidden)"
    if name == "DATABASE_URL" and isinstance(value, str):
        return repr(shown_url(value))
    return repr(value)


def database_url_for(
    value: str, home: Path | None, environ: Mapping[str, str] | None = None
) -> str:
    """DATABASE_URL with the default filled in and a relative SQLite path anchored at `home`.

    `home` is the folder of the `.env` in use (None without one: the per-user data folder).
    """
    if not value:
        folder = home / "data" if home is not None else user_data_dir(environ)
        return f"sqlite:///{folder / DATABASE_FILE}"
    prefix, sep, path = value.partition(":///")
    if sep and prefix.startswith("sqlite") and path and not path.startswith((":", "/")):
        anchor = home if home is not None else Path.cwd()
        return f"{prefix}:///{(anchor / path).resolve()}"
    return value


# Read by compose.yaml from the same .env: not ours, not a slip.
COMPOSE_KEYS = frozenset({"POSTGRES_PASSWORD", "WATCHERS"})
_OUR_PREFIXES = (
    "TELEGRAM",
    "ADMIN",
    "POLL",
    "DATABASE",
    "WEBHOOK",
    "FEED",
    "THEME",
    "LOG",
    "FETCH",
    "BACKFILL",
    "ROLE",
    "DELIVERY",
    "LINK",
    "ALLOW",
)


def env_file_warnings(env_file: str | Path | None = None) -> list[str]:
    """Lines of the `.env` in use that name no setting but look meant as one
    (`TELEGRAM_TOKEN`): without a word they would be ignored, and the bot start in console
    mode. Keys of other tools (compose's POSTGRES_PASSWORD) are left alone."""
    found = Path(env_file) if env_file is not None else find_env_file()
    if found is None or not found.is_file():
        return []
    known = {name.upper() for name in Settings.model_fields} | COMPOSE_KEYS
    out = []
    # A line python-dotenv cannot read: it said so itself, twice (it reads the file twice)
    # and without the file's name (QA round 14); the line is not echoed, it may hold a token.
    with found.open(encoding="utf-8-sig", errors="replace") as stream:
        for binding in parse_stream(stream):
            if binding.error or (binding.key is not None and binding.value is None):
                # a bare word too: "TELEGRAM_BOT_TOKEN" with the token pasted on the next
                # line started the bot in console mode without a word (QA round 15)
                out.append(
                    f"{found}: line {binding.original.line} is not NAME=VALUE and is ignored"
                )
    for key in dotenv_values(found):
        name = key.upper()
        if name in known:
            continue
        close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
        if close or name.startswith(_OUR_PREFIXES):
            hint = f"; did you mean {close[0]}?" if close else ""
            out.append(f"{found}: {key} is not a setting and is ignored{hint}")
    return out


def _check_utf8(env_file: Path) -> None:
    """SettingsError naming the file and line when `.env` is not UTF-8 (QA round 15: a
    Latin-1 "café" in a comment stopped every command with a traceback)."""
    data = env_file.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SettingsError(
            f"{env_file}: line {line} is not UTF-8 text (byte 0x{data[exc.start]:02x}); "
            "save the file as UTF-8"
        ) from None


def load_settings(env_file: str | Path | None = None) -> Settings:
    """Read the settings (from `env_file`, default: the nearest `.env`) or raise SettingsError
    naming every bad one."""
    found = Path(env_file) if env_file is not None else find_env_file()
    home = found.resolve().parent if found is not None and found.is_file() else None
    if home is not None and found is not None:
        _check_utf8(found)
    token = _ENV_FOLDER.set(home)
    try:
        settings = Settings(_env_file=found)  # type: ignore[call-arg]
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = str(err["loc"][0]).upper() if err["loc"] else "settings"
            got = err.get("input")
            if err["type"] == "value_error" and not err["loc"]:  # a rule across settings
                problems.append(str(err["msg"]).removeprefix("Value error, "))
            elif err["type"] == "value_error":
                why = str(err["msg"]).removeprefix("Value error, ")
                problems.append(f"{name}={_shown(name, got)} is not valid: {why}")
            else:
                problems.append(f"{name}={_shown(name, got)} is not valid: expected {_hint(err)}")
        raise SettingsError("; ".join(problems)) from None
    finally:
        _ENV_FOLDER.reset(token)
    url = database_url_for(settings.database_url, home)
    return settings.model_copy(update={"database_url": url})
