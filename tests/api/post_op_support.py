"""Surgery journeys for the ward's records after an operation (seed 003): one driven through
the API to its operation, and the read model of one operated on yesterday evening (the API
reads the records' journey from the read model only, and a test cannot wait for a night)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.journey.table import Action
from domain.roles import Role
from domain.store.models import Client, Journey, JourneyEvent
from domain.store.procedures import ProcedureTypeVersion
from schema.ids import decode_id, encode_id
from tests.api import documents
from tests.api.flow import PLAN, JourneyDriver
from tests.api.harness import TEST_CLINIC_ZONE
from tests.api.procedure_support import (
    GENERAL_CHECKLIST,
    START,
    SURGICAL_PHOTOS,
    complete_items,
    run,
    set_type,
    type_input,
)

ERRORS = (
    "... on ValidationFailed { problems { field message } } "
    "... on NotAuthorized { message } ... on NotFound { message } ... on Conflict { message }"
)
ENTRY = (
    "... on ClientEntryPayload { entry { ... on PostOpObservationEntry { id journeyId "
    "observedAt anaesthesia vitals { systolic diastolic pulse respiratoryRate "
    "temperatureCelsius oxygenSaturation } lyingFlat nilByMouth note authorRole amendsId "
    "author { id } } ... on WardRoundEntry { id journeyId visitedAt recoveringAsExpected "
    "findings nextStep authorRole amendsId author { id } } } }"
)
RECORD_OBSERVATION = (
    "mutation O($input: RecordPostOpObservationInput!) { recordPostOpObservation(input: $input) "
    "{ __typename " + ENTRY + " " + ERRORS + " } }"
)
RECORD_WARD_ROUND = (
    "mutation W($input: RecordWardRoundInput!) { recordWardRound(input: $input) "
    "{ __typename " + ENTRY + " " + ERRORS + " } }"
)
AMEND = (
    "mutation A($input: AmendClientEntryInput!) { amendClientEntry(input: $input) "
    "{ __typename " + ENTRY + " " + ERRORS + " } }"
)
WARD = (
    "query C($id: ID!) { client(id: $id) { ... on Client { "
    "postOpObservations { ... on PostOpObservationEntryConnection { edges { node { id "
    "journeyId inForce } } } } wardRounds { ... on WardRoundEntryConnection { edges { node { "
    "id journeyId inForce } } } } } } }"
)
VITALS = {
    "systolic": 118,
    "diastolic": 76,
    "pulse": 72,
    "respiratoryRate": 16,
    "temperatureCelsius": 36.8,
    "oxygenSaturation": 98,
}


async def surgical_type(clinic: JourneyDriver) -> str:
    """A surgical procedure type of the clinic's, under a general anaesthesia: its key."""
    type_key = f"bleph-{uuid.uuid4().hex[:6]}"
    surgery = type_input(
        type_key,
        category="SURGERY",
        anaesthesia="GENERAL",
        checklist=GENERAL_CHECKLIST,
        photoSchedule=SURGICAL_PHOTOS,
    )
    await set_type(clinic, surgery)
    return type_key


async def surgery_under_way(clinic: JourneyDriver) -> str:
    """A journey of a surgical type, consented (anaesthesia too), paid, checked, its operation
    begun (TREATMENT): its id."""
    type_key = await surgical_type(clinic)
    jid = (await clinic.drive_to("EXPERT_REVIEW"))["id"]
    final = {**PLAN, "procedureType": type_key, "requiresAnesthesia": True}
    approval = {"journeyId": jid, "decision": "APPROVE", "points": "as agreed", "finalPlan": final}
    await clinic.ok(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **approval)
    await clinic.sign_consent(jid, Role.EXPERT)  # an operation's consent is the doctor's
    anaesthesia = {
        "kind": "ANESTHESIA",
        "signerName": "Anna Nowak",
        "templateId": "anesthesia-consent",
        "templateVersion": "1",
        "rightsExplained": True,
    }
    await clinic.ok(documents.SIGN_CONSENT, Role.EXPERT, journeyId=jid, **anaesthesia)
    await clinic.pay(jid)
    await complete_items(clinic, jid, GENERAL_CHECKLIST)
    started = await run(clinic, START, Role.NURSE, input={"journeyId": jid})
    assert started["journey"]["stage"] == "TREATMENT", started
    return jid


async def operate(clinic: JourneyDriver, jid: str) -> None:
    """The surgeon completes the operation."""
    await clinic.ok(
        documents.COMPLETE_TREATMENT,
        Role.EXPERT,
        journeyId=jid,
        performerId=clinic.staff[Role.EXPERT].global_id,
        procedure="upper blepharoplasty",
        products=[],
    )


def yesterday_evening() -> datetime:
    """23:00 yesterday in the test clinic: the current day is the day after, whenever the test
    runs."""
    midnight = datetime.now(TEST_CLINIC_ZONE).replace(hour=0, minute=0, second=0, microsecond=0)
    return (midnight - timedelta(hours=1)).astimezone(UTC)


async def operated_yesterday(client_id: str, type_key: str, ended_at: datetime) -> str:
    """The read model of a surgery journey of the client (a `Client` id) on the surgical type,
    its operation ended at `ended_at`: its `Journey` id."""
    raw_client = decode_id(client_id, "Client")
    client_row = await Client.get(id=raw_client)
    version = await ProcedureTypeVersion.get(clinic_id=client_row.clinic_id, type_key=type_key)
    journey_id = f"operated-{uuid.uuid4().hex}"
    facts: dict[str, Any] = {"procedure_type_version_id": version.id}
    await Journey.create(
        id=journey_id, clinic_id=client_row.clinic_id, client_id=raw_client, stage="COMPLETED",
        visit_category="FIRST_VISIT", active=False, started_at=ended_at - timedelta(hours=3),
        stage_entered_at=ended_at, facts=facts,
    )  # fmt: skip
    await JourneyEvent.create(
        journey_id=journey_id, clinic_id=client_row.clinic_id, seq=1,
        action=Action.COMPLETE_TREATMENT.value, from_stage="TREATMENT", to_stage="HANDOVER",
        actor_id="surgeon", actor_role=Role.EXPERT.value, at=ended_at, summary="operated",
    )  # fmt: skip
    return encode_id("Journey", journey_id)


def observation_in_the_first_hours(jid: str, at: datetime) -> dict[str, Any]:
    """`recordPostOpObservation`'s input at `at`, within the 6 hours of the general anaesthesia
    `surgical_type` names: flat and nil by mouth as ordered."""
    return {
        "journeyId": jid,
        "observedAt": at.isoformat(),
        "anaesthesia": "GENERAL",
        "lyingFlat": True,
        "nilByMouth": True,
        "vitals": VITALS,
        "idempotencyKey": str(uuid.uuid4()),
    }
