"""Delivery of the outbox to Telegram: due alerts are rendered, paced, sent and recorded.

A row is marked sent only after Telegram accepted the message. Telegram's answers map to the
store: 429 waits `retry_after`; network errors, timeouts and 5xx retry with exponential backoff
and give up (row failed, visible on /stats) a bounded time after the first attempt; 403 and
"chat not found" deactivate the chat (its pending alerts are dropped); a closed or deleted
forum topic deactivates only that topic's subscriptions; a group that became a supergroup
moves to its new id; any other 400 fails the row with Telegram's reason. Digests (outbox rows
carrying folded alerts, store/digests.py) go the same way, their chart after them.
Different chats are served in parallel (bounded), one chat in order.

Does not decide who gets an alert (the store's outbox does), build text (bot/chat/html.py), or
know Telegram's rate limits (bot/telegram/pacing.py). The only clock is the `now` callable.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from bot.chat.html import Button, RenderedMessage, render_alert
from bot.digest.render import digest_chart, render_digest
from bot.telegram.pacing import Pacer, already_paced
from store import Store
from store.records import DigestRow, OutboxRow

log = logging.getLogger(__name__)

Now = Callable[[], datetime]
Row = OutboxRow | DigestRow  # an alert, or a digest of the alerts folded for it
# What Telegram says when a forum topic cannot take messages any more (closed or deleted).
TOPIC_GONE = ("topic_closed", "topic_deleted", "message thread not found", "topic not found")


def chat_gone(exc: TelegramError) -> bool:
    """Telegram says the chat takes no message any more: the bot was blocked or removed, or
    the chat was deleted. Sends there stop (alerts and command replies alike)."""
    if isinstance(exc, Forbidden):
        return True
    return isinstance(exc, BadRequest) and "chat not found" in str(exc).lower()


def topic_gone(exc: TelegramError) -> bool:
    """Telegram says the forum topic sent to is closed or deleted."""
    return isinstance(exc, BadRequest) and any(g in str(exc).lower() for g in TOPIC_GONE)


class Outcome(Enum):
    SENT = "sent"
    RETRIED = "retried"
    FAILED = "failed"
    DEACTIVATED = "deactivated"
    MIGRATED = "migrated"  # moved to the supergroup's id; goes out on the next pass
    EMPTIED = "emptied"  # a digest whose alerts all went with a theme change: nothing to send
    SKIPPED = "skipped"  # not attempted: stopping, or an unexpected error (logged)


@dataclass
class DeliveryReport:
    """What one pass of `deliver_due` did, counted by outcome."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    deactivated: int = 0
    migrated: int = 0
    emptied: int = 0

    @property
    def attempted(self) -> int:
        return self.sent + self.retried + self.failed + self.deactivated + self.migrated

    def count(self, outcome: Outcome) -> None:
        if outcome is not Outcome.SKIPPED:
            setattr(self, outcome.value, getattr(self, outcome.value) + 1)

    def __add__(self, other: DeliveryReport) -> DeliveryReport:
        return DeliveryReport(
            self.sent + other.sent,
            self.retried + other.retried,
            self.failed + other.failed,
            self.deactivated + other.deactivated,
            self.migrated + other.migrated,
            self.emptied + other.emptied,
        )


