"""Whether treatment may start: every item of the journey's checklist completed, with a result
where the item needs one (a lab's finding, the anesthesia assessment)."""

from __future__ import annotations

from collections.abc import Mapping

from domain.procedures.template import ChecklistItem


def open_items(checklist: list[ChecklistItem], done: Mapping[str, str | None]) -> list[str]:
    """Codes of the items not completed yet, in the checklist's order. `done` maps each
    completed item's code to its result (None when none was recorded)."""
    return [
        item.code
        for item in checklist
        if item.code not in done or (item.needs_result and not (done[item.code] or "").strip())
    ]


def result_problem(item: ChecklistItem | None, result: str | None) -> str | None:
    """Why a completion cannot be accepted; None when it can."""
    if item is None:
        return "not an item of this journey's checklist"
    if item.needs_result and not (result or "").strip():
        return "this item needs its result"
    return None
