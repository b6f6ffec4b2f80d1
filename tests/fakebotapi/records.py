"""What the fake Bot API keeps: the test token, calls, sent messages and faults."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
MAX_HANG = 30.0  # a "timeout" fault never hangs longer than this


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


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


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
