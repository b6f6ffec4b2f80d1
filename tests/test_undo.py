"""/undo never loses data: a theme change is undone alone (later changes stay) or refused with
the later entries to undo first; undoing /addtheme says what goes with the theme and can itself
be undone; /removetheme then /undo brings back the labels and subscriptions. Driven through the
console's command loop with the real commands (an admin at the console)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.console.alerts import CONSOLE_CHAT_ID
from store import LabelRow, Store
from tests.typist import Typist

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


class Admin(Typist):
    """The console's admin, who also looks up audit entries."""

    def __init__(self, store: Store, folder: Path) -> None:
        super().__init__(store, folder, NOW)

    async def entry(self, action: str, target: str) -> int:
        """The id of the newest audit entry `action` on `target`."""
        rows = await self.store.latest_audit(50)
        return next(r.id for r in rows if r.action == action and r.target == target)


def _label(n: int, relevant: bool) -> LabelRow:
    return LabelRow(
        title=f"Iran nuclear talks, day {n}",
        summary="Tehran and the agency met again.",
        published=NOW,
        source="Wire",
        link=f"https://news.example/{n}",
        relevant=relevant,
        origin="teach",
    )


async def _undo_t(admin: Admin) -> None:
    await admin.type("/addtheme undo-t Undo test")
    await admin.type("/query undo-t Iran AND nuclear")


async def test_undoing_an_older_threshold_change_keeps_the_later_keyword(
    store: Store, tmp_path: Path
) -> None:
    admin = Admin(store, tmp_path)
    await _undo_t(admin)
    await admin.type("/threshold undo-t 60")
    await admin.type("/keywords undo-t add Iran: Tehran")
    threshold = await admin.entry("threshold", "undo-t")

    offer = await admin.type(f"/undo {threshold}")
    assert "puts back the threshold of undo-t" in offer
    assert "later changes (1) stay" in offer
    assert f"its threshold is back as before entry {threshold}" in await admin.type("1")

    theme = await store.get_theme("undo-t")
    assert theme is not None and theme.threshold == 50
    assert "Tehran" in await admin.type("/keywords undo-t"), "the later keyword is kept"
    later = await admin.entry("keywords add", "undo-t")
    assert "Undo entry" in await admin.type(f"/undo {later}"), "and can still be undone"


async def test_undoing_a_change_that_a_later_one_built_on_is_refused_and_names_it(
    store: Store, tmp_path: Path
) -> None:
    admin = Admin(store, tmp_path)
    await _undo_t(admin)
    await admin.type("/keywords undo-t add Iran: Tehran")
    await admin.type("/threshold undo-t 70")
    asked = await admin.type("/keywords undo-t add IAEA")
    assert "shares no word with a concept of undo-t" in asked, "not guessed into one"
    assert "/keywords undo-t add nuclear: IAEA" in asked
    await admin.type("/keywords undo-t add nuclear: IAEA")
    await admin.type("/exclude undo-t add football")
    logged = await store.latest_audit(50)
    tehran, iaea, football = (
        next(r.id for r in logged if r.after == phrase) for phrase in ("Tehran", "IAEA", "football")
    )
    before = await store.get_theme("undo-t")

    refused = await admin.type(f"/undo {tehran}")
    assert f"Entry {tehran} cannot be undone alone" in refused
    assert f"Undo them first, newest first: /undo {football}, /undo {iaea}." in refused
    assert "[1]" not in refused, "nothing to confirm"
    assert await store.get_theme("undo-t") == before

    for later in (football, iaea):
        await admin.type(f"/undo {later}")
        await admin.type("1")
    await admin.type(f"/undo {tehran}")
    done = await admin.type("1")
    assert f"its keywords, exclusions and query are back as before entry {tehran}" in done
    theme = await store.get_theme("undo-t")
    assert theme is not None and theme.threshold == 70, "the threshold change stays"
    assert theme.options["query"] == "Iran AND nuclear"


async def test_undoing_an_addtheme_says_what_goes_with_it_and_can_be_undone(
    store: Store, tmp_path: Path
) -> None:
    admin = Admin(store, tmp_path)
    await store.upsert_chat(CONSOLE_CHAT_ID, "console", "console", NOW)
    await _undo_t(admin)
    await store.add_labels("undo-t", [_label(1, True), _label(2, False)], NOW, "test")
    await admin.type("/subscribe undo-t")
    added = await admin.entry("addtheme", "undo-t")

    offer = await admin.type(f"/undo {added}")
    assert "It removes theme undo-t with its 0 matches, 0 events, 1 subscription" in offer
    assert "and 2 taught labels" in offer
    assert "removed theme undo-t again (/undo brings it back)" in await admin.type("1")
    assert await store.get_theme("undo-t") is None

    assert "brings back theme undo-t with its 2 taught labels and 1 subscription" in (
        await admin.type("/undo")
    )
    assert "Undone" in await admin.type("1")
    assert len(await store.list_labels("undo-t")) == 2
    assert await store.subscriptions_of(CONSOLE_CHAT_ID) == ["undo-t"]


