"""A surgery is handed over by a doctor (seed 002 9.1: the treating doctor tells the consultant
the treatment has ended and assesses its effect; seed 003: the doctor gives the orders after the
operation). A nurse's handover of an operation was taken; other treatments are still a nurse's
to hand over, and a refusal leaves the journey where it was. Before she leaves an operation,
her prescription is written (seed 003): the handover names her medicines, or why none, and her
leaflet prints them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from domain.roles import Role
from domain.store.models import JourneyEvent
from schema.ids import decode_id
from tests.api import documents
from tests.api.flow import JourneyDriver, new_key
from tests.api.post_op_support import operate, surgery_under_way
from tests.api.procedure_support import LEAFLET, run

FreshClinic = Callable[[], Awaitable[JourneyDriver]]

AMEND = (
    "mutation A($input: AmendRecordInput!) { amendRecord(input: $input) { __typename "
    "... on UserError { code message } } }"
)
OFFERED = (
    "query O($id: ID!) { journey(id: $id) { ... on Journey { "
    "availableActions { action allowed reason } } } }"
)


async def _seq_of(journey_id: str, action: str) -> int:
    event = await JourneyEvent.get(journey_id=decode_id(journey_id, "Journey"), action=action)
    return event.seq


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


ANTIBIOTIC = {"medicine": "amoxicillin", "dose": "500 mg", "frequency": "every 8 hours", "days": 5}
PAINKILLER = {**ANTIBIOTIC, "medicine": "paracetamol", "frequency": "when in pain", "days": 3}


def _handover(jid: str, **prescribed: Any) -> dict[str, Any]:
    return {
        "journeyId": jid,
        "aftercare": "sutures out on day 6",
        "discomfort": DISCOMFORT,
        "course": "AS_PLANNED",
        "idempotencyKey": new_key(),
        **(prescribed or {"prescriptions": [ANTIBIOTIC]}),
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
    # When a nurse hands the client over, with no medicine to take home
    handed = await clinic.ok(documents.HAND_OVER, Role.NURSE, **_handover(jid, prescriptions=[]))
    # Then it is taken
    assert handed["stage"] == "FOLLOW_UP", handed


async def test_she_leaves_an_operation_with_her_prescription_on_her_leaflet(
    fresh_clinic: FreshClinic,
) -> None:
    # Given an operation the surgeon has completed
    clinic = await fresh_clinic()
    jid = await surgery_under_way(clinic)
    await operate(clinic, jid)
    # When the doctor hands her over naming no medicine and no reason, or both, or a bad one
    for prescribed, field in (
        ({"prescriptions": []}, "prescriptions"),
        ({"prescriptions": [ANTIBIOTIC], "noPrescriptionReason": "none needed"}, "prescriptions"),
        ({"prescriptions": [{**ANTIBIOTIC, "days": 0}]}, "prescriptions[0].days"),
        ({"prescriptions": [{**ANTIBIOTIC, "dose": " "}]}, "prescriptions[0].dose"),
    ):
        refused = await clinic.act(documents.HAND_OVER, Role.EXPERT, **_handover(jid, **prescribed))
        # Then it is refused on that field, and she has not left
        assert refused["__typename"] == "ValidationFailed", refused
        assert [p["field"] for p in refused["problems"]] == [field], refused
    assert (await clinic.journey(jid))["stage"] == "HANDOVER"
    # When the doctor names what she takes home
    medicines = {"prescriptions": [ANTIBIOTIC, {**PAINKILLER, "note": "at most 4 a day"}]}
    handed = await clinic.ok(documents.HAND_OVER, Role.EXPERT, **_handover(jid, **medicines))
    assert handed["stage"] == "FOLLOW_UP", handed
    # Then her leaflet lists them, each with its dose, how often and how long
    leaflet = await run(clinic, LEAFLET, Role.NURSE, id=jid, language="en")
    assert "Your medicines" in leaflet["html"], leaflet["html"]
    assert "amoxicillin 500 mg: every 8 hours, 5 days" in leaflet["html"]
    assert "paracetamol 500 mg: when in pain, 3 days (at most 4 a day)" in leaflet["html"]
    # When the doctor corrects the handover's notes for her language
    corrected = "swelling of the lids for up to two weeks"
    amended = await clinic.api.run(
        AMEND,
        clinic.token(Role.SUPERVISOR),
        input={
            "journeyId": jid,
            "seq": await _seq_of(jid, "hand_over"),
            "reason": "the surgeon's own estimate",
            "correction": {"discomfort": {"language": "en", "normal": corrected}},
            "idempotencyKey": new_key(),
        },
    )
    assert amended["amendRecord"]["__typename"] == "AmendmentPayload", amended
    # Then her leaflet prints the notes as corrected, never the words they replaced
    reprinted = await run(clinic, LEAFLET, Role.NURSE, id=jid, language="en")
    assert reprinted["notes"]["normal"] == corrected
    assert corrected in reprinted["html"]
    assert "amoxicillin 500 mg" in reprinted["html"]


async def test_an_operation_with_nothing_to_take_home_says_why(fresh_clinic: FreshClinic) -> None:
    clinic = await fresh_clinic()
    jid = await surgery_under_way(clinic)
    await operate(clinic, jid)
    reason = {"noPrescriptionReason": "a small excision: nothing beyond the dressing"}
    handed = await clinic.ok(documents.HAND_OVER, Role.EXPERT, **_handover(jid, **reason))
    assert handed["stage"] == "FOLLOW_UP", handed
    leaflet = await run(clinic, LEAFLET, Role.NURSE, id=jid, language="en")
    assert "Your medicines" not in leaflet["html"]
