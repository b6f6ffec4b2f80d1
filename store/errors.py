"""The store's errors: one base, so callers can map them all at their edge.

StoreError
├── StoreConfigError  a database URL we cannot use (store.db)
├── FeedExists        the feed is already watched (store.feeds)
└── UnknownTheme      no theme by that slug (store.chats)
"""

from __future__ import annotations

__all__ = ["StoreError"]


class StoreError(Exception):
    """Base of the errors the store raises on purpose; the message says what to do."""
