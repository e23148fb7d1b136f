"""A journey's notice sent to its desk again (the read-model writer's activity, retried after
its signal went through, tells the desk once more) is one the desk heard already: it changes
nothing, even once the supervisor has placed the client anew since. Before, the desk followed
the supervisor's earlier reassignJourney again and took her back from the consultant
reassignClient had named since, while her journey named the latter (`notices.journey_moved`)."""

from __future__ import annotations

from dataclasses import replace

from domain.journey.facts import JourneyEvent
from domain.journey.stages import Stage
from domain.journey.table import Action
from domain.triage.commands import ArriveCommand
from domain.triage.notices import JourneyNotice, journey_moved, notice_for
from domain.triage.revenue import CreditRule
from domain.triage.service import arrive, override
from tests.unit.test_triage_journey_reassigned import SOON, SUPERVISOR
from tests.unit.triage_builders import DESK, NOW, at_consultation, desk, first, reassigning


def _moved_by_the_supervisor(journey_id: str, to: str, seq: int) -> JourneyNotice:
    """What her journey's event `seq`, the supervisor's reassignJourney naming `to`, tells the
    desk, as the read-model writer makes it."""
    reassign, consult = Action.REASSIGN.value, Stage.CONSULTATION
    event = JourneyEvent(journey_id, seq, reassign, consult, consult, SUPERVISOR, NOW, "")
    notice = notice_for(event, replace(at_consultation(journey_id, to), event_seq=seq))
    assert notice is not None
    return notice


def test_a_move_told_again_after_the_client_was_placed_anew_changes_nothing() -> None:
    # Given a first visit the desk gave A, whose journey the supervisor moved to B (told once,
    # followed), then placed anew with C (reassignClient: her journey follows the desk)
    state = desk("A", "B", "C")
    she = first()
    arrive(state, ArriveCommand(DESK, she), NOW)
    to_b = _moved_by_the_supervisor(she.journey_id, "B", seq=5)
    assert journey_moved(state, to_b, SOON) != []
    override(state, reassigning(she.journey_id, "C", CreditRule.CLIENT_REQUEST), SOON)
    placed = replace(state.assignments[she.journey_id])
    assert placed.consultant_id == "C"

    # When the journey's move to B is told again (its writer's activity retried)
    again = journey_moved(state, to_b, SOON)

    # Then the desk heard it already: she stays with C, credited as reassignClient made it
    assert again == []
    assignment = state.assignments[she.journey_id]
    assert (assignment.consultant_id, assignment.credited_to) == ("C", placed.credited_to)

    # When the supervisor moves her journey to B afresh (a later event)
    later = journey_moved(state, _moved_by_the_supervisor(she.journey_id, "B", seq=7), SOON)

    # Then the desk follows it: B has her, credited whole
    assert [(e.from_consultant_id, e.consultant_id) for e in later] == [("C", "B")]
    assert state.assignments[she.journey_id].credited_to == ["B"]
