"""The CLI's admin verbs as an operator runs them: real processes on a real SQLite file.

Themes are named by the same rule as in the chat (never loosely); files that are not UTF-8
get a message, not a traceback; feeds and themes added, imported or removed from a shell are
in the audit log the chat's `/audit` shows and `/undo` reverses; a removal asks first.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from store import Store
from tests.feeds import SEED_FEED, rss, seed_entries
from tests.test_cli import run_cli

THEME = "normalization-with-assad"


def console(workdir: Path, *typed: str) -> str:
    """What `policywatch run` (the console) prints for these typed lines, then /quit."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env.update({"DATABASE_URL": f"sqlite:///{workdir}/pw.db", "LOG_LEVEL": "WARNING"})
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=workdir,
        env=env,
        input="\n".join([*typed, "/quit"]) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_theme_is_not_found_inside_a_longer_word_and_nothing_is_removed(tmp_path: Path) -> None:
    """QA #1: `themes remove russia` removed theme "us"; `match --theme assad` used "d"."""
    assert (
        run_cli(["themes", "add", "us", "US policy", "--query", "Washington"], tmp_path).returncode
        == 0
    )
    assert run_cli(["themes", "add", "deep100", "d", "--query", "Iran"], tmp_path).returncode == 0
    for verb in (["themes", "show", "russia"], ["timeline", "russia-sanctions"]):
        refused = run_cli(verb, tmp_path)
        assert refused.returncode == 1 and "no theme" in refused.stderr, verb
        assert "did you mean" not in refused.stderr
    refused = run_cli(["themes", "remove", "russia", "--yes"], tmp_path)
    assert refused.returncode == 1 and "no theme 'russia'" in refused.stderr
    assert "us  threshold" in run_cli(["themes", "list"], tmp_path).stdout

    scored = run_cli(["match", "--theme", "assad", str(SEED_FEED)], tmp_path)
    assert scored.returncode == 0, scored.stderr
    assert f'"theme": "{THEME}"' in scored.stdout and '"deep100"' not in scored.stdout
    typo = run_cli(["timeline", "normalisation-with-asad"], tmp_path)
    assert typo.returncode == 0, typo.stderr


def test_two_themes_with_one_name_are_named_by_their_slugs(tmp_path: Path) -> None:
    """QA #13: the name of two themes gets both slugs, not the first theme."""
    run_cli(["themes", "add", "t3", "Normalization with Assad", "--query", "Assad"], tmp_path)
    asked = run_cli(["timeline", "Normalization with Assad"], tmp_path)
    assert asked.returncode == 1
    assert "names several themes" in asked.stderr
    assert THEME in asked.stderr and "t3" in asked.stderr
    assert run_cli(["timeline", "t3"], tmp_path).returncode == 0


def test_a_file_that_is_not_utf8_is_named_with_its_byte_and_a_bom_is_accepted(
    tmp_path: Path,
) -> None:
    """QA #6: a Latin-1 file (Excel, Notepad) gave a UnicodeDecodeError traceback."""
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(b'{"title":"caf\xe9","relevant":true}\n')
    toml = tmp_path / "latin.toml"
    toml.write_bytes(b'[[themes]]\nslug = "cafe"\nname = "Caf\xe9"\nquery = "cafe"\n')
    for verb in (
        ["themes", "teach", THEME, str(latin)],
        ["themes", "import", str(toml)],
        ["match", str(latin)],
    ):
        refused = run_cli(verb, tmp_path)
        assert refused.returncode == 1, verb
        assert "not UTF-8 text (byte 0xe9 at position" in refused.stderr, verb
        assert "save it as UTF-8" in refused.stderr and "Traceback" not in refused.stderr
    piped = run_cli(["themes", "import", "-"], tmp_path, stdin_bytes=toml.read_bytes())
    assert "standard input: not UTF-8 text (byte 0xe9" in piped.stderr  # not "-" (QA 13)

    bom = tmp_path / "bom.jsonl"
    bom.write_bytes(b'\xef\xbb\xbf{"title":"Saudi Arabia reopens its embassy","relevant":true}\n')
    taught = run_cli(["themes", "teach", THEME, str(bom)], tmp_path)
    assert taught.returncode == 0, taught.stderr
    assert "1 taught labels" in run_cli(["themes", "labels", THEME], tmp_path).stdout


