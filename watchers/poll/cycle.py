"""One poll cycle: due feeds -> fetch -> parse -> new items -> match -> events -> alerts.

The recipe that ties the leaves together, in the order an item travels. It does not decide
how to fetch, parse, score or store (those modules do), nor how alerts reach a chat (bot/).
A failure of one feed is recorded on that feed and never stops the others.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import httpx

from matcher import choose_event, reported_statements
from store import Store
from store.records import FeedPollOutcome, FeedRow, ItemToStore, ThemeSpec
from watchers.fetch.client import FetchError, FetchPolicy, fetch_feed
from watchers.parse.feed import FeedData, ParseError
from watchers.poll.backfill import alertable
from watchers.poll.fulltext import wants_full_text
from watchers.poll.items import match_to_store, new_item
from watchers.poll.schedule import (
    Intervals,
    adaptive_interval,
    next_poll_after_failure,
    next_poll_after_success,
)
from watchers.poll.themes import ScorerCache
from watchers.poll.workers import ParsedFeed, ThemeSet, item_text, parse_and_score

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class CycleSettings:
    intervals: Intervals
    backfill: timedelta  # a first poll alerts only items this recent
    owner: str = "watcher"  # lease owner: one name per watcher process
    lease_seconds: float = 600.0
    batch_size: int = 100  # feeds leased at a time
    concurrency: int = 10  # feeds polled at once
    max_entries: int = 500


@dataclass
class CycleReport:
    feeds_polled: int = 0
    feeds_unchanged: int = 0
    feeds_failed: int = 0
    new_items: int = 0
    new_matches: int = 0
    new_events: int = 0
    alerts_enqueued: int = 0
    entries_parsed: int = 0  # entries of changed feeds that were parsed
    entries_skipped: int = 0  # entries left unparsed: unchanged since the last stored version
    parse_fallbacks: int = 0  # changed feeds read by feedparser because lxml could not
    feeds_elsewhere: int = 0  # feeds left to another process polling them (run --once)
    errors: list[str] = field(default_factory=list)


def _note(parsed: FeedData) -> str | None:
    """What an admin should know about a feed that otherwise works."""
    notes = []
    if parsed.dropped:
        notes.append(f"{parsed.dropped} items over the cap of {len(parsed.entries)} were skipped")
    if parsed.warning:
        notes.append(parsed.warning)
    return "; ".join(notes) or None


class _Slot:
    """One of the cycle's concurrent polls; given back early once a poll only has to store.

    Stores are written one at a time on SQLite; a feed waiting its turn to write must not
    keep other feeds from fetching meanwhile.
    """

    def __init__(self, limit: asyncio.Semaphore) -> None:
        self._limit = limit
        self._held = False

    async def __aenter__(self) -> _Slot:
        await self._limit.acquire()
        self._held = True
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.release()

    def release(self) -> None:
        if self._held:
            self._held = False
            self._limit.release()


class _Countdown:
    """Set once `count` was called `n` times: every feed of a batch has had its slot."""

    def __init__(self, n: int) -> None:
        self._left = n
        self._reached = asyncio.Event()
        if n <= 0:
            self._reached.set()

    def count(self) -> None:
        self._left -= 1
        if self._left <= 0:
            self._reached.set()

    async def reached_or(self, task: asyncio.Task[None]) -> None:
        """Wait until reached, or until `task` ends (it failed, or finished with all)."""
        waiting = asyncio.ensure_future(self._reached.wait())
        try:
            await asyncio.wait({waiting, task}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiting.cancel()


# Batches of a cycle unfinished at once (run's docstring): enough that storing the earlier
# ones never leaves the slots idle, few enough to bound the parsed feeds waiting to be stored.
BATCHES_IN_FLIGHT = 3

# The themes a worker leaves to this process (taught, reading meaning), across cycles.
_DEFERRED_SCORERS = ScorerCache()


class PollCycle:
    """Polls due feeds with one HTTP client; the caller owns the clock and the client."""

    def __init__(
        self,
        store: Store,
        policy: FetchPolicy,
        settings: CycleSettings,
        client: httpx.AsyncClient,
        clock: Clock,
        parse_pool: Executor | None = None,
    ) -> None:
        self.store = store
        self.policy = policy
        self.settings = settings
        self.client = client
        self.clock = clock
        self.parse_pool = parse_pool

    async def run(self) -> CycleReport:
        """Poll every feed that is due now, a batch at a time, until none is left.

        One batch always waits at the slots behind the one being polled, and the batch after
        it is leased once every feed of the one before has had a slot, not once that batch
        is stored: on SQLite the stores are written one at a time (a lease too waits its turn
        to write), and a cycle waiting for a batch's last writes before leasing the next left
        the network and the parse workers idle, about a fifth of a first cycle over 1,000
        feeds. At most `BATCHES_IN_FLIGHT` batches are unfinished at once, which bounds the
        parsed feeds waiting to be stored.
        """
        report = CycleReport()
        themes = tuple(await self.store.list_themes())
        limit = asyncio.Semaphore(self.settings.concurrency)
        seen: set[int] = set()
        running: list[asyncio.Task[None]] = []
        slotted: list[_Countdown] = []  # per running batch: have all its feeds had a slot?
        try:
            while True:
                feeds = await self.store.lease_due_feeds(
                    self.clock(),
                    self.settings.owner,
                    self.settings.batch_size,
                    self.settings.lease_seconds,
                )
                # A feed polled earlier in this cycle that is due again (the cycle outlasted
                # its interval, or a short Retry-After) waits for the next cycle; its new
                # lease is given back, or it would sit unpolled until the lease ran out.
                again = [f.id for f in feeds if f.id in seen]
                await self.store.release_feeds(again, self.settings.owner)
                feeds = [f for f in feeds if f.id not in seen]
                if not feeds:
                    break
                seen.update(f.id for f in feeds)
                slotted.append(_Countdown(len(feeds)))
                running.append(
                    asyncio.create_task(self._batch(limit, feeds, themes, report, slotted[-1]))
                )
                if len(running) > 1:  # this batch waits at the slots behind the one before
                    await slotted[-2].reached_or(running[-2])
                while running and (len(running) >= BATCHES_IN_FLIGHT or running[0].done()):
                    slotted.pop(0)
                    await running.pop(0)
            while running:
                await running.pop(0)
        finally:
            for task in running:
                task.cancel()
            await asyncio.gather(*running, return_exceptions=True)
        return report

    async def _batch(
        self,
        limit: asyncio.Semaphore,
        feeds: list[FeedRow],
        themes: tuple[ThemeSpec, ...],
        report: CycleReport,
        slotted: _Countdown,
    ) -> None:
        unchanged: list[tuple[int, FeedPollOutcome]] = []
        await asyncio.gather(
            *(self._limited(limit, f, themes, report, unchanged, slotted) for f in feeds)
        )
        # Most polls of a cycle are 304s: their state is written in one statement.
        await self.store.record_unchanged(unchanged)

    async def _limited(
        self,
        limit: asyncio.Semaphore,
        feed: FeedRow,
        themes: tuple[ThemeSpec, ...],
        report: CycleReport,
        unchanged: list[tuple[int, FeedPollOutcome]],
        slotted: _Countdown,
    ) -> None:
        async with _Slot(limit) as slot:
            slotted.count()
            await self.poll_feed(feed, themes, report, unchanged, slot.release)

    async def poll_feed(
        self,
        feed: FeedRow,
        themes: tuple[ThemeSpec, ...],
        report: CycleReport,
        unchanged: list[tuple[int, FeedPollOutcome]] | None = None,
        fetched_and_parsed: Callable[[], None] = lambda: None,
    ) -> None:
        """Poll one feed; `fetched_and_parsed` is called before its results are stored."""
        try:
            await self._poll(feed, themes, report, unchanged, fetched_and_parsed)
        except (FetchError, ParseError) as exc:
            await self._failed(feed, str(exc), getattr(exc, "retry_after", None), report)
        except Exception as exc:  # a bug must not stop the other feeds; it is shown on /feeds
            log.exception("polling %s failed unexpectedly", feed.url)
            await self._failed(feed, f"internal error: {type(exc).__name__}: {exc}", None, report)

    async def _failed(
        self, feed: FeedRow, error: str, retry_after: float | None, report: CycleReport
    ) -> None:
        now = self.clock()
        failures = feed.failures + 1
        log.warning("feed %s failed (%d in a row): %s", feed.url, failures, error)
        report.feeds_failed += 1
        report.errors.append(error)
        await self.store.record_poll(
            feed.id,
            FeedPollOutcome(
                polled_at=now,
                next_poll_at=next_poll_after_failure(
                    now, feed.id, failures, self.settings.intervals.base, retry_after=retry_after
                ),
                ok=False,
                error=error,
            ),
        )

    def _finish_deferred(
        self, done: ParsedFeed, themes: tuple[ThemeSpec, ...], source: str
    ) -> ParsedFeed:
        """Score the entries a worker left pending for taught themes that read meaning (few:
        only those that reach the model), here where the meaning model is loaded once."""
        scorer = _DEFERRED_SCORERS.get(themes)
        name = done.data.title or source
        matched, statements = list(done.matched), list(done.statements)
        for k, slugs in enumerate(done.pending):
            if not slugs:
                continue
            entry = done.data.entries[k]
            text = item_text(entry, name)
            found = [r for r in (scorer.score_one(text, s) for s in slugs) if r.matched]
            if found:
                matched[k] = (*matched[k], *found)
                if not statements[k]:
                    statements[k] = reported_statements(entry.title, entry.summary, entry.published)
        return replace(done, matched=tuple(matched), statements=tuple(statements), pending=())

    def _interval(self, feed: FeedRow) -> float:
        return float(feed.interval_seconds or self.settings.intervals.base)

    async def _poll(
        self,
        feed: FeedRow,
        themes: tuple[ThemeSpec, ...],
        report: CycleReport,
        unchanged: list[tuple[int, FeedPollOutcome]] | None,
        fetched_and_parsed: Callable[[], None],
    ) -> None:
        fetched = await fetch_feed(
            feed.url,
            etag=feed.etag,
            last_modified=feed.last_modified,
            previous_hash=feed.body_hash,
            policy=self.policy,
            client=self.client,
            now=self.clock(),
        )
        now = self.clock()
        if fetched.status == 304 or fetched.body is None:
            report.feeds_unchanged += 1
            outcome = FeedPollOutcome(
                polled_at=now,
                next_poll_at=next_poll_after_success(
                    now, feed.id, self._interval(feed), max_age=fetched.max_age
                ),
                ok=True,
                etag=fetched.etag,
                last_modified=fetched.last_modified,
                new_url=fetched.permanent_url,
            )
            if unchanged is not None and outcome.new_url is None:
                unchanged.append((feed.id, outcome))
            else:
                await self.store.record_poll(feed.id, outcome)
            return
        # Parsing and scoring are CPU work: in a worker process when one is given (the other
        # cores), else in a thread; either way off the event loop, so other feeds and the bot
        # keep moving.
        work = functools.partial(
            parse_and_score,
            fetched.body,
            url=fetched.final_url,  # relative links resolve against where the feed really is
            fetched_at=fetched.fetched_at,
            content_type=fetched.content_type,
            max_entries=self.settings.max_entries,
            previous=feed.entry_digests,
            themes=ThemeSet.of(themes),  # the matcher's themes: workers never import store
            source=feed.title or feed.url,
            # a worker leaves taught themes that read meaning to this process (workers.py)
            defer_meaning=self.parse_pool is not None,
        )
        done: ParsedFeed
        if self.parse_pool is not None:
            done = await asyncio.get_running_loop().run_in_executor(self.parse_pool, work)
        else:
            done = await asyncio.to_thread(work)
        parsed = done.data
        fetched_and_parsed()
        batch = self._batch_of(feed, done, now, themes)
        interval = adaptive_interval(parsed.dates, self.settings.intervals)
        outcome = FeedPollOutcome(
            polled_at=now,
            next_poll_at=next_poll_after_success(
                now, feed.id, interval, max_age=fetched.max_age, ttl=parsed.ttl_seconds
            ),
            ok=True,
            etag=fetched.etag,
            last_modified=fetched.last_modified,
            body_hash=fetched.body_hash,
            title=parsed.title,
            new_url=fetched.permanent_url,
            interval_seconds=int(interval),
            note=_note(parsed),
            parsed=True,
            entry_digests=parsed.digests,
            forget_known_keys=feed.known_keys is not None,
        )
        commit = await self.store.commit_poll(
            feed.id, outcome, batch, fetched.fetched_at, choose_event
        )
        report.feeds_polled += 1
        report.entries_parsed += len(parsed.entries)
        report.entries_skipped += parsed.skipped
        report.parse_fallbacks += parsed.fallback is not None
        report.new_items += commit.new_items
        report.new_matches += commit.new_matches
        report.new_events += commit.new_events
        report.alerts_enqueued += commit.alerts_enqueued
        if parsed.dropped:
            log.warning("feed %s: %d items over the cap were skipped", feed.url, parsed.dropped)

    def _batch_of(
        self, feed: FeedRow, done: ParsedFeed, now: datetime, themes: tuple[ThemeSpec, ...]
    ) -> list[ItemToStore]:
        """Every parsed entry with its matches; the store keeps those that are new."""
        if any(done.pending):
            done = self._finish_deferred(done, themes, feed.title or feed.url)
        return [
            ItemToStore(
                new_item(entry),
                tuple(match_to_store(r, said) for r in found),
                alertable=alertable(entry, feed, now, self.settings.backfill),
                wants_full_text=wants_full_text(
                    feed.full_text, bool(found), entry.title, entry.summary, entry.link
                ),
            )
            for entry, found, said in zip(
                done.data.entries, done.matched, done.statements, strict=True
            )
        ]
