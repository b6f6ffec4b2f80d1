"""Failures on demand (429, 5xx, 403, timeouts, closed topics) and Telegram's rate limits."""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque

from tests.fakebotapi.records import MAX_HANG, SENDING_METHODS, ApiError, Call, Fault, _int


class Faults:
    """The fake's faults; mixed into FakeBotAPI, whose state it reads."""

    enforce_limits: bool
    limit_slack: float
    limit_violations: int
    _faults: list[Fault]
    _forbidden: set[int]
    _closed_topics: dict[tuple[int, int], str]
    _chat_sends: dict[int, deque[float]]
    _all_sends: deque[float]
    _closing: asyncio.Event

    def fail_next(
        self,
        method: str,
        kind: int | str,
        count: int = 1,
        chat_id: int | None = None,
        *,
        retry_after: int = 1,
        hang: float = 5.0,
        description: str | None = None,
        new_chat_id: int | None = None,
    ) -> None:
        """Answer the next `count` calls of `method` (to `chat_id`, if given) with a fault.

        kind: 429 (with `retry_after`), 500, 502, 403 ("bot was blocked by the user"),
        "chat not found" (400), 400 (with `description`), "migrated" (400 with
        `migrate_to_chat_id` = `new_chat_id`), or "timeout": hang `hang` seconds
        (set it above the client's read timeout) and then answer 502; a hung call is not
        delivered.
        """
        self._faults.append(
            Fault(
                method,
                str(kind),
                count,
                chat_id,
                retry_after,
                min(hang, MAX_HANG),
                description,
                new_chat_id,
            )
        )

    def clear_faults(self) -> None:
        self._faults.clear()

    def close_topic(self, chat_id: int, thread_id: int, *, deleted: bool = False) -> None:
        """Sends to this forum topic fail as Telegram's do for a closed (or deleted) topic."""
        why = "message thread not found" if deleted else "TOPIC_CLOSED"
        self._closed_topics[(chat_id, thread_id)] = f"Bad Request: {why}"

    def reopen_topic(self, chat_id: int, thread_id: int) -> None:
        self._closed_topics.pop((chat_id, thread_id), None)

    def forbid(self, chat_id: int) -> None:
        """Every later send to `chat_id` answers 403, as when the user blocked the bot."""
        self._forbidden.add(chat_id)

    async def _fault(self, call: Call) -> None:
        chat_id = _int(call.params.get("chat_id"))
        if call.method in SENDING_METHODS and chat_id in self._forbidden:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        topic = _int(call.params.get("message_thread_id"))
        closed = self._closed_topics.get((chat_id or 0, topic or 0))
        if call.method in SENDING_METHODS and closed:
            raise ApiError(400, closed)
        for fault in self._faults:
            if fault.method != call.method or (
                fault.chat_id is not None and fault.chat_id != chat_id
            ):
                continue
            fault.remaining -= 1
            if fault.remaining <= 0:
                self._faults.remove(fault)
            await self._raise_fault(fault)
        if self.enforce_limits and call.method in SENDING_METHODS and chat_id is not None:
            self._check_limits(chat_id, call.at)

    async def _raise_fault(self, fault: Fault) -> None:
        kind = fault.kind.lower()
        if kind == "429":
            raise ApiError(
                429,
                f"Too Many Requests: retry after {fault.retry_after}",
                {"retry_after": fault.retry_after},
            )
        if kind in {"500", "502", "503", "504"}:
            phrase = {"500": "Internal Server Error", "502": "Bad Gateway"}.get(kind, "Error")
            raise ApiError(int(kind), fault.description or phrase)
        if kind == "403":
            raise ApiError(403, fault.description or "Forbidden: bot was blocked by the user")
        if kind in {"chat not found", "chat_not_found"}:
            raise ApiError(400, "Bad Request: chat not found")
        if kind == "migrated":
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": fault.new_chat_id},
            )
        if kind == "400":
            raise ApiError(400, fault.description or "Bad Request: something is wrong")
        if kind == "timeout":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), fault.hang)
            raise ApiError(502, "Bad Gateway")
        raise ValueError(f"unknown fault kind {fault.kind!r}")

    def _check_limits(self, chat_id: int, at: float) -> None:
        """Telegram's limits: 1 msg/s per chat, 20/min per group, 30/s in all (slightly eased)."""
        keep = 1.0 - self.limit_slack
        sends = self._chat_sends.setdefault(chat_id, deque())
        group_window = 60.0 * keep
        while sends and at - sends[0] >= group_window:
            sends.popleft()
        while self._all_sends and at - self._all_sends[0] >= keep:
            self._all_sends.popleft()
        retry = 0.0
        if sends and at - sends[-1] < keep:
            retry = keep - (at - sends[-1])
        if chat_id < 0 and len(sends) >= 20:
            retry = max(retry, group_window - (at - sends[0]))
        if len(self._all_sends) >= 30:
            retry = max(retry, keep - (at - self._all_sends[0]))
        if retry > 0:
            self.limit_violations += 1
            seconds = max(1, int(retry + 0.999))
            raise ApiError(
                429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds}
            )
        sends.append(at)
        self._all_sends.append(at)
