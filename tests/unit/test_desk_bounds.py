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
    item_codes,
    within_bounds,
)
from domain.triage.checks import check_arrive, check_override, check_seat
from domain.triage.commands import ArriveCommand, OverrideCommand, OverrideKind, SeatCommand
from domain.triage.overrides import change_seat
from domain.triage.policy import RotationPolicy
from tests.support import SUPERVISOR
from tests.unit.triage_builders import DESK, NOW, desk, first


def codes(count: int, length: int = 8) -> tuple[str, ...]:
    return tuple(f"c{n:0{length - 1}d}" for n in range(count))  # codes are words: a letter first


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


@pytest.mark.parametrize(
    "code",
    ["anna kowalska 600100200", "600100200", "anna@example.com", "+48600100200", "x\ty", "-"],
)
def test_an_item_code_that_is_not_one_word_is_refused_everywhere(code: str) -> None:
    # (codes travel in the desk's Temporal payloads: ids and codes only, never a name or phone)
    scope = SeatCommand(DESK, "A", "note-1", scope=[code])
    chosen = RotationPolicy(name="", name_note_id="note-3", key_items=(code,))
    policy = OverrideCommand(SUPERVISOR, OverrideKind.SET_POLICY, "note-3", policy=chosen)
    for command, field in ((ArriveCommand(DESK, first(code)), "items"), (scope, "scope")):
        with pytest.raises(ValidationFailed, match=rf"^{field}: an item code is one word"):
            within_bounds(command)
    with pytest.raises(ValidationFailed, match=r"^keyItems: an item code is one word"):
        within_bounds(policy)
    for word in ("botox-forehead", "隆胸", "usta", "laser_2.0", "3d-lipo", "हाइड्रा", "i̇zmir"):
        within_bounds(ArriveCommand(DESK, first(word)))


def test_a_code_is_composed_before_it_is_judged_or_matched() -> None:
    # ("café" typed with a combining accent is the same code as the composed one)
    assert item_codes(["  Cafe\u0301 "]) == item_codes(["café"]) == ("café",)


def test_staff_words_carried_by_a_desk_command_itself_are_refused() -> None:
    # (older histories hold such commands: the handlers' checks still take them)
    state = desk("A")
    seat = SeatCommand(DESK, "A", "", on_duty=False, reason="Maria Nowak is in hospital")
    check_seat(state, seat)
    with pytest.raises(ValidationFailed, match=r"^reason: the desk takes a note's id"):
        within_bounds(seat)
    named = RotationPolicy(name="Dr Anna Kowalska's rules")
    policy = OverrideCommand(SUPERVISOR, OverrideKind.SET_POLICY, "note-3", policy=named)
    with pytest.raises(ValidationFailed, match=r"^policy.name: a policy's name is a desk note's"):
        within_bounds(policy)
    within_bounds(
        OverrideCommand(SUPERVISOR, OverrideKind.SET_POLICY, "n", policy=RotationPolicy())
    )
