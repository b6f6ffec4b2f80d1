"""A fake Telegram Bot API server on 127.0.0.1 for tests: the real python-telegram-bot talks to it.

It answers `/bot{token}/{method}` (JSON, form-encoded and multipart bodies, as PTB sends them)
for the methods policywatch uses, with realistic Telegram JSON; records every call; hands
injected updates to `getUpdates` (long poll, honours `offset`) or POSTs them to a bot's webhook;
fails on demand; checks HTML parse mode the way Telegram refuses bad markup; and can enforce
Telegram's rate limits (`enforce_limits`). It does not model Telegram beyond that.

    server.py     the HTTP server, what was sent, configuration, the API methods
    updates.py    injected updates: messages, button presses, membership, migrations
    faults.py     failures on demand and Telegram's rate limits
    htmlcheck.py  HTML parse mode, as crudely as Telegram needs
    records.py    what the fake keeps: calls, sent messages, faults

Use it as `async with FakeBotAPI() as server:` or through the `fake_bot_api` fixture; point PTB
at it with `server.bot_base_url` (or `base_url=f"{server.base_url}/bot"`).

    inspect: calls(method), sent_messages(chat_id), message(chat_id, message_id), commands(scope),
             wait_for(predicate, timeout), wait_for_messages(count, chat_id, timeout)
    inject:  inject_message, inject_callback, inject_my_chat_member, inject_migration,
             inject_new_members, inject_update (raw); set_admins(chat_id, user_ids, owner_id);
             add_channel(chat_id, username, title) for getChat("@name") and the bot's rights;
             post_update(target, update, secret) for a bot in webhook mode
    faults:  fail_next(method, kind, count, chat_id, retry_after=, hang=, description=),
             forbid(chat_id), close_topic(chat_id, thread_id, deleted=), reopen_topic,
             enforce_limits=True; reset()
    PTB:     running_application(app) runs an Application with polling for a test, bounded.
    other process: `python -m tests.fakebotapi` prints its port; GET /_fake/stats (counts) and
             /_fake/sent (every accepted message) answer a benchmark in another process.
"""

from tests.fakebotapi.htmlcheck import check_html, utf16_len
from tests.fakebotapi.records import BOT_USERNAME, TEST_TOKEN, ApiError, Call, SentMessage
from tests.fakebotapi.server import FakeBotAPI, fake_bot_api, running_application

__all__ = [
    "BOT_USERNAME",
    "TEST_TOKEN",
    "ApiError",
    "Call",
    "FakeBotAPI",
    "SentMessage",
    "check_html",
    "fake_bot_api",
    "running_application",
    "utf16_len",
]
