"""Items taught to a theme as relevant or not (`themes teach`, /example), and feedback as labels.

Stores and returns `LabelRow`s; it does not fit anything (matcher.teach does). Feedback-button
votes stay in the feedback table; `feedback_labels` reads them with their items' text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from store.base import StoreBase
from store.errors import StoreError
from store.schema import feedback, items, matches, theme_labels, themes, withdrawn_matches

# What a vote's label reads of its item, in this order (feedback_labels).
_VOTED_ITEM = (items.c.id, items.c.title, items.c.summary, items.c.published_at, items.c.link)


@dataclass(frozen=True)
class LabelRow:
    """One labelled item: to storage (id 0) or from it."""

    title: str
    summary: str
    published: datetime | None
    source: str
    link: str
    relevant: bool
    origin: str  # "teach", "example", or "feedback" (read from the feedback table)
    id: int = 0  # 0 until stored; feedback labels carry the item id, negated

    def to_json(self) -> dict[str, object]:
        """For an audit snapshot: enough to put the label back."""
        return {
            "title": self.title,
            "summary": self.summary,
            "published": self.published.isoformat() if self.published else None,
            "source": self.source,
            "link": self.link,
            "relevant": self.relevant,
            "origin": self.origin,
            "id": self.id,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> LabelRow:
        raw = data.get("published")
        return cls(
            title=str(data["title"]),
            summary=str(data["summary"]),
            published=datetime.fromisoformat(raw) if isinstance(raw, str) else None,
            source=str(data["source"]),
            link=str(data["link"]),
            relevant=bool(data["relevant"]),
            origin=str(data["origin"]),
            id=int(str(data.get("id") or 0)),
        )


class LabelQueries(StoreBase):
    async def _label_theme_id(self, slug: str) -> int:
        async with self.engine.connect() as conn:
            value = await conn.scalar(select(themes.c.id).where(themes.c.slug == slug))
        if value is None:
            raise StoreError(f"no theme {slug!r}")
        return int(value)

    async def add_labels(
        self, slug: str, rows: Sequence[LabelRow], now: datetime, by: str | None
    ) -> tuple[list[int], list[LabelRow]]:
        """Store labels; a label of an item labelled before replaces it: the same link, or
        without a link the same title and summary (QA round 17: one unlinked item taught
        five times counted five times, and turned a model on with one example of each kind).
        Of a batch's labels of one item, the last counts.

        A label that carries the id it had (put back by undo) gets that id again when no
        other label holds it, so /labels and /unlabel keep naming it as before.
        Returns the new ids and the labels they replaced (for undo).
        """
        theme_id = await self._label_theme_id(slug)
        rows = list({_identity(r): r for r in rows}.values())
        links = [r.link for r in rows if r.link]
        unlinked: set[str | tuple[str, str]] = {(r.title, r.summary) for r in rows if not r.link}
        replaced: list[LabelRow] = []
        new_ids: list[int] = []
        async with self.writing() as conn:
            same = (theme_labels.c.theme_id == theme_id) & (
                theme_labels.c.link.in_(links)
                | (
                    (theme_labels.c.link == "")
                    & theme_labels.c.title.in_([r.title for r in rows if not r.link])
                )
            )
            old = (await conn.execute(select(theme_labels).where(same))).mappings().all()
            gone = [r for r in old if r["link"] or _identity(_row(r)) in unlinked]
            if gone:
                replaced = [_row(r) for r in gone]
                await conn.execute(
                    delete(theme_labels).where(theme_labels.c.id.in_([r["id"] for r in gone]))
                )
            wanted = [r.id for r in rows if r.id > 0]
            taken = (
                set(
                    (
                        await conn.execute(
                            select(theme_labels.c.id).where(theme_labels.c.id.in_(wanted))
                        )
                    ).scalars()
                )
                if wanted
                else set()
            )
            for r in rows:
                again = {"id": r.id} if r.id > 0 and r.id not in taken else {}
                new_ids.append(
                    (
                        await conn.execute(
                            theme_labels.insert()
                            .values(
                                theme_id=theme_id,
                                title=r.title,
                                summary=r.summary,
                                published=r.published,
                                source=r.source,
                                link=r.link,
                                relevant=r.relevant,
                                origin=r.origin,
                                added_at=now,
                                added_by=by,
                                **again,
                            )
                            .returning(theme_labels.c.id)
                        )
                    ).scalar_one()
                )
        return new_ids, replaced

    async def remove_labels(self, slug: str, ids: Sequence[int]) -> list[LabelRow]:
        """Delete the theme's labels with these ids; returns what was deleted."""
        theme_id = await self._label_theme_id(slug)
        where = (theme_labels.c.theme_id == theme_id) & theme_labels.c.id.in_(list(ids))
        async with self.writing() as conn:
            gone = (await conn.execute(select(theme_labels).where(where))).mappings().all()
            await conn.execute(delete(theme_labels).where(where))
        return [_row(r) for r in gone]

    async def list_labels(self, slug: str) -> list[LabelRow]:
        """The theme's taught labels, oldest first."""
        query = (
            select(theme_labels)
            .join(themes, themes.c.id == theme_labels.c.theme_id)
            .where(themes.c.slug == slug)
            .order_by(theme_labels.c.id)
        )
        async with self.engine.connect() as conn:
            return [_row(r) for r in (await conn.execute(query)).mappings().all()]

    async def theme_of_match(self, match_id: int) -> str | None:
        """The slug of the theme a match belongs to (feedback buttons carry the match id)."""
        query = (
            select(themes.c.slug)
            .join(matches, matches.c.theme_id == themes.c.id)
            .where(matches.c.id == match_id)
        )
        async with self.engine.connect() as conn:
            value = await conn.scalar(query)
        return str(value) if value is not None else None

    async def feedback_labels(self, slug: str) -> list[LabelRow]:
        """Feedback votes on the theme's matches as labels (the latest vote per item wins)."""
        query = (
            select(*_VOTED_ITEM, feedback.c.relevant)
            .join(matches, matches.c.id == feedback.c.match_id)
            .join(themes, themes.c.id == matches.c.theme_id)
            .join(items, items.c.id == matches.c.item_id)
            .where(themes.c.slug == slug)
            .order_by(feedback.c.created_at)
        )
        # Votes on matches a theme change (or the learned model) took away are kept aside with
        # them (store/withdrawn.py): they are the team's judgement all the same (QA round 18:
        # a model that stopped matching three 👍 items dropped their votes from its labels,
        # and each /learn then turned it on and off).
        kept = (
            select(*_VOTED_ITEM, withdrawn_matches.c.votes)
            .join(themes, themes.c.id == withdrawn_matches.c.theme_id)
            .join(items, items.c.id == withdrawn_matches.c.item_id)
            .where(themes.c.slug == slug)
        )
        async with self.engine.connect() as conn:
            voted = (await conn.execute(query.add_columns(feedback.c.created_at))).all()
            aside = (await conn.execute(kept)).all()
        events: list[tuple[str, tuple[Any, ...]]] = [
            (r[6].isoformat() if r[6] else "", tuple(r[:6])) for r in voted
        ]
        for row in aside:
            for vote in row[5] or ():
                when = str(vote.get("created_at") or "")
                events.append((when, (*row[:5], bool(vote.get("relevant")))))
        events.sort(key=lambda e: e[0])  # the latest vote per item wins
        latest: dict[int, LabelRow] = {}
        for _, v in events:
            latest[int(v[0])] = LabelRow(
                str(v[1] or ""),
                str(v[2] or ""),
                v[3],
                "",
                str(v[4] or ""),
                bool(v[5]),
                "feedback",
                -int(v[0]),
            )
        return list(latest.values())


def _row(r: object) -> LabelRow:
    m = dict(r)  # type: ignore[call-overload]
    return LabelRow(
        title=m["title"],
        summary=m["summary"],
        published=m["published"],
        source=m["source"],
        link=m["link"],
        relevant=bool(m["relevant"]),
        origin=m["origin"],
        id=int(m["id"]),
    )


def _identity(row: LabelRow) -> str | tuple[str, str]:
    """What makes two labels one item's: its link, or without one its title and summary."""
    return row.link or (row.title, row.summary)
