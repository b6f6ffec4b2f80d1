"""A console session driven one typed line at a time, as an operator types at the prompt:
the tests of chat answers, undo and the console itself share it."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from bot.chat.commands import Commands
from bot.console.service import CONSOLE
from bot.console.session import ConsoleSession
from store import Store


class Typist:
    """Types lines into one console session (the console's admin) and keeps what each printed."""

    def __init__(self, store: Store, folder: Path, now: datetime) -> None:
        self.store = store
        self.folder = folder
        self.out = io.StringIO()
        self.session = ConsoleSession(Commands(store, lambda: now), CONSOLE, self.out, folder)

    async def type(self, line: str) -> str:
        start = self.out.tell()
        assert await self.session.handle(line)
        return self.out.getvalue()[start:]