class Deliverer:
    """Sends due outbox rows with one `telegram.Bot` and records each outcome in the store.

    Give the bot a connection pool at least as large as `concurrency` (PTB's default `Bot`
    has one connection: `HTTPXRequest(connection_pool_size=...)`).
    """

    def __init__(
        self,
        store: Store,
        bot: Bot,
        pacer: Pacer | None = None,
        *,
        now: Now,
        link_previews: bool = False,
        give_up_after: float = 3600.0,
        batch_size: int = 500,
        per_chat_batch: int = 10,
        concurrency: int = 16,
        base_backoff: float = 5.0,
        max_backoff: float = 300.0,
        idle_interval: float = 1.0,
        writers: int = 2,
        max_pacing_wait: float = 2.0,
    ) -> None:
        self.store = store
        self.bot = bot
        self.pacer = pacer or Pacer()
        self.now = now
        self.link_previews = link_previews
        self.give_up_after = give_up_after
        self.batch_size = batch_size
        # One pass sends at most this many alerts to one chat (1 s apart), so a chat with a
        # backlog cannot hold a pass, and everyone else's new alerts, for minutes.
        self.per_chat_batch = per_chat_batch
        self.concurrency = concurrency
        self.base_backoff = base_backoff
        self.max_backoff = max_backoff
        self.idle_interval = idle_interval
        # A chat that must wait longer than this for its next slot is left for a later pass,
        # so one busy group cannot keep a pass (and everyone's new alerts) waiting a minute.
        self.max_pacing_wait = max_pacing_wait
        self.writers = writers  # tasks recording outcomes; more help a store with slow commits
        self._held: dict[int, datetime] = {}  # chat -> not before (after a 429 or a retry)
        self._stop: asyncio.Event | None = None
        self._wake = asyncio.Event()
        self._writer: _Writer | None = None
        # One pass at a time in a process: the loop's pass and a pass asked for meanwhile
        # (`--once`, a test) would both read the same due rows and send them twice, and would
        # share the pass's writer.
        self._pass = asyncio.Lock()

    # -- the loop --

    async def run_forever(self, stop_event: asyncio.Event) -> None:
        """Deliver until `stop_event` is set; in-flight sends finish and are recorded first."""
        self._stop = stop_event
        failures = 0
        try:
            while not stop_event.is_set():
                try:
                    report = await self.deliver_due()
                    failures = 0
                except InvalidToken:
                    raise
                except Exception:  # the store or the network is down: keep the loop alive
                    failures += 1
                    log.exception("delivery pass failed (%d in a row)", failures)
                    report = DeliveryReport()
                if report.attempted == 0:
                    pause = min(self.idle_interval * 2 ** min(failures, 6), 60.0)
                    await self._idle(stop_event, pause)
        finally:
            self._stop = None

    def wake(self) -> None:
        """New alerts were enqueued: look at the outbox now rather than at the next tick."""
        self._wake.set()

    async def _idle(self, stop_event: asyncio.Event, seconds: float) -> None:
        waiters = [
            asyncio.ensure_future(stop_event.wait()),
            asyncio.ensure_future(self._wake.wait()),
        ]
        try:
            await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for w in waiters:
                w.cancel()
            self._wake.clear()

    # -- one pass --

    async def deliver_due(self, now_fn: Now | None = None) -> DeliveryReport:
        """Send what is due now: chats in parallel (bounded), each chat's alerts in order.
        A pass started while another runs waits for it, then reads what is due anew."""
        async with self._pass:
            return await self._deliver_due(now_fn)

    async def _deliver_due(self, now_fn: Now | None) -> DeliveryReport:
        now = (now_fn or self.now)()
        self._held = {c: t for c, t in self._held.items() if t > now}
        rows: list[Row] = [*await self.store.due_alerts(now, limit=self.batch_size)]
        rows += await self.store.due_digests(now)
        by_chat: dict[int, list[Row]] = {}
        for row in rows:
            if row.chat_id not in self._held:
                queue = by_chat.setdefault(row.chat_id, [])
                if len(queue) < self.per_chat_batch:
                    queue.append(row)
        report = DeliveryReport()
        await self.store.mark_attempting([r.id for q in by_chat.values() for r in q], now)
        gate = asyncio.Semaphore(self.concurrency)
        self._writer = _Writer(self.store, self.writers)
        try:
            await asyncio.gather(
                *(self._deliver_chat(chat_rows, gate, report) for chat_rows in by_chat.values())
            )
        finally:
            writer, self._writer = self._writer, None
            await writer.close()  # every outcome is recorded before the pass ends
        if report.attempted:
            log.info(
                "delivery: %d sent, %d retried, %d failed, %d chats deactivated",
                report.sent,
                report.retried,
                report.failed,
                report.deactivated,
            )
        return report

    async def _deliver_chat(
        self, rows: list[Row], gate: asyncio.Semaphore, report: DeliveryReport
    ) -> None:
        async with gate:
            for row in rows:
                if self._stop is not None and self._stop.is_set():
                    return
                if self.pacer.delay(row.chat_id) > self.max_pacing_wait:
                    return  # e.g. a group past 20 a minute: a later pass, not a held-up one
                outcome = await self._deliver_one(row)
                report.count(outcome)
                if outcome not in (Outcome.SENT, Outcome.FAILED, Outcome.EMPTIED):
                    return  # the chat waits, moved or is gone: its later alerts wait too

    async def _deliver_one(self, row: Row) -> Outcome:
        if isinstance(row, DigestRow) and not row.alerts:  # they went with a theme change
            # not a failed alert (/stats): an alert brought back later is owed anew
            await self._write(self.store.mark_dropped, row.id, "nothing left in it")
            return Outcome.EMPTIED
        try:
            message = render_row(row)
        except Exception as exc:  # a bug in rendering must not stop everyone's alerts
            log.exception("cannot render outbox row %d", row.id)
            await self._write(self.store.mark_failed, row.id, self.now(), f"render error: {exc!r}")
            return Outcome.FAILED
        await self.pacer.acquire(row.chat_id)
        try:
            sent = await self._send(row.chat_id, message, row.thread_id)
        except RetryAfter as exc:
            return await self._retry_after(row, exc)
        except ChatMigrated as exc:
            await self._write(self.store.migrate_chat, row.chat_id, exc.new_chat_id, self.now())
            log.info("chat %d became %d; its alerts follow", row.chat_id, exc.new_chat_id)
            return Outcome.MIGRATED
        except Forbidden as exc:
            return await self._deactivate(row, str(exc))
        except BadRequest as exc:  # before NetworkError: PTB's BadRequest subclasses it
            if chat_gone(exc):
                return await self._deactivate(row, str(exc))
            if row.thread_id and topic_gone(exc):
                return await self._close_topic(row, str(exc))
            log.warning("chat %d refused outbox row %d: %s", row.chat_id, row.id, exc)
            await self._write(
                self.store.mark_failed, row.id, self.now(), f"Telegram refused: {exc}"
            )
            return Outcome.FAILED
        except InvalidToken:
            raise  # nothing will ever be delivered: stop and tell the operator
        except TelegramError as exc:  # NetworkError, TimedOut, 5xx, Conflict, ...
            return await self._transient(row, exc)
        except Exception as exc:  # not PTB's: treat as transient so the pass goes on, bounded
            log.exception("unexpected error sending outbox row %d", row.id)
            return await self._transient(row, exc)
        await self._write(self.store.mark_sent, row.id, self.now(), sent)
        if isinstance(row, DigestRow):
            await self._send_chart(row)
        return Outcome.SENT

    async def _send(self, chat_id: int, message: RenderedMessage, thread_id: int = 0) -> int:
        """Send one rendered message (to a forum topic when `thread_id`); its message id."""
        with already_paced():  # a PacedRateLimiter on this bot must not take a second slot
            result = await self.bot.send_message(
                chat_id,
                message.text,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard(message.buttons),
                link_preview_options=LinkPreviewOptions(is_disabled=not self.link_previews),
                message_thread_id=thread_id or None,
            )
        return result.message_id

    async def _send_chart(self, row: DigestRow) -> None:
        """The digest's chart, after its text: one attempt, since the text carries the news.

        The digest row is already marked sent; a chart that fails is logged, not retried,
        so a retry can never send the digest's text twice.
        """
        try:
            chart = digest_chart(row)
            if chart is None:
                return
            png, caption = chart
            await self.pacer.acquire(row.chat_id)
            with already_paced():
                await self.bot.send_photo(
                    row.chat_id,
                    photo=png,
                    caption=caption,
                    parse_mode=ParseMode.HTML,
                    message_thread_id=row.thread_id or None,
                )
        except Exception as exc:  # InvalidToken and the rest alike: the next row will tell
            log.warning("chart of digest %d for chat %d not sent: %s", row.id, row.chat_id, exc)

    async def _write(self, method: Callable[..., Awaitable[object]], *args: object) -> None:
        """Record an outcome: through the pass's single writer, or at once outside a pass."""
        if self._writer is not None:
            await self._writer.put(method, args)
        else:
            await method(*args)

    # -- outcomes --

    async def _retry_after(self, row: Row, exc: RetryAfter) -> Outcome:
        seconds = retry_after_seconds(exc)
        self.pacer.hold(row.chat_id, seconds)
        now = self.now()
        retry_at = now + timedelta(seconds=seconds)
        self._held[row.chat_id] = retry_at
        await self._write(
            self.store.mark_retry, row.id, now, retry_at, f"429: retry after {seconds:g}s"
        )
        log.info("chat %d: flood control, retrying in %gs", row.chat_id, seconds)
        return Outcome.RETRIED

    async def _transient(self, row: Row, exc: Exception) -> Outcome:
        now = self.now()
        first = row.first_attempt_at or now
        waited = (now - first).total_seconds()
        reason = f"{type(exc).__name__}: {exc}"
        if waited >= self.give_up_after:
            await self._write(
                self.store.mark_failed,
                row.id,
                now,
                f"gave up after {waited:.0f}s of errors; last: {reason}",
            )
            log.warning("gave up on outbox row %d for chat %d: %s", row.id, row.chat_id, reason)
            return Outcome.FAILED
        backoff = min(self.base_backoff * 2**row.attempts, self.max_backoff)
        deadline = first + timedelta(seconds=self.give_up_after)
        retry_at = min(now + timedelta(seconds=backoff), max(deadline, now))
        self._held[row.chat_id] = retry_at
        await self._write(self.store.mark_retry, row.id, now, retry_at, reason)
        log.info("chat %d: %s; retrying at %s", row.chat_id, reason, retry_at.isoformat())
        return Outcome.RETRIED

    async def _deactivate(self, row: Row, reason: str) -> Outcome:
        await self._write(self.store.deactivate_chat, row.chat_id, reason, self.now())
        log.info("chat %d deactivated: %s", row.chat_id, reason)
        return Outcome.DEACTIVATED

    async def _close_topic(self, row: Row, reason: str) -> Outcome:
        """A closed or deleted forum topic: only its subscriptions stop, not the chat's."""
        await self._write(
            self.store.deactivate_topic, row.chat_id, row.thread_id, reason, self.now()
        )
        log.info("chat %d topic %d deactivated: %s", row.chat_id, row.thread_id, reason)
        return Outcome.DEACTIVATED


