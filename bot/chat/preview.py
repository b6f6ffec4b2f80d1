"""What a proposed theme change would do: decisions on stored items and on the feedback.

Shared by `/preview` and `policywatch match --stored`, so an admin sees the same comparison
in the chat and on the command line before anything goes live.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.app.words import counted
from matcher import (
    MatchResult,
    Scorer,
    Theme,
    ThemeError,
    with_exclusion,
    with_keyword,
    with_threshold,
)
from matcher.themes import WhichConcept, keyword_targets, with_query
from store import Store
from store.records import ItemRow
from watchers.poll.items import stored_text

CHANGES = "threshold N | add [CONCEPT:] PHRASE | exclude PHRASE | query QUERY"


def propose(
    theme: Theme, words: Sequence[str], ask: tuple[str, str] | None = None
) -> tuple[Theme, str]:
    """The theme with the change the words describe, and a label; ThemeError if unusable.

    `ask`: the command (and quote) that adds a phrase to a named concept where this was
    typed, for the question a phrase sharing no word with any concept gets; /preview's own
    by default (QA round 13: /preview answered with /keywords commands that change the theme).
    """
    if not words:
        return theme, "current settings"
    kind, rest = words[0].lower(), " ".join(words[1:]).strip()
    if kind == "threshold" and rest.isascii() and rest.isdigit() and len(rest) <= 9:
        return with_threshold(theme, int(rest)), f"threshold {rest}"
    if kind == "add" and rest:
        head, colon, phrase = rest.partition(":")
        concept: str | None = None
        if colon and phrase.strip() and " " not in head.strip():  # add CONCEPT: PHRASE
            concept, rest = head.strip(), phrase.strip()
        try:
            targets = keyword_targets(theme, concept, rest)
            proposed = with_keyword(theme, rest, concept)
        except WhichConcept as exc:
            command, quote = ask or (f"/preview {theme.slug} add", "")
            raise ThemeError(exc.asked(command, quote)) from None
        named = " and ".join(targets)
        into = (
            f" to concept{'s' if len(targets) > 1 else ''} {named}" if len(theme.groups) > 1 else ""
        )
        return proposed, f"adding “{rest}”{into}"
    if kind == "exclude" and rest:
        return with_exclusion(theme, rest), f"excluding “{rest}”"
    if kind == "query" and rest:
        return with_query(theme, rest), f"the query “{rest}”"
    raise ThemeError(f"{' '.join(words)[:60]!r} is not a change; use {CHANGES}")


@dataclass(frozen=True)
class Verdict:
    item: ItemRow
    before: MatchResult
    after: MatchResult


@dataclass
class FeedbackReplay:
    """How many items users judged, and how many of them each version matches."""

    relevant: int = 0
    relevant_before: int = 0
    relevant_after: int = 0
    not_relevant: int = 0
    not_relevant_before: int = 0
    not_relevant_after: int = 0


@dataclass
class WhatIf:
    verdicts: list[Verdict] = field(default_factory=list)
    feedback: FeedbackReplay = field(default_factory=FeedbackReplay)

    def gained(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.after.matched and not v.before.matched]

    def lost(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.before.matched and not v.after.matched]

    def kept(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.before.matched and v.after.matched]


async def what_if(store: Store, theme: Theme, proposed: Theme, recent: int = 50) -> WhatIf:
    """Score the newest stored items and every item with feedback under both versions."""
    now_scorer, new_scorer = Scorer([theme]), Scorer([proposed])
    result = WhatIf()
    for it in await store.recent_items(recent):
        text = stored_text(it)
        result.verdicts.append(Verdict(it, now_scorer.score(text)[0], new_scorer.score(text)[0]))
    votes = dict(await store.feedback_items(theme.slug))
    replay = result.feedback
    for it in await store.items_by_ids(list(votes)):
        text = stored_text(it)
        before, after = now_scorer.score(text)[0].matched, new_scorer.score(text)[0].matched
        if votes[it.id]:
            replay.relevant += 1
            replay.relevant_before += before
            replay.relevant_after += after
        else:
            replay.not_relevant += 1
            replay.not_relevant_before += before
            replay.not_relevant_after += after
    return result


def feedback_line(replay: FeedbackReplay) -> str | None:
    if not (replay.relevant or replay.not_relevant):
        return None
    return (
        f"feedback: of {counted(replay.relevant, 'item')} marked relevant, "
        f"{replay.relevant_before} match "
        f"now and {replay.relevant_after} would; of {replay.not_relevant} marked not relevant, "
        f"{replay.not_relevant_before} match now and {replay.not_relevant_after} would"
    )
