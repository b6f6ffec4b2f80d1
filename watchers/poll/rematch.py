"""Re-matching the archive after a theme changed, in batches, with progress.

So that /timeline and /preview reflect every stored item under the theme's current terms, not
only items that arrived after the change. Alerts are not sent for re-matched items, except,
for a theme /undo brings back, those fetched while it was gone (`alert_fetched_after`). An item
that newly matches reports the statements of its feed text and, when its article was fetched
(watchers/poll/fulltext.py), those of the article too, as a poll and the fetcher would have.
Scoring stays on the feed's text.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from matcher import MatchResult, Scorer, Statement, Theme, choose_event, reported_statements
from store import Store
from store.records import ItemRow, MatchToStore, NewMatch
from watchers.poll.fulltext import article_statements
from watchers.poll.items import match_to_store, stored_text

Progress = Callable[[int, int], Awaitable[None]]  # (items done, items in all)


@dataclass
class RematchReport:
    scanned: int = 0
    added: int = 0  # items that match now and did not before
    alerts: int = 0  # enqueued for items fetched while a restored theme was gone
    dropped: int = 0  # items that no longer match
    kept: int = 0  # items that match still (score and reasons refreshed)


Scored = tuple[MatchResult, tuple[Statement, ...]]


def _score_all(scorer: Scorer, batch: Sequence[ItemRow]) -> list[Scored]:
    """Each item's verdict and, when it matches, its statements: CPU work, run in a thread."""
    out = []
    for it in batch:
        result = scorer.score(stored_text(it))[0]
        said = reported_statements(it.title, it.summary, it.published_at) if result.matched else ()
        out.append((result, said))
    return out


async def _with_articles(
    store: Store, added: list[tuple[ItemRow, MatchToStore]]
) -> list[tuple[ItemRow, MatchToStore]]:
    """New matches with the statements of their fetched articles after their feed text's."""
    texts = await store.fetched_full_texts([it.id for it, _ in added]) if added else {}
    if not texts:
        return added

    def read() -> list[tuple[ItemRow, MatchToStore]]:
        out = []
        for it, m in added:
            text = texts.get(it.id)
            if text:
                extra = article_statements(it.title, text, it.published_at)
                m = MatchToStore(m.match, m.statements + extra)
            out.append((it, m))
        return out

    return await asyncio.to_thread(read)


async def rematch_theme(
    store: Store,
    theme: Theme,
    now: Callable[[], datetime],
    *,
    progress: Progress | None = None,
    batch_size: int = 5000,
    alert_fetched_after: datetime | None = None,
) -> RematchReport:
    """Score every stored item against `theme` and bring its matches and events up to date.

    Scoring is pure CPU and needs nothing from the database, so the next batch is scored in a
    thread while the current one is written: on two cores the two overlap.
    """
    scorer = Scorer([theme])
    total = await store.count_items()
    report = RematchReport()
    batch = await store.items_after(0, batch_size)
    results = await asyncio.to_thread(_score_all, scorer, batch)
    while batch:
        following = await store.items_after(batch[-1].id, batch_size)
        had = await store.matched_items(theme.slug, [it.id for it in batch])
        added: list[tuple[ItemRow, MatchToStore]] = []
        kept: list[tuple[int, NewMatch]] = []
        dropped: list[int] = []
        unchanged = 0
        for it, (result, said) in zip(batch, results, strict=True):
            if result.matched and it.id in had:
                unchanged += had[it.id] == (result.score, result.brief())
                if had[it.id] != (result.score, result.brief()):  # else nothing to write
                    kept.append(
                        (
                            it.id,
                            NewMatch(result.theme, result.score, result.to_json(), result.brief()),
                        )
                    )
            elif result.matched:
                added.append((it, match_to_store(result, said)))
            elif it.id in had:
                dropped.append(it.id)
        added = await _with_articles(store, added)
        alerts, results = await asyncio.gather(
            store.apply_rematch(
                theme.slug, added, kept, dropped, now(), choose_event, alert_fetched_after
            ),
            asyncio.to_thread(_score_all, scorer, following),
        )
        report.alerts += alerts
        report.scanned += len(batch)
        report.added += len(added)
        report.kept += len(kept) + unchanged
        report.dropped += len(dropped)
        if progress is not None:
            await progress(report.scanned, total)
        batch = following
    return report