BATCH = 100  # outcomes recorded in one go at most


class _Writer:
    """One task that records outcomes in order while the sends go on.

    Why: each store write is a transaction of its own; done inline they double the time per
    message, and done concurrently on SQLite they queue on its single write lock (whose busy
    handler sleeps). One writer keeps the writes serial and the sends in parallel. Rows are
    still marked sent only after Telegram accepted them; `close` waits for every write.
    """

    def __init__(self, store: Store, workers: int = 1, depth: int = 256) -> None:
        self._store = store
        self._queue: asyncio.Queue[
            tuple[Callable[..., Awaitable[object]], tuple[object, ...]] | None
        ] = asyncio.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._tasks = [asyncio.create_task(self._run()) for _ in range(max(workers, 1))]

    async def put(self, method: Callable[..., Awaitable[object]], args: tuple[object, ...]) -> None:
        if all(t.done() for t in self._tasks):  # writers died: write inline, lose nothing
            await method(*args)
            return
        await self._queue.put((method, args))

    async def _run(self) -> None:
        stop = False
        while not stop and (job := await self._queue.get()) is not None:
            # Whatever else is already waiting goes in the same go: the "sent" marks of a burst
            # are one transaction (a crash between Telegram's accept and this commit is what
            # can send a message twice; docs/delivery.md).
            jobs = [job]
            while len(jobs) < BATCH:
                try:
                    more = self._queue.get_nowait()
                except asyncio.QueueEmpty:
                    break
                if more is None:  # the end: left for another worker, this one stops after these
                    self._queue.put_nowait(None)
                    stop = True
                    break
                jobs.append(more)
            sent = [args for method, args in jobs if method == self._store.mark_sent]
            others = [(method, args) for method, args in jobs if method != self._store.mark_sent]
            if sent:
                await self._record(self._store.mark_sent_many, (sent,))
            for method, args in others:
                await self._record(method, args)

    async def _record(
        self, method: Callable[..., Awaitable[object]], args: tuple[object, ...]
    ) -> None:
        try:
            await method(*args)
        except Exception as exc:  # keep recording the others; the pass re-raises it
            log.exception("could not record a delivery outcome (%s)", method.__name__)
            self._error = self._error or exc

    async def close(self) -> None:
        for task in self._tasks:
            if not task.done():
                await self._queue.put(None)
        await asyncio.shield(asyncio.gather(*self._tasks))
        if self._error is not None:
            raise self._error


def render_row(row: Row) -> RenderedMessage:
    """An outbox row's message: the alert, or the digest."""
    if isinstance(row, DigestRow):
        return render_digest(row)
    return render_alert(row.alert)


def keyboard(buttons: list[list[Button]]) -> InlineKeyboardMarkup | None:
    """Render's plain buttons as Telegram's inline keyboard."""
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.text, callback_data=b.callback_data) for b in row]
            for row in buttons
        ]
    )


def retry_after_seconds(exc: RetryAfter) -> float:
    """`retry_after` in seconds, whether PTB gives an int or (PTB_TIMEDELTA) a timedelta."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    if isinstance(value, timedelta):
        return max(value.total_seconds(), 0.0)
    return max(float(value), 0.0)


async def deliver_until_idle(
    deliverer: Deliverer, now_fn: Now | None = None, max_passes: int = 100
) -> DeliveryReport:
    """Passes of `deliver_due` until one attempts nothing (bounded); for `--once` and tests."""
    total = DeliveryReport()
    for _ in range(max_passes):
        report = await deliverer.deliver_due(now_fn)
        total = total + report
        if report.attempted == 0:
            break
    return total
