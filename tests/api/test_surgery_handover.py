"""A surgery is handed over by a doctor (seed 002 9.1: the treating doctor tells the consultant
the treatment has ended and assesses its effect; seed 003: the doctor gives the orders after the
operation). A nurse's handover of an operation was taken; other treatments are still a nurse's
to hand over, and a refusal leaves the journey where it was."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
from tests.api import documents
from tests.api.flow import JourneyDriver, new_key
from tests.api.post_op_support import operate, surgery_under_way

FreshClinic = Callable[[], Awaitable[JourneyDriver]]

OFFERED = (
    "query O($id: ID!) { journey(id: $id) { ... on Journey { "
    "availableActions { action allowed reason } } } }"
)


async def _hand_over_offered(clinic: JourneyDriver, role: Role, jid: str) -> dict[str, Any]:
    data = await clinic.api.run(OFFERED, clinic.token(role), id=jid)
    (offer,) = [a for a in data["journey"]["availableActions"] if a["action"] == "HAND_OVER"]
    return offer  # type: ignore[no-any-return]


DISCOMFORT = {
    "normal": "swelling of the lids",
    "passes": "within ten days",
    "callNow": "bleeding, loss of sight, fever",
    "selfCare": "cold compress, head raised",
    "activities": "no sport for three weeks",
}


def _handover(jid: str) -> dict[str, Any]:
    return {
        "journeyId": jid,
        "aftercare": "sutures out on day 6",
        "discomfort": DISCOMFORT,
        "course": "AS_PLANNED",
        "idempotencyKey": new_key(),
    }


async def test_a_surgery_is_handed_over_by_the_doctor_not_a_nurse(
    fresh_clinic: FreshClinic,
) -> None:
    # Given an operation the surgeon has completed (the journey at HANDOVER)
    clinic = await fresh_clinic()
    jid = await surgery_under_way(clinic)
    await operate(clinic, jid)
    # Then the nurse is not offered the handover, the doctor is
    offered_to_nurse = await _hand_over_offered(clinic, Role.NURSE, jid)
    assert offered_to_nurse == {
        "action": "HAND_OVER",
        "allowed": False,
        "reason": "a surgery is handed over by a doctor (expert)",
    }
    assert (await _hand_over_offered(clinic, Role.EXPERT, jid))["allowed"] is True
    # When a nurse hands the client over all the same
    by_nurse = await clinic.act(documents.HAND_OVER, Role.NURSE, **_handover(jid))
    # Then she is refused, and the journey has not moved
    assert by_nurse["__typename"] == "NotAuthorized", by_nurse
    assert "doctor" in by_nurse["message"]
    assert (await clinic.journey(jid))["stage"] == "HANDOVER"
    # And the doctor's handover is taken, answered alike when sent again
    handover = _handover(jid)
    by_doctor = await clinic.ok(documents.HAND_OVER, Role.EXPERT, **handover)
    assert by_doctor["stage"] == "FOLLOW_UP", by_doctor
    again = await clinic.ok(documents.HAND_OVER, Role.EXPERT, **handover)
    assert again == by_doctor


async def test_a_treatment_other_than_a_surgery_is_still_a_nurse_s_to_hand_over(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a journey of a treatment with no procedure type, its treatment done
    clinic = await fresh_clinic()
    jid = (await clinic.drive_to("HANDOVER"))["id"]
    assert (await _hand_over_offered(clinic, Role.NURSE, jid))["allowed"] is True
    # When a nurse hands the client over
    handed = await clinic.ok(documents.HAND_OVER, Role.NURSE, **_handover(jid))
    # Then it is taken
    assert handed["stage"] == "FOLLOW_UP", handed
