"""What a query's prefix* terms reach in real text: the words each takes, most frequent first.

Why: a prefix written for one family of words often takes another too. `bid*`, meant for
bids and bidding, takes "Biden"; `join*` takes "joint"; `member*` takes "members" but also
"memberships" of clubs. An admin learns it from false alerts unless the bot says so when the
query is written: `/query` and `themes show` list the words each prefix reached in the newest
stored items, so "biden (41)" stands out and the prefix can be replaced by the words meant.

Pure: the caller hands in the texts (the newest stored items); nothing is read or stored
here. Words are folded and matched as the scorer matches them (`index.prefix_match`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from matcher.index import prefix_match
from matcher.query import All, Any, Near, Node, Not, Words
from matcher.text import fold_words, stem

TOP_WORDS = 6  # words shown per prefix


@dataclass(frozen=True)
class PrefixReach:
    """A prefix as written and the words it took in the texts, with how many texts had each."""

    written: str
    words: tuple[tuple[str, int], ...]


def prefixes(node: Node) -> list[str]:
    """The folded prefixes of a query (`negotiat*` -> "negotiat"), in order, each once.

    A prefix inside NOT is left out: what it takes is excluded, not alerted.
    """
    out: list[str] = []

    def walk(n: Node) -> None:
        if isinstance(n, Words):
            for written in n.words:
                if written.endswith("*"):
                    folded = fold_words(written[:-1])
                    if folded and folded[-1] not in out:
                        out.append(folded[-1])
        elif isinstance(n, Near):
            walk(n.left)
            walk(n.right)
        elif isinstance(n, All | Any):
            for part in n.parts:
                walk(part)
        elif isinstance(n, Not):
            return

    walk(node)
    return out


def prefix_reach(node: Node, texts: Iterable[str], top: int = TOP_WORDS) -> list[PrefixReach]:
    """For each prefix of the query, the `top` words it takes in `texts` (by how many texts
    hold each), as the scorer would take them."""
    wanted = prefixes(node)
    if not wanted:
        return []
    counts = {p: Counter[str]() for p in wanted}
    for text in texts:
        seen = set(fold_words(text))
        for word in seen:
            for p in wanted:
                if word[:2] == p[:2] and prefix_match(word, stem(word), p):
                    counts[p][word] += 1
    # most frequent first; a tie in alphabetical order, whatever order the items came in
    return [
        PrefixReach(p + "*", tuple(sorted(counts[p].items(), key=lambda wc: (-wc[1], wc[0]))[:top]))
        for p in wanted
    ]
