"""What a command answers, independent of the front end that shows it."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.chat.html import Button


@dataclass(frozen=True)
class Caller:
    """Who asked, where, and what they may do (decided by the front end)."""

    chat_id: int
    chat_type: str  # private | group | supergroup | channel | console
    user_id: int | None
    user_name: str | None
    is_admin: bool  # one of ADMIN_IDS (the console operator is one)
    can_manage_chat: bool  # may change what this chat follows (group admins, private chats)
    thread_id: int = 0  # the forum topic asked from (message_thread_id); 0: the chat itself
    # The command's words as typed, line breaks kept (args are split on any space): read
    # only where pasted text is the argument (/example's headline above its text).
    text: str = ""


@dataclass(frozen=True)
class Reply:
    """An answer: HTML text with buttons, maybe a picture or a file."""

    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    edit: bool = False  # a button press: replace the message it came from
    toast: str | None = None  # a short note on the pressed button
    photo: bytes | None = None
    document: tuple[str, bytes] | None = None  # (file name, content)
