"""A complex procedure's set-up through the API (seed 004 三.4): a doctor's senior title, a
second doctor to assist, and a journey of a complex type ready to start with its team."""

from __future__ import annotations

import uuid
from typing import Any

from domain.roles import Role
from tests.api import documents
from tests.api.flow import PLAN, JourneyDriver, new_key
from tests.api.procedure_support import ERRORS, run, set_type, type_input

SET_TITLE = (
    "mutation T($input: SetSeniorTitleInput!) { setSeniorTitle(input: $input) { __typename "
    "... on SeniorTitlePayload { staff { id role seniorTitle } } " + ERRORS + " } }"
)
CREATE_STAFF = (
    "mutation C($input: CreateStaffAccountInput!) { createStaffAccount(input: $input) { "
    "__typename ... on StaffAccountPayload { staff { id seniorTitle } } " + ERRORS + " } }"
)


async def title(clinic: JourneyDriver, role: Role, staff_id: str, senior: bool, key: str) -> Any:
    input = {"staffId": staff_id, "seniorTitle": senior, "idempotencyKey": key}
    return await run(clinic, SET_TITLE, role, input=input)


async def second_doctor(clinic: JourneyDriver) -> str:
    """Another doctor of the clinic, made by its administrator: the assistant."""
    clinic_id = (await run(clinic, "query { me { ... on StaffMember { clinicId } } }", Role.ADMIN))[
        "clinicId"
    ]
    input = {
        "clinicId": clinic_id,
        "username": f"assist-{uuid.uuid4().hex[:8]}",
        "displayName": "Assisting Doctor",
        "role": "EXPERT",
        "temporaryPassword": "first-password-1",
        "idempotencyKey": new_key(),
    }
    made = await run(clinic, CREATE_STAFF, Role.ADMIN, input=input)
    assert made["__typename"] == "StaffAccountPayload", made
    assert made["staff"]["seniorTitle"] is False
    return made["staff"]["id"]  # type: ignore[no-any-return]


async def ready_to_start(clinic: JourneyDriver, type_key: str) -> str:
    """A journey on `type_key`, approved, consented, paid, its checklist done: in TREATMENT."""
    jid = (await clinic.drive_to("EXPERT_REVIEW"))["id"]
    final = {**PLAN, "procedureType": type_key}
    approval = {"journeyId": jid, "decision": "APPROVE", "points": "as agreed", "finalPlan": final}
    await clinic.ok(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **approval)
    await clinic.sign_consent(jid, Role.EXPERT)
    await clinic.pay(jid)
    for item in type_input(type_key)["checklist"]:
        result = {"result": "normal"} if item.get("needsResult") else {}
        done = await run(
            clinic,
            "mutation I($input: CompleteChecklistItemInput!) { completeChecklistItem(input: "
            "$input) { __typename } }",
            Role.EXPERT,
            input={"journeyId": jid, "itemCode": item["code"], **result},
        )
        assert done["__typename"] == "ChecklistItemPayload", done
    return jid


async def complex_ready_to_start(clinic: JourneyDriver) -> dict[str, str]:
    """A journey of a new complex type ready to start, and a second doctor made to assist: the
    start's input naming the journey and its team (that doctor, the clinic's nurse), no key."""
    type_key = f"facelift-{uuid.uuid4().hex[:6]}"
    await set_type(clinic, type_input(type_key, complex=True))
    assistant = await second_doctor(clinic)
    jid = await ready_to_start(clinic, type_key)
    return {
        "journeyId": jid,
        "assistantId": assistant,
        "nurseId": clinic.staff[Role.NURSE].global_id,
    }
