"""One console conversation: a typed line in, the answer printed, buttons that can be pressed.

The console shows a reply's buttons numbered (`[1] Yes, remove  [2] Cancel`); typing a number
or a button's label presses it, as tapping it would in Telegram. A word that names neither a
button on screen nor a command is answered with the buttons there are, not the whole help.
A chart or an export is written to a file in the output folder (default: the current
directory) and its path printed.
Does not read the terminal or poll feeds (bot/console/service.py does); commands are `Commands`'.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path
from typing import TextIO

from bot.app.clock import utcnow
from bot.app.errors import KNOWN_ERRORS
from bot.chat.commands import Commands
from bot.chat.html import Button, plain_text
from bot.chat.replies import Caller, Reply

log = logging.getLogger(__name__)

QUIT = ("/quit", "/exit", "quit", "exit")
UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
NOT_WORDS = re.compile(r"[^\w]+")


def _words(label: str) -> str:
    """A label reduced to its words: `« Older` -> `older`, `Yes, remove` -> `yes remove`."""
    return NOT_WORDS.sub(" ", label).strip().casefold()


class ConsoleSession:
    """The state between two lines: the buttons on screen, where files go."""

    def __init__(
        self,
        commands: Commands,
        caller: Caller,
        out: TextIO = sys.stdout,
        folder: Path | None = None,
    ) -> None:
        self.commands = commands
        self.caller = caller
        self.out = out
        self.folder = folder  # None: the current directory at the time of writing
        self.buttons: list[Button] = []  # the latest reply's, in the order they were numbered

    async def handle(self, line: str) -> bool:
        """Answer one typed line; False when the operator asked to quit.

        The console's edge, as `on_error` is Telegram's: a command's known error is printed as
        its one line, anything else logged with its traceback and told as logged, and the
        session (with the polling and delivery beside it) goes on.
        """
        try:
            return await self._handle(line)
        except KNOWN_ERRORS as exc:
            log.warning("command refused: %s", exc)
            self._print(str(exc))
        except Exception:
            log.exception("console command failed: %s", line[:200])
            self._print(
                "That failed on our side and was logged for the operator; please try again."
            )
        return True

    async def _handle(self, line: str) -> bool:
        line = line.strip()
        if not line:
            return True
        if line.lower() in QUIT:
            return False
        button = self._button_for(line)
        if button is not None:
            self.show(await self.commands.press(self.caller, button.callback_data), pressed=True)
            return True
        # Split as Telegram splits a command's arguments (on whitespace, quotes and
        # apostrophes kept): a shell's rules turned `/query t "arab league" AND syria` into a
        # loose `arab league` and `/search Syria's` into `Syrias` (QA).
        words = line.split()
        name = words[0].lstrip("/").split("@")[0]
        if not line.startswith("/") and name.lower() not in self.commands.handlers():
            self._print(self._no_button(line))  # a button's word mistyped, or none on screen
            return True
        reply = await self.commands.run(self.caller, name, words[1:])
        self.show(reply, pressed=False, name="-".join([name, *words[1:2]]))
        return True

    def _button_for(self, line: str) -> Button | None:
        """The button on screen that `line` names by number or by label (any case; punctuation and
        emoji may be left out: `older` presses `« Older`)."""
        if not self.buttons or line.startswith("/"):
            return None
        if line.isdigit():
            n = int(line)
            return self.buttons[n - 1] if 1 <= n <= len(self.buttons) else None
        wanted = _words(line)
        return next((b for b in self.buttons if _words(b.text) == wanted), None) if wanted else None

    def _no_button(self, line: str) -> str:
        """The answer to a word that is neither a button on screen nor a command."""
        asked = line if len(line) <= 40 else line[:39] + "…"
        if self.buttons:
            numbered = "  ".join(f"[{n}] {b.text}" for n, b in enumerate(self.buttons, 1))
            return f"No button “{asked}” on screen. Type a number or a label: {numbered}"
        return (
            f"No button “{asked}” on screen, and no such command; "
            "commands start with /, e.g. /help."
        )

    def show(self, reply: Reply, *, pressed: bool, name: str = "policywatch") -> None:
        """Print a reply: its text (or a pressed button's toast), files, and numbered buttons.

        `name` starts the name of a chart's file (`timeline-SLUG-chart-20261130-101500.png`).
        """
        text = plain_text(reply.text) if reply.text else (reply.toast or "")
        if text:
            self._print(text)
        if reply.photo is not None:
            self._print(f"chart written to {self._write(f'{name}-chart.png', reply.photo)}")
        if reply.document is not None:
            name, body = reply.document
            self._print(f"export written to {self._write(name, body)}")
        if reply.buttons or not pressed or reply.edit:
            # A new answer (or an edited message) replaces the buttons on screen; a toast
            # alone (e.g. feedback on an alert) leaves the message and its buttons in place.
            self.buttons = [b for row in reply.buttons for b in row]
        if self.buttons:
            numbered = "  ".join(f"[{n}] {b.text}" for n, b in enumerate(self.buttons, 1))
            self._print(f"  {numbered}  (type a number or a label)")

    def _write(self, name: str, body: bytes) -> Path:
        """Write `body` to a new file named after `name` and the time; never overwrite one."""
        folder = self.folder or Path.cwd()
        folder.mkdir(parents=True, exist_ok=True)
        stem, dot, ext = UNSAFE.sub("-", name).rpartition(".")
        stamp = utcnow().strftime("%Y%m%d-%H%M%S")
        base = f"{stem or ext}-{stamp}"
        path = folder / f"{base}{dot}{ext if stem else ''}"
        n = 1
        while path.exists():
            n += 1
            path = folder / f"{base}-{n}{dot}{ext if stem else ''}"
        path.write_bytes(body)
        return path.resolve()

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)
