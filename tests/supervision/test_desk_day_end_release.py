"""A client the desk's day ended on, still waiting for their consultant, is unassigned the next
morning: the journey waits at triage naming nobody, `autoAssign` places them anew, and an
`acceptClient` of the old assignment is told it was released and what to do."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from temporalio.api.enums.v1 import EventType
from temporalio.testing import ActivityEnvironment, WorkflowEnvironment

from domain.journey.table import Action
from domain.roles import Role
from domain.triage.entries import DeskEntry, EntryKind
from server.reconcile import rows_drift
from tests.api.harness import Api, eventually
from tests.api.test_triage_api import ASSIGN_BY_DESK, AUTO_ASSIGN, _client_at_triage
from tests.supervision.missed_release import (
    JOURNEY,
    MissedRelease,
    to_clinic_midnight,
)
from workflows import triage_activities

ACCEPT = """
mutation Accept($input: AcceptClientInput!) {
  acceptClient(input: $input) {
    __typename
    ... on UserError { code message }
    ... on TransitionNotAllowed { stage allowedActions }
  }
}"""


async def test_a_client_released_at_the_days_end_waits_at_triage_to_be_placed_anew(
    cockpit_api: Api, skipping_env: WorkflowEnvironment
) -> None:
    # Given a client the desk assigned five minutes before the clinic's midnight
    _clinic, staff, _consultants, jid = await _client_at_triage(cockpit_api)
    desk = staff[Role.FRONT_DESK].token
    await skipping_env.sleep(await to_clinic_midnight(skipping_env) - timedelta(minutes=5))
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


async def _updates_accepted(env: WorkflowEnvironment, journey_id: str, update_id: str) -> int:
    """How many times the journey's history accepted the update `update_id`."""
    history = await env.client.get_workflow_handle(journey_id).fetch_history()
    accepted = [
        event.workflow_execution_update_accepted_event_attributes.accepted_request.meta.update_id
        for event in history.events
        if event.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED
    ]
    return accepted.count(update_id)


async def test_a_release_the_journey_missed_is_drift_and_auto_assign_sends_it_once(
    cockpit_api: Api, skipping_env: WorkflowEnvironment, missed: MissedRelease
) -> None:
    # Given a client the desk assigned before midnight, whose journey missed the release
    clinic, jid, raw, release = missed.clinic, missed.jid, missed.raw, missed.release
    desk, update_id = missed.staff[Role.FRONT_DESK].token, missed.update_id

    # Then reconcile reports the release the journey missed
    async def drift() -> list[str]:
        return [
            d.problem
            for d in (await rows_drift(skipping_env.client, clinic))[1]
            if d.journey_id == raw
        ]

    assert await drift() == [
        f"the desk released the client at the end of {release.day} (its entry {release.seq}), "
        f"{release.consultant_id} had not taken them; the journey still names them: autoAssign "
        "sends it back to triage and places the client anew"
    ]
    # And accepting the old assignment says so, and that autoAssign is the way
    refused = (await cockpit_api.run(ACCEPT, desk, input={"journeyId": jid}))["acceptClient"]
    assert refused["__typename"] == "TransitionNotAllowed", refused
    assert "the journey still names them; autoAssign sends the client back" in refused["message"]
    assert (refused["stage"], refused["allowedActions"]) == ("CONSULTATION", ["ASSIGN_CONSULTANT"])

    # When the desk places the client anew
    again = {"journeyId": jid, "idempotencyKey": f"anew-{raw}"}
    placed = await cockpit_api.run(AUTO_ASSIGN, desk, input=again)
    # Then the journey went back to triage by the desk's own release, and was placed
    assert placed["autoAssign"]["__typename"] == "AutoAssignPayload", placed
    assert placed["autoAssign"]["journey"]["stage"] == "CONSULTATION"
    assert placed["autoAssign"]["journey"]["consultant"] is not None
    assert await drift() == []

    # And the release is taken once: a retry of the placement, and the record's activity
    # sending the release late (a retried attempt), change nothing
    retried = await cockpit_api.run(AUTO_ASSIGN, desk, input=again)
    assert retried["autoAssign"]["journey"] == placed["autoAssign"]["journey"], retried
    late = DeskEntry(
        release.seq, release.day, EntryKind.RELEASED, release.at, "triage-desk", "", "",
        release.consultant_id, journey_id=raw, back_to_triage=True,
    )  # fmt: skip
    deadline = asyncio.get_running_loop().time() + triage_activities.HAND_OVERS_BUDGET_SECONDS
    await ActivityEnvironment(skipping_env.client).run(
        triage_activities.hand_journey_over, clinic, late, deadline, Action.RETURN_TO_TRIAGE
    )
    after = (await cockpit_api.run(JOURNEY, desk, id=jid))["journey"]
    assert after["consultant"] == placed["autoAssign"]["journey"]["consultant"]
    returned = [e["actorId"] for e in after["history"] if e["action"] == "return_to_triage"]
    assert returned == ["triage-desk"]
    assert await _updates_accepted(skipping_env, raw, update_id) == 1


