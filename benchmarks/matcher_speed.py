"""Items per second scored against 1, 10 and 100 themes, beside a naive partial_ratio loop.

Run from the repo root: python benchmarks/matcher_speed.py
The 99 extra themes are the shipped theme with its Syria terms swapped for another country's
and its relations terms for another topic. A last line does the same with 99 themes written
as Boolean queries (prefixes, exact phrases, NEAR) beside the shipped theme, and another the
same 100 themes each taught with 60 labelled items (learned models on). Before timing,
the fast (indexed) path is checked against the slow reference path: the same decisions on
every devset item.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz  # noqa: E402

from matcher import (  # noqa: E402
    ItemText,
    Scorer,
    TermGroup,
    Theme,
    load_themes_toml,
    normalize_text,
    shipped_themes_toml,
)
from matcher.teach import Label, with_labels  # noqa: E402
from matcher.themes import with_query  # noqa: E402

DEVSET = ROOT / "tests" / "data" / "devset.jsonl"

COUNTRIES = [
    ("venezuela", ["Venezuela", "Venezuelan", "Maduro", "Caracas", "Venezuelan government"]),
    ("north-korea", ["North Korea", "Pyongyang", "Kim Jong Un", "North Korean regime"]),
    ("afghanistan", ["Afghanistan", "Taliban", "Kabul", "Taliban government"]),
    ("belarus", ["Belarus", "Lukashenko", "Minsk", "Belarusian regime"]),
    ("myanmar", ["Myanmar", "junta", "Naypyitaw", "Min Aung Hlaing", "Burmese military"]),
    ("iran", ["Iran", "Tehran", "Khamenei", "Iranian government", "Islamic Republic"]),
    ("russia", ["Russia", "Kremlin", "Putin", "Moscow", "Russian government"]),
    ("cuba", ["Cuba", "Havana", "Cuban government", "Diaz-Canel"]),
    ("eritrea", ["Eritrea", "Asmara", "Isaias Afwerki", "Eritrean government"]),
    ("nicaragua", ["Nicaragua", "Managua", "Ortega", "Nicaraguan government"]),
    ("sudan", ["Sudan", "Khartoum", "Burhan", "Sudanese army", "Rapid Support Forces"]),
    ("libya", ["Libya", "Tripoli", "Haftar", "Benghazi", "Libyan government"]),
    ("yemen", ["Yemen", "Houthis", "Sanaa", "Ansar Allah", "Yemeni government"]),
    ("mali", ["Mali", "Bamako", "Goita", "Malian junta"]),
    ("niger", ["Niger", "Niamey", "Tchiani", "Nigerien junta"]),
    ("china", ["China", "Beijing", "Xi Jinping", "Chinese government"]),
    ("taiwan", ["Taiwan", "Taipei", "Lai Ching-te", "Taiwanese government"]),
    ("israel", ["Israel", "Netanyahu", "Jerusalem", "Israeli government"]),
    ("hungary", ["Hungary", "Orban", "Budapest", "Hungarian government"]),
    ("serbia", ["Serbia", "Vucic", "Belgrade", "Serbian government"]),
    ("kosovo", ["Kosovo", "Kurti", "Pristina", "Kosovar government"]),
    ("armenia", ["Armenia", "Pashinyan", "Yerevan", "Armenian government"]),
    ("azerbaijan", ["Azerbaijan", "Aliyev", "Baku", "Azerbaijani government"]),
    ("ethiopia", ["Ethiopia", "Abiy Ahmed", "Addis Ababa", "Tigray"]),
    ("somalia", ["Somalia", "Mogadishu", "al-Shabaab", "Somali government"]),
    ("lebanon", ["Lebanon", "Beirut", "Hezbollah", "Lebanese government"]),
    ("iraq", ["Iraq", "Baghdad", "Sudani", "Iraqi government"]),
    ("egypt", ["Egypt", "Cairo", "Sisi", "Egyptian government"]),
    ("turkey", ["Turkey", "Ankara", "Erdogan", "Turkish government"]),
    ("saudi", ["Saudi Arabia", "Riyadh", "Mohammed bin Salman", "Saudi government"]),
    ("pakistan", ["Pakistan", "Islamabad", "Sharif", "Pakistani government"]),
    ("haiti", ["Haiti", "Port-au-Prince", "Haitian government", "gangs"]),
    ("zimbabwe", ["Zimbabwe", "Harare", "Mnangagwa", "ZANU-PF"]),
]
TOPICS = [
    (
        "sanctions",
        [
            "sanctions",
            "asset freeze",
            "export controls",
            "lift sanctions",
            "blacklist",
            "travel ban",
            "sanctions relief",
            "secondary sanctions",
        ],
    ),
    (
        "trade",
        [
            "trade deal",
            "tariffs",
            "free trade agreement",
            "investment pact",
            "customs union",
            "import ban",
            "trade talks",
            "economic cooperation",
        ],
    ),
    (
        "arms",
        [
            "arms sales",
            "weapons deliveries",
            "drone supply",
            "military aid",
            "defence pact",
            "arms embargo",
            "missile transfer",
            "security cooperation",
        ],
    ),
]


def synthetic_themes(base: Theme, n: int) -> list[Theme]:
    """n themes shaped like base: another country's names and another topic's words."""
    out = []
    for i in range(n):
        slug, names = COUNTRIES[i % len(COUNTRIES)]
        topic, words = TOPICS[(i // len(COUNTRIES)) % len(TOPICS)]
        groups = []
        for g in base.groups:
            if g.name in {"who", "government"}:
                terms = tuple(names)
            elif g.name in {"relations"}:
                terms = tuple(words)
            elif g.name == "what":
                terms = (*words[:4], "talks", "deal", "agreement")
            else:
                terms = g.terms
            groups.append(TermGroup(g.name, g.weight, g.required, terms))
        out.append(
            replace(
                base,
                slug=f"{slug}-{topic}",
                name=f"{slug} {topic}",
                groups=tuple(groups),
                exemplars=(f"{names[0]} {words[0]} {words[1]} announced by {names[2]}",),
                options={k: v for k, v in base.options.items() if k != "until_unless"},
            )
        )
    return out


def query_themes(n: int) -> list[Theme]:
    """n themes written as queries: a country, a topic (a prefix, a phrase, NEAR), a verb."""
    out = []
    for i in range(n):
        slug, names = COUNTRIES[i % len(COUNTRIES)]
        topic, words = TOPICS[(i // len(COUNTRIES)) % len(TOPICS)]
        who = " OR ".join(f'"{w}"' if " " in w else w for w in names)
        first = words[0].split()[0]
        what = f'{first[:6]}* OR "{words[1]}" OR {words[2]} OR ({words[3]}) NEAR/5 talks'
        query = f"({who}) AND ({what}) AND (talks OR negotiat* OR deal OR agreement) NOT Israel"
        out.append(with_query(Theme(f"q-{slug}-{topic}", f"{slug} {topic}", "", 50, ()), query))
    return out


def load_items() -> list[ItemText]:
    with DEVSET.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [
        ItemText(r["title"], r["summary"], datetime.fromisoformat(r["published"]), r["source"])
        for r in rows
    ]


def themed_items(themes: Sequence[Theme]) -> list[ItemText]:
    """One item per theme that opens its gates, so every theme gets scored in full sometimes."""
    out = []
    for i, th in enumerate(themes):
        words = [g.terms[i % len(g.terms)] for g in th.groups]
        title = f"{words[0]} and {words[-1]} hold {words[1]} as {words[2]} draws notice"
        summary = (
            f"Officials said {' '.join(words)} would be discussed again next week, "
            "according to people familiar with the talks."
        )
        out.append(ItemText(title, summary, datetime(2023, 3, 1 + i % 28)))
    return out


def taught_themes(themes: Sequence[Theme], devset: Sequence[ItemText]) -> list[Theme]:
    """Each theme taught with 60 labels: 20 items on it, 20 missing one concept, 20 devset."""
    out = []
    for i, th in enumerate(themes):
        labels = []
        for k in range(20):
            words = [g.terms[(i + k) % len(g.terms)] for g in th.groups]
            title = f"{words[0]} and {words[-1]} hold {words[1]} as {words[2]} draws notice"
            summary = f"Talks on {' '.join(words)} go on, officials said on day {k}."
            labels.append(Label(ItemText(title, summary), True))
            dropped = [w for gi, w in enumerate(words) if gi != 1 + k % 2]
            labels.append(Label(ItemText(" ".join(dropped) + " in the news", summary[:20]), False))
            labels.append(Label(devset[(i * 20 + k) % len(devset)], False))
        out.append(with_labels(th, labels)[0])
    return out


def rate(fn: Callable[[ItemText], object], items: Sequence[ItemText], budget: float) -> float:
    """Items per second of fn over items, repeating the list until budget seconds passed."""
    done, start = 0, time.perf_counter()
    while True:
        for it in items:
            fn(it)
        done += len(items)
        spent = time.perf_counter() - start
        if spent >= budget:
            return done / spent


def naive(themes: Sequence[Theme]) -> Callable[[ItemText], int]:
    """Every phrase of every theme through partial_ratio on every item, as filters do."""
    phrases = [
        [normalize_text(t) for t in (*(t for g in th.groups for t in g.terms), *th.exclude)]
        for th in themes
    ]

    def run(item: ItemText) -> int:
        text = normalize_text(item.title + " " + item.summary)
        hits = 0
        for theme_phrases in phrases:
            for p in theme_phrases:
                if fuzz.partial_ratio(p, text, score_cutoff=90):
                    hits += 1
        return hits

    return run


def check_same_decisions(scorer: Scorer, items: Sequence[ItemText]) -> int:
    """Compare fast and reference results; return how many item x theme results differ."""
    diff = 0
    for it in items:
        fast, slow = scorer.score(it), scorer.reference_score(it)
        diff += sum(a != b for a, b in zip(fast, slow, strict=True))
    return diff


def main() -> None:
    base = load_themes_toml(shipped_themes_toml())[0]
    themes = [base, *synthetic_themes(base, 99)]
    items = load_items()

    t0 = time.perf_counter()
    ref1 = check_same_decisions(Scorer(themes[:1]), items)
    ref10 = check_same_decisions(Scorer(themes[:10]), items[:60])
    ref100 = check_same_decisions(Scorer(themes), themed_items(themes)[::5])
    print(
        f"fast vs reference path: {ref1} differences on {len(items)} devset items x 1 theme, "
        f"{ref10} on 60 items x 10 themes, {ref100} on 20 gate-opening items x 100 themes "
        f"({time.perf_counter() - t0:.1f}s)"
    )
    if ref1 or ref10 or ref100:
        print("MISMATCH between fast and reference paths")

    mixed = items + themed_items(themes)  # the devset first
    print(
        f"items: the {len(items)} devset items plus one gate-opening item per theme "
        f"({len(mixed)}), repeated; one core; rates in items/second"
    )
    items = mixed
    for n in (1, 10, 100):
        t = time.perf_counter()
        scorer = Scorer(themes[:n])
        build = time.perf_counter() - t
        cold_start = time.perf_counter()
        for it in items:
            scorer.score(it)
        cold = len(items) / (time.perf_counter() - cold_start)
        warm = rate(scorer.score, items, 3.0)
        naive_items = items if n == 1 else items[: max(10, 200 // n)]
        slow = rate(naive(themes[:n]), naive_items, 2.0 if n < 100 else 4.0)
        print(
            f"{n:3d} themes: indexed {warm:8.0f}/s (first pass {cold:6.0f}/s, index built in "
            f"{build * 1000:.0f} ms)   naive partial_ratio loop {slow:8.1f}/s   "
            f"speed-up x{warm / slow:.0f}"
        )
    queries = [base, *query_themes(99)]
    scorer = Scorer(queries)
    qitems = mixed[:275] + themed_items(queries)
    diff = check_same_decisions(scorer, qitems[::5])
    warm = rate(scorer.score, qitems, 3.0)
    print(
        f'100 themes, 99 of them Boolean queries (prefix*, "phrases", NEAR/5, NOT): '
        f"indexed {warm:8.0f}/s; fast vs reference path: {diff} differences on "
        f"{len(qitems[::5])} items x 100 themes"
    )
    t = time.perf_counter()
    taught = taught_themes(themes, mixed[:275])
    fitted = sum("learned" in th.options for th in taught)
    fit_s = time.perf_counter() - t
    scorer = Scorer(taught)
    diff = check_same_decisions(scorer, mixed[::10])
    warm = rate(scorer.score, mixed, 3.0)
    base_rate = rate(Scorer(themes).score, mixed, 3.0)
    print(
        f"100 themes, {fitted} with a learned model (60 labels each, fitted in {fit_s:.1f}s): "
        f"indexed {warm:8.0f}/s beside {base_rate:8.0f}/s untaught, same run; fast vs "
        f"reference path: {diff} differences on {len(mixed[::10])} items x 100 themes"
    )


if __name__ == "__main__":
    main()
