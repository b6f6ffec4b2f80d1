"""A fake Telegram Bot API server on 127.0.0.1 for tests: the real python-telegram-bot talks to it.

It answers `/bot{token}/{method}` (JSON, form-encoded and multipart bodies, as PTB sends them)
and `/file/bot{token}/{path}` with realistic Telegram JSON; records every call; hands injected
updates to `getUpdates` (long poll, honours `offset`); fails on demand (`fail_next`: 429 with
`retry_after`, 5xx, 403, "chat not found", other 400s, timeouts); checks HTML parse mode crudely
the way Telegram refuses bad markup; and can enforce Telegram's rate limits (`enforce_limits`).

It does not model Telegram beyond what policywatch uses: no inline mode, payments, webhooks
that call back, or real file storage (sent files are kept in memory).

Use it as `async with FakeBotAPI() as server:` or through the `fake_bot_api` fixture; point PTB
at it with `server.bot_base_url` / `server.file_base_url` (or `base_url=f"{server.base_url}/bot"`).

    inspect: calls(method), sent_messages(chat_id), message(chat_id, message_id), commands(scope),
             wait_for(predicate, timeout), wait_for_messages(count, chat_id, timeout)
    inject:  inject_message, inject_callback, inject_my_chat_member, inject_migration,
             inject_new_members, inject_update (raw); set_admins(chat_id, user_ids, owner_id)
    faults:  fail_next(method, kind, count, chat_id, retry_after=, hang=, description=),
             forbid(chat_id), enforce_limits=True; reset()
    PTB:     running_application(app) runs an Application with polling for a test, bounded.
    other process: `python -m tests.fakebotapi` prints its port; GET /_fake/stats (counts) and
             /_fake/sent (every accepted message) answer a benchmark in another process.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import re
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pytest_asyncio
from aiohttp import web

# Obviously fake: a real token is 8-10 digits, a colon and 35 characters.
TEST_TOKEN = "123456:TEST-TOKEN-abc"
BOT_USERNAME = "PolicyWatchTestBot"

SENDING_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument"})
# Parameters Telegram types as strings: never JSON-decoded from a form body.
STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "url",
        "action",
        "language_code",
        "inline_message_id",
        "secret_token",
        "ip_address",
        "business_connection_id",
        "file_id",
        "photo",
        "document",
        "name",
        "description",
        "short_description",
        "title",
        "message_effect_id",
    }
)
ALLOWED_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
TAG_RE = re.compile(
    r"<(/?)([a-zA-Z][\w-]*)((?:\s+[\w-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*>"
)
SPECIAL_RE = re.compile(r"[<>&]")
ENTITY_RE = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);")
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_HANG = 30.0  # a "timeout" fault never hangs longer than this

T = TypeVar("T")


class ApiError(Exception):
    """An error answer: HTTP status, Telegram description, optional response parameters."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


@dataclass
class Call:
    """One request the fake received, with its decoded parameters and how it was answered."""

    method: str
    params: dict[str, Any]
    at: float  # time.monotonic() when it arrived
    files: dict[str, bytes] = field(default_factory=dict)
    status: int = 200  # the HTTP status answered (0 while still open or when it hung)
    error: str | None = None


@dataclass
class SentMessage:
    """A message the bot sent (or edited since), as Telegram keeps it."""

    method: str
    chat_id: int
    message_id: int
    text: str  # as sent: HTML source when parse_mode is HTML; the caption for files
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    params: dict[str, Any]
    at: float
    file: bytes | None = None
    edits: int = 0

    @property
    def buttons(self) -> list[list[dict[str, Any]]]:
        return list((self.reply_markup or {}).get("inline_keyboard", []))

    @property
    def callback_data(self) -> list[str]:
        return [b["callback_data"] for row in self.buttons for b in row if "callback_data" in b]


@dataclass
class Fault:
    method: str
    kind: str
    remaining: int
    chat_id: int | None
    retry_after: int
    hang: float
    description: str | None
    new_chat_id: int | None = None


# --- HTML parse mode, as crudely as Telegram needs -------------------------------------------


