"""Reading a text file an operator hands us (JSON Lines, TOML): UTF-8, with or without a BOM.

Files saved by Excel or Notepad are often Latin-1 or carry a byte-order mark. A BOM is
accepted (`utf-8-sig`); any other encoding is refused with the file, the byte and its
position, and what to do, instead of a UnicodeDecodeError traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bot.app.errors import UsageError


def read_utf8(path: str | Path) -> str:
    """The text of `path` (`-`: standard input); UsageError naming the file when it cannot be
    read or is not UTF-8."""
    try:
        data = sys.stdin.buffer.read() if str(path) == "-" else Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        byte = data[exc.start]
        name = "standard input" if str(path) == "-" else str(path)  # not "-" (QA round 13)
        raise UsageError(
            f"{name}: not UTF-8 text (byte 0x{byte:02x} at position {exc.start}); save it as UTF-8"
        ) from None
