"""A linked recheck's triage pick examines while its consultant keeps it; any other visit is
owned by its pick."""

from __future__ import annotations

from domain.journey.facts import ActionRequest
from domain.journey.recheck_owner import assignment_details
from domain.journey.stages import Stage, VisitCategory
from domain.journey.table import Action
from tests.support import CONSULTANT, DESK, EXPERT, drive, journey_start, new_facts


def test_a_linked_rechecks_pick_examines_and_its_owner_stays() -> None:
    facts = new_facts(journey_start(VisitCategory.RECHECK))
    facts.linked_journey_id, facts.consultant_id = "journey-0", CONSULTANT.user_id
    assert facts.stage is Stage.TRIAGE
    details = assignment_details(
        facts.visit_category, facts.linked_journey_id, facts.consultant_id, EXPERT.user_id
    )
    after = drive(facts, ActionRequest(Action.ASSIGN_CONSULTANT, DESK, details))
    assert (after.consultant_id, after.expert_id) == (CONSULTANT.user_id, EXPERT.user_id)
    assert after.stage is Stage.TREATMENT


def test_an_unlinked_recheck_or_a_first_visit_is_owned_by_the_pick() -> None:
    unlinked = assignment_details(VisitCategory.RECHECK, None, None, EXPERT.user_id)
    assert (unlinked.consultant_id, unlinked.expert_id) == (EXPERT.user_id, None)
    first = assignment_details(VisitCategory.FIRST_VISIT, "journey-0", "owner-1", "consultant-2")
    assert (first.consultant_id, first.expert_id) == ("consultant-2", None)
