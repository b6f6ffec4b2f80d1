"""All SQL of policywatch: schema, migrations and every query, returning plain records.

`Store.open(url)` gives one object whose methods come from small query modules, all listed
on `Store`: feeds, polls (items, matches, events, alerts in one transaction), events (placing
statements into events under a lock), rematch, full text (articles of thin matched items),
themes, removals (what a removed theme takes along, and putting it back), chats, delivery,
digests, reading (views for the front ends), search (full text), audit and labels (items
taught to a theme). `store.undo` is pure: the rule for undoing one theme change. Errors share
one base, `StoreError` (store/errors.py). Imports nothing of ours.
"""

from __future__ import annotations

from store.audit import AuditQueries
from store.chats import ChatQueries, UnknownTheme
from store.db import (
    StoreConfigError,
    StoreUnavailable,
    async_url,
    make_engine,
    shown_url,
    upgrade,
)
from store.delivery import DeliveryQueries
from store.digests import DigestQueries
from store.errors import StoreError
from store.feeds import FeedExists, FeedQueries
from store.fulltext import FullTextQueries
from store.labels import LabelQueries, LabelRow
from store.leases import LeaseQueries
from store.polls import PollQueries
from store.reading import ReadingQueries
from store.rematch import RematchQueries
from store.removals import RemovalQueries, ThemeFootprint
from store.search import SearchQueries
from store.search_text import SearchQueryError
from store.themes import ThemeQueries


class Store(
    RemovalQueries,
    FeedQueries,
    FullTextQueries,
    LabelQueries,
    LeaseQueries,
    PollQueries,
    RematchQueries,
    ThemeQueries,
    ChatQueries,
    DeliveryQueries,
    DigestQueries,
    ReadingQueries,
    SearchQueries,
    AuditQueries,
):
    """The whole store behind one engine: every query class, one module per entity."""

    @classmethod
    async def open(cls, url: str, *, migrate: bool = True) -> Store:
        engine = make_engine(url)
        if migrate:
            await upgrade(engine)
        return cls(engine)


__all__ = [
    "FeedExists",
    "LabelRow",
    "SearchQueryError",
    "Store",
    "StoreConfigError",
    "StoreError",
    "StoreUnavailable",
    "ThemeFootprint",
    "UnknownTheme",
    "async_url",
    "make_engine",
    "shown_url",
    "upgrade",
]
