"""Check a URL someone wants to add as a feed, and find the feed when it is a site's page.

Fetches the URL once and parses it; when it is an HTML page that advertises feeds
(<link rel="alternate">), tries those in the page's order and reports which one it chose.
For `/addfeed` and `policywatch feeds add`: the caller stores `Probe.url` and shows `note`.

Does not store anything or decide whether the feed is wanted; errors are the FetchError and
ParseError of `watchers.fetch.client` and `watchers.parse.feed`, unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import httpx

from watchers.fetch.client import FetchError, FetchPolicy, FetchResult, fetch_feed
from watchers.parse.feed import FeedData, ParseError, parse_feed

MAX_CANDIDATES = 3  # feed links tried from one page


@dataclass(frozen=True)
class Probe:
    """A URL that was checked and is a feed; flows from the watchers to the admin commands."""

    url: str  # the feed URL to store (the discovered feed, or the permanent redirect target)
    feed: FeedData  # what it holds now
    fetch: FetchResult  # the fetch that produced it (validators for the first poll)
    note: str | None  # what was changed and why, to show the admin; None if nothing was


async def _fetch_and_parse(
    url: str, policy: FetchPolicy, client: httpx.AsyncClient, now: datetime
) -> tuple[FetchResult, FeedData]:
    result = await fetch_feed(
        url,
        etag=None,
        last_modified=None,
        previous_hash=None,
        policy=policy,
        client=client,
        now=now,
    )
    feed = parse_feed(
        result.body or b"",
        url=result.final_url,
        fetched_at=now,
        content_type=result.content_type,
    )
    return result, feed


def _stored_url(asked: str, result: FetchResult) -> tuple[str, str | None]:
    if result.permanent_url and result.permanent_url != asked:
        return result.permanent_url, f"{asked} moved permanently; using {result.permanent_url}"
    return asked, None


async def probe_feed(
    url: str, *, policy: FetchPolicy, client: httpx.AsyncClient, now: datetime
) -> Probe:
    """The feed at `url`, or the first working feed its HTML page links to."""
    try:
        result, feed = await _fetch_and_parse(url, policy, client, now)
    except ParseError as page_error:
        if not page_error.feed_links:
            raise
        failures: list[str] = []
        for candidate in page_error.feed_links[:MAX_CANDIDATES]:
            try:
                result, feed = await _fetch_and_parse(candidate, policy, client, now)
            except (FetchError, ParseError) as exc:
                failures.append(str(exc))
                continue
            stored, _ = _stored_url(candidate, result)
            others = len(page_error.feed_links) - 1
            choice = f" (first of {others + 1} it lists)" if others else ""
            found = f"{url} is an HTML page; using the feed it links to{choice}: {stored}"
            return Probe(stored, feed, result, found)
        raise ParseError(
            url,
            "is an HTML page and none of the feeds it links to works: " + "; ".join(failures),
            feed_links=page_error.feed_links,
        ) from page_error
    stored, note = _stored_url(url, result)
    return Probe(stored, feed, result, note)
