"""The 10-minute rule reaches the journey: when the desk hands a waiting client to the next free
consultant, the journey names that consultant too (recorded as the desk's reassign event)."""

from __future__ import annotations

from datetime import timedelta

from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from tests.api.harness import Api, eventually
from tests.api.test_triage_api import AUTO_ASSIGN, _client_at_triage

JOURNEY = """
query J($id: ID!) {
  journey(id: $id) {
    ... on Journey { stage consultant { id } history { action actorId actorRole summary } }
  }
}"""


async def test_a_client_not_accepted_in_ten_minutes_follows_the_desk_to_the_next_consultant(
    cockpit_api: Api, skipping_env: WorkflowEnvironment
) -> None:
    # Given a clinic with consultants on duty and a client the desk assigned
    _clinic, staff, _consultants, jid = await _client_at_triage(cockpit_api)
    desk = staff[Role.FRONT_DESK].token
    assigned = (await cockpit_api.run(AUTO_ASSIGN, desk, input={"journeyId": jid}))["autoAssign"]
    assert assigned["__typename"] == "AutoAssignPayload", assigned
    first = assigned["journey"]["consultant"]["id"]

    # When ten minutes pass and the consultant has not accepted the client
    await skipping_env.sleep(timedelta(minutes=11))

    # Then the journey names the next consultant, by the desk's own event
    async def journey() -> dict:  # type: ignore[type-arg]
        return (await cockpit_api.run(JOURNEY, desk, id=jid))["journey"]  # type: ignore[no-any-return]

    moved = await eventually(
        journey, lambda j: j["consultant"]["id"] != first, timeout=20, what="journey handed over"
    )
    handover = [e for e in moved["history"] if e["action"] == "reassign"]
    assert [(e["actorId"], e["actorRole"]) for e in handover] == [("triage-desk", "SYSTEM")]
    assert moved["stage"] == "CONSULTATION"
