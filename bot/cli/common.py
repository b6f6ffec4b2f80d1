"""What CLI verbs share: naming a theme, confirming a deletion, the audit log, output files."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, TypeVar

from bot.app.clock import utcnow
from bot.app.errors import UsageError
from matcher.lookup import did_you_mean, find_theme
from store import Store

CLI_ACTOR = "cli"  # the audit log's actor name for changes made from a shell


class Named(Protocol):
    @property
    def slug(self) -> str: ...
    @property
    def name(self) -> str: ...


T = TypeVar("T", bound=Named)


def resolve_theme(name: str, specs: Sequence[T]) -> T:
    """The theme `name` means, by matcher.lookup's rule, the same one every chat command uses."""
    found = find_theme(name, [(s.slug, s.name) for s in specs])
    for spec in specs:
        if spec.slug == found.slug:
            return spec
    if found.ambiguous:
        raise UsageError(
            f"{name!r} names several themes: {', '.join(found.suggestions)}; give the slug"
        )
    hint = f"; did you mean {did_you_mean(found)}?" if found.suggestions else ""
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


def confirm(question: str, *, yes: bool, again: str) -> None:
    """Go on only if the operator said yes: `--yes`, or `y` typed at a terminal.

    A deletion from a script must say `--yes` so that a pipe or a cron job never removes
    something by accident; `again` is the command line to type with it.
    """
    if yes:
        return
    if not sys.stdin.isatty():
        raise UsageError(
            f"{question} Not confirmed: standard input is not a terminal, so nobody can "
            f"answer; to go ahead, add --yes: `{again}`"
        )
    try:
        answer = input(f"{question} [y/N] ").strip().lower()
    except EOFError:  # Ctrl-D: as good as no
        answer = ""
    if answer not in ("y", "yes"):
        raise UsageError("cancelled; nothing changed")


async def audit(
    store: Store,
    action: str,
    target: str,
    *,
    before: object,
    after: object,
    undo: dict[str, object] | None = None,
) -> int:
    """Write a shell change to the audit log as the chat writes its twin, so `/audit` shows it
    and `/undo` can reverse it (`undo` is the same snapshot the chat command stores)."""
    return await store.record_audit(
        at=utcnow(),
        actor_id=None,
        actor_name=CLI_ACTOR,
        action=action,
        target=target,
        before=before,
        after=after,
        snapshot=undo,
    )