def test_removals_ask_first_and_shell_changes_are_audited_and_undone_in_the_chat(
    tmp_path: Path,
) -> None:
    """QA #7: `feeds remove` deleted at once; no CLI feed change was in /audit or undoable."""
    assert run_cli(["feeds", "add", "--allow-file", str(SEED_FEED)], tmp_path).returncode == 0
    asked = run_cli(["feeds", "remove", "1"], tmp_path)  # stdin is not a terminal
    assert asked.returncode == 1
    assert "not a terminal" in asked.stderr and "policywatch feeds remove 1 --yes" in asked.stderr
    assert SEED_FEED.as_uri() in run_cli(["feeds", "list"], tmp_path).stdout
    assert run_cli(["feeds", "remove", "1", "--yes"], tmp_path).returncode == 0
    assert "no feeds yet" in run_cli(["feeds", "list"], tmp_path).stdout

    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
        '<outline text="A" xmlUrl="https://a.example.org/rss"/></body></opml>'
    )
    assert run_cli(["feeds", "import", str(opml)], tmp_path).returncode == 0
    run_cli(["themes", "add", "gone-soon", "Gone soon", "--query", "Iran"], tmp_path)
    labels = tmp_path / "labels.jsonl"
    labels.write_text(
        '{"title": "Iran reopens its embassy", "relevant": true}\n'
        '{"title": "Iran football league resumes", "relevant": false}\n'
    )
    assert run_cli(["themes", "teach", "gone-soon", str(labels)], tmp_path).returncode == 0
    asked = run_cli(["themes", "remove", "gone-soon"], tmp_path)
    assert asked.returncode == 1 and "--yes" in asked.stderr
    assert "0 subscriptions and 2 taught labels?" in asked.stderr  # QA round 17: no counts
    removed = run_cli(["themes", "remove", "gone-soon", "--yes"], tmp_path)
    assert removed.returncode == 0 and "removed theme gone-soon" in removed.stdout
    assert "gone-soon" not in run_cli(["themes", "list"], tmp_path).stdout

    out = console(tmp_path, "/audit", "/undo", "1")
    for action in ("feeds add", "feeds remove", "feeds import", "themes remove"):
        assert f"cli {action}" in out, action
    assert "Undone: theme gone-soon is back" in out
    assert "gone-soon  threshold" in run_cli(["themes", "list"], tmp_path).stdout
    assert "2 taught labels" in run_cli(["themes", "labels", "gone-soon"], tmp_path).stdout


def test_a_feed_file_is_checked_when_added_as_a_url_is(tmp_path: Path) -> None:
    """QA #11: --allow-file added an HTML page or /etc/passwd, refused only at the next poll."""
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Home</title></head><body><p>Hello</p></body></html>")
    text = tmp_path / "passwd"
    text.write_text("root:x:0:0:root:/root:/bin/bash\n")
    for path in (page, text):
        refused = run_cli(["feeds", "add", "--allow-file", str(path)], tmp_path)
        assert refused.returncode == 1, path
        assert "not added" in refused.stderr and "Traceback" not in refused.stderr
    assert "no feeds yet" in run_cli(["feeds", "list"], tmp_path).stdout
    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss(seed_entries()[:2]))
    assert run_cli(["feeds", "add", "--allow-file", str(feed)], tmp_path).returncode == 0


