"""The undo rule (store/undo.py, pure): an entry's own parts go back, later changes stay, and a
part changed again since is refused with the later entries that changed it, newest first."""

from __future__ import annotations

from typing import Any

from store.undo import blocking_entries, changed_parts, decide_teaching_undo, decide_theme_undo


def theme(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "slug": "t",
        "name": "T",
        "description": "",
        "threshold": 50,
        "groups": [{"name": "Iran", "weight": 45.0, "required": True, "terms": ["Iran"]}],
        "exclude": [],
        "exemplars": [],
        "options": {"query": "Iran", "exclude_anywhere": True},
    }
    return {**base, **changes}


TEHRAN = [{"name": "Iran", "weight": 45.0, "required": True, "terms": ["Iran", "Tehran"]}]


def test_an_older_threshold_change_goes_back_and_a_later_keyword_stays() -> None:
    before, after = theme(), theme(threshold=60)
    now = theme(threshold=60, groups=TEHRAN, options={"query": "Iran OR Tehran"})
    undo = decide_theme_undo(before, after, now)
    assert undo.undone == {"threshold"} and not undo.blocked
    assert undo.theme == {**now, "threshold": 50}


def test_a_part_changed_again_since_is_refused() -> None:
    before, after = theme(), theme(threshold=60)
    undo = decide_theme_undo(before, after, theme(threshold=70))
    assert undo.theme is None and undo.blocked == {"threshold"}


def test_a_part_already_back_as_before_has_nothing_to_undo() -> None:
    undo = decide_theme_undo(theme(), theme(threshold=60), theme())
    assert undo.theme == theme() and undo.undone == frozenset()


def test_the_learned_model_is_a_part_of_its_own() -> None:
    taught = theme(options={"query": "Iran", "exclude_anywhere": True, "learned": "{}"})
    assert changed_parts(theme(), taught) == {"option:learned"}
    undo = decide_theme_undo(theme(), taught, {**taught, "threshold": 70})
    assert undo.theme is not None and "learned" not in undo.theme["options"]
    assert undo.theme["threshold"] == 70


def test_a_teaching_step_is_undone_whatever_later_steps_did_to_the_model() -> None:
    def taught(model: str, **changes: Any) -> dict[str, Any]:
        return theme(
            options={"query": "Iran", "exclude_anywhere": True, "learned": model}, **changes
        )

    before, after = taught("m1"), taught("m2", exemplars=["Iran talks resume"])
    now = taught("m3", exemplars=["Iran talks resume"], threshold=70)
    undo = decide_teaching_undo(before, after, now)
    assert undo.undone == {"exemplars"} and not undo.blocked
    assert undo.theme == taught("m3", threshold=70), "the model stays until it is fitted again"

    refused = decide_teaching_undo(before, after, taught("m3", exemplars=["Other", "Iran"]))
    assert refused.theme is None and refused.blocked == {"exemplars"}


def test_the_later_entries_named_are_those_that_touched_the_part_newest_first() -> None:
    later = [
        (9, theme(), theme(name="U")),  # another part: not named
        (8, theme(), theme(threshold=70)),
        (12, None, None),  # did not record both versions: may have changed anything
    ]
    assert blocking_entries(frozenset({"threshold"}), later) == [12, 8]
