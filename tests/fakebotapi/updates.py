"""Updates injected into the fake: messages, button presses, membership changes, migrations."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from tests.fakebotapi.htmlcheck import utf16_len
from tests.fakebotapi.records import _guess_type, _member


class Updates:
    """Injecting updates; mixed into FakeBotAPI, whose state it reads."""

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
