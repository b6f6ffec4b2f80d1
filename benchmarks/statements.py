"""Speaker, stance and day accuracy and statement recall/precision of `extract_statements`.

Run from the repo root:
    python benchmarks/statements.py --data /work/data/statements/set.jsonl
        [--split dev|held] [--errors] [--baseline OLD_statements.py]

The data (real feed and article text, so never inside the project) is JSON lines: id, lang,
split, published, title, text and `statements`, each with speaker, office, actor, stance,
said_on (a day, "YYYY-MM" for a month, or null when the text gives no day: then the right
answer is the publication-day fallback, flagged, or "today"), role and `quotes` (excerpts of
the text the statement covers). An extracted statement is paired with the gold statement whose
excerpts its quote overlaps most (at least 60% of the shorter's words), one to one; accuracy
is over paired statements, recall over gold ones, precision over extracted ones.

`--errors` prints the misses, but only for the `dev` split: `held` items are reported in
aggregate only. `--baseline PATH` also scores another `extract_statement` (for example the
single-statement extractor of an earlier commit, saved with
`git show COMMIT:matcher/statements.py > PATH`) as a one-statement-per-item extractor.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz  # noqa: E402

from matcher import extract_statements  # noqa: E402
from matcher.namescript import same_name_across_scripts  # noqa: E402
from matcher.text import normalize_text  # noqa: E402

Extractor = Callable[[str, str, datetime], list[Any]]


def _words(text: str) -> set[str]:
    return {w for w in normalize_text(text).replace('"', " ").split() if len(w) > 1}


def overlap(gold: dict[str, Any], quote: str | None) -> float:
    if not quote:
        return 0.0
    got = _words(quote)
    best = 0.0
    for excerpt in gold["quotes"]:
        want = _words(excerpt)
        if want and got:
            best = max(best, len(want & got) / min(len(want), len(got)))
    return best


def _last(name: str) -> str:
    words = normalize_text(name).split()
    return words[-1] if words else ""


# Office words of the three languages, as one concept each: a gold office written as the text
# wrote it ("وزارة الخارجية", "Dışişleri Bakanlığı") is the extractor's English "Foreign Ministry".
OFFICE_CONCEPTS = {
    "foreign": "foreign",
    "خارجيه": "foreign",
    "disisleri": "foreign",
    "ministry": "ministry",
    "وزاره": "ministry",
    "bakanligi": "ministry",
    "bakanlik": "ministry",
    "minister": "minister",
    "وزير": "minister",
    "bakani": "minister",
    "bakan": "minister",
    "president": "president",
    "رئيس": "president",
    "cumhurbaskani": "president",
    "baskani": "president",
    "presidency": "presidency",
    "رئاسه": "presidency",
    "cumhurbaskanligi": "presidency",
    "spokesperson": "spokesperson",
    "spokesman": "spokesperson",
    "spokeswoman": "spokesperson",
    "متحدث": "spokesperson",
    "sozcusu": "spokesperson",
    "government": "government",
    "حكومه": "government",
    "hukumet": "government",
    "hukumeti": "government",
    "yonetimi": "government",
    "parliament": "parliament",
    "برلمان": "parliament",
    "نواب": "parliament",
    "meclis": "parliament",
    "military": "military",
    "junta": "military",
    "army": "military",
    "cunta": "military",
    "askeri": "military",
    "جيش": "military",
    "عسكري": "military",
}


# folded as the text is (normalize_text writes "رئاسه" as "رياسه")
_FOLDED_CONCEPTS = {normalize_text(k): v for k, v in OFFICE_CONCEPTS.items()}


def office_concepts(text: str) -> set[str]:
    """The office concepts a text names, in English, Arabic or Turkish (article ال dropped)."""
    found = set()
    for word in normalize_text(text).split():
        word = word.removeprefix("ال") if len(word) > 4 else word
        if word in _FOLDED_CONCEPTS:
            found.add(_FOLDED_CONCEPTS[word])
    return found


SAME_SURNAME = 80  # the ratio at which `who:` takes two spellings for one name (matcher.lookup)


def speaker_ok(gold: dict[str, Any], st: Any) -> bool:
    if gold["speaker"]:
        if not st.speaker:
            return False
        if _last(gold["speaker"]) == _last(st.speaker):
            return True
        if fuzz.ratio(_last(gold["speaker"]), _last(st.speaker)) >= SAME_SURNAME:
            return True  # a Turkish outlet's "Paşinyan", "Abdulati": Pashinyan, Abdelatty
        # An Arabic item names "عادل الجبير", the gold "Adel al-Jubeir": the same person if
        # every word of one sounds like a word of the other (as `who:` compares them); a
        # name with a stray word ("روحاني لإردوغان", Rouhani "to Erdogan") is not his.
        return same_name_across_scripts(gold["speaker"], st.speaker) or (
            same_name_across_scripts(st.speaker, gold["speaker"])
        )
    if st.speaker:
        return False
    if gold["office"]:
        want = {w for w in normalize_text(gold["office"]).split() if len(w) > 3}
        have = set(normalize_text(st.office or st.actor or "").split())
        concepts = office_concepts(gold["office"])
        if concepts and concepts <= office_concepts(st.office or ""):
            return True
        return bool(want & have) or (
            gold["actor"] is not None and st.actor == gold["actor"] and not st.office
        )
    return True


def day_ok(gold: dict[str, Any], st: Any, published: date) -> bool:
    want = gold["said_on"]
    basis = getattr(st, "day_basis", None)
    if want is None:  # no day in the text: the publication day, flagged ("today" is that too)
        if st.said_on == published:
            return True
        if basis is not None:
            return bool(basis == "published")
        return st.said_on is None
    shown = getattr(st, "day", None) or st.said_on  # the day the timeline shows
    if shown is None:
        return False
    if len(want) == 7:  # a month
        return bool(st.said_on is not None and st.said_on.isoformat()[:7] == want)
    day = date.fromisoformat(want)
    if shown == day:
        return True
    if st.said_on is None:
        return False
    return basis == "approximate" and abs((st.said_on - day).days) <= 3


def pair(golds: list[dict[str, Any]], found: list[Any]) -> list[tuple[int, int]]:
    scored = sorted(
        (
            (overlap(g, st.quote), gi, si)
            for gi, g in enumerate(golds)
            for si, st in enumerate(found)
        ),
        reverse=True,
    )
    used_g: set[int] = set()
    used_s: set[int] = set()
    out = []
    for score, gi, si in scored:
        if score < 0.6 or gi in used_g or si in used_s:
            continue
        used_g.add(gi)
        used_s.add(si)
        out.append((gi, si))
    return out


class Tally:
    def __init__(self) -> None:
        self.n = defaultdict(int)

    def add(self, key: str, value: int = 1) -> None:
        self.n[key] += value

    def line(self) -> dict[str, Any]:
        n = self.n
        paired = n["paired"]

        def r(a: int, b: int) -> float | None:
            return round(a / b, 3) if b else None

        return {
            "items": n["items"],
            "gold": n["gold"],
            "found": n["found"],
            "recall": r(paired, n["gold"]),
            "precision": r(paired, n["found"]),
            "speaker": r(n["speaker"], paired),
            "stance": r(n["stance"], paired),
            "day": r(n["day"], paired),
            "role": r(n["role"], paired),
        }


def as_read(title: str, text: str) -> str:
    """The text as the poll hands it to the extractor: the title, a newline, then the summary
    or article (`reported_statements`), unless the labelled text already opens with the title."""
    if not title or text.startswith(title):
        return text
    return f"{title}\n{text}"


def evaluate(
    rows: list[dict[str, Any]], extract: Extractor, errors: bool
) -> dict[str, dict[str, Any]]:
    tallies: dict[str, Tally] = defaultdict(Tally)
    for row in rows:
        published = datetime.fromisoformat(row["published"])
        found = extract(row["title"], as_read(row["title"], row["text"]), published)
        golds = row["statements"]
        keys = ["all", row["split"], row["lang"], f"{row['lang']}/{row['split']}"]
        pairs = pair(golds, found)
        for k in keys:
            t = tallies[k]
            t.add("items")
            t.add("gold", len(golds))
            t.add("found", len(found))
            t.add("paired", len(pairs))
        show = errors and row["split"] == "dev"
        for gi, si in pairs:
            g, st = golds[gi], found[si]
            checks = {
                "speaker": speaker_ok(g, st),
                "stance": st.stance == g["stance"],
                "day": day_ok(g, st, published.date()),
                "role": getattr(st, "role", "official") == g["role"],
            }
            for k in keys:
                for name, ok in checks.items():
                    tallies[k].add(name, int(ok))
            if show and not all(checks.values()):
                bad = [k for k, ok in checks.items() if not ok]
                print(
                    f"  {row['id']} {bad}: gold {g['speaker']}/{g['office']}/{g['stance']}/"
                    f"{g['said_on']}  got {st.speaker}/{st.office}/{st.stance}/{st.said_on}"
                    f"/{getattr(st, 'day_basis', '')}"
                )
        if show:
            for gi, g in enumerate(golds):
                if gi not in {p[0] for p in pairs}:
                    print(
                        f"  {row['id']} MISSED: {g['speaker']}/{g['office']}: {g['quotes'][0][:70]}"
                    )
            for si, st in enumerate(found):
                if si not in {p[1] for p in pairs}:
                    print(
                        f"  {row['id']} EXTRA: {st.speaker}/{st.office}/{st.actor}: "
                        f"{(st.quote or '')[:70]}"
                    )
    return {k: t.line() for k, t in sorted(tallies.items())}


def _load_baseline(path: Path) -> Extractor:
    spec = importlib.util.spec_from_file_location("baseline_statements", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load a baseline from {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    single = module.extract_statement

    def extract(title: str, text: str, published: datetime) -> list[Any]:
        st = single(title, text, published)
        return [st] if (st.speaker or st.office or st.quote) else []

    return extract


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="the labelled statements set")
    ap.add_argument("--split", choices=["dev", "held"], help="only this split")
    ap.add_argument("--errors", action="store_true", help="print misses (dev items only)")
    ap.add_argument("--baseline", type=Path, help="an older statements.py to score beside")
    args = ap.parse_args()
    if not args.data.is_file():
        raise SystemExit(f"no data at {args.data}: pass the labelled set with --data PATH")
    rows = [json.loads(line) for line in args.data.open(encoding="utf-8") if line.strip()]
    if args.split:
        rows = [r for r in rows if r["split"] == args.split]
    runs = {"extract_statements": extract_statements}
    if args.baseline:
        runs["baseline"] = _load_baseline(args.baseline)
    result: dict[str, Any] = {}
    for name, extract in runs.items():
        print(f"== {name}")
        table = evaluate(rows, extract, args.errors and name == "extract_statements")
        cols = ["items", "gold", "found", "recall", "precision", "speaker", "stance", "day", "role"]
        print(f"{'slice':10}" + "".join(f"{c:>10}" for c in cols))
        for key, line in table.items():
            print(f"{key:10}" + "".join(f"{line[c]!s:>10}" for c in cols))
        result[name] = table
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
