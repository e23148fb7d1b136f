"""The desk's validators refuse what would make its state too large for Temporal
(`domain.triage.bounds`), even if a caller other than the API sends it; at the bound, they pass.
The handlers' own checks do not: a run replays input it accepted before the bounds existed."""

from __future__ import annotations

import pytest

from domain.errors import ValidationFailed
from domain.triage.bounds import (
    MAX_ASKED_ITEMS,
    MAX_CODE_LENGTH,
    MAX_CORRECTION,
    MAX_POLICY_ITEMS,
    within_bounds,
)
from domain.triage.checks import check_arrive, check_override, check_seat
from domain.triage.commands import ArriveCommand, OverrideCommand, OverrideKind, SeatCommand
from domain.triage.overrides import change_seat
from domain.triage.policy import RotationPolicy
from tests.support import SUPERVISOR
from tests.unit.triage_builders import DESK, NOW, desk, first


def codes(count: int, length: int = 8) -> tuple[str, ...]:
    return tuple(f"{n:0{length}d}" for n in range(count))


def test_an_arrival_asking_too_many_items_or_too_long_a_code_is_refused() -> None:
    within_bounds(ArriveCommand(DESK, first(*codes(MAX_ASKED_ITEMS))))
    within_bounds(ArriveCommand(DESK, first("x" * MAX_CODE_LENGTH)))
    with pytest.raises(ValidationFailed, match=r"^items: at most 50 item codes$"):
        within_bounds(ArriveCommand(DESK, first(*codes(MAX_ASKED_ITEMS + 1))))
    with pytest.raises(ValidationFailed, match=r"^items: an item code has at most 64 characters"):
        within_bounds(ArriveCommand(DESK, first("x" * (MAX_CODE_LENGTH + 1))))


def test_the_handlers_checks_take_what_a_run_accepted_before_the_bounds() -> None:
    state = desk("A")
    check_arrive(state, ArriveCommand(DESK, first(*codes(MAX_ASKED_ITEMS + 1))))
    check_seat(state, SeatCommand(DESK, "A", "note-1", scope=list(codes(MAX_ASKED_ITEMS + 1))))


def test_a_scope_of_too_many_items_is_refused() -> None:
    within_bounds(SeatCommand(DESK, "A", "note-1", scope=list(codes(MAX_ASKED_ITEMS))))
    too_wide = SeatCommand(DESK, "A", "note-1", scope=list(codes(MAX_ASKED_ITEMS + 1)))
    with pytest.raises(ValidationFailed, match=r"^scope: at most 50 item codes$"):
        within_bounds(too_wide)


@pytest.mark.parametrize("field", ["turns_delta", "makeup_delta"])
def test_a_correction_past_the_bound_is_refused_either_way(field: str) -> None:
    state = desk("A")
    change_seat(state, SeatCommand(DESK, "A", "note-1", on_duty=True), NOW)  # entry 1

    def correction(delta: int) -> OverrideCommand:
        return OverrideCommand(
            SUPERVISOR,
            OverrideKind.CORRECT,
            "note-2",
            consultant_id="A",
            amends_seq=1,
            **{field: delta},  # type: ignore[arg-type]
        )

    check_override(state, correction(MAX_CORRECTION))
    within_bounds(correction(MAX_CORRECTION))
    within_bounds(correction(-MAX_CORRECTION))
    for delta in (MAX_CORRECTION + 1, -MAX_CORRECTION - 1, 2**31 - 1):
        with pytest.raises(ValidationFailed, match=r"from -50 to 50$"):
            within_bounds(correction(delta))


def test_a_policy_naming_too_many_items_is_refused() -> None:
    state = desk("A")

    def policy(**items: tuple[str, ...]) -> OverrideCommand:
        chosen = RotationPolicy(name="", name_note_id="note-3", **items)  # type: ignore[arg-type]
        return OverrideCommand(SUPERVISOR, OverrideKind.SET_POLICY, "note-3", policy=chosen)

    check_override(state, policy(offered_items=codes(MAX_POLICY_ITEMS)))
    within_bounds(policy(offered_items=codes(MAX_POLICY_ITEMS)))
    with pytest.raises(ValidationFailed, match=r"^offeredItems: at most 500 item codes$"):
        within_bounds(policy(offered_items=codes(MAX_POLICY_ITEMS + 1)))
    with pytest.raises(ValidationFailed, match=r"^keyItems: at most 500 item codes$"):
        within_bounds(policy(key_items=codes(MAX_POLICY_ITEMS + 1)))
