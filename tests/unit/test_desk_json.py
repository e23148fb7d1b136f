"""The desk's JSON form (`triage.codec`): field by field, the same JSON `asdict` gave, and back."""

from __future__ import annotations

import json
from dataclasses import asdict, is_dataclass
from datetime import timedelta
from enum import Enum
from typing import Any

from domain.journey.stages import VisitCategory
from domain.triage.codec import desk_from_json, desk_to_json
from domain.triage.desk import Alert, Assignment, DeskState, MakeUp, SeatStatus
from domain.triage.policy import CompanionRule, RotationPolicy
from tests.unit.triage_builders import NOW, desk


def _as_before(value: Any) -> Any:
    """The codec's form before it went field by field: `asdict`, then enums and instants."""
    if isinstance(value, Enum):
        return value.value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return _as_before(asdict(value))
    if isinstance(value, dict):
        return {k: _as_before(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_as_before(v) for v in value]
    return value


def _busy_desk() -> DeskState:
    """A desk with a value of every kind its fields hold."""
    policy = RotationPolicy(
        name="", companions=CompanionRule.REGISTERED_AS_OTHER, offered_items=("botox", "chin")
    )
    state = desk("A", "B:busy", "C:away:scope=skin+laser", "D:off", policy=policy)
    state.seats["A"].counts = {"FIRST_VISIT": 2, "VIP": 1}
    state.seats["A"].delegate_id = "B"
    state.seats["D"].status = SeatStatus.PAUSED
    state.makeups = [MakeUp("B", "busy", 3), MakeUp("C", "give_back", 4, from_turn_of="A")]
    for number, category in enumerate(VisitCategory):
        accept_by = NOW + timedelta(minutes=10) if number % 2 else None
        state.assignments[f"j{number}"] = Assignment(
            f"j{number}", f"c{number}", "A", category, bool(number % 2), "rotation",
            "botox" if number % 3 else None, NOW, accept_by, credited_to=["A", "B"][: number % 3],
        )  # fmt: skip
    state.alerts = [Alert(1, "waiting long", "j1"), Alert(2, "no one on duty")]
    state.key_item_priority = ["B", "A"]
    state.seq = 9
    return state


def test_the_json_is_what_asdict_gave() -> None:
    state = _busy_desk()
    made = desk_to_json(state)
    assert made == _as_before(state)
    assert json.dumps(made, sort_keys=True) == json.dumps(_as_before(state), sort_keys=True)
    # Plain JSON values only: an enum member of a str enum is written as its value
    assert type(made["seats"]["B"]["status"]) is str
    assert type(made["policy"]["companions"]) is str


def test_the_desk_comes_back_from_its_json() -> None:
    state = _busy_desk()
    assert desk_from_json(json.loads(json.dumps(desk_to_json(state)))) == state


def test_a_desk_written_before_assignments_said_whether_they_were_handed_over_reads_back() -> None:
    # Given a board snapshot from before an assignment said whether it was handed over once
    state = _busy_desk()
    state.assignments["j1"].handed_over = True
    written = json.loads(json.dumps(desk_to_json(state)))
    for assignment in written["assignments"].values():
        del assignment["handed_over"]
    # Then it reads back, every assignment not handed over (the rule counts from now on)
    read = desk_from_json(written)
    assert [a.handed_over for a in read.assignments.values()] == [False] * len(state.assignments)
    state.assignments["j1"].handed_over = False
    assert read == state


def test_a_desk_written_by_a_newer_release_reads_back_without_what_it_does_not_know() -> None:
    # Given a board snapshot from a release whose seats, assignments, make-ups, alerts and
    # policy carry a field this one does not know (a rolling deploy, a roll-back)
    state = _busy_desk()
    written = json.loads(json.dumps(desk_to_json(state)))
    parts = [
        *written["seats"].values(),
        *written["assignments"].values(),
        *written["makeups"],
        *written["alerts"],
        written["policy"],
    ]
    for part in parts:
        part["added_later"] = 1
    # Then it reads back as the desk it was
    assert desk_from_json(written) == state
