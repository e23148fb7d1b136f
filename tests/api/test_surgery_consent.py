"""Before an operation the doctor explains it and takes the client's signature (seed 004:
"医生在为患者进行医疗美容服务前,应向患者充分告知...并取得患者书面同意"; seed 002 3.2: before the
operation the doctor explains its course and risks). A nurse's or consultant's procedure
consent for a surgery was taken; other treatments' consents are still theirs, and a refusal
leaves nothing signed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
from tests.api import documents
from tests.api.flow import PLAN, JourneyDriver, new_key
from tests.api.post_op_support import surgical_type

FreshClinic = Callable[[], Awaitable[JourneyDriver]]

REQUIRED = (
    "query R($id: ID!) { journey(id: $id) { ... on Journey { stage "
    "requiredConsents { kind signed } } } }"
)


def _procedure_consent(jid: str) -> dict[str, Any]:
    return {
        "journeyId": jid,
        "kind": "PROCEDURE",
        "signerName": "Anna Nowak",
        "templateId": "procedure-consent",
        "templateVersion": "2024-1",
        "rightsExplained": True,
        "idempotencyKey": new_key(),
    }


async def _approved(clinic: JourneyDriver, procedure_type: str | None) -> str:
    jid = (await clinic.drive_to("EXPERT_REVIEW"))["id"]
    # An operation is planned under anaesthesia (its consent is the doctor's already).
    surgery = {"procedureType": procedure_type, "requiresAnesthesia": True}
    final = {**PLAN, **surgery} if procedure_type else PLAN
    approval = {"journeyId": jid, "decision": "APPROVE", "points": "as agreed", "finalPlan": final}
    approved = await clinic.ok(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **approval)
    assert approved["stage"] == "CONSENT", approved
    return str(jid)


async def test_a_surgery_s_consent_is_taken_by_the_doctor(fresh_clinic: FreshClinic) -> None:
    # Given an operation approved by the expert, waiting for the client's consent
    clinic = await fresh_clinic()
    jid = await _approved(clinic, await surgical_type(clinic))
    # When the nurse, then the consultant, take the client's signature for the operation
    for role in (Role.NURSE, Role.CONSULTANT):
        refused = await clinic.act(documents.SIGN_CONSENT, role, **_procedure_consent(jid))
        # Then each is refused, saying whose the consent is
        assert refused["__typename"] == "NotAuthorized", refused
        assert "doctor" in refused["message"], refused
    # And nothing is signed: the journey still waits for the consent
    data = await clinic.api.run(REQUIRED, clinic.token(Role.EXPERT), id=jid)
    assert data["journey"] == {
        "stage": "CONSENT",
        "requiredConsents": [
            {"kind": "PROCEDURE", "signed": False},
            {"kind": "ANESTHESIA", "signed": False},
        ],
    }
    # When the doctor takes it
    consent = _procedure_consent(jid)
    signed = await clinic.ok(documents.SIGN_CONSENT, Role.EXPERT, **consent)
    # Then it is taken (the anaesthesia's still to sign), answered alike when sent again
    assert signed["stage"] == "CONSENT", signed
    assert await clinic.ok(documents.SIGN_CONSENT, Role.EXPERT, **consent) == signed
    data = await clinic.api.run(REQUIRED, clinic.token(Role.EXPERT), id=jid)
    assert data["journey"]["requiredConsents"][0] == {"kind": "PROCEDURE", "signed": True}


async def test_a_treatment_other_than_a_surgery_is_still_consented_with_a_nurse(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a treatment with no procedure type, approved
    clinic = await fresh_clinic()
    jid = await _approved(clinic, None)
    # When the nurse takes the client's consent
    signed = await clinic.ok(documents.SIGN_CONSENT, Role.NURSE, **_procedure_consent(jid))
    # Then it is taken
    assert signed["stage"] == "PAYMENT", signed
