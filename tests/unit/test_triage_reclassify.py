"""Seed 004: an item the medical director rules out after assignment makes the visit "other",
with no make-up turn; the reclassification is a new entry naming its rule and policy."""

from __future__ import annotations

import pytest

from domain.errors import NotAuthorized, NotFound, ValidationFailed
from domain.journey.facts import Actor
from domain.journey.stages import VisitCategory
from domain.roles import Role
from domain.triage.checks import check_override
from domain.triage.commands import OverrideCommand, OverrideKind, ReclassifyRule
from domain.triage.entries import EntryKind
from domain.triage.service import override
from tests.support import SUPERVISOR
from tests.unit.triage_builders import DESK, NOW, desk, first, owed, run, turns

EXPERT = Actor("expert-1", Role.EXPERT)
RULED_OUT = ReclassifyRule.RULED_OUT_BY_MEDICAL_DIRECTOR


def _reclassify(actor: Actor, journey: str, category: VisitCategory) -> OverrideCommand:
    return OverrideCommand(
        actor,
        OverrideKind.RECLASSIFY,
        "note-ruled-out",
        journey_id=journey,
        category=category,
        reclassify_rule=RULED_OUT,
    )


def test_a_first_visit_ruled_out_becomes_other_with_no_make_up_turn() -> None:
    # Given A received a first visit (a counted turn) and B is next
    state = desk("A", "B")
    run(state, [first(journey_id="j1")])
    assert turns(state) == {"A": 1}

    # When the expert reclassifies it as "other" (the medical director ruled the item out)
    [entry] = override(state, _reclassify(EXPERT, "j1", VisitCategory.OTHER), NOW)

    # Then the counts are recomputed: not a turn, no make-up owed, and the rotation goes on
    assert (entry.kind, entry.rule, entry.counted, entry.category) == (
        EntryKind.RECLASSIFIED,
        "RULED_OUT_BY_MEDICAL_DIRECTOR",
        False,
        "OTHER",
    )
    assert entry.policy == "default v1"
    assert entry.note_id == "note-ruled-out"
    assert "FIRST_VISIT -> OTHER" in entry.reason and "no make-up" in entry.reason
    assert (turns(state), owed(state)) == ({}, {})
    assert state.seats["A"].counts == {"FIRST_VISIT": 0, "OTHER": 1}
    assert state.assignments["j1"].category is VisitCategory.OTHER
    assert run(state, [first()]).consultants == ["B"]


def test_only_a_supervisor_or_an_expert_reclassifies_and_only_a_placed_visit() -> None:
    state = desk("A", "B")
    run(state, [first(journey_id="j1")])
    with pytest.raises(NotAuthorized):
        check_override(state, _reclassify(DESK, "j1", VisitCategory.OTHER))
    with pytest.raises(NotFound):
        check_override(state, _reclassify(SUPERVISOR, "nowhere", VisitCategory.OTHER))
    with pytest.raises(ValidationFailed, match="already FIRST_VISIT"):
        check_override(state, _reclassify(SUPERVISOR, "j1", VisitCategory.FIRST_VISIT))
    with pytest.raises(ValidationFailed, match="recheck"):
        check_override(state, _reclassify(SUPERVISOR, "j1", VisitCategory.RECHECK))
    check_override(state, _reclassify(SUPERVISOR, "j1", VisitCategory.OTHER))
