"""Which SQLite file a DATABASE_URL names, and the one line that says a new one was created.

A new user should never wonder which database a command used: the first command that creates
the file says so on stderr. Does not open or migrate anything (that is `store`'s job); PostgreSQL
URLs name no file and get no notice.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO


def sqlite_file(url: str) -> Path | None:
    """The file of a `sqlite:///PATH` URL (any driver suffix); None for memory or PostgreSQL."""
    scheme, sep, rest = url.partition(":///")
    if not sep or not scheme.startswith("sqlite"):
        return None
    path = rest.split("?", 1)[0]
    if not path or path.startswith(":memory:"):
        return None
    return Path(path)


def missing_database(url: str) -> Path | None:
    """The SQLite file `url` names when it does not exist yet (opening it will create it)."""
    path = sqlite_file(url)
    return path if path is not None and not path.exists() else None


def announce_created(path: Path | None, out: TextIO | None = None) -> None:
    """After opening: one line naming the database file, if this command created it."""
    if path is not None and path.exists():
        print(f"policywatch: created a new database at {path}", file=out or sys.stderr)
