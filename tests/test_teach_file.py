"""A teach file is read as a poll reads a feed: its titles and summaries are cut to the same
lengths, so a label is scored as the item would be and a pasted page cannot flood the store."""

from __future__ import annotations

import json
from pathlib import Path

from bot.app.teaching import read_teach_file
from watchers.parse.feed import SUMMARY_LIMIT, TITLE_LIMIT


def test_a_label_is_cut_as_a_polled_item_is(tmp_path: Path) -> None:
    path = tmp_path / "labels.jsonl"
    path.write_text(
        json.dumps({"title": "Iran " * 50_000, "summary": "talks " * 50_000, "relevant": True})
        + "\n",
        encoding="utf-8",
    )
    (row,) = read_teach_file(path)
    assert len(row.title) == TITLE_LIMIT and len(row.summary) == SUMMARY_LIMIT


def test_a_field_that_is_not_text_is_refused_with_its_line(tmp_path: Path) -> None:
    import pytest

    from bot.app.errors import UsageError

    path = tmp_path / "labels.jsonl"
    path.write_text(json.dumps({"title": 5, "relevant": True}) + "\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"line 1: `title` must be text, not 5"):
        read_teach_file(path)
