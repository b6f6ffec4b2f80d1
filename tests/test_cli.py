"""The `policywatch` command as a user runs it: a real process, a real SQLite file."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.feeds import SEED_FEED, rss, seed_entries, split_seeds


def run_cli(
    args: list[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    stdin_text: str | None = None,
    stdin_bytes: bytes | None = None,
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    full_env.update(
        {
            "DATABASE_URL": f"sqlite:///{cwd}/pw.db",
            "LOG_LEVEL": "WARNING",
            "ALLOW_PRIVATE_FEEDS": "true",
        }
    )
    full_env.update(env or {})
    if stdin_text is not None:
        stdin_bytes = stdin_text.encode("utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=full_env,
        # as from a script: nobody can answer a confirmation (or a file piped in); the bytes
        # piped in need not be text (a file in another encoding)
        **({"input": stdin_bytes} if stdin_bytes is not None else {"stdin": subprocess.DEVNULL}),
        capture_output=True,
        timeout=timeout,
    )
    out, err = (b.decode("utf-8", "replace") for b in (done.stdout, done.stderr))
    return subprocess.CompletedProcess(done.args, done.returncode, out, err)


@pytest.fixture
def workdir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path


def test_match_flags_the_five_seed_articles_and_none_of_the_traps(workdir: Path) -> None:
    result = run_cli(["match", "--theme", "normalization-with-assad", str(SEED_FEED)], workdir)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    seeds, others = split_seeds(seed_entries())
    flagged = {line["title"] for line in lines if line["matched"]}
    assert flagged == {s.title for s in seeds}
    assert len(lines) == len(seeds) + len(others)
    first = next(line for line in lines if line["matched"])
    assert set(first) >= {"link", "title", "theme", "score", "matched", "reasons"}
    assert first["reasons"] and 0 <= first["score"] <= 100
    assert not (workdir / "pw.db").exists(), "a dry run stores nothing"


def test_match_reads_json_lines_of_items(workdir: Path) -> None:
    items = workdir / "items.jsonl"
    items.write_text(
        json.dumps(
            {
                "title": "US says it will not normalise relations with Syria's Assad",
                "summary": "Blinken told Safadi the US does not support others normalizing.",
                "published": "2023-05-05T08:00:00Z",
                "source": "x",
                "link": "https://x/1",
            }
        )
        + "\n"
        + json.dumps({"title": "Fed signals policy normalization", "summary": "rates"})
        + "\n"
    )
    result = run_cli(["match", str(items)], workdir)
    assert result.returncode == 0, result.stderr
    verdicts = [json.loads(line)["matched"] for line in result.stdout.splitlines()]
    assert verdicts == [True, False]

    # Undated, the same item is scored as of today, as a poll dates an undated entry by its
    # fetch: after the shipped theme's `until` (Assad's fall), so it no longer matches.
    undated = workdir / "undated.jsonl"
    undated.write_text(items.read_text().replace('"published": "2023-05-05T08:00:00Z", ', ""))
    result = run_cli(["match", str(undated)], workdir)
    assert [json.loads(line)["matched"] for line in result.stdout.splitlines()] == [False, False]

    # A date that is no date is refused with where it is; Unix seconds are a date.
    epoch = workdir / "epoch.jsonl"
    epoch.write_text(items.read_text().replace('"2023-05-05T08:00:00Z"', "1683273600"))
    result = run_cli(["match", str(epoch)], workdir)
    assert [json.loads(line)["matched"] for line in result.stdout.splitlines()] == [True, False]
    bad = workdir / "bad.jsonl"
    bad.write_text(items.read_text().replace('"2023-05-05T08:00:00Z"', '"garbage"'))
    result = run_cli(["match", str(bad)], workdir)
    assert result.returncode != 0 and "bad.jsonl:1: `published` 'garbage' is not a date" in (
        result.stderr
    )


def test_run_once_twice_alerts_each_new_item_once(workdir: Path) -> None:
    seeds, others = split_seeds(seed_entries())
    feed = workdir / "feed.xml"
    feed.write_bytes(rss(others))
    added = run_cli(["feeds", "add", "--allow-file", str(feed)], workdir)
    assert added.returncode == 0 and "a file: its articles are not fetched" in added.stdout
    assert "full text: off" in run_cli(["feeds", "list"], workdir).stdout
    first = run_cli(["run", "--once"], workdir)
    assert first.returncode == 0, first.stderr
    assert "[normalization-with-assad]" not in first.stdout  # nothing on theme yet

    feed.write_bytes(rss([*others, *seeds]))
    second = run_cli(["run", "--once"], workdir)
    assert second.returncode == 0, second.stderr
    alerts = second.stdout.count("[normalization-with-assad]")
    # five articles, six statements: 000 and 003 are one briefing; 001 reports three
    assert alerts == 6
    for seed in seeds:
        if "seed-003" not in seed.guid:
            assert seed.title in second.stdout

    third = run_cli(["run", "--once"], workdir)
    assert third.returncode == 0 and "[normalization-with-assad]" not in third.stdout
    listing = run_cli(["feeds", "list"], workdir)
    assert str(len(seeds) + len(others)) + " items" in listing.stdout


@contextmanager
def fast_and_slow_feeds(workdir: Path, entries: list[Any]) -> Iterator[Path]:
    """Two feeds added: a local file holding `entries` (yielded, to be rewritten) and one on
    tests/slowserver.py, whose answer never ends: a run is caught between the two."""
    fast = workdir / "a.xml"
    fast.write_bytes(rss(entries))
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.slowserver"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    try:
        assert server.stdout is not None
        slow_url = server.stdout.readline().strip()
        for url in (str(fast), slow_url):
            added = run_cli(["feeds", "add", "--no-check", "--allow-file", url], workdir)
            assert added.returncode == 0, added.stderr
        yield fast
    finally:
        server.terminate()
        server.wait(timeout=10)


def start_run_once(workdir: Path, log_level: str) -> subprocess.Popen[str]:
    """`policywatch run --once` in its own process, with a fetch deadline past the slow feed's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{workdir}/pw.db",
            "LOG_LEVEL": log_level,
            "ALLOW_PRIVATE_FEEDS": "true",
            "FETCH_TIMEOUT": "60",
        }
    )
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--once"],
        cwd=workdir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def signal_once_stored(
    proc: subprocess.Popen[str], workdir: Path, items: int, sig: signal.Signals
) -> tuple[str, str]:
    """Send `sig` once more than `items` items are stored (at most 60 s), then its output; the
    process is killed if it outlives the wait, so no test leaves it behind."""
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _items_stored(workdir) <= items:
            time.sleep(0.2)
        assert _items_stored(workdir) > items, "nothing was stored in time"
        proc.send_signal(sig)
        return proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def test_a_process_killed_mid_cycle_loses_nothing_and_repeats_nothing(workdir: Path) -> None:
    """The first feed's poll is committed, the kill lands during the second's slow fetch."""
    seeds, others = split_seeds(seed_entries())
    with fast_and_slow_feeds(workdir, others) as fast:
        first = run_cli(["run", "--once"], workdir, env={"FETCH_TIMEOUT": "2"})
        assert first.returncode == 0 and _items_stored(workdir) == len(others)
        fast.write_bytes(rss([*others, *seeds]))  # new on-theme items appear in feed a
        victim = start_run_once(workdir, "WARNING")
        killed_out, _ = signal_once_stored(victim, workdir, len(others), signal.SIGKILL)
        assert _items_stored(workdir) == len(others) + len(seeds), "feed a committed first"
        assert "[normalization-with-assad]" not in killed_out  # killed before delivering

        rerun = run_cli(["run", "--once"], workdir, env={"FETCH_TIMEOUT": "2"})
        assert rerun.returncode == 0, rerun.stderr
        assert rerun.stdout.count("[normalization-with-assad]") == 6
        final = run_cli(["run", "--once"], workdir, env={"FETCH_TIMEOUT": "2"})
        assert "[normalization-with-assad]" not in final.stdout


