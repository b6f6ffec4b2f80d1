"""The fake's HTTP server: lifecycle, what was sent, configuration and the API methods."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any, TypeVar

import pytest_asyncio
from aiohttp import web

from tests.fakebotapi.faults import Faults
from tests.fakebotapi.htmlcheck import MAX_CAPTION, MAX_TEXT, check_html, utf16_len
from tests.fakebotapi.records import (
    BOT_USERNAME,
    STRING_PARAMS,
    TEST_TOKEN,
    ApiError,
    Call,
    Fault,
    SentMessage,
    _int,
    _member,
)
from tests.fakebotapi.updates import Updates

T = TypeVar("T")


class FakeBotAPI(Faults, Updates):
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
        self._users: dict[int, dict[str, Any]] = {}
        self._chat_sends: dict[int, deque[float]] = {}
        self._all_sends: deque[float] = deque()
        self._changed = asyncio.Condition()
        self._callback_ids = itertools.count(1000)
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._usernames: dict[str, int] = {}  # "@name" -> chat id (channels)
        self._closed_topics: dict[tuple[int, int], str] = {}  # (chat, topic) -> error
        self._channel_posters: dict[int, bool] = {}  # channel -> the bot may post there
        self.webhook_url: str | None = None  # from the last setWebhook
        # Set to a description to make setWebhook refuse with it, as Telegram refuses a URL
        # on a port it does not call or a host it cannot resolve.
        self.refuse_webhook: str | None = None
        # setWebhook's answer when refusing: HTTP status and response parameters
        self.refuse_webhook_as: tuple[int, dict[str, Any] | None] = (400, None)
        self.webhook_secret: str | None = None

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

    def reset(self) -> None:
        """Forget calls, messages, pending updates and faults (chats and admins stay)."""
        self.calls_log.clear()
        self._sent.clear()
        self._messages.clear()
        self._updates.clear()
        self._faults.clear()
        self.limit_violations = 0

    def set_admins(
        self, chat_id: int, user_ids: Iterable[int], owner_id: int | None = None
    ) -> None:
        """Who getChatAdministrators / getChatMember report as the group's administrators."""
        self._admins[chat_id] = (owner_id, [u for u in user_ids if u != owner_id])

    def add_channel(
        self, chat_id: int, username: str | None, title: str, *, bot_can_post: bool = True
    ) -> dict[str, Any]:
        """A channel getChat finds by id or @username; the bot is an administrator there who
        may post (or a plain member when not `bot_can_post`)."""
        chat = self.chat(chat_id, "channel", title)
        if username:
            chat["username"] = username
            self._chats[chat_id] = chat
            self._usernames[f"@{username}".lower()] = chat_id
        self._channel_posters[chat_id] = bot_can_post
        return dict(chat)

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

    def _message_json(self, m: SentMessage) -> dict[str, Any]:
        msg: dict[str, Any] = {
            "message_id": m.message_id,
            "date": int(time.time()),
            "chat": self.chat(m.chat_id),
            "from": self._bot_user(),
        }
        if topic := _int(m.params.get("message_thread_id")):  # sent into a forum topic
            msg["message_thread_id"], msg["is_topic_message"] = topic, True
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
        ref = call.params.get("chat_id")
        if isinstance(ref, str) and ref.startswith("@"):
            if ref.lower() not in self._usernames:
                raise ApiError(400, "Bad Request: chat not found")
            return self._usernames[ref.lower()]
        chat_id = _int(ref)
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
            "url": self.webhook_url or "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    def _api_deleteWebhook(self, call: Call) -> bool:
        if call.params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook_url = self.webhook_secret = None
        return True

    def _api_setWebhook(self, call: Call) -> bool:
        url = str(call.params.get("url") or "")
        if url and self.refuse_webhook:
            code, parameters = self.refuse_webhook_as
            raise ApiError(code, self.refuse_webhook, parameters)
        if url and not url.startswith("https://"):
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        self.webhook_url = url or None
        self.webhook_secret = call.params.get("secret_token") or None
        return True

    async def post_update(
        self, target: str, update: dict[str, Any], secret: str | None = None
    ) -> int:
        """POST an update to a bot's webhook server as Telegram would; the HTTP status.

        `target` is where the bot listens (http://127.0.0.1:PORT/path: the fake plays the
        reverse proxy too); `secret` defaults to the secret_token of the last setWebhook.
        The update gets its update_id here, as in `inject_update`.
        """
        import aiohttp

        update = {"update_id": next(self._update_ids), **update}
        headers = {"Content-Type": "application/json"}
        token = self.webhook_secret if secret is None else secret
        if token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = token
        timeout = aiohttp.ClientTimeout(total=10)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.post(target, data=json.dumps(update), headers=headers) as response,
        ):
            return response.status

    def message_update(
        self, chat_id: int, text: str, user_id: int | None = None, chat_type: str | None = None
    ) -> dict[str, Any]:
        """The body of a text-message update (without update_id), as `inject_message` builds."""
        user_id = user_id if user_id is not None else (chat_id if chat_id > 0 else 1)
        msg = self._incoming(chat_id, user_id, chat_type, None, None, None)
        msg["text"] = text
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
        return {"message": msg}

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

    def _api_answerCallbackQuery(self, call: Call) -> bool:
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
        if user_id == self.bot_id and chat_id in self._channel_posters:
            if not self._channel_posters[chat_id]:
                return _member(self._bot_user(), "member")
            return {**_member(self._bot_user(), "administrator"), "can_post_messages": True}
        return _member(self.user(user_id), status)

    def _api_getChatAdministrators(self, call: Call) -> list[dict[str, Any]]:
        chat_id = self._chat_id(call)
        if chat_id > 0:
            raise ApiError(400, "Bad Request: there are no administrators in the private chat")
        owner, admins = self._admins.get(chat_id, (None, []))
        found = [_member(self.user(owner), "creator")] if owner is not None else []
        return found + [_member(self.user(u), "administrator") for u in admins]


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


def _scope_key(scope: Any, language_code: str) -> str:
    if isinstance(scope, str):
        scope = json.loads(scope)
    return json.dumps(scope or {"type": "default"}, sort_keys=True) + "|" + (language_code or "")


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
