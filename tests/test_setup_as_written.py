"""The first commands of the README, as a new user types them: `cp .env.example .env`, then run.

Settings come from a `.env` copied from `.env.example` untouched (empty values mean defaults),
and the default database is one file beside that `.env`, whichever folder a command runs from.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app.dbfile import sqlite_file
from bot.app.settings import (
    SettingsError,
    database_url_for,
    find_env_file,
    load_settings,
    user_data_dir,
)

ROOT = Path(__file__).parent.parent
SETTING_NAMES = [
    line.split("=", 1)[0]
    for line in (ROOT / ".env.example").read_text().splitlines()
    if line and not line.startswith("#")
]


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No setting from the test runner's own environment leaks into these tests."""
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / ".env.example", project / ".env")
    return project


def test_a_copy_of_env_example_loads_with_every_default(tmp_path: Path, clean_env: None) -> None:
    project = _project(tmp_path)
    settings = load_settings(project / ".env")
    assert settings.themes_file is None and settings.feeds_file is None
    assert settings.telegram_bot_token is None
    assert settings.admin_ids == frozenset()
    assert settings.poll_interval == 600 and settings.log_level == "INFO"
    assert sqlite_file(settings.database_url) == project.resolve() / "data" / "policywatch.db"


def test_the_nearest_env_is_found_from_a_subfolder(
    tmp_path: Path, clean_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path)
    deep = project / "a" / "b"
    deep.mkdir(parents=True)
    assert find_env_file(deep) == (project / ".env").resolve()
    monkeypatch.chdir(deep)
    settings = load_settings()
    assert sqlite_file(settings.database_url) == project.resolve() / "data" / "policywatch.db"


def test_relative_files_in_env_are_found_from_any_subfolder(
    tmp_path: Path, clean_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path)
    (project / "my-themes.toml").write_text("")
    with (project / ".env").open("a") as env:
        env.write("THEMES_FILE=my-themes.toml\nFEEDS_FILE=missing.opml\n")
    (project / "sub").mkdir()
    monkeypatch.chdir(project / "sub")
    with pytest.raises(SettingsError) as refused:
        load_settings()
    assert str(refused.value) == (
        f"FEEDS_FILE='missing.opml' is not valid: no such file: {project.resolve()}/missing.opml"
    )
    (project / "missing.opml").write_text("")
    settings = load_settings()
    assert settings.themes_file == project.resolve() / "my-themes.toml"


def test_without_env_the_database_is_in_the_per_user_data_folder(tmp_path: Path) -> None:
    xdg = {"XDG_DATA_HOME": str(tmp_path / "xdg")}
    url = database_url_for("", None, xdg)
    assert sqlite_file(url) == tmp_path / "xdg" / "policywatch" / "policywatch.db"
    assert user_data_dir({}) == Path.home() / ".local" / "share" / "policywatch"


def test_a_relative_sqlite_path_is_anchored_at_the_env_folder(tmp_path: Path) -> None:
    assert database_url_for("sqlite:///db/x.db", tmp_path) == f"sqlite:///{tmp_path}/db/x.db"
    assert database_url_for("sqlite:////abs/x.db", tmp_path) == "sqlite:////abs/x.db"
    pg = "postgresql://u@127.0.0.1:5432/db"
    assert database_url_for(pg, tmp_path) == pg


def _cli(args: list[str], cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
    env.update({"HOME": str(home), "XDG_DATA_HOME": str(home / "xdg"), "LOG_LEVEL": "WARNING"})
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_folder_of_the_project_uses_the_same_database(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "docs").mkdir()
    feed = project / "feed.xml"
    feed.write_text("<rss version='2.0'><channel><title>t</title></channel></rss>")

    first = _cli(["feeds", "add", "--allow-file", str(feed)], project, tmp_path)
    assert first.returncode == 0, first.stderr
    database = project / "data" / "policywatch.db"
    assert f"created a new database at {database}" in first.stderr
    assert first.stderr.count("created a new database") == 1

    elsewhere = _cli(["feeds", "list"], project / "docs", tmp_path)
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert str(feed) in elsewhere.stdout, "a subfolder sees the feeds added from the project"
    assert "created a new database" not in elsewhere.stderr
    assert not (project / "docs" / "data").exists()
