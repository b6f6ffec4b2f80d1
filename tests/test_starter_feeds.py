"""The starter feeds shipped with the shipped theme: a valid OPML of real outlets' feeds, which
`policywatch feeds import --starter` adds without fetching anything, and which a first
`policywatch run` with no feeds offers in one line.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from defusedxml import ElementTree as SafeET

from bot.app.firstrun import starter_offer
from tests.test_cli import run_cli
from watchers.fetch.feedurl import check_feed_url
from watchers.parse.opml import STARTER_THEME, read_opml, starter_feeds, starter_opml

OPML = Path(__file__).parent.parent / "watchers" / "starter" / f"{STARTER_THEME}.opml"


def test_the_starter_file_is_valid_opml_of_https_feeds() -> None:
    root = SafeET.fromstring(starter_opml())
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.find("head/title") is not None and root.find("body") is not None
    feeds = starter_feeds()
    assert len(feeds) >= 12
    assert len({url for url, _ in feeds}) == len(feeds), "no feed twice"
    for url, title in feeds:
        assert urlsplit(url).scheme in ("http", "https"), url
        assert check_feed_url(url, allow_files=False) == url
        assert title, f"{url} has a name to show in /feeds"


def test_every_starter_feed_says_where_its_url_was_confirmed() -> None:
    text = OPML.read_text(encoding="utf-8")
    blocks = re.findall(r"<!--(.*?)-->\s*<outline[^>]*xmlUrl=", text, flags=re.S)
    assert len(blocks) == len(starter_feeds())
    assert all("Confirmed:" in b for b in blocks)


def test_the_package_copy_is_the_file_in_the_repository() -> None:
    assert starter_opml() == OPML.read_bytes()
    assert read_opml(OPML.read_bytes()) == starter_feeds()


def test_import_starter_adds_every_feed_without_fetching_any(tmp_path: Path) -> None:
    result = run_cli(["feeds", "import", "--starter"], tmp_path)
    assert result.returncode == 0, result.stderr
    feeds = starter_feeds()
    assert f"imported {len(feeds)} feeds, skipped 0" in result.stdout
    assert "None was fetched yet" in result.stdout

    listing = run_cli(["feeds", "list"], tmp_path)
    for url, _ in feeds:
        assert url in listing.stdout
    assert listing.stdout.count("last poll never") == len(feeds), "import fetched nothing"

    again = run_cli(["feeds", "import", "--starter"], tmp_path)
    assert again.returncode == 0 and "imported 0 feeds, skipped 17" in again.stdout


def test_a_first_run_with_no_feeds_offers_the_starter_feeds(tmp_path: Path) -> None:
    result = run_cli(["run", "--once"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == starter_offer()
    assert "policywatch feeds import --starter" in result.stdout


def test_an_opml_without_feeds_says_so(tmp_path: Path) -> None:
    empty = tmp_path / "empty.opml"
    empty.write_text('<opml version="2.0"><head/><body><outline text="folder"/></body></opml>')
    result = run_cli(["feeds", "import", str(empty)], tmp_path)
    assert result.returncode == 1
    assert "found no feeds" in result.stderr and "nothing imported" in result.stderr


def test_import_wants_a_file_or_starter(tmp_path: Path) -> None:
    result = run_cli(["feeds", "import"], tmp_path)
    assert result.returncode == 1 and "--starter" in result.stderr


def test_a_fragment_names_no_other_feed() -> None:
    """QA round 17: `a.xml#frag` was added beside `a.xml`; the fragment is never sent."""
    url = "https://news.example/a.xml"
    assert check_feed_url(f"{url}#frag", allow_files=False) == url
    assert check_feed_url("HTTPS://news.example/a.xml?x=1#", allow_files=False) == (
        "https://news.example/a.xml?x=1"
    )