def _items_stored(workdir: Path) -> int:
    db = workdir / "pw.db"
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            (n,) = conn.execute("SELECT count(*) FROM items").fetchone()
    except sqlite3.Error:
        return 0
    return int(n)


def test_a_bad_setting_stops_start_up_with_a_message_naming_it(workdir: Path) -> None:
    result = run_cli(["run", "--once"], workdir, env={"POLL_INTERVAL": "soon"})
    assert result.returncode == 2
    assert "POLL_INTERVAL" in result.stderr and "number" in result.stderr
    assert "Traceback" not in result.stderr
    result = run_cli(["feeds", "list"], workdir, env={"DATABASE_URL": "mysql://db/x"})
    assert result.returncode == 2 and "DATABASE_URL" in result.stderr
    assert "sqlite" in result.stderr and "postgresql" in result.stderr
    result = run_cli(
        ["feeds", "list"], workdir, env={"MIN_POLL_INTERVAL": "1000", "MAX_POLL_INTERVAL": "10"}
    )
    assert result.returncode == 2 and "MIN_POLL_INTERVAL=1000 is above MAX_POLL_INTERVAL=10" in (
        result.stderr
    )


def test_an_unknown_theme_gets_one_line_naming_the_known_ones(workdir: Path) -> None:
    result = run_cli(["timeline", "normalisation-with-asad"], workdir)
    assert result.returncode == 0  # a close spelling is forgiven
    result = run_cli(["timeline", "iran-deal"], workdir)
    assert result.returncode == 1
    assert "no theme 'iran-deal'" in result.stderr and "normalization-with-assad" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    result = run_cli(["match", "--theme", "nope", str(SEED_FEED)], workdir)
    assert result.returncode == 1 and "no theme 'nope'" in result.stderr


