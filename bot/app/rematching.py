"""Background re-matching after an admin changes a theme, with progress told to the admin.

One task per theme: a newer change cancels the older run (its batches already committed are
simply redone under the newer terms). A run marks its theme's version pending in the store
first and clears it when done, so a process stopped or killed meanwhile leaves a mark, and
the next process to start runs it again (`resume_pending`): nothing stays scored under old
terms.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from store import Store
from watchers.poll.rematch import RematchReport, rematch_theme
from watchers.poll.themes import theme_from_spec

log = logging.getLogger(__name__)
Notify = Callable[[int, str], Awaitable[None]]  # (chat id, plain text)


class RematchRunner:
    def __init__(self, store: Store, clock: Callable[[], datetime], notify: Notify) -> None:
        self.store = store
        self.clock = clock
        self.notify = notify
        self.tasks: dict[str, asyncio.Task[RematchReport | None]] = {}

    def start(
        self, slug: str, chat_id: int | None, alert_fetched_after: datetime | None = None
    ) -> None:
        """Re-match in the background; progress goes to chat_id (None: to the log only).
        `alert_fetched_after`: a theme brought back, whose items fetched since are news."""
        running = self.tasks.get(slug)
        if running is not None and not running.done():
            running.cancel()
        self.tasks[slug] = asyncio.create_task(self._run(slug, chat_id, alert_fetched_after))

    async def wait(self) -> None:
        """Let every run finish (tests, shutdown)."""
        for task in list(self.tasks.values()):
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(
        self, slug: str, chat_id: int | None, alert_fetched_after: datetime | None = None
    ) -> RematchReport | None:
        spec = await self.store.get_theme(slug)
        if spec is None:
            return None
        await self.store.rematch_started(slug, spec.version)
        steps = {25, 50, 75}

        async def tell(text: str) -> None:
            if chat_id is None:
                log.info("%s", text)
            else:
                await self.notify(chat_id, text)

        async def progress(done: int, total: int) -> None:
            pct = done * 100 // max(total, 1)
            reached = {s for s in steps if pct >= s}
            if reached and total >= 20_000:
                steps.difference_update(reached)
                await tell(f"Re-matching {slug}: {pct}% of {total:,} items")

        try:
            report = await rematch_theme(
                self.store,
                theme_from_spec(spec),
                self.clock,
                progress=progress,
                alert_fetched_after=alert_fetched_after,
            )
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("re-matching %s failed", slug)
            await tell(
                f"Re-matching {slug} failed; see the log. It is tried again at the next start."
            )
            return None
        await self.store.rematch_finished(slug, spec.version)
        alerted = (
            f"; {report.alerts:,} alerts for statements published while it was gone"
            if alert_fetched_after is not None
            else " (items matched anew are not alerted)"
        )
        await tell(
            f"Re-matched {report.scanned:,} stored items against {slug}: "
            f"{report.added:,} newly matched, {report.dropped:,} no longer matched, "
            f"{report.kept:,} still matched{alerted}.",
        )
        return report


async def resume_pending(store: Store, runner: RematchRunner) -> list[str]:
    """Run again the re-matches a stopped or killed process left unfinished; their slugs."""
    slugs = await store.rematches_pending()
    for slug in slugs:
        log.warning(
            "re-matching %s again: the re-match of its last change did not finish "
            "(the process that ran it stopped)",
            slug,
        )
        runner.start(slug, None)
    return slugs
