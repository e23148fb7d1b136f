"""A handover's discharge prescription is corrected with `amendRecord` (records are append-only:
the medicines first written stay, the correction points at them). It is checked as `handOver`
checked it, on the record as it would then read: at most 20 medicines, each 1 to 90 days, a
surgery's names the medicines or why none, never both; a refusal writes nothing. A surgery's
prescription is its doctor's to correct. Her leaflet's "Your medicines" and the MedicationRequest
activities of her copy's CarePlan read it as corrected."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from domain.client_file.fhir import resource_id
from domain.client_file.fhir_check import bundle_problems
from domain.roles import Role
from domain.store.models import Journey, JourneyEvent, JourneyRecord
from schema.ids import decode_id, encode_id
from tests.api import documents
from tests.api.client_file_support import export_file
from tests.api.flow import JourneyDriver, new_key
from tests.api.post_op_support import operate, surgery_under_way
from tests.api.procedure_support import LEAFLET, run
from tests.api.test_surgery_handover import ANTIBIOTIC, PAINKILLER, _handover

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
AMEND = """
mutation Amend($input: AmendRecordInput!) {
  amendRecord(input: $input) {
    __typename
    ... on AmendmentPayload { amendment { id reason correction } }
    ... on UserError { code message }
    ... on ValidationFailed { problems { field message } }
  }
}
"""
IBUPROFEN = {"medicine": "ibuprofen", "dose": "400 mg", "frequency": "twice a day", "days": 4}


async def _handed_over(clinic: JourneyDriver, **prescribed: Any) -> tuple[str, int]:
    """An operation its surgeon handed over with `prescribed`: the journey and the handover's
    seq."""
    jid = await surgery_under_way(clinic)
    await operate(clinic, jid)
    await clinic.ok(documents.HAND_OVER, Role.EXPERT, **_handover(jid, **prescribed))
    event = await JourneyEvent.get(journey_id=decode_id(jid, "Journey"), action="hand_over")
    return jid, event.seq


async def _amend(
    clinic: JourneyDriver, role: Role, jid: str, seq: int, key: str | None = None, **correction: Any
) -> dict[str, Any]:
    data = await clinic.api.run(
        AMEND,
        clinic.token(role),
        input={
            "journeyId": jid,
            "seq": seq,
            "reason": "the pharmacy had no amoxicillin",
            "correction": correction,
            "idempotencyKey": key or new_key(),
        },
    )
    return data["amendRecord"]  # type: ignore[no-any-return]


async def _amendments(jid: str) -> int:
    return await JourneyRecord.filter(
        journey_id=decode_id(jid, "Journey"), amends_id__isnull=False
    ).count()


async def test_the_doctor_corrects_her_medicines_and_her_leaflet_and_copy_read_them(
    fresh_clinic: FreshClinic,
) -> None:
    # Given an operation its surgeon handed over with an antibiotic and a painkiller
    clinic = await fresh_clinic()
    jid, seq = await _handed_over(clinic, prescriptions=[ANTIBIOTIC, PAINKILLER])
    # When the surgeon corrects the prescription: the antibiotic replaced, the painkiller kept
    corrected = [IBUPROFEN, {**PAINKILLER, "note": "at most 4 a day"}]
    key = new_key()
    amended = await _amend(clinic, Role.EXPERT, jid, seq, key, prescriptions=corrected)
    assert amended["__typename"] == "AmendmentPayload", amended
    assert amended["amendment"]["correction"] == {"prescriptions": corrected}
    # And sends it again with its key: answered as the first time, written once
    again = await _amend(clinic, Role.EXPERT, jid, seq, key, prescriptions=corrected)
    assert again == amended
    assert await _amendments(jid) == 1
    # Then her leaflet lists her medicines as corrected, never the one replaced
    leaflet = await run(clinic, LEAFLET, Role.NURSE, id=jid, language="en")
    assert "Your medicines" in leaflet["html"]
    assert "ibuprofen 400 mg: twice a day, 4 days" in leaflet["html"]
    assert "paracetamol 500 mg: when in pain, 3 days (at most 4 a day)" in leaflet["html"]
    assert "amoxicillin" not in leaflet["html"]
    # And her copy's CarePlan names them as corrected; a Provenance keeps the replaced ones
    row = await Journey.get(id=decode_id(jid, "Journey"))
    result = await export_file(clinic, encode_id("Client", row.client_id), new_key())
    bundle = result["fhirBundle"]
    assert bundle_problems(bundle) == []
    (handover,) = result["file"]["handovers"]
    resources = [e["resource"] for e in bundle["entry"]]
    (plan,) = [r for r in resources if r["id"] == resource_id("Handover", handover["id"])]
    medicines = [
        a["detail"]["productCodeableConcept"]["text"]
        for a in plan["activity"]
        if a["detail"]["kind"] == "MedicationRequest"
    ]
    assert medicines == ["ibuprofen", "paracetamol"]
    (provenance,) = [r for r in resources if r["resourceType"] == "Provenance"]
    assert "amoxicillin" in provenance["entity"][0]["what"]["display"]
    # And the JSON copy keeps the handover as first written, its amendment beside it
    assert [m["medicine"] for m in handover["prescriptions"]] == ["amoxicillin", "paracetamol"]
    assert [a["correction"] for a in handover["amendments"]] == [{"prescriptions": corrected}]


async def test_a_correction_of_the_prescription_is_checked_as_the_handover_was(
    fresh_clinic: FreshClinic,
) -> None:
    # Given an operation handed over with an antibiotic
    clinic = await fresh_clinic()
    jid, seq = await _handed_over(clinic, prescriptions=[ANTIBIOTIC])
    # When its surgeon corrects it with too many medicines, a bad one, none and no reason, or
    # a reason beside the medicines still named
    for correction, field in (
        ({"prescriptions": [ANTIBIOTIC] * 21}, "correction.prescriptions"),
        ({"prescriptions": [{**ANTIBIOTIC, "days": 0}]}, "correction.prescriptions[0].days"),
        ({"prescriptions": [{**ANTIBIOTIC, "days": 91}]}, "correction.prescriptions[0].days"),
        ({"prescriptions": [{**ANTIBIOTIC, "dose": " "}]}, "correction.prescriptions[0].dose"),
        ({"prescriptions": [{**ANTIBIOTIC, "days": "5"}]}, "correction.prescriptions[0].days"),
        ({"prescriptions": "amoxicillin"}, "correction.prescriptions"),
        ({"prescriptions": []}, "correction.prescriptions"),
        ({"no_prescription_reason": "none needed"}, "correction.prescriptions"),
        ({"noPrescriptionReason": "none needed"}, "correction"),
    ):
        refused = await _amend(clinic, Role.EXPERT, jid, seq, **correction)
        # Then it is refused on that field
        assert refused["__typename"] == "ValidationFailed", (correction, refused)
        assert [p["field"] for p in refused["problems"]] == [field], (correction, refused)
    # And a supervisor may not correct a surgery's prescription: it is the doctor's order
    by_supervisor = await _amend(clinic, Role.SUPERVISOR, jid, seq, prescriptions=[IBUPROFEN])
    assert by_supervisor["__typename"] == "NotAuthorized", by_supervisor
    # And nothing was written
    assert await _amendments(jid) == 0
    # When the surgeon says why none instead, clearing the medicines
    reason = "the pharmacy has none: bought in town"
    taken = await _amend(
        clinic, Role.EXPERT, jid, seq, prescriptions=[], no_prescription_reason=reason
    )
    assert taken["__typename"] == "AmendmentPayload", taken
    # Then her leaflet has no medicines; naming one again must clear the reason
    leaflet = await run(clinic, LEAFLET, Role.NURSE, id=jid, language="en")
    assert "Your medicines" not in leaflet["html"]
    both = await _amend(clinic, Role.EXPERT, jid, seq, prescriptions=[IBUPROFEN])
    assert [p["field"] for p in both["problems"]] == ["correction.prescriptions"], both
    named = await _amend(
        clinic, Role.EXPERT, jid, seq, prescriptions=[IBUPROFEN], no_prescription_reason=None
    )
    assert named["__typename"] == "AmendmentPayload", named
    leaflet = await run(clinic, LEAFLET, Role.NURSE, id=jid, language="en")
    assert "ibuprofen 400 mg: twice a day, 4 days" in leaflet["html"]
    assert await _amendments(jid) == 2