def test_wrong_arguments_get_a_one_line_error_not_a_traceback(workdir: Path) -> None:
    for args in (["feeds"], ["timeline"], ["run", "--twice"], ["frobnicate"]):
        result = run_cli(args, workdir)
        assert result.returncode == 2, args
        assert "error:" in result.stderr and "Traceback" not in result.stderr
    # QA round 17: an empty --who said the theme had no statements; a chart into a missing
    # folder printed the timeline, then a raw errno
    for args, said in (
        (["--who", " "], "give a speaker, an office or a state"),
        (["--chart", str(workdir / "nowhere" / "x.png")], "there is no folder"),
    ):
        result = run_cli(["timeline", "normalization-with-assad", *args], workdir)
        assert result.returncode == 2 and said in result.stderr and not result.stdout, args
    # ... and `match --threshold -1` answered in /preview's words
    for args, said in (
        (["--threshold", "-1"], "give a whole number from 0 to 100"),
        (["--add", ""], "give some words"),
    ):
        result = run_cli(["match", "--theme", "assad", "--stored", "5", *args], workdir)
        assert result.returncode == 2 and said in result.stderr, args
    result = run_cli(["feeds", "add", "http://127.0.0.1:9/feed.xml"], workdir)
    assert result.returncode == 1 and "not added" in result.stderr and "--no-check" in result.stderr
    result = run_cli(["feeds", "add", "--no-check", "http://127.0.0.1:9/feed.xml"], workdir)
    assert result.returncode == 0
    result = run_cli(["feeds", "add", "ftp://example.org/feed"], workdir)
    assert result.returncode == 1 and "http(s)" in result.stderr
    result = run_cli(["feeds", "remove", "999", "--yes"], workdir)
    assert result.returncode == 1 and "no feed" in result.stderr


def test_feeds_and_themes_round_trip_through_opml_and_toml(workdir: Path) -> None:
    opml = workdir / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
        '<outline text="A" xmlUrl="https://a.example.org/rss"/>'
        '<outline text="B" xmlUrl="https://b.example.org/atom"/></body></opml>'
    )
    assert run_cli(["feeds", "import", str(opml)], workdir).returncode == 0  # not fetched
    exported = run_cli(["feeds", "export"], workdir).stdout
    assert "https://a.example.org/rss" in exported and "https://b.example.org/atom" in exported
    themes = run_cli(["themes", "export"], workdir).stdout
    assert "normalization-with-assad" in themes
    (workdir / "t.toml").write_text(themes.replace("normalization-with-assad", "copy-theme"))
    assert run_cli(["themes", "import", str(workdir / "t.toml")], workdir).returncode == 0
    listed = run_cli(["themes", "list"], workdir).stdout
    assert "copy-theme" in listed and "normalization-with-assad" in listed
    assert run_cli(["db", "upgrade"], workdir).returncode == 0


def test_the_console_answers_the_bots_commands_at_a_prompt(workdir: Path) -> None:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    full_env.update({"DATABASE_URL": f"sqlite:///{workdir}/pw.db", "LOG_LEVEL": "WARNING"})
    typed = "/help\n/themes\n/timeline normalisation with assad\n/subscribe nope\n/quit\n"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=workdir,
        env=full_env,
        input=typed,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "No feeds yet" in out
    assert "/feeds" in out  # the console operator is an admin
    assert "Normalization with Assad" in out
    assert "Timeline: normalization-with-assad" in out
    assert "No theme" in out and "<b>" not in out


