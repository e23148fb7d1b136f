"""A recheck is no alarm, and the supervisor's own pick after the desk called for help is logged
and credited by the desk's rules."""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain.errors import NotFound
from domain.journey.stages import VisitCategory
from domain.triage.checks import check_arrive
from domain.triage.commands import ArriveCommand
from domain.triage.decision import Route
from domain.triage.entries import EntryKind
from domain.triage.ledger import expire_overdue
from domain.triage.policy import RotationPolicy
from domain.triage.revenue import CreditRule
from domain.triage.service import arrive
from tests.support import SUPERVISOR
from tests.unit.test_triage_notices import LATER
from tests.unit.triage_builders import DESK, NOW, client, desk, owed, turns

SUPERVISOR_ARRANGES = RotationPolicy(name="supervisor arranges", stand_in_for_absent_owner=False)


def test_a_recheck_is_logged_as_routed_and_raises_no_alert() -> None:
    state = desk("A", "B")
    decision, [entry] = arrive(state, ArriveCommand(DESK, client(VisitCategory.RECHECK)), NOW)
    assert (decision.consultant_id, decision.route) == (None, Route.RECHECK)
    assert (entry.kind, entry.route) == (EntryKind.ROUTED, "RECHECK")
    assert "treating doctor or nurse" in entry.reason
    assert (state.alerts, state.assignments, turns(state), owed(state)) == ([], {}, {}, {})


def test_the_supervisors_stand_in_for_an_absent_owner_is_logged_and_credited_to_the_owner() -> None:
    # Given a return visit whose owner A is away, under a policy where the supervisor arranges
    state = desk("A:away", "B", "C", policy=SUPERVISOR_ARRANGES)
    visit = client(VisitCategory.RETURN_VISIT, owner_id="A")
    called, [alert] = arrive(state, ArriveCommand(DESK, visit), NOW)
    assert (called.consultant_id, alert.kind) == (None, EntryKind.SUPERVISOR_ALERT)
    assert [a.journey_id for a in state.alerts] == [visit.journey_id]

    # When the supervisor picks C
    pick = ArriveCommand(SUPERVISOR, visit, chosen_id="C")
    decision, [entry] = arrive(state, pick, NOW)

    # Then the desk logs it: C serves, not a turn, the revenue is the owner's; the alert is done
    assert (decision.consultant_id, decision.route, decision.counted) == (
        "C",
        Route.OWNER_STAND_IN,
        False,
    )
    assert (entry.kind, entry.consultant_id, entry.route) == (
        EntryKind.ASSIGNED,
        "C",
        "OWNER_STAND_IN",
    )
    assert [(c.consultant_id, c.percent, c.rule) for c in entry.credits] == [
        ("A", 100, CreditRule.OWNER_STAND_IN)
    ]
    assert entry.policy == "supervisor arranges v1"
    assert not entry.transfers_ownership
    assert state.alerts == []
    assert (turns(state), owed(state)) == ({}, {})
    # Agreed with C: the 10-minute rule has nothing to hand on
    assert expire_overdue(state, LATER) == []


def test_a_pick_for_a_client_without_an_absent_owner_is_the_supervisors_placement() -> None:
    state = desk("A:busy", "B:busy", "C")
    visit = client(VisitCategory.FIRST_VISIT)
    decision, [entry] = arrive(state, ArriveCommand(SUPERVISOR, visit, chosen_id="C"), NOW)
    assert (decision.route, decision.counted, entry.credits[0].consultant_id) == (
        Route.SUPERVISOR,
        False,
        "C",
    )


def test_a_pick_must_be_on_the_desk() -> None:
    state = desk("A")
    with pytest.raises(NotFound, match="consultantId"):
        check_arrive(state, ArriveCommand(SUPERVISOR, client(), chosen_id="Z"))
    gone = desk("A", "B")
    gone.seats["B"] = replace(gone.seats["B"], departed=True)
    with pytest.raises(Exception, match="has left"):
        check_arrive(gone, ArriveCommand(SUPERVISOR, client(), chosen_id="B"))
