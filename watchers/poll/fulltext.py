"""The full text of a thin matched item: its article fetched once, after the poll, politely.

A feed often carries a headline and a sentence; the speaker, the quote and the day are in the
article. An item that matched a theme and whose feed text is short (`is_thin`: title and
summary under THIN_CHARS characters) is queued by its poll (`wants_full_text`); `FullTextFetcher`
later claims a batch of queued items, fetches each article through the feeds' guarded client
and policy (SSRF guard, size cap, deadlines), one request at a time per host with a pause
between two, extracts the main text (watchers/parse/article.py, trafilatura), reads the
statements it reports (`matcher.reported_statements`) and hands both to the store, which
places new statements into events without alerting. A fetch that failed for a passing reason
(a timeout, a 5xx, a 429) is tried again later, at most RETRIES times (`next_try` decides
when); one that cannot succeed as asked (404/410, a refused address, a page with no article
text) is stored as failed at once. Failures are shown on /feeds (`feeds_list`).

Does not score: scoring stays on the feed's text (docs/watchers.md says why). Does not decide
events (the store does, with `choose_event`), nor when it runs (bot/app/wiring.py does).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import httpx

from matcher import Statement, choose_event, reported_statements
from store import Store
from store.records import FullTextJob, FullTextOutcome
from watchers.fetch.client import FetchError, FetchPolicy, fetch_feed
from watchers.fetch.feedurl import is_http_url
from watchers.parse.article import ArticleError, extract_article

log = logging.getLogger(__name__)

# Title + summary shorter than this is "thin": about two sentences, too little to name a speaker,
# a quote and a day together. Feeds that carry whole articles (1,000+ characters) are not fetched.
THIN_CHARS = 400
# Stored article text is cut here: a statement is in the first pages of an article.
MAX_TEXT_CHARS = 100_000
# After the first, second and third failed try of an article: wait this long, then try again;
# a fourth failure is final. A news site that is down for a few hours still gives its text.
RETRY_WAITS = (timedelta(minutes=10), timedelta(hours=1), timedelta(hours=6))
RETRIES = len(RETRY_WAITS)
MAX_SERVER_WAIT = timedelta(days=1)  # a Retry-After beyond this is not honoured as such


def is_thin(title: str, summary: str) -> bool:
    """The feed's text of an item is too short to hold its statements."""
    return len(title.strip()) + len(summary.strip()) < THIN_CHARS


def wants_full_text(
    feed_on: bool, matched: bool, title: str, summary: str, link: str | None
) -> bool:
    """Queue this item's article: a match, thin feed text, an http(s) link, full text on."""
    if not (feed_on and matched and link and is_http_url(link)):
        return False
    return is_thin(title, summary)


def next_try(
    failures: int, permanent: bool, now: datetime, retry_after: float | None = None
) -> datetime | None:
    """When to fetch an article again after its `failures`-th failed try; None: never.

    A failure that trying again as asked cannot mend (`permanent`) is final at once; the
    others wait RETRY_WAITS[failures - 1], or longer when the server asked for longer.
    """
    if permanent or failures > RETRIES:
        return None
    wait = RETRY_WAITS[failures - 1]
    if retry_after is not None and retry_after > 0:
        wait = max(wait, min(timedelta(seconds=retry_after), MAX_SERVER_WAIT))
    return now + wait


@dataclass(frozen=True)
class FullTextSettings:
    batch: int = 20  # items claimed per run: a run stays short, the rest wait for the next
    hosts_at_once: int = 4  # hosts fetched from side by side
    host_delay: float = 1.0  # seconds between two requests to one host
    stale: timedelta = timedelta(minutes=15)  # a claim this old was left by a dead process


@dataclass
class FullTextReport:
    fetched: int = 0
    failed: int = 0  # for good: the error is final, or the last try failed
    retrying: int = 0  # failed for a passing reason: tried again later
    reused: int = 0  # another item's fetch of the same link was stored again
    new_events: int = 0
    joined_events: int = 0
    errors: list[str] = field(default_factory=list)


