"""/undo: offer to undo an audit entry, say exactly what it will do, and do only that.

A theme change is undone part by part (store.undo decides: only what the entry changed goes
back, later changes stay, and an overlap is refused with the later entries to undo first,
newest first). Undoing /addtheme removes the theme, so its confirmation counts what goes with
it, and that undo can itself be undone. Undoing /removetheme brings back the labels and
subscriptions its entry kept. Undoing a teaching step takes back its labels and fits the model
again on those left (the model is derived, so later changes never block it). Does not check
the admin right (bot/chat/commands.py does).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

from bot.app.teaching import undo_labels
from bot.app.words import counted
from bot.chat.desk import Group
from bot.chat.html import Button
from bot.chat.limits import small_int
from bot.chat.replies import Caller, Reply
from bot.chat.views import trim
from store import FeedExists, ThemeFootprint
from store.records import AuditRow, FeedRow, RemovedFeed, ThemeSpec
from store.undo import (
    ThemeUndo,
    blocking_entries,
    decide_teaching_undo,
    decide_theme_undo,
    part_words,
)


@dataclass(frozen=True)
class UndoPlan:
    """What undoing one entry would do now, or why it may not."""

    refusal: str | None = None  # HTML; set when the entry may not be undone now
    effect: str = ""  # HTML: one sentence for the confirmation
    theme: ThemeUndo | None = None  # a theme change: what to store


def _footprint_words(slug: str, counts: ThemeFootprint) -> str:
    """`with its 3 matches, 1 event, 2 subscriptions and 12 labels` (for a removal)."""
    parts = [
        counted(counts.matches, "match"),
        counted(counts.events, "event"),
        counted(counts.subscriptions, "subscription"),
        counted(counts.labels, "taught label"),
    ]
    text = f"theme <b>{escape(slug)}</b> with its {', '.join(parts[:-1])} and {parts[-1]}"
    if counts.votes:
        text += f"; its {counted(counts.votes, 'feedback vote')} cannot come back"
    return text


def removal_question(slug: str, counts: ThemeFootprint) -> str:
    """The confirmation of a theme's removal, by /removetheme or by undoing /addtheme."""
    return (
        f"Remove {_footprint_words(slug, counts)}? "
        "/undo brings back its definition, labels and subscriptions; matches and events are "
        "re-made from the stored items."
    )