async def test_removetheme_then_undo_brings_back_labels_options_and_subscriptions(
    store: Store, tmp_path: Path
) -> None:
    admin = Admin(store, tmp_path)
    await store.upsert_chat(CONSOLE_CHAT_ID, "console", "console", NOW)
    await _undo_t(admin)
    await store.add_labels("undo-t", [_label(n, n % 2 == 0) for n in range(12)], NOW, "test")
    await admin.type("/subscribe undo-t")
    before = await store.get_theme("undo-t")

    asked = await admin.type("/removetheme undo-t")
    assert "Remove theme undo-t with its 0 matches, 0 events, 1 subscription and 12 taught" in (
        asked
    )
    assert "/undo brings it back" in await admin.type("1")
    assert await store.list_labels("undo-t") == [] or await store.get_theme("undo-t") is None

    assert "12 taught labels and 1 subscription;" in await admin.type("/undo")
    done = await admin.type("1")
    assert "is back with its 12 taught labels and 1 subscription;" in done
    after = await store.get_theme("undo-t")
    assert after is not None and before is not None
    assert after.to_json() == before.to_json(), "definition and options (the learned model)"
    assert len(await store.list_labels("undo-t")) == 12
    assert "undo-t" in await admin.type("/mysubs")


async def test_the_audit_log_shows_a_removed_phrase_as_removed(
    store: Store, tmp_path: Path
) -> None:
    admin = Admin(store, tmp_path)
    await _undo_t(admin)
    await admin.type("/exclude undo-t add football")
    await admin.type("/exclude undo-t remove football")
    log = await admin.type("/audit")
    assert "exclude remove undo-t: football → (removed)" in log
    assert "exclude add undo-t: (new) → football" in log


EXAMPLE = (
    "Iran and the agency resumed nuclear talks in Vienna on Monday, the first round since "
    "the spring, and both sides called the meeting useful."
)


async def test_a_teaching_step_is_undone_after_later_keyword_and_label_changes(
    store: Store, tmp_path: Path
) -> None:
    admin = Admin(store, tmp_path)
    await _undo_t(admin)
    await store.add_labels("undo-t", [_label(n, n % 2 == 0) for n in range(12)], NOW, "test")
    await admin.type(f"/example undo-t {EXAMPLE}")
    example = await admin.entry("example", "undo-t")
    await admin.type("/keywords undo-t add Iran: Tehran")
    await store.add_labels("undo-t", [_label(99, True)], NOW, "test")  # a vote, say
    await admin.type("/learn undo-t")
    taught = await store.get_theme("undo-t")
    assert taught is not None and len(taught.exemplars) == 1 and "learned" in taught.options

    offer = await admin.type(f"/undo {example}")
    assert "takes back the 1 label it added, puts back the examples, fits the model" in offer
    assert "later changes (2) stay" in offer
    assert "Undone" in await admin.type("1")

    theme = await store.get_theme("undo-t")
    assert theme is not None and not theme.exemplars
    assert "Tehran" in theme.options["query"], "the later keyword stays"
    assert "learned" in theme.options, "fitted again on the 13 labels left"
    assert theme.options["learned"] != taught.options["learned"]
    assert len(await store.list_labels("undo-t")) == 13


async def test_undoing_a_teaching_step_that_a_later_one_built_on_names_it(
    store: Store, tmp_path: Path
) -> None:
    admin = Admin(store, tmp_path)
    await _undo_t(admin)
    await admin.type(f"/example undo-t {EXAMPLE}")
    first = await admin.entry("example", "undo-t")
    await admin.type(f"/example undo-t {EXAMPLE} A second source carried the same story.")
    second = await admin.entry("example", "undo-t")

    refused = await admin.type(f"/undo {first}")
    assert f"Undo them first, newest first: /undo {second}." in refused
    assert "the examples of undo-t" in refused


async def test_undoing_an_old_addtheme_leaves_a_theme_made_again_under_its_name(
    store: Store, tmp_path: Path
) -> None:
    admin = Admin(store, tmp_path)
    await _undo_t(admin)
    first = await admin.entry("addtheme", "undo-t")
    await admin.type("/removetheme undo-t")
    await admin.type("1")
    await admin.type("/addtheme undo-t Undo test again")
    again = await admin.entry("addtheme", "undo-t")
    removed = await admin.entry("removetheme", "undo-t")

    refused = await admin.type(f"/undo {first}")
    assert f"/undo {again}, /undo {removed}" in refused
    theme = await store.get_theme("undo-t")
    assert theme is not None and theme.name == "Undo test again"
