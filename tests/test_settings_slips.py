"""The slips a new operator makes in `.env`: each is one line naming the setting and what to
write (never the token), and a line that names no setting is pointed out, not ignored.
Through `load_settings` and, for start-up against Telegram, the real CLI process."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app.settings import SettingsError, env_file_warnings, load_settings
from store import async_url
from tests.fakebotapi import FakeBotAPI

ROOT = Path(__file__).parent.parent
NAMES = [
    line.split("=", 1)[0]
    for line in (ROOT / ".env.example").read_text().splitlines()
    if line and not line.startswith("#")
]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)


def refused(tmp_path: Path, line: str) -> str:
    env = tmp_path / ".env"
    env.write_text(line + "\n")
    with pytest.raises(SettingsError) as caught:
        load_settings(env)
    return str(caught.value)


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("ROLE_LEASE_SECONDS=1", "expected a number of 3 or more"),
        ("WEBHOOK_PORT=70000", "expected a number of at most 65535"),
        ("POLL_INTERVAL=inf", "expected a number (not inf or nan)"),
        # QA round 14: huge values passed, then failed every poll or crashed start-up
        ("BACKFILL_HOURS=1e9", "expected a number of at most 175200"),
        ("POLL_INTERVAL=1e30", "expected a number of at most 2592000"),
        ("MAX_POLL_INTERVAL=1e30", "expected a number of at most 2592000"),
        ("DATABASE_URL=sqlite://data/x.db", "three slashes before a relative path"),
        ("DATABASE_URL=postgresql://postgres@127.0.0.1:5432", "names no database: add /NAME"),
        ("DATABASE_URL=postgresql://postgres@127.0.0.1:54x32/pw", "its port must be a number"),
        ("TELEGRAM_API_BASE_URL=api.telegram.org", "with https://"),
    ],
)
def test_a_slip_is_one_line_saying_what_to_write(tmp_path: Path, line: str, said: str) -> None:
    assert said in refused(tmp_path, line)


@pytest.mark.parametrize("token", ["abcdef", "bot123456:AAF-secret_part", "123456:AAF/secret_part"])
def test_a_token_not_shaped_like_botfathers_is_refused_without_echoing_it(
    tmp_path: Path, token: str
) -> None:
    said = refused(tmp_path, f"TELEGRAM_BOT_TOKEN={token}")
    assert "TELEGRAM_BOT_TOKEN=(hidden) is not valid: not a bot token" in said
    assert "secret_part" not in said and "abcdef" not in said


@pytest.mark.parametrize(
    "url",
    [
        "postgresql//postgres:s3cretPW@127.0.0.1/x",  # a slip in the scheme: unparseable
        "mysql://root:s3cretPW@127.0.0.1/x",
        "postgresql://postgres:s3cretPW@127.0.0.1:5432",
        "sqlite://postgres:s3cretPW@127.0.0.1/x.db",
    ],
)
def test_a_refused_database_url_never_shows_its_password(tmp_path: Path, url: str) -> None:
    """QA round 17: the whole URL, password and all, went to stderr and the service log."""
    said = refused(tmp_path, f"DATABASE_URL={url}")
    assert "DATABASE_URL=" in said and "s3cretPW" not in said and ":***@" in said


def test_the_postgres_scheme_hosting_providers_hand_out_is_postgresql() -> None:
    assert async_url("postgres://u:pw@127.0.0.1:5432/db") == (
        "postgresql+asyncpg://u:pw@127.0.0.1:5432/db"
    )


def test_a_poll_interval_outside_its_bounds_gives_way_to_the_bound_set_or_is_refused(
    tmp_path: Path,
) -> None:
    # QA round 13: MAX_POLL_INTERVAL below the default POLL_INTERVAL was silently raised.
    env = tmp_path / ".env"
    env.write_text("MAX_POLL_INTERVAL=300\n")
    lowered = load_settings(env)
    assert (lowered.poll_interval, lowered.max_poll_interval) == (300, 300)
    env.write_text("POLL_INTERVAL=86400\n")  # once a day: the default bound gives way
    daily = load_settings(env)
    assert (daily.poll_interval, daily.max_poll_interval) == (86400, 86400)
    said = refused(tmp_path, "POLL_INTERVAL=900\nMAX_POLL_INTERVAL=300")
    assert "POLL_INTERVAL=900 is above MAX_POLL_INTERVAL=300" in said
    said = refused(tmp_path, "POLL_INTERVAL=60\nMIN_POLL_INTERVAL=120")
    assert "POLL_INTERVAL=60 is below MIN_POLL_INTERVAL=120" in said
    # QA round 15: one bound set below the other's default was refused for that default
    env.write_text("MAX_POLL_INTERVAL=120\n")
    tight = load_settings(env)
    assert (tight.min_poll_interval, tight.poll_interval, tight.max_poll_interval) == (120,) * 3
    said = refused(tmp_path, "POLL_INTERVAL=100\nMAX_POLL_INTERVAL=50")
    assert "POLL_INTERVAL=100 is above MAX_POLL_INTERVAL=50" in said
    assert "a number of 1 or more" in refused(tmp_path, "POLL_INTERVAL=0.000001")


def test_a_dotenv_not_in_utf8_is_one_line_naming_the_file_and_line(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_bytes(b"ADMIN_IDS=1\n# caf\xe9\n")  # QA round 15: a traceback on every command
    with pytest.raises(SettingsError) as caught:
        load_settings(env)
    assert str(caught.value) == (
        f"{env}: line 2 is not UTF-8 text (byte 0xe9); save the file as UTF-8"
    )


def test_blanks_around_a_token_are_dropped_and_sslmode_is_read_as_ssl(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text(
        "TELEGRAM_BOT_TOKEN=' 123456:TEST-TOKEN-abc '\n"
        "DATABASE_URL=postgresql://u@127.0.0.1:5432/pw?sslmode=require\n"
    )
    settings = load_settings(env)
    assert settings.telegram_bot_token == "123456:TEST-TOKEN-abc"
    assert async_url(settings.database_url).endswith("/pw?ssl=require")


def test_lines_that_name_no_setting_are_pointed_out(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text(
        "TELEGRAM_TOKEN=123456:TEST-TOKEN-abc\nPOLL_INTERVALL=60\nPOSTGRES_PASSWORD=x\n"
        "WATCHERS=2\nEDITOR=vim\n"
    )
    warned = env_file_warnings(env)
    assert len(warned) == 2
    assert (
        "TELEGRAM_TOKEN is not a setting and is ignored; did you mean TELEGRAM_BOT_TOKEN?"
        in (warned[0])
    )
    assert "POLL_INTERVALL" in warned[1] and "did you mean POLL_INTERVAL?" in warned[1]


def test_a_line_that_is_not_name_value_is_pointed_out_once_by_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # QA round 14: python-dotenv warned twice, without the file, and echoed nothing useful
    env = tmp_path / ".env"
    env.write_text("POLL_INTERVAL=60\nTELEGRAM_BOT_TOKEN 123456:SECRET-abc\nnope\n")
    assert env_file_warnings(env) == [
        f"{env}: line {n} is not NAME=VALUE and is ignored" for n in (2, 3)
    ]
    assert load_settings(env).poll_interval == 60
    assert "could not parse" not in capsys.readouterr().err


async def test_a_token_telegram_rejects_is_one_line_without_the_token(tmp_path: Path) -> None:
    async with FakeBotAPI() as api:
        proc = await run_once_against(api.base_url, "123456:WRONG-TOKEN-xyz", tmp_path)
    assert proc.returncode == 2
    assert "TELEGRAM_BOT_TOKEN (bot 123456) was rejected by the Bot API" in proc.stderr
    assert "WRONG-TOKEN" not in proc.stderr + proc.stdout
    assert "Traceback" not in proc.stderr


async def test_an_api_that_answers_nothing_is_one_line(tmp_path: Path) -> None:
    proc = await run_once_against("http://127.0.0.1:9", "123456:TEST-TOKEN-abc", tmp_path)
    assert proc.returncode == 2
    assert "cannot reach the Telegram Bot API at http://127.0.0.1:9" in proc.stderr
    assert "Traceback" not in proc.stderr


async def run_once_against(
    base_url: str, token: str, folder: Path
) -> subprocess.CompletedProcess[str]:
    """`policywatch run --once` in Telegram mode against `base_url`, as its own process."""
    env = {k: v for k, v in os.environ.items() if k not in NAMES}
    env.update(
        {
            "TELEGRAM_BOT_TOKEN": token,
            "TELEGRAM_API_BASE_URL": base_url,
            "DATABASE_URL": f"sqlite:///{folder}/pw.db",
        }
    )
    return await cli_process([sys.executable, "-m", "bot", "run", "--once"], folder, env)


async def cli_process(
    args: list[str], cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """A CLI process run to its end without blocking the fake API's event loop."""
    proc = await asyncio.create_subprocess_exec(
        *args,
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    return subprocess.CompletedProcess(args, proc.returncode or 0, out.decode(), err.decode())


def test_admin_ids_are_users_not_names_or_chats(tmp_path: Path) -> None:
    assert "such as @userinfobot shows a user" in refused(tmp_path, "ADMIN_IDS=@alice")
    assert "a negative one is a group or channel" in refused(tmp_path, "ADMIN_IDS=111,-100123")