def test_the_seed_timeline_has_each_statement_dated_when_it_was_made(workdir: Path) -> None:
    assert run_cli(["feeds", "add", "--allow-file", str(SEED_FEED)], workdir).returncode == 0
    assert run_cli(["run", "--once"], workdir).returncode == 0
    result = run_cli(["timeline", "normalization-with-assad", "--format", "json"], workdir)
    assert result.returncode == 0, result.stderr
    events = json.loads(result.stdout)
    # The US statements of the five seed articles, each on the day it was made...
    us = [e for e in events if e["actor"] == "United States"]
    assert [e["date"] for e in us] == ["2022-08-25", "2023-01-03", "2023-01-12", "2023-05-04"]
    assert [e["stance"] for e in us] == ["opposes"] * 4
    assert us[0]["speaker"] is None and us[0]["office"] == "State Department spokesperson"
    assert us[1]["speaker"] == "Ned Price" and len(us[1]["items"]) == 2
    assert us[2]["speaker"] == "Ned Price"
    assert us[3]["speaker"] == "Antony Blinken"
    assert all(e["quote"] for e in us)
    for event in us:  # each outlet published a day or more after the statement
        assert all(item["published"][:10] > event["date"] for item in event["items"])
    # ...and Turkey's, reported in seed 001 beside Price's answer to them: rows of their own.
    turkey = [e for e in events if e["actor"] == "Turkey"]
    assert {e["speaker"] for e in turkey} == {"Recep Tayyip Erdoğan", "Mevlüt Çavuşoğlu"}
    assert all(e["stance"] == "supports" for e in turkey)
    csv_out = run_cli(
        [
            "timeline",
            "normalization-with-assad",
            "--format",
            "csv",
            "--who",
            "price",
            "--chart",
            str(workdir / "t.png"),
        ],
        workdir,
    )
    assert csv_out.returncode == 0
    assert csv_out.stdout.count("Ned Price") == 2 and "Blinken" not in csv_out.stdout
    assert (workdir / "t.png").read_bytes()[:4] == b"\x89PNG"
    # The seeds quote officials only: leaving commentators out keeps every row, and a filter
    # that selects nothing says so and how to see them all.
    officials = run_cli(["timeline", "assad", "--role", "official", "--format", "json"], workdir)
    assert len(json.loads(officials.stdout)) == len(events)
    nobody = run_cli(["timeline", "assad", "--role", "commentator", "--since", "2023"], workdir)
    assert "no statement matches 2023 role:commentator" in nobody.stdout
    assert "`policywatch timeline normalization-with-assad` shows them all" in nobody.stdout

    what_if = run_cli(
        [
            "match",
            "--theme",
            "normalization-with-assad",
            "--stored",
            "100",
            "--threshold",
            "100",
            "--matched-only",
        ],
        workdir,
    )
    assert what_if.returncode == 0, what_if.stderr
    lines = [json.loads(line) for line in what_if.stdout.splitlines()]
    assert len(lines) == 5 and all(line["matched_before"] for line in lines)
    assert "threshold 100" in what_if.stderr and "would match" in what_if.stderr


def test_the_console_quits_cleanly_after_polling_while_waiting_for_input(workdir: Path) -> None:
    """A poll parses in a worker process while the prompt waits in readline: /quit must end it
    (a forked worker once deadlocked on the stdin lock and the process never exited)."""
    assert run_cli(["feeds", "add", "--allow-file", str(SEED_FEED)], workdir).returncode == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env.update({"DATABASE_URL": f"sqlite:///{workdir}/pw.db", "LOG_LEVEL": "WARNING"})
    console = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=workdir,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _items_stored(workdir) == 0:
            time.sleep(0.2)  # the first tick polls the feed while stdin is idle
        assert _items_stored(workdir) > 0
        out, _ = console.communicate("/timeline normalization-with-assad\n/quit\n", timeout=30)
    finally:
        if console.poll() is None:
            console.kill()
            console.wait(timeout=10)
    assert console.returncode == 0
    assert " of 6" in out and "events " in out  # six statements (tests/test_pipeline.py)


