"""How fast statements are read from real text, beside another checkout of the code, same run.

`extract_statements` runs on every matched item in a parse worker, on every article fetched
for a thin item, and on every item a theme change re-matches; its regular expressions were a
sixth of a worker's CPU in the poll benchmark. This times it over real text you pass (feed
files as sites serve them, JSON Lines items with title, summary and published, plain-text
articles whose first line is the headline), five rounds, best CPU time kept, and with
`--baseline-tree DIR` (a `git worktree` of an older commit) the same texts through that
tree's code in a child process, then says whether both gave the same statements.

Run from the repo root:
    python benchmarks/statements_speed.py --text FEEDS_DIR ITEMS.jsonl ARTICLES_DIR \
        [--baseline-tree /tmp/wt-base]
(the figures in the README used the shared folder's real feeds, relevance items and seeds)
Prints figures, then one JSON line; asserts nothing; never run by the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
Text = tuple[str, str, datetime]
FALLBACK_DAY = datetime(2024, 1, 1, tzinfo=UTC)


def _feed_texts(path: Path) -> list[Text]:
    from watchers.parse.feed import parse_feed

    data = parse_feed(
        path.read_bytes(),
        url=f"file://{path}",
        fetched_at=datetime.now(UTC),
        content_type=None,
        max_entries=10_000,
        previous=None,
    )
    return [(e.title, f"{e.title}\n{e.summary}", e.published or FALLBACK_DAY) for e in data.entries]


def _jsonl_texts(path: Path) -> list[Text]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        published = FALLBACK_DAY
        if row.get("published"):
            published = datetime.fromisoformat(row["published"].replace("Z", "+00:00"))
            published = published if published.tzinfo else published.replace(tzinfo=UTC)
        title = row.get("title", "")
        out.append((title, row.get("text") or f"{title}\n{row.get('summary', '')}", published))
    return out


def gather(paths: list[Path]) -> list[Text]:
    """Every text under the paths: *.xml / *.rss / *.atom feeds, *.jsonl items, *.txt articles."""
    files: list[Path] = []
    for p in paths:
        files += sorted(p.rglob("*")) if p.is_dir() else [p]
    texts: list[Text] = []
    for f in files:
        if f.suffix in (".xml", ".rss", ".atom"):
            texts += _feed_texts(f)
        elif f.suffix == ".jsonl":
            texts += _jsonl_texts(f)
        elif f.suffix == ".txt" and f.name.lower() != "readme.txt":
            body = f.read_text(encoding="utf-8", errors="replace")
            texts.append((body.split("\n", 1)[0], body, FALLBACK_DAY))
    return texts


def measure(texts: list[Text], rounds: int) -> tuple[float, list[Any]]:
    """Best CPU seconds of `rounds` passes over the texts, and the statements of the last."""
    from matcher import extract_statements

    best, found = float("inf"), []
    for _ in range(rounds):
        start = time.process_time()
        found = [extract_statements(title, text, published) for title, text, published in texts]
        best = min(best, time.process_time() - start)
    return best, [[repr(s) for s in statements] for statements in found]


def _child(texts_file: str, out_file: str, rounds: int) -> None:
    texts = pickle.loads(Path(texts_file).read_bytes())
    Path(out_file).write_bytes(pickle.dumps(measure(texts, rounds)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--text", type=Path, nargs="+", help="feed files, items, articles, or folders")
    ap.add_argument("--baseline-tree", type=Path, help="another checkout to time beside this one")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument(
        "--show", action="store_true", help="print the texts read differently, both ways"
    )
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    rounds = max(1, min(args.rounds, 50))
    if args.child:
        _child(args.child[0], args.child[1], rounds)
        return
    if not args.text:
        raise SystemExit("pass --text PATH ... (feed files, JSON Lines items or folders)")
    sys.path.insert(0, str(ROOT))
    texts = gather(args.text)
    if not texts:
        raise SystemExit("no texts found under the paths given")
    chars = sum(len(t) for _, t, _ in texts)
    print(f"statements speed: {len(texts):,} texts, {chars:,} characters, best of {rounds}")
    result: dict[str, Any] = {"texts": len(texts), "chars": chars}
    runs = [("this tree", ROOT)] + (
        [("baseline", args.baseline_tree)] if args.baseline_tree else []
    )
    outputs: dict[str, list[Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        texts_file = Path(tmp) / "texts.pickle"
        texts_file.write_bytes(pickle.dumps(texts))
        for label, tree in runs:
            out_file = Path(tmp) / "out.pickle"
            # Each tree in its own process, so neither imports the other's matcher.
            subprocess.run(
                [
                    sys.executable,
                    str(Path(__file__).resolve()),
                    "--rounds",
                    str(rounds),
                    "--child",
                    str(texts_file),
                    str(out_file),
                ],
                cwd=tree,
                env={**os.environ, "PYTHONPATH": str(tree)},
                check=True,
            )
            seconds, found = pickle.loads(out_file.read_bytes())
            outputs[label] = found
            per = seconds / len(texts) * 1000
            print(f"  {label:10} {seconds:6.2f} s CPU, {per:.2f} ms a text ({tree})")
            key = "this" if label == "this tree" else "baseline"
            result[f"{key}_s"] = round(seconds, 3)
            result[f"{key}_ms_per_text"] = round(per, 3)
    if "baseline" in outputs:
        pairs = list(zip(outputs["this tree"], outputs["baseline"], strict=True))
        differ = sum(a != b for a, b in pairs)
        if args.show:
            for (name, text, _), (a, b) in zip(texts, pairs, strict=True):
                if a != b:
                    print(f"  differs: {name}: {text.splitlines()[0][:100]}")
                    print(f"    this tree: {a}\n    baseline:  {b}")
        speedup = result["baseline_s"] / result["this_s"] if result["this_s"] else 0.0
        print(f"  speed-up x{speedup:.2f}; texts whose statements differ: {differ}")
        result.update(speedup=round(speedup, 2), texts_differing=differ)
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
