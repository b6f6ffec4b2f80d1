"""Why a URL someone asked to add was not added, in words that do not contradict themselves.

The watchers' errors end in "will retry" because a stored feed is retried; for a URL that was
refused, nothing will be retried. This says what failed, and what the person can do: fix the
address, or (when the failure may pass) add it unchecked so that polling retries it.
"""

from __future__ import annotations

from watchers.fetch.types import FetchError
from watchers.parse.feed import ParseError

RETRY_SUFFIXES = ("; will retry at the next poll", "; will retry")


def not_added(exc: FetchError | ParseError, add_anyway: str) -> str:
    """`not added: URL: what happened. ...`; `add_anyway` names how to add it unchecked."""
    reason = exc.reason
    transient = False
    for suffix in RETRY_SUFFIXES:
        if reason.endswith(suffix):
            reason, transient = reason.removesuffix(suffix), True
            break
    text = f"not added: {exc.url}: {reason}."
    if transient:
        text += (
            f" If the address is right and the site is only unreachable now, {add_anyway}: "
            "it is then polled, and retried with backoff until it answers."
        )
    return text
