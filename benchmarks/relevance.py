"""Precision, recall and F1 of a theme on labelled items, beside keyword baselines.

Run from the repo root:
  python benchmarks/relevance.py [--errors] [--split tune|check]       the devset (tests/data)
  python benchmarks/relevance.py --data PATH [--theme SLUG] [--query "..."] [--errors]
                                 [--split tune|held] [--teach-half]

With --data: any labelled JSON Lines file (title, summary, published, source, link, and either
`label` 2/1/0, 2 positive, or `relevant` true/false). The items are split for good by a hash of
their id (else link, else title) into a "tune" half and a "held" half, printed apart, so a
theme can be tuned on one half and measured on the other. The baseline is the same theme read
as plain substrings (each required group: any of its terms, as written, in the text). The
last line is JSON with every figure. The theme is a shipped one (--theme, default the first),
or a query written on the command line (--query), or from --themes-file.

--teach-half: the theme is taught with the labels of the tune half (matcher.teach, as
`policywatch themes teach` does) and measured on the held half, beside the untaught theme.

Devset mode: positive = label "on". Of the first 205 items (written before any tuning) the
odd-numbered were used to tune the theme and the even-numbered held back ("check"); dev-206 on were
written after tuning and measured once before two generic fixes ("fresh"); dev-246 on were
written after every change ("fresh2"). "check" and "fresh2" are the honest lines.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.labelled import (  # noqa: E402
    Figures,
    is_positive,
    item_of,
    split_half,
    substring_verdict,
)
from matcher import ItemText, Scorer, Theme, load_themes_toml, shipped_themes_toml  # noqa: E402
from matcher.teach import Label, with_labels  # noqa: E402
from matcher.themes import with_query  # noqa: E402

DEVSET = ROOT / "tests" / "data" / "devset.jsonl"
SLUG = "normalization-with-assad"

# A careful hand-written filter: a Syria word and a relations word in the same item.
_SYRIA = re.compile(r"\b(assad|al-assad|syria|syrian|damascus)\b", re.I)
_RELATION = re.compile(
    r"\b(normali[sz]\w*|rapprochement|restor\w* (diplomatic )?(ties|relations)|"
    r"re-?establish\w* (ties|relations)|upgrad\w* (ties|relations)|reopen\w* (its )?embass\w*|"
    r"ambassador|arab league|rehabilitat\w*|arab fold)\b",
    re.I,
)


def load() -> list[dict[str, str]]:
    with DEVSET.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


FIRST_FRESH = 206
FIRST_FRESH2 = 246


def split_of(row: dict[str, str]) -> str:
    number = int(row["id"].split("-")[1])
    if number >= FIRST_FRESH2:
        return "fresh2"
    if number >= FIRST_FRESH:
        return "fresh"
    return "tune" if number % 2 else "check"


def measure(rows: list[dict[str, str]], predict: Callable[[dict[str, str]], bool]) -> str:
    tp = fp = fn = 0
    for r in rows:
        got, want = predict(r), r["label"] == "on"
        tp += got and want
        fp += got and not want
        fn += want and not got
    p = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
    return f"P={p:.3f} R={rc:.3f} F1={f1:.3f} (tp={tp} fp={fp} fn={fn})"


def _theme(args: argparse.Namespace) -> Theme:
    if args.query is not None:
        blank = Theme(args.theme or "query", args.theme or "query", "", args.threshold or 50, ())
        return with_query(blank, args.query)
    text = (
        Path(args.themes_file).read_text(encoding="utf-8")
        if args.themes_file
        else shipped_themes_toml()
    )
    themes = load_themes_toml(text)
    slug = args.theme or themes[0].slug
    theme = next((t for t in themes if t.slug == slug), None)
    if theme is None:
        sys.exit(f"no theme {slug!r}; known: {', '.join(t.slug for t in themes)}")
    return theme


def run_data(args: argparse.Namespace) -> None:
    """Figures on a labelled JSON Lines file, by half, beside the substring baseline."""
    path = Path(args.data)
    with path.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    theme = _theme(args)
    scorer = Scorer([theme])
    figures: dict[str, dict[str, Figures]] = {
        name: {part: Figures() for part in ("all", "tune", "held")}
        for name in ("matcher", "substring")
    }
    mistakes = []
    for r in rows:
        want, half = is_positive(r), split_half(r)
        result = scorer.score_one(item_of(r), theme.slug)
        base = substring_verdict(theme, r)
        for part in ("all", half):
            figures["matcher"][part].add(result.matched, want)
            figures["substring"][part].add(base, want)
        if result.matched != want and (args.split in (None, half)):
            kind = "FP" if result.matched else "FN"
            mistakes.append(f"{kind} {half} {result.score:3d} {r['title'][:80]} | {result.brief()}")
    positives = sum(is_positive(r) for r in rows)
    print(f"{path.name}: {len(rows)} items, {positives} positive; theme {theme.slug}")
    if theme.query:
        print(f"query: {theme.query}")
    for name, parts in figures.items():
        for part, fig in parts.items():
            print(f"{name:10s} {part:5s} {fig}")
    if args.errors:
        print("\n".join(mistakes))
    out = {
        "data": path.name,
        "theme": theme.slug,
        "query": theme.query,
        "items": len(rows),
        "positives": positives,
        **{
            name: {part: fig.as_dict() for part, fig in parts.items()}
            for name, parts in figures.items()
        },
    }
    if args.teach_half:
        out["taught"] = teach_half(theme, rows, args.errors)
    print(json.dumps(out))


def teach_half(theme: Theme, rows: list[dict[str, object]], errors: bool) -> dict[str, object]:
    """Teach the theme with the tune half's labels; figures of both versions on the held half."""
    labels = [Label(item_of(r), is_positive(r)) for r in rows if split_half(r) == "tune"]
    taught, report = with_labels(theme, labels)
    held = [r for r in rows if split_half(r) == "held"]
    before, after = Scorer([theme]), Scorer([taught])
    figs = {"untaught": Figures(), "taught": Figures()}
    for r in held:
        want = is_positive(r)
        got = after.score_one(item_of(r), theme.slug)
        figs["untaught"].add(before.score_one(item_of(r), theme.slug).matched, want)
        figs["taught"].add(got.matched, want)
        if errors and got.matched != want:
            kind = "FP" if got.matched else "FN"
            print(f"taught {kind} {got.score:3d} {str(r['title'])[:80]} | {got.brief()}")
    print(
        f"taught on the tune half: {report.relevant} relevant, {report.not_relevant} not "
        f"({report.used_relevant} + {report.used_not} within reach); model "
        f"{'on' if report.active else 'off: ' + report.needs()}"
    )
    for name, fig in figs.items():
        print(f"{name:10s} held  {fig}")
    return {name: fig.as_dict() for name, fig in figs.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", action="store_true", help="list the matcher's mistakes")
    ap.add_argument(
        "--split",
        choices=["tune", "check", "fresh", "fresh2", "held"],
        help="errors of one split",
    )
    ap.add_argument("--data", metavar="PATH", help="a labelled JSON Lines file")
    ap.add_argument("--theme", metavar="SLUG", help="the theme to measure (with --data)")
    ap.add_argument("--query", metavar="QUERY", help="measure this Boolean query instead")
    ap.add_argument("--themes-file", metavar="FILE.toml", help="themes instead of the shipped")
    ap.add_argument(
        "--teach-half",
        action="store_true",
        help="teach the theme with the tune half, measure taught and untaught on the held half",
    )
    ap.add_argument("--threshold", type=int, metavar="N", help="threshold of a --query theme")
    args = ap.parse_args()
    if args.data:
        run_data(args)
        return
    rows = load()
    scorer = Scorer(load_themes_toml(shipped_themes_toml()))
    decided: dict[str, tuple[bool, int, str]] = {}
    for r in rows:
        item = ItemText(r["title"], r["summary"], datetime.fromisoformat(r["published"]))
        res = scorer.score_one(item, SLUG)
        decided[r["id"]] = (res.matched, res.score, res.brief())

    def matcher(r: dict[str, str]) -> bool:
        return decided[r["id"]][0]

    def keyword(r: dict[str, str]) -> bool:
        return "normaliz" in (r["title"] + " " + r["summary"]).casefold()

    def regex(r: dict[str, str]) -> bool:
        text = r["title"] + " " + r["summary"]
        return bool(_SYRIA.search(text) and _RELATION.search(text))

    labels = {k: sum(r["label"] == k for r in rows) for k in ("on", "related", "off")}
    print(f"devset: {len(rows)} items ({labels}); positive = on")
    for name, fn in (("matcher", matcher), ("keyword 'normaliz'", keyword), ("regex", regex)):
        print(f"{name:20s} all   {measure(rows, fn)}")
    for part in ("tune", "check", "fresh", "fresh2"):
        sub = [r for r in rows if split_of(r) == part]
        print(f"{'matcher':20s} {part:5s} {measure(sub, matcher)}")
    if args.errors:
        for r in rows:
            if args.split and split_of(r) != args.split:
                continue
            got, score, brief = decided[r["id"]]
            if got != (r["label"] == "on"):
                kind = "FP" if got else "FN"
                print(f"{kind} {r['id']} [{r['label']}] {score:3d} {r['title'][:70]} | {brief}")


if __name__ == "__main__":
    main()
