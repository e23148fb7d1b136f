"""The FHIR resources of the records of her journeys (`domain.client_file.journey_records`).

A consultation is a ClinicalImpression (her needs, her earlier treatments or that she has had
none, "not asked" on one recorded before the consultant had to ask, and the consultant's
assessment) and a CarePlan of intent `proposal` for each plan it proposed (status `draft`: a
proposal is not acted on; the expert's final plan is). The briefing for the expert is a
ServiceRequest: the consultant's request that the expert review the plan. The expert's review is a
ClinicalImpression (the decision, the points of the joint talk or the reason refused) and, when
approved, the final plan as a CarePlan of intent `plan`. The checks made before treatment are
an Observation, a component for each check. The handover is the aftercare CarePlan, the next
recheck its scheduled activity. A follow-up call is an Encounter (virtual; `cancelled` when she
was not reached) and, when she gave her satisfaction or the caller noted something, an
Observation of it made in that Encounter.

A plan's status is `unknown` where it is carried out: the copy holds what was planned and what
was performed (the treatment's Procedure), not whether a plan is still followed.
Pure: no I/O.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from domain.client_file.fhir_parts import Subject, notes, resource_id, text
from domain.client_file.journey_records import (
    Consultation,
    ExpertBriefing,
    ExpertReview,
    FollowUpCall,
    Handover,
    PreTreatmentCheck,
)
from domain.journey.earlier_treatments import FLAG, LISTED_KEY, described

_ENCOUNTER_CLASS = "http://terminology.hl7.org/CodeSystem/v3-ActCode"


def _words(name: str) -> str:
    """A recorded field's name as words: `spending_capacity` as "spending capacity"."""
    return name.replace("_", " ")


def _said(values: Mapping[str, Any] | None, skip: Iterable[str] = ()) -> list[str]:
    """Each field of a recorded object as "its name: its value", a list's items joined."""
    lines = []
    for name, value in (values or {}).items():
        if name in skip or value in (None, "", []):
            continue
        shown = "; ".join(_shown(v) for v in value) if isinstance(value, list) else _shown(value)
        lines.append(f"{_words(name)}: {shown}")
    return lines


