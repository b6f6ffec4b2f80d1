"""Wiring: settings -> store, themes, feeds, the poll cycle and the fetch policy.

The composition root shared by every CLI command and both front ends. It reads nothing from the
environment itself (settings arrive parsed) and is the only place that passes the clock down.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app.clock import utcnow
from bot.app.dbfile import announce_created, missing_database
from bot.app.heap import freeze_startup_heap
from bot.app.roles import reclaim_dead_leases, this_owner
from bot.app.settings import Settings, SettingsError
from matcher import Theme, ThemeError, load_themes_toml, shipped_themes_toml
from store import FeedExists, Store
from watchers.fetch.client import FetchPolicy, make_client
from watchers.fetch.feedurl import FeedUrlError, check_feed_url
from watchers.parse.opml import OpmlError, read_opml
from watchers.poll.cycle import CycleReport, CycleSettings, PollCycle
from watchers.poll.fulltext import FullTextFetcher, FullTextReport
from watchers.poll.probe import Probe, probe_feed
from watchers.poll.schedule import Intervals
from watchers.poll.themes import spec_from_theme
from watchers.poll.workerpool import ParsePool, default_workers, make_parse_pool

log = logging.getLogger(__name__)


def fetch_policy(settings: Settings) -> FetchPolicy:
    return FetchPolicy(
        total_timeout=settings.fetch_timeout,
        connect_timeout=min(10.0, settings.fetch_timeout),
        read_timeout=min(20.0, settings.fetch_timeout),
        max_bytes=settings.max_feed_bytes,
        allow_private=settings.allow_private_feeds,
    )


def cycle_settings(settings: Settings) -> CycleSettings:
    return CycleSettings(
        intervals=Intervals(
            base=settings.poll_interval,
            minimum=min(settings.min_poll_interval, settings.poll_interval),
            maximum=max(settings.max_poll_interval, settings.poll_interval),
        ),
        backfill=timedelta(hours=settings.backfill_hours),
        owner=this_owner(),
    )


def tick_seconds(settings: Settings) -> float:
    """How often a running process asks which feeds are due (each feed keeps its own
    schedule in the database): often enough for short intervals, at most once a minute."""
    return max(5.0, min(60.0, settings.poll_interval))


def themes_text(settings: Settings) -> str:
    if settings.themes_file is not None:
        return Path(settings.themes_file).read_text(encoding="utf-8")
    return shipped_themes_toml()


def configured_themes(settings: Settings) -> list[Theme]:
    """The themes of THEMES_FILE (else the shipped ones); a bad file is a SettingsError."""
    try:
        return load_themes_toml(themes_text(settings), source=str(settings.themes_file or "themes"))
    except (ThemeError, OSError) as exc:
        raise SettingsError(f"THEMES_FILE: {exc}") from exc


async def open_store(settings: Settings) -> Store:
    """Migrate, and on first start load the themes (and FEEDS_FILE) into the database."""
    new_file = missing_database(settings.database_url)
    store = await Store.open(settings.database_url)
    announce_created(new_file)
    now = utcnow()
    if not await store.list_themes():
        specs = [spec_from_theme(theme) for theme in configured_themes(settings)]
        for slug in await store.seed_themes(specs, now):  # another process may have, meanwhile
            log.info("loaded theme %s", slug)
    if settings.feeds_file is not None and not await store.list_feeds():
        try:
            entries = read_opml(Path(settings.feeds_file).read_bytes())
        except (OpmlError, OSError) as exc:
            raise SettingsError(f"FEEDS_FILE: {settings.feeds_file}: {exc}") from exc
        for url, title in entries:
            try:
                checked = check_feed_url(url, allow_files=False)  # an OPML never adds a file
            except FeedUrlError as exc:
                log.warning("FEEDS_FILE: skipped %s", exc)
                continue
            with contextlib.suppress(FeedExists):
                await store.add_feed(checked, now, title)
    return store


class Poller:
    """Runs poll cycles with one HTTP client, one worker pool and one cycle for the life of
    the process."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        clock: Callable[[], datetime] = utcnow,
        parse_workers: int | None = None,
    ) -> None:
        self.store = store
        self.policy = fetch_policy(settings)
        self.settings = cycle_settings(settings)
        self.client = make_client(self.policy)
        self.clock = clock
        # Parsing and scoring run in worker processes instead of competing with the event
        # loop for the GIL (`default_workers`). `parse_workers=0`: in a thread (tests).
        workers = default_workers(os.cpu_count()) if parse_workers is None else parse_workers
        self.parse_pool: ParsePool | None = make_parse_pool(workers) if workers else None
        self.poll_cycle = PollCycle(
            self.store, self.policy, self.settings, self.client, clock, self.parse_pool
        )
        # Articles of thin matched items, fetched after a cycle with the same client and
        # policy (watchers/poll/fulltext.py); at most one run at a time.
        self.full_text = FullTextFetcher(self.store, self.policy, self.client, clock)
        self._enriching: asyncio.Task[FullTextReport] | None = None
        self._indexing: asyncio.Task[int] | None = None
        self._polls_bounded = False

    async def probe(self, url: str) -> Probe:
        """Check a URL an admin wants to add; find the feed when it is a site's page."""
        return await probe_feed(url, policy=self.policy, client=self.client, now=self.clock())

    async def cycle(self) -> CycleReport:
        """One poll cycle, then (on SQLite) the items it stored indexed for /search.

        First the leases of this host's processes that died are freed: a watcher killed with
        kill -9 held its feeds until their leases ran out (QA: ten minutes without a poll).
        """
        await reclaim_dead_leases(self.store, self.clock())
        if not self._polls_bounded:
            await self._bound_polls()
        report = await self.poll_cycle.run()
        self.index_in_background()
        if report.feeds_polled or report.feeds_failed:
            log.info(
                "cycle: %d feeds polled, %d unchanged, %d failed, %d new items, %d matches, "
                "%d new events, %d alerts queued",
                report.feeds_polled,
                report.feeds_unchanged,
                report.feeds_failed,
                report.new_items,
                report.new_matches,
                report.new_events,
                report.alerts_enqueued,
            )
        return report

    async def _bound_polls(self) -> None:
        """Once a process: no feed waits longer than this process's MAX_POLL_INTERVAL, even
        one scheduled under a longer one before a restart."""
        longest = timedelta(seconds=self.settings.intervals.maximum)
        moved = await self.store.bring_polls_within(
            self.clock() + longest, int(longest.total_seconds())
        )
        self._polls_bounded = True
        if moved:
            log.info(
                "%d feeds scheduled beyond MAX_POLL_INTERVAL (%g s) will be polled within it",
                moved,
                longest.total_seconds(),
            )

    async def enrich(self) -> FullTextReport:
        """Fetch a batch of queued articles and store their statements (no alerts)."""
        report = await self.full_text.run()
        if report.fetched or report.failed:
            log.info(
                "full text: %d articles fetched, %d failed, %d reused, %d new events, %d joined",
                report.fetched,
                report.failed,
                report.reused,
                report.new_events,
                report.joined_events,
            )
        return report

    def index_in_background(self) -> None:
        """Index the items stored since the last run for /search (store/search_index.py),
        beside the next steps: a delivery waits for at most one batch of it, never all of it.
        Until then /search reads those items from their queue."""
        if self._indexing is None or self._indexing.done():
            self._indexing = asyncio.create_task(self._index_logged())

    async def index_pending(self) -> int:
        """Wait for a background run, then index whatever is still queued."""
        if self._indexing is not None:
            await asyncio.gather(self._indexing, return_exceptions=True)
        return await self._index_logged()

    async def _index_logged(self) -> int:
        try:
            started = time.perf_counter()
            done = await self.store.index_pending()
            if done:
                log.info("search index: %d items in %.1f s", done, time.perf_counter() - started)
            return done
        except Exception:  # the items stay queued, found by /search, indexed next time
            log.exception("indexing items for search failed")
            return 0

    def enrich_in_background(self) -> None:
        """Start `enrich` beside the ticks unless a run is still going: a poll never waits."""
        if self._enriching is None or self._enriching.done():
            self._enriching = asyncio.create_task(self._enrich_logged())

    async def _enrich_logged(self) -> FullTextReport:
        try:
            return await self.enrich()
        except Exception:  # a failed run leaves its claims to be taken again later
            log.exception("fetching full texts failed")
            return FullTextReport()

    async def close(self) -> None:
        for task in (self._enriching, self._indexing):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await self.client.aclose()
        if self.parse_pool is not None:
            self.parse_pool.shutdown(wait=False, cancel_futures=True)


