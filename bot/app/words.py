"""Counts as people write them: `1 item`, `2 items`, `1 match`, `3 matches`.

Shared by every reply and summary that counts something; English only, as the replies are.
"""

from __future__ import annotations


def counted(n: int, noun: str) -> str:
    """`n` and the noun, plural unless n is 1 (`es` after ch, sh, s, x)."""
    if n == 1:
        return f"1 {noun}"
    plural = "es" if noun.endswith(("ch", "sh", "s", "x")) else "s"
    return f"{n:,} {noun}{plural}"