def test_a_script_piped_into_the_console_ends_it_at_its_end(workdir: Path) -> None:
    """No /quit at the end: the end of the piped commands stops the console as at a terminal
    (QA: it kept running until killed)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env.update({"DATABASE_URL": f"sqlite:///{workdir}/pw.db", "LOG_LEVEL": "WARNING"})
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=workdir,
        env=env,
        input="/themes\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Normalization with Assad" in done.stdout


def test_a_console_asked_to_stop_by_a_signal_gives_its_role_back_and_exits_cleanly(
    workdir: Path,
) -> None:
    """SIGTERM (a service manager, a container's stop) while polling and waiting for input:
    the process ends at once with 0, its sender lease given back and its workers stopped."""
    assert run_cli(["feeds", "add", "--allow-file", str(SEED_FEED)], workdir).returncode == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env.update({"DATABASE_URL": f"sqlite:///{workdir}/pw.db", "LOG_LEVEL": "INFO"})
    console = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=workdir,
        env=env,
        stdin=subprocess.PIPE,  # open and silent: readline waits in its thread
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, err = signal_once_stored(console, workdir, 0, signal.SIGTERM)
    assert console.returncode == 0, err
    assert "stopping on a signal" in err
    assert "leaked" not in err and "Traceback" not in err
    with sqlite3.connect(workdir / "pw.db") as db:
        assert db.execute("SELECT count(*) FROM role_leases").fetchone() == (0,)


def test_themes_add_with_a_query_then_show_export_and_import_it(workdir: Path) -> None:
    query = (
        '(Chile OR Santiago) AND (lithium OR copper) AND ("state company" OR nationali*) NOT Peru'
    )
    bad = run_cli(["themes", "add", "mines", "Mines", "--query", "mines AND (ores"], workdir)
    assert bad.returncode == 1
    assert "query: at column 16: expected ')' to close the '(' at column 11" in bad.stderr
    added = run_cli(["themes", "add", "mines", "Chile's mines", "--query", query], workdir)
    assert added.returncode == 0, added.stderr
    assert "all of: Chile: Chile OR Santiago; lithium: lithium OR copper" in added.stdout
    assert "what each prefix takes in the newest 0 stored items" in added.stdout
    assert "• nationali* nothing yet" in added.stdout
    shown = run_cli(["themes", "show", "mines"], workdir)
    assert f"query = {json.dumps(query)}" in shown.stdout
    assert run_cli(["themes", "add", "mines", "Again"], workdir).returncode == 1
    exported = run_cli(["themes", "export", str(workdir / "t.toml")], workdir)
    assert exported.returncode == 0, exported.stderr
    imported = run_cli(["themes", "import", str(workdir / "t.toml")], workdir)
    assert "unchanged theme mines (version 1)" in imported.stdout, imported.stderr
    assert run_cli(["themes", "show", "mines"], workdir).stdout == shown.stdout
    edited = (workdir / "t.toml").read_text().replace("threshold = 50", "threshold = 55", 1)
    imported = run_cli(["themes", "import", "-"], workdir, stdin_text=edited)  # piped in
    assert "replaced theme mines (version 2)" in imported.stdout, imported.stderr
    items = workdir / "items.jsonl"
    rows = [
        {"title": "Santiago plans a state company for lithium", "summary": "", "link": "a"},
        {"title": "Santiago plans a state company for lithium", "summary": "Peru", "link": "b"},
    ]
    items.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    dry = run_cli(["match", "--theme", "mines", "--query", query, str(items)], workdir)
    assert [json.loads(line)["matched"] for line in dry.stdout.splitlines()] == [True, False]
    # A query tried out under a name no theme has yet: the dry run before `themes add`.
    new = run_cli(["match", "--theme", "salt-flats", "--query", query, str(items)], workdir)
    assert new.returncode == 0, new.stderr
    assert [json.loads(line)["theme"] for line in new.stdout.splitlines()] == ["salt-flats"] * 2
    assert [json.loads(line)["matched"] for line in new.stdout.splitlines()] == [True, False]
    assert "note: no theme 'salt-flats': the query is tried as a new theme" in new.stderr
    wrong = run_cli(["match", "--theme", "mines", "--query", "mines AND", str(items)], workdir)
    assert (
        wrong.returncode == 1 and "at column 10" in wrong.stderr and "Traceback" not in wrong.stderr
    )
    blank = run_cli(["themes", "add", "rice", "Rice"], workdir)
    assert blank.returncode == 0 and "added theme rice" in blank.stdout


def test_a_local_file_is_a_feed_only_with_allow_file(workdir: Path) -> None:
    feed = workdir / "feed.xml"
    feed.write_bytes(rss(seed_entries()[:2]))
    refused = run_cli(["feeds", "add", str(feed)], workdir)
    assert refused.returncode == 1 and "--allow-file" in refused.stderr
    refused = run_cli(["feeds", "add", "--no-check", feed.as_uri()], workdir)
    assert refused.returncode == 1 and "--allow-file" in refused.stderr
    assert "no feeds yet" in run_cli(["feeds", "list"], workdir).stdout
    added = run_cli(["feeds", "add", "--allow-file", str(feed)], workdir)
    assert added.returncode == 0 and feed.as_uri() in added.stdout


def test_an_opml_import_skips_file_feeds_unless_allowed(workdir: Path) -> None:
    local = workdir / "local.xml"
    local.write_bytes(rss(seed_entries()[:1]))
    opml = workdir / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
        '<outline text="A" xmlUrl="HTTPS://a.example.org/rss"/>'
        f'<outline text="Local" xmlUrl="{local.as_uri()}"/>'
        f'<outline text="Gone" xmlUrl="{(workdir / "gone.xml").as_uri()}"/></body></opml>'
    )
    result = run_cli(["feeds", "import", str(opml)], workdir)
    assert result.returncode == 0 and "imported 1 feed, skipped 2" in result.stdout
    assert result.stderr.count("--allow-file") == 2
    assert "add --allow-file to `feeds import`" in result.stderr  # the import's own flag
    listed = run_cli(["feeds", "list"], workdir).stdout
    assert "https://a.example.org/rss" in listed and "file:" not in listed  # scheme lower-cased
    result = run_cli(["feeds", "import", "--allow-file", str(opml)], workdir)
    assert f"added feed 2: {local.as_uri()}" in result.stdout  # the operator allowed files
    assert "no such file" in result.stderr and "imported 1 feed, skipped 2" in result.stdout
    missing = run_cli(["feeds", "import", str(workdir / "nope.opml")], workdir)
    assert missing.returncode != 0 and "cannot read" in missing.stderr
    assert "nope.opml" in missing.stderr and "Traceback" not in missing.stderr


def test_run_once_stopped_by_a_signal_keeps_what_it_stored_and_says_so(workdir: Path) -> None:
    """SIGTERM during `run --once` (cron's job killed, Ctrl-C): the feed polled before it is
    kept, the process says what was left undone and ends with 143, as a shell reports a
    process SIGTERM ended, with its workers stopped and its sender role given back."""
    _, others = split_seeds(seed_entries())
    with fast_and_slow_feeds(workdir, others):
        once = start_run_once(workdir, "INFO")
        out, err = signal_once_stored(once, workdir, len(others) - 1, signal.SIGTERM)
    assert once.returncode == 143, err
    assert "stopped by SIGTERM before the cycle finished" in out
    assert "run again to finish" in out
    assert "leaked" not in err and "Traceback" not in err
    assert _items_stored(workdir) == len(others)
    with sqlite3.connect(workdir / "pw.db") as db:
        assert db.execute("SELECT count(*) FROM role_leases").fetchone() == (0,)


def test_db_upgrade_says_whether_it_created_migrated_or_found_the_schema(workdir: Path) -> None:
    first = run_cli(["db", "upgrade"], workdir)
    assert first.returncode == 0, first.stderr
    assert "created every table: the database is at schema" in first.stdout
    again = run_cli(["db", "upgrade"], workdir)
    assert "database is up to date (schema" in again.stdout


def test_a_watcher_polls_while_the_bot_api_cannot_be_reached(workdir: Path) -> None:
    # A watcher never talks to Telegram: an unreachable Bot API does not stop it polling;
    # the sender role still needs it and says so.
    assert run_cli(["feeds", "add", "--allow-file", str(SEED_FEED)], workdir).returncode == 0
    env = {
        "TELEGRAM_BOT_TOKEN": "123456:TEST-TOKEN-abc",
        "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot",  # nothing listens there
    }
    watcher = run_cli(["run", "--once", "--role", "watcher"], workdir, env=env)
    assert watcher.returncode == 0, watcher.stderr
    assert "polled 1 feed" in watcher.stdout
    sender = run_cli(["run", "--once", "--role", "sender"], workdir, env=env)
    assert sender.returncode == 2 and "cannot reach the Telegram Bot API" in sender.stderr
