"""The desk following a journey the supervisor moved is no hand-over the journey missed, once the
supervisor moves it again: reconciliation reports no drift."""

from __future__ import annotations

from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from schema.ids import decode_id
from server.reconcile import find_drift
from tests.api import documents
from tests.api.flow import JourneyDriver
from tests.api.harness import Api, eventually
from tests.api.test_desk_learns import _board, _sign_in
from tests.api.test_triage_api import AUTO_ASSIGN, _desk_clinic, _journey_at_triage


async def test_a_followed_journey_moved_again_is_not_reported_as_a_missed_hand_over(
    api: Api, temporal_env: WorkflowEnvironment
) -> None:
    clinic, staff, consultants = await _desk_clinic(api)
    desk = staff[Role.FRONT_DESK].token
    journey = await _journey_at_triage(api, desk, 1)
    await api.run(AUTO_ASSIGN, desk, input={"journeyId": journey})
    third = await _sign_in(api, f"{clinic}-c2", Role.CONSULTANT)
    driver = JourneyDriver(api, {**staff, Role.CONSULTANT: third})
    for consultant in (consultants[2], consultants[1]):
        await driver.ok(
            documents.REASSIGN_JOURNEY,
            Role.SUPERVISOR,
            journeyId=journey,
            consultantId=consultant,
            reason="the client asked for her",
        )
        # (the desk follows the first move; the second finds her taken)
        await eventually(
            lambda: _board(api, desk, clinic), lambda b: not b["pending"], timeout=30, what="b"
        )
    row_id = decode_id(journey, "Journey")
    drift = await find_drift(temporal_env.client, clinic)
    assert [d.problem for d in drift if d.journey_id == row_id] == []