def start_ticks(
    poller: Poller, settings: Settings, after: Callable[[CycleReport], Awaitable[None]]
) -> AsyncIOScheduler:
    """Poll due feeds now and then every tick (APScheduler); `after` sees each cycle's report.

    One tick at a time (a slow cycle is not overlapped by the next), and the first at once:
    a restarted process does not wait a tick before polling.
    """

    async def tick() -> None:
        try:
            report = await poller.cycle()
            poller.enrich_in_background()  # thin matched items' articles, after the commit
            await after(report)
        except asyncio.CancelledError:
            # Stopping mid-cycle is safe: each feed's poll is one transaction, redone next time.
            log.info("poll cycle interrupted by shutdown")

    freeze_startup_heap()  # the service has started: what it holds now it holds for good
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(
        tick,
        "interval",
        seconds=tick_seconds(settings),
        max_instances=1,
        coalesce=True,
        next_run_time=utcnow(),
    )
    scheduler.start()
    return scheduler


async def run_once(poller: Poller, deliver: Callable[[], Awaitable[object]] | None) -> CycleReport:
    """`policywatch run --once`: every feed polled now, the queued articles fetched, then
    what is due delivered (when this process is the sender)."""
    freeze_startup_heap()
    now = utcnow()
    await poller.store.poll_feeds_now(now)
    elsewhere = await poller.store.feeds_leased_by_others(now, poller.settings.owner)
    report = await poller.cycle()
    report.feeds_elsewhere = elsewhere
    await poller.index_pending()
    await poller.enrich()
    if deliver is not None:
        await deliver()
    return report
