"""Background re-matching after an admin changes a theme, with progress told to the admin.

One task per theme: a newer change cancels the older run (its batches already committed are
simply redone under the newer terms).
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

    def start(self, slug: str, chat_id: int | None) -> None:
        """Re-match in the background; progress goes to chat_id (None: to the log only)."""
        running = self.tasks.get(slug)
        if running is not None and not running.done():
            running.cancel()
        self.tasks[slug] = asyncio.create_task(self._run(slug, chat_id))

    async def wait(self) -> None:
        """Let every run finish (tests, shutdown)."""
        for task in list(self.tasks.values()):
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self, slug: str, chat_id: int | None) -> RematchReport | None:
        spec = await self.store.get_theme(slug)
        if spec is None:
            return None
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
                self.store, theme_from_spec(spec), self.clock, progress=progress
            )
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("re-matching %s failed", slug)
            await tell(f"Re-matching {slug} failed; see the log.")
            return None
        await tell(
            f"Re-matched {report.scanned:,} stored items against {slug}: "
            f"{report.added} newly matched, {report.dropped} no longer matched, "
            f"{report.kept} still matched.",
        )
        return report