class UndoCommands(Group):
    """/undo and its confirmation button."""

    async def offer(
        self, caller: Caller, args: list[str], confirm: Callable[[int], list[list[Button]]]
    ) -> Reply:
        """Offer to undo the latest undoable change (or audit entry N), saying what it does;
        `confirm` draws the confirmation's buttons for an entry."""
        number = small_int(args[0]) if args else None
        if args and number is None:
            return Reply("Usage: /undo [N] (N: an entry of /audit; default: the latest change)")
        entry = await self.store.last_undoable(number)
        if entry is None:
            return Reply("Nothing to undo." if not args else f"No audit entry {escape(args[0])}.")
        if entry.snapshot is None:
            return Reply(f"Entry {entry.id} ({escape(entry.action)}) cannot be undone.")
        if entry.undone_by is not None:
            return Reply(f"Entry {entry.id} was already undone by entry {entry.undone_by}.")
        plan = await self.plan(entry)
        if plan.refusal is not None:
            return Reply(plan.refusal)
        return Reply(
            f"Undo entry {entry.id}: {escape(entry.action)} {escape(trim(entry.target, 80))} "
            f"by {escape(entry.actor_name or 'operator')} at {entry.at:%Y-%m-%d %H:%M} UTC?\n"
            f"{plan.effect}",
            confirm(entry.id),
        )

    async def plan(self, entry: AuditRow) -> UndoPlan:
        """What undoing `entry` does now (the theme may have changed since it was offered)."""
        snap: dict[str, Any] = dict(entry.snapshot or {})
        kind = snap.get("kind")
        if kind == "addfeed":
            return UndoPlan(effect=f"It removes feed {snap['feed_id']} and its stored items.")
        if kind == "removefeed":
            return UndoPlan(effect="It watches the feed again; its archive is re-read.")
        if kind == "addtheme":
            slug = str(snap["slug"])
            # A theme removed and made again since is not the one this entry added: undo the
            # later removal and addition first, newest first (QA: the newer theme went).
            remade = [
                r.id
                for r in await self.store.later_changes(slug, entry.id)
                if (r.snapshot or {}).get("kind") in ("addtheme", "removetheme")
            ]
            if remade:
                return UndoPlan(refusal=_undo_first(entry, slug, remade))
            counts = await self.store.theme_footprint(slug)
            if counts is None:
                return UndoPlan(refusal=f"Theme {escape(slug)} is already gone.")
            return UndoPlan(effect=f"It removes {_footprint_words(slug, counts)}.")
        if kind == "removetheme":
            slug = str(snap["theme"]["slug"])
            if await self.store.get_theme(slug) is not None:
                return UndoPlan(refusal=f"A theme {escape(slug)} exists again; nothing to undo.")
            return UndoPlan(
                effect=f"It brings back theme <b>{escape(slug)}</b> with its "
                f"{_kept(snap)}{self._remade()}."
            )
        if kind in ("theme", "labels"):
            return await self._theme_plan(entry, snap)
        return UndoPlan(refusal=f"Entry {entry.id} ({escape(entry.action)}) cannot be undone.")

    async def _theme_plan(self, entry: AuditRow, snap: dict[str, Any]) -> UndoPlan:
        before = snap["theme"]
        slug = str(before["slug"])
        current = await self.store.get_theme(slug)
        later = await self.store.later_changes(slug, entry.id)
        if "after" not in snap:
            # An entry that did not record the theme after it (teaching, or one written before
            # undo learned parts): it can only put the whole theme back, so nothing may follow.
            if current is None and entry.action == "removetheme":
                return UndoPlan(
                    effect=f"It brings back theme <b>{escape(slug)}</b> as it was; this entry "
                    "did not keep its labels and subscriptions, so they cannot come back."
                )
            if current is None:
                return UndoPlan(refusal=_gone(entry, slug, [r.id for r in later]))
            if later:
                return UndoPlan(refusal=_undo_first(entry, slug, [r.id for r in later]))
            return UndoPlan(effect=f"It puts theme <b>{escape(slug)}</b> back as it was then.")
        if current is None:
            return UndoPlan(refusal=_gone(entry, slug, [r.id for r in later]))
        if snap.get("kind") == "labels":
            return self._teaching_plan(entry, snap, current.to_json(), later)
        decision = decide_theme_undo(before, snap["after"], current.to_json())
        if decision.blocked:
            versions = [(r.id, *_versions(r)) for r in later]
            names = blocking_entries(decision.blocked, versions)
            return UndoPlan(refusal=_undo_first(entry, slug, names, decision.blocked))
        if not decision.undone:
            return UndoPlan(refusal=f"Nothing to undo: {escape(slug)} is as it was before.")
        kept = f"; later changes ({len(later)}) stay" if later else ""
        return UndoPlan(
            effect=f"It puts back the {part_words(decision.undone)} of <b>{escape(slug)}</b> "
            f"as before entry {entry.id}{kept}.",
            theme=decision,
        )

    def _teaching_plan(
        self, entry: AuditRow, snap: dict[str, Any], current: dict[str, Any], later: list[AuditRow]
    ) -> UndoPlan:
        """A teaching step: its labels go, the model is fitted again on the labels left, and
        what else it changed (an example) goes back unless a later change built on it."""
        slug = str(snap["theme"]["slug"])
        decision = decide_teaching_undo(snap["theme"], snap["after"], current)
        if decision.blocked:
            versions = [(r.id, *_versions(r)) for r in later]
            names = blocking_entries(decision.blocked, versions)
            return UndoPlan(refusal=_undo_first(entry, slug, names, decision.blocked))
        added, removed = len(snap.get("added", [])), len(snap.get("removed", []))
        steps = []
        if added:
            steps.append(f"takes back the {counted(added, 'label')} it added")
        if removed:
            steps.append(f"brings back the {counted(removed, 'label')} it took back")
        if decision.undone:
            steps.append(f"puts back the {part_words(decision.undone)}")
        steps.append(f"fits the model of <b>{escape(slug)}</b> again on the labels left")
        kept = f"; later changes ({len(later)}) stay" if later else ""
        return UndoPlan(effect=f"It {', '.join(steps)}{kept}.", theme=decision)

    async def apply(self, caller: Caller, entry_id: int) -> Reply:
        """The confirmed undo: checked again, applied, and logged as an entry of its own."""
        entry = await self.store.last_undoable(entry_id)
        if entry is None or entry.snapshot is None or entry.undone_by is not None:
            return Reply("That change was already undone or cannot be.", edit=True)
        plan = await self.plan(entry)
        if plan.refusal is not None:
            return Reply(f"Not undone: {plan.refusal}", edit=True)
        snap: dict[str, Any] = dict(entry.snapshot)
        kind = snap.get("kind")
        redo: dict[str, Any] | None = None
        if kind == "addfeed":
            await self.store.remove_feed(int(snap["feed_id"]))
            done = f"removed feed {snap['feed_id']} again"
        elif kind == "removefeed":
            try:
                now = self.clock()
                feed = await self.store.add_feed(
                    str(snap["url"]),
                    now,
                    snap.get("title"),
                    alert_after=_alerted_until(snap, now),
                    feed_id=snap.get("id"),
                    known_keys=[str(k) for k in snap["known"]] if "known" in snap else None,
                )
            except FeedExists:
                return Reply("That feed is watched again already.", edit=True)
            done = (
                f"watching feed {feed.id} {escape(feed.url)} again (what it had is not "
                "alerted again; what it published since is)"
            )
        elif kind == "addtheme":
            slug = str(snap["slug"])
            redo = await self.remove_theme(slug)
            done = f"removed theme {escape(slug)} again (/undo brings it back)"
        elif kind == "removetheme":
            restored = await self.store.restore_removed_theme(snap, self.clock())
            # what was fetched while it was gone is news, as for a feed (QA round 21)
            self._rematch(restored.slug, caller, alert_fetched_after=entry.at)
            done = f"theme {escape(restored.slug)} is back with its {_kept(snap)}{self._remade()}"
        elif kind == "labels":
            decided = plan.theme.theme if plan.theme is not None else None
            slug = await undo_labels(self.store, snap, self.clock(), decided)
            self._rematch(slug, caller)
            done = (
                f"theme {escape(slug)} and its labels are back as they were"
                if decided is None
                else f"the labels of {escape(slug)} are back as before entry {entry.id} "
                "and its model is fitted on them"
            )
        else:  # a theme change
            if plan.theme is not None and plan.theme.theme is not None:
                restored = ThemeSpec.from_json(plan.theme.theme)
                words = part_words(plan.theme.undone)
                # "its threshold is", "its keywords, exclusions and query are" (QA: "is")
                one = len(plan.theme.undone) == 1 and not (
                    "," in words or " and " in words or words.endswith("s")
                )
                verb = "is" if one else "are"
                what = f"its {words} {verb} back as before entry {entry.id}"
            else:
                restored = ThemeSpec.from_json(snap["theme"])
                what = "it is back as it was"
                if entry.action == "removetheme":
                    what += " (without labels and subscriptions: this entry did not keep them)"
            await self.store.save_theme(restored, self.clock())
            self._rematch(restored.slug, caller)
            done = f"theme {escape(restored.slug)}: {escape(what)}"
        await self._audit(
            caller,
            "undo",
            f"entry {entry.id}: {entry.action} {entry.target}",
            None,
            None,
            undo=redo,
            undoes=entry.id,
        )
        return Reply(f"↩️ Undone: {done}.", edit=True)

    async def remove_theme(self, slug: str) -> dict[str, Any] | None:
        """Remove a theme; the snapshot that brings it back (None if it was gone)."""
        spec = await self.store.get_theme(slug)
        if spec is None:
            return None
        snapshot = await self.store.removal_snapshot(spec)
        await self.store.remove_theme(slug)
        return snapshot

    def _remade(self) -> str:
        """How a restored theme's matches and events come back."""
        if self.rematcher is None:
            return "; its matches and events come back as items are matched again"
        return "; its matches and events are re-made from the stored items"

    def _rematch(
        self, slug: str, caller: Caller, alert_fetched_after: datetime | None = None
    ) -> None:
        if self.rematcher is not None:
            self.rematcher.start(slug, caller.chat_id, alert_fetched_after)


