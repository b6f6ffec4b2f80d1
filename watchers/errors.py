"""The watchers' errors: one base, so the CLI and the chat map them all at their edge.

    WatcherError
    ├── FetchError      a feed could not be fetched (watchers.fetch.types)
    ├── FeedUrlError    a URL that cannot be a feed, or is not allowed (watchers.fetch.feedurl)
    ├── ParseError      the bytes are not a feed we can read (watchers.parse.feed)
    └── OpmlError       an OPML file we cannot read (watchers.parse.opml)

Internal errors (a blocked address, a body over the cap, a bad encoding, a malformed XML
prologue) are mapped to FetchError or ParseError where they happen and never leave the
package. Every subclass must survive pickling: parse errors cross from worker processes.
"""

from __future__ import annotations

__all__ = ["WatcherError"]


class WatcherError(Exception):
    """Base of the errors the watchers hand to their callers; the message says what to fix."""
