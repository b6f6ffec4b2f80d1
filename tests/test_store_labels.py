"""Labels taught to a theme, on SQLite and PostgreSQL: stored, replaced by link, taken back,
and gone with their theme."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from store import LabelRow, Store, StoreError
from tests.conftest import NOW
from tests.databases import BOTH
from tests.test_store import THEME


def row(n: int, relevant: bool, link: str | None = None) -> LabelRow:
    return LabelRow(
        title=f"Envoys meet for talks, round {n}",
        summary=f"Report {n} on the talks.",
        published=datetime(2026, 3, n, tzinfo=UTC),
        source="Example Wire",
        link=link if link is not None else f"https://news.example/{n}",
        relevant=relevant,
        origin="teach",
    )


@BOTH
async def test_labels_are_kept_replaced_by_link_and_taken_back(store: Store) -> None:
    await store.save_theme(THEME, NOW)
    ids, replaced = await store.add_labels(THEME.slug, [row(1, True), row(2, False)], NOW, "cli")
    assert len(ids) == 2 and replaced == []
    _, replaced = await store.add_labels(
        THEME.slug, [row(3, True, "https://news.example/2"), row(4, True, "")], NOW, "cli"
    )
    assert [r.title for r in replaced] == ["Envoys meet for talks, round 2"]
    kept = await store.list_labels(THEME.slug)
    assert [(r.title[-7:], r.relevant) for r in kept] == [
        ("round 1", True),
        ("round 3", True),
        ("round 4", True),
    ]
    assert kept[0].published == datetime(2026, 3, 1, tzinfo=UTC)
    assert LabelRow.from_json(kept[0].to_json()) == kept[0]  # the id too: undo puts it back
    gone = await store.remove_labels(THEME.slug, [ids[0], 9999])
    assert [r.id for r in gone] == [ids[0]]
    assert len(await store.list_labels(THEME.slug)) == 2
    assert await store.feedback_labels(THEME.slug) == []
    with pytest.raises(StoreError, match="no theme 'nope'"):
        await store.add_labels("nope", [row(5, True)], NOW, None)
    await store.remove_theme(THEME.slug)
    assert await store.list_labels(THEME.slug) == []


@BOTH
async def test_an_item_without_a_link_is_one_label_however_often_it_is_taught(
    store: Store,
) -> None:
    """QA round 17: one unlinked item taught five times counted as five labels (and a file
    taught twice doubled its unlinked lines): the model went on with one example a kind."""
    await store.save_theme(THEME, NOW)
    await store.add_labels(THEME.slug, [row(1, True, "")] * 5 + [row(2, False, "")], NOW, "cli")
    _, replaced = await store.add_labels(
        THEME.slug, [row(1, False, ""), row(2, False, ""), row(3, True, "")], NOW, "cli"
    )
    assert sorted(r.title[-7:] for r in replaced) == ["round 1", "round 2"]
    kept = await store.list_labels(THEME.slug)
    assert sorted((r.title[-7:], r.relevant) for r in kept) == [
        ("round 1", False),  # the later label of an item is the one that counts
        ("round 2", False),
        ("round 3", True),
    ]