def _kept(snapshot: dict[str, Any]) -> str:
    """`12 taught labels and 1 subscription`: what a removal's snapshot brings back."""
    labels = counted(len(snapshot.get("labels", [])), "taught label")
    return f"{labels} and {counted(len(snapshot.get('subscriptions', [])), 'subscription')}"


def _versions(row: AuditRow) -> tuple[Any, Any]:
    """A theme entry's (before, after) versions, None where it did not record one."""
    snap = row.snapshot if isinstance(row.snapshot, dict) else {}
    if snap.get("kind") not in ("theme", "labels"):
        return None, None
    return snap.get("theme"), snap.get("after")


def _gone(entry: AuditRow, slug: str, later: list[int]) -> str:
    """The refusal for a change to a theme that was removed since."""
    if later:
        return _undo_first(entry, slug, later)
    return (
        f"Entry {entry.id} cannot be undone: theme {escape(slug)} was removed since. "
        "Bring it back first (/audit shows the removal and its /undo)."
    )


def _undo_first(
    entry: AuditRow, slug: str, later: list[int], parts: frozenset[str] | None = None
) -> str:
    """The refusal that names the later entries to undo first, newest first."""
    what = f"the {escape(part_words(parts))} of " if parts else ""
    if not later:
        return (
            f"Entry {entry.id} cannot be undone: {what}{escape(slug)} changed since, outside "
            "the audit log. Change it by hand (/keywords, /query, /threshold)."
        )
    first = ", ".join(f"/undo {n}" for n in later)
    return (
        f"Entry {entry.id} cannot be undone alone: later changes to {what}{escape(slug)} "
        f"would be lost. Undo them first, newest first: {first}."
    )


