"""What removing a theme takes with it, and putting a removed theme back from its snapshot.

`/removetheme` (and undoing `/addtheme`) deletes a theme's labels, subscriptions, matches,
events and the feedback votes on those matches. The labels and subscriptions are people's
work, so `removal_snapshot` keeps them (with the definition, whose options hold the learned
model they fit) for the audit entry, and `restore_removed_theme` puts them back in one
transaction. Matches and events are not kept: re-matching the stored items re-makes them.
Feedback votes are tied to the old matches and cannot come back; `theme_footprint` counts
them so the confirmation can say so. Does not decide whether an undo may run (matcher.undo).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select

from store.labels import LabelQueries, LabelRow
from store.records import ThemeSpec
from store.schema import chats, events, feedback, matches, subscriptions, theme_labels, themes
from store.themes import ThemeQueries


@dataclass(frozen=True)
class ThemeFootprint:
    """How much goes with a theme when it is removed (from storage)."""

    matches: int
    events: int
    subscriptions: int  # chats and forum topics that follow it, active or not
    labels: int  # taught items (themes teach, /example)
    votes: int  # feedback-button votes on its matches: these cannot be restored


class RemovalQueries(LabelQueries, ThemeQueries):
    """Built on the labels and themes queries, whose rows a removal takes away."""

    async def theme_footprint(self, slug: str) -> ThemeFootprint | None:
        """The counts a removal confirmation shows; None if there is no such theme."""
        async with self.engine.connect() as conn:
            theme_id = await conn.scalar(select(themes.c.id).where(themes.c.slug == slug))
            if theme_id is None:
                return None

            async def count(table: Any, *where: Any) -> int:
                query = select(func.count()).select_from(table).where(*where)
                return int(await conn.scalar(query) or 0)

            return ThemeFootprint(
                matches=await count(matches, matches.c.theme_id == theme_id),
                events=await count(events, events.c.theme_id == theme_id),
                subscriptions=await count(subscriptions, subscriptions.c.theme_id == theme_id),
                labels=await count(theme_labels, theme_labels.c.theme_id == theme_id),
                votes=await count(
                    feedback.join(matches, matches.c.id == feedback.c.match_id),
                    matches.c.theme_id == theme_id,
                ),
            )

    async def removal_snapshot(self, spec: ThemeSpec) -> dict[str, Any]:
        """The audit snapshot that lets `restore_removed_theme` put the theme back."""
        async with self.engine.connect() as conn:
            theme_id = await conn.scalar(select(themes.c.id).where(themes.c.slug == spec.slug))
            subs = (
                await conn.execute(
                    select(
                        subscriptions.c.chat_id,
                        subscriptions.c.thread_id,
                        subscriptions.c.active,
                        subscriptions.c.inactive_reason,
                    )
                    .where(subscriptions.c.theme_id == theme_id)
                    .order_by(subscriptions.c.id)
                )
            ).all()
        labels = await self.list_labels(spec.slug) if theme_id is not None else []
        return {
            "kind": "removetheme",
            "theme": spec.to_json(),
            "labels": [label.to_json() for label in labels],
            "subscriptions": [
                {"chat_id": s[0], "thread_id": s[1], "active": s[2], "reason": s[3]} for s in subs
            ],
        }

    async def restore_removed_theme(self, snapshot: dict[str, Any], now: datetime) -> ThemeSpec:
        """Put back a removed theme: definition (and learned model), labels, subscriptions.

        A subscription of a chat that is gone since is skipped; the returned spec is the
        stored theme.
        """
        spec = ThemeSpec.from_json(snapshot["theme"])
        saved = await self.save_theme(spec, now)
        labels = [LabelRow.from_json(r) for r in snapshot.get("labels", [])]
        if labels:
            await self.add_labels(spec.slug, labels, now, "undo")
        rows = snapshot.get("subscriptions", [])
        async with self.writing() as conn:
            theme_id = await conn.scalar(select(themes.c.id).where(themes.c.slug == spec.slug))
            known = set((await conn.execute(select(chats.c.id))).scalars().all())
            values = [
                {
                    "chat_id": int(r["chat_id"]),
                    "thread_id": int(r.get("thread_id") or 0),
                    "theme_id": theme_id,
                    "active": bool(r.get("active", True)),
                    "inactive_reason": r.get("reason"),
                    "created_at": now,
                }
                for r in rows
                if int(r["chat_id"]) in known
            ]
            # exactly the followers it had: not the console's following of a new theme
            await conn.execute(delete(subscriptions).where(subscriptions.c.theme_id == theme_id))
            if values:
                await conn.execute(subscriptions.insert(), values)
        return saved
