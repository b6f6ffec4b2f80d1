"""Pacing of outgoing messages within Telegram's limits, with an injectable clock.

At most one message a second per chat, 20 a minute per group (negative chat ids), and an
overall rate of about 30 a second for the token; a chat that got a 429 waits out its
`retry_after`. `await pacer.acquire(chat_id)` returns when a message to that chat may go.
Does not send, retry or decide anything about errors: the deliverer does (bot/telegram/delivery.py).
docs/delivery.md says why this pacer stands alone rather than on top of PTB's AIORateLimiter.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from telegram.ext import BaseRateLimiter

Clock = Callable[[], float]

# Set while a caller that already holds a slot sends (the Deliverer), so that a bot with
# PacedRateLimiter on the same pacer does not take a second slot for the same message.
_already_paced: ContextVar[bool] = ContextVar("already_paced", default=False)


@contextmanager
def already_paced() -> Iterator[None]:
    """Requests made inside this block took their slot from the pacer already."""
    token = _already_paced.set(True)
    try:
        yield
    finally:
        _already_paced.reset(token)


Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Limits:
    """Telegram's published limits (Bot API FAQ), with a little margin on the overall rate."""

    per_chat_interval: float = 1.0  # seconds between two messages to one chat
    group_per_minute: int = 20  # messages to one group in any 60 seconds
    # 29 rather than 30: a message that leaves on time can arrive a few ms late, and 30 in a
    # second measured at Telegram's end would then be 31.
    overall_per_second: float = 29.0

    @classmethod
    def unlimited(cls) -> Limits:
        """No pacing at all (tests that do not care, and the raw-throughput benchmark)."""
        return cls(per_chat_interval=0.0, group_per_minute=0, overall_per_second=0.0)


class Pacer:
    """Hands out send slots: per chat, per group, overall, and after a 429."""

    def __init__(
        self,
        limits: Limits | None = None,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.limits = limits or Limits()
        self._clock = clock
        self._sleep = sleep
        self._chat_next: dict[int, float] = {}  # earliest next send per chat
        self._group_sends: dict[int, deque[float]] = {}  # recent send slots per group
        self._next_slot = 0.0  # earliest next send overall
        self._interval = (
            1.0 / self.limits.overall_per_second if self.limits.overall_per_second > 0 else 0.0
        )

    def ready_at(self, chat_id: int) -> float:
        """The earliest clock time a message to `chat_id` may go, by the chat's own limits."""
        at = self._chat_next.get(chat_id, 0.0)
        limit = self.limits.group_per_minute
        if chat_id < 0 and limit > 0:
            sends = self._group_sends.get(chat_id)
            if sends and len(sends) >= limit:
                at = max(at, sends[-limit] + 60.0)
        return at

    def delay(self, chat_id: int) -> float:
        """Seconds until `chat_id` may get a message by its own limits (0 when it may now)."""
        return max(self.ready_at(chat_id) - self._clock(), 0.0)

    async def acquire(self, chat_id: int) -> None:
        """Wait until a message to `chat_id` may be sent, and count it as sent then.

        Callers send to one chat in order (one task per chat); different chats may call
        concurrently: each gets its own overall slot, so waiting chats never hold up others.
        """
        while True:
            now = self._clock()
            wait = self.ready_at(chat_id) - now
            if wait <= 0:
                break
            await self._sleep(wait)
        slot = max(now, self._next_slot)
        self._next_slot = slot + self._interval
        self._record(chat_id, slot)
        if slot > now:
            await self._sleep(slot - now)

    def hold(self, chat_id: int, seconds: float) -> None:
        """Telegram said 429 for this chat: nothing goes to it for `seconds`."""
        until = self._clock() + seconds
        self._chat_next[chat_id] = max(self._chat_next.get(chat_id, 0.0), until)

    def _record(self, chat_id: int, slot: float) -> None:
        self._chat_next[chat_id] = max(
            self._chat_next.get(chat_id, 0.0), slot + self.limits.per_chat_interval
        )
        limit = self.limits.group_per_minute
        if chat_id < 0 and limit > 0:
            sends = self._group_sends.setdefault(chat_id, deque(maxlen=limit))
            sends.append(slot)
        if len(self._chat_next) > 50_000:
            self._forget(slot)

    def _forget(self, now: float) -> None:
        """Drop chats whose limits no longer matter, so memory stays bounded."""
        for chat_id in [c for c, t in self._chat_next.items() if t < now]:
            del self._chat_next[chat_id]
        for chat_id in [c for c, s in self._group_sends.items() if s and s[-1] < now - 60.0]:
            del self._group_sends[chat_id]


class PacedRateLimiter(BaseRateLimiter[None]):
    """PTB's rate-limiter hook driven by a `Pacer`: command replies share the alerts' budget.

    Give it to the Application (`ApplicationBuilder().rate_limiter(PacedRateLimiter(pacer))`)
    with the same pacer the Deliverer uses, and both stay within one token's limits. It paces
    every call that names an integer `chat_id`, except inside `already_paced()` (the Deliverer
    takes its slot before rendering its send); it does not retry 429s (callers decide).
    """

    def __init__(self, pacer: Pacer) -> None:
        self.pacer = pacer

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Awaitable[Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> Any:
        chat_id = data.get("chat_id")
        if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
            chat_id = int(chat_id)
        paced = _already_paced.get() or endpoint.startswith(("get", "answer", "set", "delete"))
        if isinstance(chat_id, int) and not paced:
            await self.pacer.acquire(chat_id)
        return await callback(*args, **kwargs)
