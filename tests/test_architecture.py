"""The package layout of DESIGN.md holds: who may import whom, checked by import-linter."""

from __future__ import annotations

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def test_only_bot_reads_the_environment_or_the_clock() -> None:
    offenders = []
    for package in ("matcher", "watchers", "store"):
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for needle in (
                "os.environ",
                "getenv(",
                "datetime.now(",
                "datetime.utcnow(",
                "time.time(",
            ):
                if needle in text:
                    offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    assert offenders == []