def check_html(text: str) -> str:
    """The visible text of `text` in HTML parse mode, or ApiError 400 like Telegram's refusal."""
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    while (special := SPECIAL_RE.search(text, pos)) is not None:
        out.append(text[pos : special.start()])
        pos, ch = special.start(), special.group(0)
        if ch == "<":
            m = TAG_RE.match(text, pos)
            if m is None:
                raise _parse_error(f'Unsupported start tag "" at byte offset {_off(text, pos)}')
            closing, name = m.group(1), m.group(2).lower()
            if name not in ALLOWED_TAGS:
                raise _parse_error(
                    f'Unsupported start tag "{name}" at byte offset {_off(text, pos)}'
                )
            if closing:
                if not stack or stack[-1] != name:
                    raise _parse_error(f"Unexpected end tag at byte offset {_off(text, pos)}")
                stack.pop()
            else:
                stack.append(name)
            pos = m.end()
        elif ch == "&":
            m = ENTITY_RE.match(text, pos)
            if m is None:
                raise _parse_error(f"Unescaped '&' at byte offset {_off(text, pos)}")
            out.append(html.unescape(m.group(0)))
            pos = m.end()
        else:
            raise _parse_error(f"Unescaped '>' at byte offset {_off(text, pos)}")
    out.append(text[pos:])
    if stack:
        raise _parse_error(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)


def _off(text: str, pos: int) -> int:
    return len(text[:pos].encode("utf-8"))


