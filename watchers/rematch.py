"""Re-matching the archive after a theme changed, in batches, with progress.

So that /timeline and /preview reflect every stored item under the theme's current terms, not
only items that arrived after the change. Alerts are never sent for re-matched items.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from matcher import ItemText, Scorer, Theme
from store import Store
from store.records import ItemRow, MatchToStore, NewMatch
from watchers.placing import EventPlacer

Progress = Callable[[int, int], Awaitable[None]]  # (items done, items in all)


@dataclass
class RematchReport:
    scanned: int = 0
    added: int = 0  # items that match now and did not before
    dropped: int = 0  # items that no longer match
    kept: int = 0  # items that match still (score and reasons refreshed)


async def rematch_theme(
    store: Store,
    theme: Theme,
    now: Callable[[], datetime],
    *,
    progress: Progress | None = None,
    batch_size: int = 2000,
) -> RematchReport:
    """Score every stored item against `theme` and bring its matches and events up to date."""
    scorer = Scorer([theme])
    total = await store.count_items()
    report = RematchReport()
    after = 0
    while True:
        batch = await store.items_after(after, batch_size)
        if not batch:
            break
        after = batch[-1].id
        had = await store.matched_item_ids(theme.slug, [it.id for it in batch])
        placer = EventPlacer(store)
        added: list[tuple[ItemRow, MatchToStore]] = []
        kept: list[tuple[int, NewMatch]] = []
        dropped: list[int] = []
        for it in batch:
            result = scorer.score(
                ItemText(it.title, it.summary, it.published_at, it.source, it.link or "")
            )[0]
            if result.matched and it.id in had:
                kept.append(
                    (it.id, NewMatch(result.theme, result.score, result.to_json(), result.brief()))
                )
            elif result.matched:
                added.append(
                    (it, await placer.place(result, it.title, it.summary, it.published_at))
                )
            elif it.id in had:
                dropped.append(it.id)
        await store.apply_rematch(theme.slug, added, kept, dropped, now())
        report.scanned += len(batch)
        report.added += len(added)
        report.kept += len(kept)
        report.dropped += len(dropped)
        if progress is not None:
            await progress(report.scanned, total)
    return report