PLACE_VIP = """
mutation Vip($input: PlaceVipInput!) {
  placeVip(input: $input) {
    __typename
    ... on UserError { code message }
    ... on AutoAssignPayload { journey { stage consultant { id } } }
  }
}"""


async def _placed_anew_once(api: Api, env: WorkflowEnvironment, missed: MissedRelease) -> None:
    """The journey went back to triage by the desk's own release, taken once, and was placed
    anew with a consultant."""
    desk = missed.staff[Role.FRONT_DESK].token
    after = (await api.run(JOURNEY, desk, id=missed.jid))["journey"]
    assert after["stage"] == "CONSULTATION", after
    returned = [e["actorId"] for e in after["history"] if e["action"] == "return_to_triage"]
    assert returned == ["triage-desk"]
    assert await _updates_accepted(env, missed.raw, missed.update_id) == 1


async def test_place_vip_sends_a_missed_release_once_and_places_the_client(
    cockpit_api: Api, skipping_env: WorkflowEnvironment, missed: MissedRelease
) -> None:
    # Given a client whose journey missed the desk's day's-end release
    supervisor = missed.staff[Role.SUPERVISOR].token
    # When a supervisor places the client as a VIP with a named consultant, and retries it
    vip = {
        "journeyId": missed.jid,
        "consultantId": missed.consultants[-1],
        "reason": "regular client, asked for her",
        "idempotencyKey": f"vip-{missed.raw}",
    }
    placed = (await cockpit_api.run(PLACE_VIP, supervisor, input=vip))["placeVip"]
    retried = (await cockpit_api.run(PLACE_VIP, supervisor, input=vip))["placeVip"]
    # Then the journey went back to triage by the release, once, and is with that consultant
    # (before: "the journey is not at triage (CONSULTATION)")
    assert placed["__typename"] == "AutoAssignPayload", placed
    assert placed["journey"] == {"stage": "CONSULTATION", "consultant": {"id": vip["consultantId"]}}
    assert retried == placed
    await _placed_anew_once(cockpit_api, skipping_env, missed)


async def test_assigning_a_named_consultant_sends_a_missed_release_once(
    cockpit_api: Api, skipping_env: WorkflowEnvironment, missed: MissedRelease
) -> None:
    # Given a client whose journey missed the desk's day's-end release
    desk = missed.staff[Role.FRONT_DESK].token
    # When the desk assigns a consultant it names, and retries it
    pick = {
        "journeyId": missed.jid,
        "consultantId": missed.consultants[-1],
        "idempotencyKey": f"pick-{missed.raw}",
    }
    picked = (await cockpit_api.run(ASSIGN_BY_DESK, desk, input=pick))["assignConsultant"]
    retried = (await cockpit_api.run(ASSIGN_BY_DESK, desk, input=pick))["assignConsultant"]
    # Then the journey went back to triage by the release, once, and on to the consultant
    # (before: the journey refused an assignment away from triage)
    assert picked["__typename"] == "JourneyPayload", picked
    assert picked["journey"]["stage"] == "CONSULTATION"
    assert retried == picked
    await _placed_anew_once(cockpit_api, skipping_env, missed)
    after = (await cockpit_api.run(JOURNEY, desk, id=missed.jid))["journey"]
    assert after["consultant"] == {"id": pick["consultantId"]}