def article_statements(title: str, text: str, published: datetime) -> tuple[Statement, ...]:
    """The statements an article reports that name a speaker or an office.

    The headline's unattributed statement that `reported_statements` always yields is left
    out: the feed's text already gave the match its key statement.
    """
    return tuple(
        s
        for s in reported_statements(title, text, published)
        if (s.speaker or s.office) and s.role == "official"
    )


class FullTextFetcher:
    """Fetches queued articles with the poll cycle's client; `run` does one bounded batch."""

    def __init__(
        self,
        store: Store,
        policy: FetchPolicy,
        client: httpx.AsyncClient,
        clock: Callable[[], datetime],
        settings: FullTextSettings | None = None,
    ) -> None:
        self.store = store
        self.policy = policy
        self.client = client
        self.clock = clock
        self.settings = settings or FullTextSettings()

    async def run(self) -> FullTextReport:
        """Claim up to a batch of queued items and fetch their articles, host by host."""
        report = FullTextReport()
        jobs = await self.store.claim_full_text(
            self.clock(), self.settings.batch, self.settings.stale
        )
        by_host: dict[str, list[FullTextJob]] = {}
        for job in jobs:
            by_host.setdefault((urlsplit(job.link).hostname or "").lower(), []).append(job)
        limit = asyncio.Semaphore(self.settings.hosts_at_once)
        await asyncio.gather(*(self._host(limit, queue, report) for queue in by_host.values()))
        return report

    async def _host(
        self, limit: asyncio.Semaphore, queue: Sequence[FullTextJob], report: FullTextReport
    ) -> None:
        """One host's articles, one at a time, with a pause between two requests."""
        async with limit:
            for n, job in enumerate(queue):
                if n and self.settings.host_delay > 0:
                    await asyncio.sleep(self.settings.host_delay)
                try:
                    await self._one(job, report)
                except Exception:  # a bug on one article must not stop the others
                    log.exception("full text of %s failed unexpectedly", job.link)

    async def _one(self, job: FullTextJob, report: FullTextReport) -> None:
        outcome = await self.store.known_full_text(job.link, job.item_id)
        if outcome is not None:
            report.reused += 1
            outcome = FullTextOutcome(outcome.status, outcome.text, outcome.error, self.clock())
        else:
            outcome = await self._fetch(job)
        if outcome.status == "fetched":
            report.fetched += 1
        else:
            if outcome.retry_at is not None:
                report.retrying += 1
            else:
                report.failed += 1
            report.errors.append(outcome.error or "failed")
            log.info("full text of %s: %s", job.link, outcome.error)
        statements: tuple[Statement, ...] = ()
        if outcome.text:
            statements = await asyncio.to_thread(
                article_statements, job.title, outcome.text, job.published_at
            )
        saved = await self.store.save_full_text(job.item_id, outcome, statements, choose_event)
        report.new_events += saved.new_events
        report.joined_events += saved.joined_events

    async def _fetch(self, job: FullTextJob) -> FullTextOutcome:
        """The article's main text, or why there is none (the message an admin would need)."""
        if not is_http_url(job.link):
            return self._failed(job, "not an http(s) link", permanent=True)
        try:
            fetched = await fetch_feed(
                job.link,
                etag=None,
                last_modified=None,
                previous_hash=None,
                policy=self.policy,
                client=self.client,
                now=self.clock(),
            )
            article = await asyncio.to_thread(
                extract_article, fetched.body or b"", fetched.content_type, job.link
            )
        except FetchError as exc:
            return self._failed(job, str(exc), exc.permanent, exc.retry_after)
        except ArticleError as exc:  # the page came, and holds no article: the same next time
            return self._failed(job, str(exc), permanent=True)
        return FullTextOutcome("fetched", article.text[:MAX_TEXT_CHARS], None, self.clock())

    def _failed(
        self, job: FullTextJob, error: str, permanent: bool, retry_after: float | None = None
    ) -> FullTextOutcome:
        now = self.clock()
        retry_at = next_try(job.tries + 1, permanent, now, retry_after)
        return FullTextOutcome("failed", None, error, now, retry_at)