def _shown(value: Any) -> str:
    """A text as it is, anything else (a number, a price line) as its JSON."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _reference(resource: Mapping[str, Any]) -> dict[str, str]:
    return {"reference": f"urn:uuid:{resource['id']}"}


def _care_plan(
    rid: str, plan: Mapping[str, Any], intent: str, status: str, subject: Subject, at: str
) -> dict[str, Any]:
    return {
        "resourceType": "CarePlan",
        "id": rid,
        "status": status,
        "intent": intent,
        "title": plan.get("title"),
        "description": plan.get("effect"),
        "subject": subject.patient,
        "created": at,
        "note": notes(*_said(plan, skip=("title", "effect"))),
    }


def _impression(
    rid: str, description: str, by: str, at: str, subject: Subject, **said: Any
) -> dict[str, Any]:
    """The ClinicalImpression of an assessment made at `at` by `by`, saying `said` after them."""
    return {
        "resourceType": "ClinicalImpression",
        "id": rid,
        "status": "completed",
        "description": description,
        "subject": subject.patient,
        "effectiveDateTime": at,
        "date": at,
        "assessor": {"display": by},
        **said,
    }


def consultation(record: Consultation, subject: Subject) -> list[dict[str, Any]]:
    at = record.at.isoformat()
    impression = _impression(
        resource_id("Consultation", record.id),
        "consultation: her needs and the consultant's assessment",
        record.by,
        at,
        subject,
        note=notes(
            *_said({"occupation": record.occupation}),
            *_said(record.needs, skip=(LISTED_KEY, FLAG)),
            *_earlier_treatments(record.needs),
            *_said(record.assessment),
        ),
    )
    proposed = [
        _care_plan(
            resource_id("ProposedPlan", f"{record.id}:{index}"),
            plan,
            "proposal",
            "draft",
            subject,
            at,
        )
        for index, plan in enumerate(_plans(record.plans))
    ]
    for plan in proposed:
        plan["supportingInfo"] = [_reference(impression)]
    return [impression, *proposed]


def _earlier_treatments(needs: Mapping[str, Any] | None) -> list[str]:
    """Her earlier treatments, each with when and its effect; "none" when she has had none; on a
    consultation recorded before it was asked, the text it kept, else "not asked"."""
    if not isinstance(needs, Mapping):
        return []
    return [f"earlier treatments: {described(needs, 'none', 'not asked')}"]


def _plans(plans: Sequence[Any] | None) -> list[Mapping[str, Any]]:
    return [plan for plan in plans or () if isinstance(plan, Mapping)]


def expert_briefing(record: ExpertBriefing, subject: Subject) -> dict[str, Any]:
    return {
        "resourceType": "ServiceRequest",
        "id": resource_id("ExpertBriefing", record.id),
        "status": "completed",
        "intent": "order",
        "code": text("the expert's review of the proposed plan"),
        "subject": subject.patient,
        "authoredOn": record.at.isoformat(),
        "requester": {"display": record.by},
        "performer": [{"display": record.expert_id}] if record.expert_id else [],
        "note": notes(*_said(record.briefing)),
    }


def expert_review(record: ExpertReview, subject: Subject) -> list[dict[str, Any]]:
    at = record.at.isoformat()
    impression = _impression(
        resource_id("ExpertReview", record.id),
        "the expert's review of the proposed plan",
        record.by,
        at,
        subject,
        summary=f"decision: {record.decision}" if record.decision else None,
        note=notes(record.points, record.reason),
    )
    if not isinstance(record.final_plan, Mapping):
        return [impression]
    final = _care_plan(
        resource_id("FinalPlan", record.id), record.final_plan, "plan", "unknown", subject, at
    )
    final["supportingInfo"] = [_reference(impression)]
    return [impression, final]


def pre_treatment_check(record: PreTreatmentCheck, subject: Subject) -> dict[str, Any]:
    checks = record.checks or {}
    confirmed = [
        {"code": text(_words(name)), "valueBoolean": value}
        for name, value in checks.items()
        if isinstance(value, bool)
    ]
    labs = checks.get("labs")
    return {
        "resourceType": "Observation",
        "id": resource_id("PreTreatmentCheck", record.id),
        "status": "final",
        "code": text("checks before treatment"),
        "subject": subject.patient,
        "effectiveDateTime": record.at.isoformat(),
        "performer": [{"display": record.by}],
        "component": confirmed,
        "note": notes(
            f"labs: {labs}" if labs else None,
            None if record.checks else "checked on the procedure type's checklist",
        ),
    }


def _medicine(prescribed: Any) -> dict[str, Any]:
    """One medicine she took home, as an activity of her aftercare plan."""
    given = prescribed if isinstance(prescribed, dict) else {}
    said = [str(given.get(name) or "") for name in ("dose", "frequency")]
    said += [f"{given.get('days')} days" if given.get("days") else "", str(given.get("note") or "")]
    detail = {
        "kind": "MedicationRequest",
        "status": "unknown",
        "productCodeableConcept": text(str(given.get("medicine") or "")),
    }
    described = ", ".join(part for part in said if part)
    return {"detail": {**detail, "description": described} if described else detail}


def handover(record: Handover, subject: Subject) -> dict[str, Any]:
    recheck = record.next_recheck_at
    activity = {"kind": "Appointment", "status": "scheduled", "description": "recheck"}
    booked = [{"detail": {**activity, "scheduledString": recheck}}] if recheck else []
    medicines = [_medicine(given) for given in record.prescriptions or ()]
    return {
        "resourceType": "CarePlan",
        "id": resource_id("Handover", record.id),
        "status": "unknown",
        "intent": "plan",
        "title": "aftercare",
        "description": record.aftercare,
        "subject": subject.patient,
        "created": record.at.isoformat(),
        "author": {"display": record.by},
        "note": notes(*_said(record.discomfort), record.no_prescription_reason),
        "activity": booked + medicines,
    }


def follow_up_call(record: FollowUpCall, subject: Subject) -> list[dict[str, Any]]:
    reached = record.outcome != "NOT_REACHED"
    call = {
        "resourceType": "Encounter",
        "id": resource_id("FollowUpCall", record.id),
        "status": "finished" if reached else "cancelled",
        "class": {"system": _ENCOUNTER_CLASS, "code": "VR", "display": "virtual"},
        "type": [text(f"follow-up call {record.follow_up_id}: {record.outcome}")],
        "subject": subject.patient,
        "participant": [{"individual": {"display": record.by}}],
        "period": {"start": record.at.isoformat()},
    }
    if record.satisfaction is None and not record.note:
        return [call]
    said: dict[str, Any] = {
        "resourceType": "Observation",
        "id": resource_id("FollowUpCallSaid", record.id),
        "status": "final",
        "code": text("her satisfaction with the treatment, 1 to 5"),
        "subject": subject.patient,
        "encounter": _reference(call),
        "effectiveDateTime": record.at.isoformat(),
        "note": notes(record.note),
    }
    if isinstance(record.satisfaction, int):
        said["valueInteger"] = record.satisfaction
    return [call, said]
