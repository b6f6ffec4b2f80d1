"""`policywatch themes teach|example|learn|labels|unlabel` as a user runs them: real processes,
a real SQLite file, labelled items and an article written for the test."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import run_cli

QUERY = "(Arland OR Arlandian) AND (Borovia OR Borovian) AND (ferry OR port)"


def _teach_file(path: Path, n: int = 16) -> Path:
    on = ["agree to resume", "hold talks on restoring", "sign a deal to reopen"]
    off = ["cancel sailings as a storm hits", "report a fire aboard", "face a strike on"]
    with path.open("w", encoding="utf-8") as f:
        for k in range(n):
            good = k % 2 == 0
            verb = (on if good else off)[k % 3]
            tail = "Envoys spoke of thawing ties." if good else "Passengers were stranded."
            row = {
                "title": f"Arland and Borovia {verb} the ferry link",
                "summary": f"Report {k}. {tail}",
                "published": "2026-03-01",
                "source": "Example Wire",
                "link": f"https://news.example/{k}",
                "relevant": good,
            }
            f.write(json.dumps(row) + "\n")
    return path


def test_teach_a_theme_from_a_file_then_take_a_label_back(tmp_path: Path) -> None:
    added = run_cli(["themes", "add", "ferry", "Arland-Borovia ferry", "--query", QUERY], tmp_path)
    assert added.returncode == 0, added.stderr
    taught = run_cli(["themes", "teach", "ferry", str(_teach_file(tmp_path / "t.jsonl"))], tmp_path)
    assert taught.returncode == 0, taught.stderr
    assert (
        "8 labelled relevant, 8 not relevant; the model is on. Labelled items: of 8 marked "
        "relevant, 8 match now and 8 would; of 8 marked not relevant, 8 match now and 0 would."
    ) in taught.stdout
    shown = run_cli(["themes", "show", "ferry"], tmp_path)
    assert "learned = " in shown.stdout

    listed = run_cli(["themes", "labels", "ferry"], tmp_path)
    assert "16 taught labels" in listed.stdout
    back = run_cli(["themes", "unlabel", "ferry", "1", "2"], tmp_path)
    assert back.returncode == 0, back.stderr
    assert "7 labelled relevant, 7 not relevant" in back.stdout
    relearn = run_cli(["themes", "learn", "ferry"], tmp_path)
    assert "the model is on" in relearn.stdout


def test_a_teach_file_with_a_bad_line_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    run_cli(["themes", "add", "ferry", "Arland-Borovia ferry", "--query", QUERY], tmp_path)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "Ferry talks", "relevant": true}\n{"title": "No label"}\n')
    result = run_cli(["themes", "teach", "ferry", str(bad)], tmp_path)
    assert result.returncode == 1
    assert "bad.jsonl line 2: `relevant` (true or false) is missing" in result.stderr
    listed = run_cli(["themes", "labels", "ferry"], tmp_path)
    assert "0 taught labels" in listed.stdout


def test_an_example_file_becomes_an_exemplar_and_a_query_is_proposed(tmp_path: Path) -> None:
    run_cli(["themes", "add", "ties", "Arland and Borovia ties"], tmp_path)
    page = tmp_path / "article.html"
    page.write_text(
        "<html><head><title>Envoy named</title></head><body><nav>Home | Subscribe</nav>"
        "<article><h1>Arland names envoy to Borovia</h1><p>Arland named an ambassador to "
        "Borovia on Tuesday, a sign that the two states will restore diplomatic ties, "
        "officials said.</p><p>Arland and Borovia cut ties a decade ago.</p></article>"
        "</body></html>",
        encoding="utf-8",
    )
    result = run_cli(["themes", "example", "ties", str(page)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "example: Arland names envoy to Borovia" in result.stdout
    assert "proposed query" in result.stdout and "Arland" in result.stdout
    shown = run_cli(["themes", "show", "ties"], tmp_path)
    assert "Arland named an ambassador to Borovia" in shown.stdout
    again = run_cli(["themes", "example", "ties", str(page)], tmp_path)
    assert again.returncode == 1 and "has this example already" in again.stderr
    nowhere = run_cli(["themes", "example", "ties", "no/such/file.html"], tmp_path)
    assert "neither an http(s) URL nor a readable file" in nowhere.stderr


def test_importing_a_theme_file_without_a_model_over_a_taught_theme_fits_its_labels_again(
    tmp_path: Path,
) -> None:
    run_cli(["themes", "add", "ferry", "Arland-Borovia ferry", "--query", QUERY], tmp_path)
    exported = run_cli(["themes", "export", str(tmp_path / "before.toml")], tmp_path)
    assert exported.returncode == 0, exported.stderr
    run_cli(["themes", "teach", "ferry", str(_teach_file(tmp_path / "t.jsonl"))], tmp_path)

    imported = run_cli(["themes", "import", str(tmp_path / "before.toml")], tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert "its 16 stored labels were fitted again (model on)" in imported.stdout
    assert "learned = " in run_cli(["themes", "show", "ferry"], tmp_path).stdout