def test_the_shell_keeps_the_chats_rules_for_new_themes_and_refuses_what_makes_no_sense(
    tmp_path: Path,
) -> None:
    """QA #13: limits, an empty import, a hand-written theme's threshold, --stored -5."""
    short = run_cli(["themes", "add", "x", "X", "--query", "Iran"], tmp_path)
    assert short.returncode == 1 and "use 2 to 40" in short.stderr
    long_slug = run_cli(["themes", "add", "a" * 41, "A", "--query", "Iran"], tmp_path)
    assert long_slug.returncode == 1 and "use 2 to 40" in long_slug.stderr
    long_name = run_cli(["themes", "add", "nm", "N" * 150, "--query", "Iran"], tmp_path)
    assert long_name.returncode == 1 and "the limit is 100" in long_name.stderr

    empty = tmp_path / "empty.toml"
    empty.write_text("")
    nothing = run_cli(["themes", "import", str(empty)], tmp_path)
    assert nothing.returncode == 1 and "nothing imported" in nothing.stderr
    hand = tmp_path / "hand.toml"
    hand.write_text('[[themes]]\nslug = "by-hand"\nname = "By hand"\nquery = "Iran"\n')
    assert run_cli(["themes", "import", str(hand)], tmp_path).returncode == 0
    assert "by-hand  threshold 50" in run_cli(["themes", "list"], tmp_path).stdout

    negative = run_cli(["match", "--theme", THEME, "--stored", "-5"], tmp_path)
    assert negative.returncode == 2 and "--stored" in negative.stderr
    assert "1 or more" in negative.stderr

    local = tmp_path / "x.xml"
    local.write_bytes(rss(seed_entries()[:1]))
    refused = run_cli(["feeds", "add", str(local)], tmp_path)
    assert refused.returncode == 1 and "add --allow-file" in refused.stderr
    assert "only from the command line" not in refused.stderr


def test_themes_added_or_imported_from_the_shell_are_undone_in_the_chat(tmp_path: Path) -> None:
    """QA2 #4: `/undo` of `themes add` answered "cannot be undone", unlike `/addtheme`."""
    added = run_cli(["themes", "add", "undo-me", "Undo me", "--query", "Iran"], tmp_path)
    assert added.returncode == 0, added.stderr
    out = console(tmp_path, "/undo", "1")
    assert "removed theme undo-me again" in out
    assert "undo-me" not in run_cli(["themes", "list"], tmp_path).stdout

    run_cli(["themes", "add", "kept", "Kept", "--query", "Iran"], tmp_path)
    exported = run_cli(["themes", "show", "kept"], tmp_path).stdout
    toml = tmp_path / "kept.toml"
    toml.write_text(exported.replace("threshold = 50", "threshold = 70"))
    assert run_cli(["themes", "import", str(toml)], tmp_path).returncode == 0
    assert "kept  threshold 70" in run_cli(["themes", "list"], tmp_path).stdout
    out = console(tmp_path, "/undo", "1")
    assert "Undone" in out
    assert "kept  threshold 50" in run_cli(["themes", "list"], tmp_path).stdout


def test_the_console_takes_commands_while_another_process_delivers_the_alerts(
    tmp_path: Path,
) -> None:
    """A `run --once` from cron (here: a lease held by a process on another host) is the
    sender: the console stands by for the alerts but answers what is typed, /quit included."""

    async def hold_sender_role() -> None:
        store = await Store.open(f"sqlite:///{tmp_path}/pw.db")
        try:
            await store.take_role("sender:console", "cron-host:4242", datetime.now(UTC), 600)
        finally:
            await store.close()

    asyncio.run(hold_sender_role())
    out = console(tmp_path, "/themes")
    assert "another process is the sender for this bot: cron-host:4242" in out
    assert "alerts appear here once that one stops" in out
    assert "Normalization with Assad" in out  # /themes was answered


def test_the_last_theme_removed_stays_removed_at_the_next_start(tmp_path: Path) -> None:
    """The shipped theme is loaded into a database that never had a theme, not again into
    one whose admin removed it (QA: the demo theme came back, unaudited)."""
    assert THEME in run_cli(["themes", "list"], tmp_path).stdout
    assert run_cli(["themes", "remove", THEME, "--yes"], tmp_path).returncode == 0
    listed = run_cli(["themes", "list"], tmp_path)
    assert THEME not in listed.stdout, listed.stdout


def test_an_imported_new_theme_keeps_the_slug_and_name_rules_of_themes_add(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[themes]]\nslug = "ok-theme"\nname = "Fine"\nquery = "Iran AND talks"\n\n'
        '[[themes]]\nslug = "a"\nname = "A"\nquery = "Iran AND talks"\n',
        encoding="utf-8",
    )
    refused = run_cli(["themes", "import", str(bad)], tmp_path)
    assert refused.returncode == 1
    assert "theme 'a': slug 'a' is 1 character long; use 2 to 40; nothing imported" in (
        refused.stderr
    )
    assert "ok-theme" not in run_cli(["themes", "list"], tmp_path).stdout