def _parse_error(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: can't parse entities: {detail}")


def utf16_len(text: str) -> int:
    """Telegram counts message length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


# --- the server -------------------------------------------------------------------------------


class FakeBotAPI:
    """The fake server: start it, point PTB at it, inject updates, inspect what was sent."""

    def __init__(
        self,
        token: str = TEST_TOKEN,
        bot_username: str = BOT_USERNAME,
        *,
        enforce_limits: bool = False,
        limit_slack: float = 0.05,
    ) -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.enforce_limits = enforce_limits
        # Limit windows are shortened by this fraction: arrival jitter on a loaded event loop
        # should not turn a correctly paced sender into a 429 (Telegram's limits are "about").
        self.limit_slack = limit_slack
        self.calls_log: list[Call] = []
        self.limit_violations = 0
        self._messages: dict[tuple[int, int], SentMessage] = {}
        self._sent: list[SentMessage] = []
        self._next_message_id: dict[int, itertools.count[int]] = {}
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._faults: list[Fault] = []
        self._chats: dict[int, dict[str, Any]] = {}
        self._admins: dict[int, tuple[int | None, list[int]]] = {}
        self._forbidden: set[int] = set()
        self._commands: dict[str, list[dict[str, Any]]] = {}
        self._files: dict[str, bytes] = {}
        self._users: dict[int, dict[str, Any]] = {}
        self._chat_sends: dict[int, deque[float]] = {}
        self._all_sends: deque[float] = deque()
        self._changed = asyncio.Condition()
        self._callback_ids = itertools.count(1000)
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle --

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def bot_base_url(self) -> str:
        """PTB's `base_url`: the token is appended to it."""
        return f"{self.base_url}/bot"

    @property
    def file_base_url(self) -> str:
        """PTB's `base_file_url`."""
        return f"{self.base_url}/file/bot"

    async def start(self) -> FakeBotAPI:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.*}", self._handle_file)
        app.router.add_get("/_fake/stats", self._handle_stats)
        app.router.add_get("/_fake/sent", self._handle_sent)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = getattr(site, "_server", None)
        assert server is not None and server.sockets
        self.port = server.sockets[0].getsockname()[1]
        return self

    async def close(self) -> None:
        self._closing.set()
        async with self._changed:
            self._changed.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotAPI:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- what was sent --

    def calls(self, method: str | None = None) -> list[Call]:
        return [c for c in self.calls_log if method is None or c.method == method]

    def sent_messages(self, chat_id: int | None = None) -> list[SentMessage]:
        """Messages Telegram accepted (sendMessage, sendPhoto, sendDocument), oldest first."""
        return [m for m in self._sent if chat_id is None or m.chat_id == chat_id]

    def message(self, chat_id: int, message_id: int) -> SentMessage | None:
        """The current state of a message (after edits)."""
        return self._messages.get((chat_id, message_id))

    def commands(self, scope: dict[str, Any] | None = None, language_code: str = "") -> list[Any]:
        return list(self._commands.get(_scope_key(scope, language_code), []))

    async def wait_for(
        self,
        predicate: Callable[[], T | None],
        timeout: float = 5.0,  # noqa: ASYNC109  (a bound in seconds, as tests expect)
        what: str = "condition",
    ) -> T:
        """Wait (bounded) until `predicate()` is truthy after some call; returns its value."""
        deadline = time.monotonic() + timeout
        async with self._changed:
            while True:
                value = predicate()
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"fake Bot API: timed out after {timeout}s waiting for {what}"
                    )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), left)

    async def wait_for_messages(
        self,
        count: int = 1,
        chat_id: int | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[SentMessage]:
        return await self.wait_for(
            lambda: m if len(m := self.sent_messages(chat_id)) >= count else None,
            timeout,
            f"{count} message(s) to {chat_id if chat_id is not None else 'any chat'}",
        )

    # -- configuration --

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

    def reset(self) -> None:
        """Forget calls, messages, pending updates and faults (chats and admins stay)."""
        self.calls_log.clear()
        self._sent.clear()
        self._messages.clear()
        self._updates.clear()
        self._faults.clear()
        self.limit_violations = 0

    def forbid(self, chat_id: int) -> None:
        """Every later send to `chat_id` answers 403, as when the user blocked the bot."""
        self._forbidden.add(chat_id)

    def set_admins(
        self, chat_id: int, user_ids: Iterable[int], owner_id: int | None = None
    ) -> None:
        """Who getChatAdministrators / getChatMember report as the group's administrators."""
        self._admins[chat_id] = (owner_id, [u for u in user_ids if u != owner_id])

    def add_file(self, file_path: str, content: bytes) -> None:
        self._files[file_path] = content

    # -- injected updates --

    def user(
        self, user_id: int, username: str | None = None, first_name: str | None = None
    ) -> dict[str, Any]:
        if user_id == self.bot_id:
            return self._bot_user()
        known = self._users.get(user_id)
        if known is None or username is not None or first_name is not None:
            known = {"id": user_id, "is_bot": False, "first_name": first_name or f"User{user_id}"}
            if username:
                known["username"] = username
            self._users[user_id] = known
        return dict(known)

    def chat(
        self, chat_id: int, chat_type: str | None = None, title: str | None = None
    ) -> dict[str, Any]:
        known = self._chats.get(chat_id)
        if known is None or (chat_type and known["type"] != chat_type) or title:
            kind = chat_type or _guess_type(chat_id)
            known = {"id": chat_id, "type": kind}
            if kind == "private":
                known["first_name"] = title or f"User{chat_id}"
            else:
                known["title"] = title or f"Group {chat_id}"
            self._chats[chat_id] = known
        return dict(known)

    def inject_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw update (its update_id is assigned here) for getUpdates."""
        update = {"update_id": next(self._update_ids), **update}
        self._updates.append(update)
        self._notify()
        return update

    def inject_message(
        self,
        chat_id: int,
        text: str,
        user_id: int | None = None,
        chat_type: str | None = None,
        username: str | None = None,
        *,
        chat_title: str | None = None,
        first_name: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """A text message from a user; a leading /command gets its bot_command entity."""
        user_id = user_id if user_id is not None else (chat_id if chat_id > 0 else 1)
        msg = self._incoming(chat_id, user_id, chat_type, username, chat_title, first_name)
        msg["text"] = text
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
        msg.update(extra)
        return self.inject_update({"message": msg})

    def inject_callback(
        self,
        chat_id: int,
        message_id: int,
        data: str,
        user_id: int | None = None,
        *,
        username: str | None = None,
    ) -> dict[str, Any]:
        """A press on an inline button of message `message_id` in `chat_id`."""
        user_id = user_id if user_id is not None else (chat_id if chat_id > 0 else 1)
        stored = self._messages.get((chat_id, message_id))
        message = (
            self._message_json(stored)
            if stored
            else {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": self.chat(chat_id),
                "from": self._bot_user(),
                "text": "",
            }
        )
        query = {
            "id": str(next(self._callback_ids)),
            "from": self.user(user_id, username),
            "chat_instance": str(chat_id),
            "data": data,
            "message": message,
        }
        return self.inject_update({"callback_query": query})

    def inject_my_chat_member(
        self,
        chat_id: int,
        chat_type: str | None,
        old_status: str,
        new_status: str,
        user_id: int | None = None,
        *,
        chat_title: str | None = None,
    ) -> dict[str, Any]:
        """The bot's own membership changed (added, removed, blocked, made admin)."""
        user_id = user_id if user_id is not None else (chat_id if chat_id > 0 else 1)
        change = {
            "chat": self.chat(chat_id, chat_type, chat_title),
            "from": self.user(user_id),
            "date": int(time.time()),
            "old_chat_member": _member(self._bot_user(), old_status),
            "new_chat_member": _member(self._bot_user(), new_status),
        }
        return self.inject_update({"my_chat_member": change})

    def inject_migration(
        self, old_chat_id: int, new_chat_id: int, user_id: int = 1
    ) -> list[dict[str, Any]]:
        """A group became a supergroup: Telegram sends a service message in each chat."""
        old = self._incoming(old_chat_id, user_id, "group", None, None, None)
        old["migrate_to_chat_id"] = new_chat_id
        title = self.chat(old_chat_id).get("title")
        new = self._incoming(new_chat_id, user_id, "supergroup", None, title, None)
        new["migrate_from_chat_id"] = old_chat_id
        return [self.inject_update({"message": old}), self.inject_update({"message": new})]

    def inject_new_members(
        self,
        chat_id: int,
        members: Iterable[int | dict[str, Any]],
        user_id: int = 1,
        chat_type: str | None = None,
        *,
        chat_title: str | None = None,
    ) -> dict[str, Any]:
        """Members joined a group; pass `server.bot_id` (or the bot's user dict) for the bot."""
        msg = self._incoming(chat_id, user_id, chat_type, None, chat_title, None)
        msg["new_chat_members"] = [m if isinstance(m, dict) else self.user(m) for m in members]
        return self.inject_update({"message": msg})

    # -- internals --

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "PolicyWatch",
            "username": self.bot_username,
        }

    def _incoming(
        self,
        chat_id: int,
        user_id: int,
        chat_type: str | None,
        username: str | None,
        chat_title: str | None,
        first_name: str | None,
    ) -> dict[str, Any]:
        return {
            "message_id": next(self._counter(chat_id)),
            "date": int(time.time()),
            "chat": self.chat(chat_id, chat_type, chat_title),
            "from": self.user(user_id, username, first_name),
        }

    def _counter(self, chat_id: int) -> itertools.count[int]:
        return self._next_message_id.setdefault(chat_id, itertools.count(1))

    def _notify(self) -> None:
        async def notify() -> None:
            async with self._changed:
                self._changed.notify_all()

        with contextlib.suppress(RuntimeError):  # no running loop: nobody is waiting
            asyncio.get_running_loop().create_task(notify())

    async def _handle_sent(self, request: web.Request) -> web.StreamResponse:
        """Every accepted message, oldest first, for a client in another process (the crash
        benchmark): chat, message id, text and `at` (time.monotonic(), one clock per host)."""
        return web.json_response(
            [
                {"chat_id": m.chat_id, "message_id": m.message_id, "text": m.text, "at": m.at}
                for m in self._sent
            ]
        )

    async def _handle_stats(self, request: web.Request) -> web.StreamResponse:
        """Counts for a client in another process (the fan-out benchmark)."""
        methods: dict[str, int] = {}
        for c in self.calls_log:
            methods[c.method] = methods.get(c.method, 0) + 1
        return web.json_response(
            {
                "sent": len(self._sent),
                "sent_chats": len({m.chat_id for m in self._sent}),
                "limit_violations": self.limit_violations,
                "calls": methods,
            }
        )

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        content = self._files.get(request.match_info["path"])
        if content is None:
            return web.Response(status=404)
        return web.Response(body=content)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        params, files = await _read_params(request)
        call = Call(method, params, time.monotonic(), files, status=0)
        self.calls_log.append(call)
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            await self._fault(call)
            handler = getattr(self, f"_api_{method}", None)
            if handler is None:
                raise ApiError(404, "Not Found")
            result = handler(call)
            if asyncio.iscoroutine(result):
                result = await result
            call.status = 200
            body: dict[str, Any] = {"ok": True, "result": result}
        except ApiError as exc:
            call.status, call.error = exc.code, exc.description
            body = {"ok": False, "error_code": exc.code, "description": exc.description}
            if exc.parameters:
                body["parameters"] = exc.parameters
        finally:
            async with self._changed:
                self._changed.notify_all()
        return web.json_response(body, status=call.status)

    async def _fault(self, call: Call) -> None:
        chat_id = _int(call.params.get("chat_id"))
        if call.method in SENDING_METHODS and chat_id in self._forbidden:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
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

    def _message_json(self, m: SentMessage) -> dict[str, Any]:
        msg: dict[str, Any] = {
            "message_id": m.message_id,
            "date": int(time.time()),
            "chat": self.chat(m.chat_id),
            "from": self._bot_user(),
        }
        visible = check_html(m.text) if m.parse_mode and m.parse_mode.upper() == "HTML" else m.text
        if m.method == "sendMessage":
            msg["text"] = visible
        else:
            if visible:
                msg["caption"] = visible
            file_id = f"file-{m.chat_id}-{m.message_id}"
            if m.method == "sendPhoto":
                msg["photo"] = [
                    {"file_id": file_id, "file_unique_id": file_id, "width": 800, "height": 600}
                ]
            else:
                msg["document"] = {
                    "file_id": file_id,
                    "file_unique_id": file_id,
                    "file_name": m.params.get("_file_name") or "document",
                }
        if m.edits:
            msg["edit_date"] = int(time.time())
        if m.reply_markup:
            msg["reply_markup"] = m.reply_markup
        return msg

    def _chat_id(self, call: Call) -> int:
        chat_id = _int(call.params.get("chat_id"))
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat_id is empty")
        return chat_id

    def _check_text(self, value: Any, parse_mode: Any, limit: int, empty_ok: bool) -> str:
        text = value if isinstance(value, str) else "" if value is None else str(value)
        visible = check_html(text) if str(parse_mode or "").upper() == "HTML" else text
        if not visible.strip() and not empty_ok:
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(visible) > limit:
            what = "message is too long" if limit == MAX_TEXT else "message caption is too long"
            raise ApiError(400, f"Bad Request: {what}")
        return text

    @staticmethod
    def _check_markup(markup: Any) -> dict[str, Any] | None:
        if markup is None:
            return None
        if isinstance(markup, str):
            markup = json.loads(markup)
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                if not button.get("text"):
                    raise ApiError(
                        400, "Bad Request: text buttons are unallowed in the inline keyboard"
                    )
        return dict(markup)

    def _store_message(self, call: Call, text: str, file: bytes | None = None) -> dict[str, Any]:
        chat_id = self._chat_id(call)
        self.chat(chat_id)
        m = SentMessage(
            method=call.method,
            chat_id=chat_id,
            message_id=next(self._counter(chat_id)),
            text=text,
            parse_mode=call.params.get("parse_mode"),
            reply_markup=self._check_markup(call.params.get("reply_markup")),
            params=call.params,
            at=call.at,
            file=file,
        )
        self._messages[(chat_id, m.message_id)] = m
        self._sent.append(m)
        return self._message_json(m)

    # -- API methods (one per Bot API method) --

    def _api_getMe(self, call: Call) -> dict[str, Any]:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _api_getUpdates(self, call: Call) -> list[dict[str, Any]]:
        offset = _int(call.params.get("offset")) or 0
        limit = _int(call.params.get("limit")) or 100
        timeout = min(float(call.params.get("timeout") or 0), 30.0)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        deadline = time.monotonic() + timeout
        async with self._changed:
            while not self._updates and not self._closing.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), left)
        return self._updates[:limit]

    def _api_getWebhookInfo(self, call: Call) -> dict[str, Any]:
        return {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    def _api_deleteWebhook(self, call: Call) -> bool:
        if call.params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _api_setWebhook(self, call: Call) -> bool:
        return True

    def _api_close(self, call: Call) -> bool:
        return True

    def _api_logOut(self, call: Call) -> bool:
        return True

    def _api_setMyCommands(self, call: Call) -> bool:
        commands = call.params.get("commands") or []
        key = _scope_key(call.params.get("scope"), call.params.get("language_code") or "")
        self._commands[key] = list(commands)
        return True

    def _api_deleteMyCommands(self, call: Call) -> bool:
        key = _scope_key(call.params.get("scope"), call.params.get("language_code") or "")
        self._commands.pop(key, None)
        return True

    def _api_getMyCommands(self, call: Call) -> list[Any]:
        key = _scope_key(call.params.get("scope"), call.params.get("language_code") or "")
        return list(self._commands.get(key, []))

    def _api_sendMessage(self, call: Call) -> dict[str, Any]:
        text = self._check_text(
            call.params.get("text"), call.params.get("parse_mode"), MAX_TEXT, False
        )
        return self._store_message(call, text)

    def _send_file(self, call: Call, field_name: str) -> dict[str, Any]:
        caption = self._check_text(
            call.params.get("caption"), call.params.get("parse_mode"), MAX_CAPTION, True
        )
        content = call.files.get(field_name)
        if content is None:
            ref = call.params.get(field_name)
            if not ref:
                raise ApiError(400, f"Bad Request: there is no {field_name} in the request")
            content = self._files.get(str(ref), str(ref).encode())
        return self._store_message(call, caption, content)

    def _api_sendPhoto(self, call: Call) -> dict[str, Any]:
        return self._send_file(call, "photo")

    def _api_sendDocument(self, call: Call) -> dict[str, Any]:
        return self._send_file(call, "document")

    def _edited(self, call: Call) -> SentMessage:
        chat_id = self._chat_id(call)
        m = self._messages.get((chat_id, _int(call.params.get("message_id")) or 0))
        if m is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return m

    def _api_editMessageText(self, call: Call) -> dict[str, Any]:
        m = self._edited(call)
        text = self._check_text(
            call.params.get("text"), call.params.get("parse_mode"), MAX_TEXT, False
        )
        markup = self._check_markup(call.params.get("reply_markup"))
        if text == m.text and markup == m.reply_markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        m.text, m.parse_mode, m.reply_markup = text, call.params.get("parse_mode"), markup
        m.edits += 1
        return self._message_json(m)

    def _api_editMessageReplyMarkup(self, call: Call) -> dict[str, Any]:
        m = self._edited(call)
        m.reply_markup = self._check_markup(call.params.get("reply_markup"))
        m.edits += 1
        return self._message_json(m)

    def _api_deleteMessage(self, call: Call) -> bool:
        m = self._edited(call)
        del self._messages[(m.chat_id, m.message_id)]
        return True

    def _api_answerCallbackQuery(self, call: Call) -> bool:
        return True

    def _api_sendChatAction(self, call: Call) -> bool:
        self._chat_id(call)
        return True

    def _api_getChat(self, call: Call) -> dict[str, Any]:
        chat = self.chat(self._chat_id(call))
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _api_getChatMember(self, call: Call) -> dict[str, Any]:
        chat_id = self._chat_id(call)
        user_id = _int(call.params.get("user_id")) or 0
        owner, admins = self._admins.get(chat_id, (None, []))
        status = (
            "creator" if user_id == owner else "administrator" if user_id in admins else "member"
        )
        if chat_id > 0 and user_id == chat_id:
            status = "member"
        return _member(self.user(user_id), status)

    def _api_getChatAdministrators(self, call: Call) -> list[dict[str, Any]]:
        chat_id = self._chat_id(call)
        if chat_id > 0:
            raise ApiError(400, "Bad Request: there are no administrators in the private chat")
        owner, admins = self._admins.get(chat_id, (None, []))
        found = [_member(self.user(owner), "creator")] if owner is not None else []
        return found + [_member(self.user(u), "administrator") for u in admins]

    def _api_getChatMemberCount(self, call: Call) -> int:
        owner, admins = self._admins.get(self._chat_id(call), (None, []))
        return 2 + len(admins) + (owner is not None)

    def _api_getFile(self, call: Call) -> dict[str, Any]:
        file_id = str(call.params.get("file_id"))
        return {"file_id": file_id, "file_unique_id": file_id, "file_path": file_id}


# --- helpers ------------------------------------------------------------------------------------


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Decode a PTB request: JSON body, form fields (JSON-encoded values) or multipart."""
    params: dict[str, Any] = {k: _decode(k, v) for k, v in request.query.items()}
    files: dict[str, bytes] = {}
    if request.content_type == "application/json":
        body = await request.json() if request.can_read_body else {}
        params.update(body or {})
    elif request.can_read_body:
        form = await request.post()  # form-encoded and multipart alike
        for key, value in form.items():
            if isinstance(value, str):
                params[key] = _decode(key, value)
            elif isinstance(value, web.FileField):
                files[key] = value.file.read()
                params.setdefault("_file_name", value.filename)
            else:
                files[key] = bytes(value)
    # attach://name references resolve to the uploaded part
    for key, value in list(params.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            name = value.removeprefix("attach://")
            if name in files:
                files[key] = files[name]
    return params, files


def _decode(name: str, value: str) -> Any:
    if name in STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _scope_key(scope: Any, language_code: str) -> str:
    if isinstance(scope, str):
        scope = json.loads(scope)
    return json.dumps(scope or {"type": "default"}, sort_keys=True) + "|" + (language_code or "")


def _guess_type(chat_id: int) -> str:
    if chat_id > 0:
        return "private"
    return "supergroup" if str(chat_id).startswith("-100") else "group"


def _member(user: dict[str, Any], status: str) -> dict[str, Any]:
    """A ChatMember object of the given status with every field PTB requires."""
    if status == "administrator":
        rights = [
            "can_manage_chat",
            "can_delete_messages",
            "can_manage_video_chats",
            "can_restrict_members",
            "can_change_info",
            "can_invite_users",
            "can_post_stories",
            "can_edit_stories",
            "can_delete_stories",
            "can_pin_messages",
        ]
        return {
            "status": status,
            "user": user,
            "can_be_edited": False,
            "is_anonymous": False,
            "can_promote_members": False,
            **dict.fromkeys(rights, True),
        }
    if status == "creator":
        return {"status": status, "user": user, "is_anonymous": False}
    if status == "kicked":
        return {"status": status, "user": user, "until_date": 0}
    if status == "restricted":
        flags = [
            "is_member",
            "can_change_info",
            "can_invite_users",
            "can_pin_messages",
            "can_send_messages",
            "can_send_polls",
            "can_send_other_messages",
            "can_add_web_page_previews",
            "can_manage_topics",
            "can_send_audios",
            "can_send_documents",
            "can_send_photos",
            "can_send_videos",
            "can_send_video_notes",
            "can_send_voice_notes",
            "can_edit_tag",
        ]
        return {"status": status, "user": user, "until_date": 0, **dict.fromkeys(flags, False)}
    if status in {"member", "left"}:
        return {"status": status, "user": user}
    raise ValueError(f"unknown chat member status {status!r}")


@contextlib.asynccontextmanager
async def running_application(app: Any, *, poll_timeout: int = 1) -> AsyncIterator[Any]:
    """Run a PTB Application with polling against the fake server, and stop it (bounded)."""
    await app.initialize()
    try:
        await app.start()
        await app.updater.start_polling(poll_interval=0.0, timeout=poll_timeout)
        try:
            yield app
        finally:
            await asyncio.wait_for(app.updater.stop(), poll_timeout + 10)
            await asyncio.wait_for(app.stop(), 10)
    finally:
        await asyncio.wait_for(app.shutdown(), 10)


@pytest_asyncio.fixture
async def fake_bot_api() -> AsyncIterator[FakeBotAPI]:
    """A started fake Bot API server, closed after the test."""
    async with FakeBotAPI() as server:
        yield server


async def _serve(enforce_limits: bool) -> None:
    """Serve until stdin closes: `python -m tests.fakebotapi [--enforce-limits]` prints the port."""
    import sys

    async with FakeBotAPI(enforce_limits=enforce_limits) as server:
        print(server.port, flush=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.read)


if __name__ == "__main__":
    import sys

    asyncio.run(_serve("--enforce-limits" in sys.argv[1:]))
