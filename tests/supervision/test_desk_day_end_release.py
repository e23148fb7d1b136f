"""A client the desk's day ended on, still waiting for their consultant, is unassigned the next
morning: the journey waits at triage naming nobody, `autoAssign` places them anew, and an
`acceptClient` of the old assignment is told it was released and what to do."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from tests.api.harness import Api, eventually
from tests.api.test_triage_api import AUTO_ASSIGN, _desk_clinic, _journey_at_triage

# The clinics the harness creates keep the model's default time zone.
CLINIC_ZONE = ZoneInfo("Europe/Warsaw")
JOURNEY = """
query J($id: ID!) {
  journey(id: $id) {
    ... on Journey { stage consultant { id } history { action actorId summary } }
  }
}"""
ACCEPT = """
mutation Accept($input: AcceptClientInput!) {
  acceptClient(input: $input) {
    __typename
    ... on UserError { code message }
    ... on TransitionNotAllowed { stage allowedActions }
  }
}"""


async def _to_clinic_midnight(env: WorkflowEnvironment) -> timedelta:
    local = (await env.get_current_time()).astimezone(CLINIC_ZONE)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return midnight.astimezone(CLINIC_ZONE) - local


async def test_a_client_released_at_the_days_end_waits_at_triage_to_be_placed_anew(
    cockpit_api: Api, skipping_env: WorkflowEnvironment
) -> None:
    # Given a client the desk assigned five minutes before the clinic's midnight
    _clinic, staff, _consultants = await _desk_clinic(cockpit_api)
    desk = staff[Role.FRONT_DESK].token
    jid = await _journey_at_triage(cockpit_api, desk, 1)
    await skipping_env.sleep(await _to_clinic_midnight(skipping_env) - timedelta(minutes=5))
    first = await cockpit_api.run(AUTO_ASSIGN, desk, input={"journeyId": jid})
    assert first["autoAssign"]["__typename"] == "AutoAssignPayload", first
    assert first["autoAssign"]["journey"]["stage"] == "CONSULTATION"

    # When the day ends with the consultant not having taken the client
    await skipping_env.sleep(timedelta(minutes=6))

    # Then the journey is back at triage, naming no consultant, by the desk's own event
    async def journey() -> dict[str, Any]:
        return (await cockpit_api.run(JOURNEY, desk, id=jid))["journey"]  # type: ignore[no-any-return]

    back = await eventually(
        journey, lambda j: j["stage"] == "TRIAGE", timeout=20, what="journey back at triage"
    )
    assert back["consultant"] is None
    returned = [e for e in back["history"] if e["action"] == "return_to_triage"]
    assert [e["actorId"] for e in returned] == ["triage-desk"]

    # And accepting the old assignment says it was released and what to do
    refused = await cockpit_api.run(ACCEPT, desk, input={"journeyId": jid})
    answer = refused["acceptClient"]
    assert answer["__typename"] == "TransitionNotAllowed", answer
    assert "released at the end of" in answer["message"]
    assert "autoAssign" in answer["message"]
    assert (answer["stage"], answer["allowedActions"]) == ("TRIAGE", ["ASSIGN_CONSULTANT"])

    # And the desk places the client anew
    again = await cockpit_api.run(AUTO_ASSIGN, desk, input={"journeyId": jid})
    assert again["autoAssign"]["__typename"] == "AutoAssignPayload", again
    assert again["autoAssign"]["journey"]["stage"] == "CONSULTATION"
    assert again["autoAssign"]["journey"]["consultant"] is not None