def feed_removal_undo(feed: FeedRow, removed: RemovedFeed) -> dict[str, Any]:
    """The audit snapshot that lets /undo watch a removed feed again. It keeps the prints of
    the items the feed had: when it is watched again, those were read (and alerted) already,
    and anything else in it is news, even when dated before its last poll (QA rounds 16, 19).
    `read_until` is what a removal logged before the prints were kept went by."""
    read = feed.last_success_at
    since = removed.known_since
    return {
        "kind": "removefeed",
        "id": feed.id,
        "url": feed.url,
        "title": feed.title,
        "read_until": read.isoformat() if read is not None else None,
        "known": list(removed.known),
        "known_since": since.isoformat() if since is not None else None,
    }


def _alerted_until(snap: dict[str, Any], now: datetime) -> datetime | None:
    """A feed watched again alerts nothing published before this: with the prints of its
    items, the oldest of them when there were more than were kept (None: the backfill rule
    alone); before the prints were kept, the last good poll before its removal (None: never
    read), or the undo's own time for a removal logged before that was kept either."""
    if "known" in snap:
        since = snap.get("known_since")
        return datetime.fromisoformat(since) if since else None
    if "read_until" not in snap:
        return now
    read = snap["read_until"]
    return datetime.fromisoformat(read) if read else None
