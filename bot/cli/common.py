"""What several CLI verbs share: naming a theme, writing an output file, the store's lifetime."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, TypeVar

from bot.app.errors import UsageError
from matcher.lookup import find_theme


class Named(Protocol):
    @property
    def slug(self) -> str: ...
    @property
    def name(self) -> str: ...


T = TypeVar("T", bound=Named)


def resolve_theme(name: str, specs: Sequence[T]) -> T:
    """The theme `name` means (slug, display name or close spelling), as `/timeline` resolves it."""
    found = find_theme(name, [(s.slug, s.name) for s in specs])
    for spec in specs:
        if spec.slug == found.slug:
            return spec
    hint = f"; did you mean {found.suggestion}?" if found.suggestion else ""
    known = ", ".join(s.slug for s in specs) or "none"
    raise UsageError(f"no theme {name!r}{hint} (known: {known})")


def write_out(path: str | None, data: bytes) -> None:
    """Write to `path` (and say so on stderr), or to standard output."""
    if path:
        Path(path).write_bytes(data)
        print(f"wrote {path}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
