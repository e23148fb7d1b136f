"""The clinical part of a client file as a FHIR R4 Bundle (type `collection`), as plain JSON.

One resource per entry in force or marked entered in error (a corrected entry is replaced by its
correction; the JSON copy keeps both): allergies are AllergyIntolerance, medications
MedicationStatement, medical conditions Condition, earlier treatments, operations and the treatments
performed here Procedure, a complication the client called in with after a treatment, or reported
on one of its follow-up calls, Condition (asserted by the client, and unconfirmed: no doctor has
judged it; the treatment's Procedure names it as its `complicationDetail`), signed consents
Consent, the client's background (lifestyle, skin care, state of mind, aesthetic wishes) a
QuestionnaireResponse each, and pregnancy and lactation statements Observations with their LOINC
codes (as the International Patient Summary records pregnancy status). The records of her
journeys, consultation to follow-up call, are mapped in `domain.client_file.fhir_journey`, her
bills, payments and refunds in `domain.client_file.fhir_money`, her complaints with the
clinic's answers and their outcome in `domain.client_file.fhir_complaints`; the disclosures of
her file are not clinical and stay in the JSON. The listed parts' resources
(consents, treatments, complications...) are their rows' in `domain.client_file.export.PARTS`; a
record corrected with `amendRecord` is its resource as amended, followed by a Provenance of each
amendment, which keeps what it replaced (`domain.client_file.fhir_parts`). An
entry marked in error keeps FHIR's own `entered-in-error` status. Texts are carried as `text` (no
terminology binding is claimed for what staff wrote).

Ids are UUIDs derived from the stored ids, so two exports of one file name one resource alike.
The service card is not clinical and stays out (see `domain.client_file.export`).
"""

from __future__ import annotations

from typing import Any

from domain.client_file.export import PARTS
from domain.client_file.fhir_parts import (
    CONDITION_VERIFICATION,
    LOINC,
    Subject,
    as_amended,
    coded,
    notes,
    resource_id,
    text,
)
from domain.client_file.file_records import ClientFile, FileEntry
from domain.client_file.kinds import AllergySeverity, EntryKind, HistoryTopic

_CLINICAL_STATUS = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
_VERIFICATION = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"
_CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"

_REACTION_SEVERITY = {
    AllergySeverity.MILD: "mild",
    AllergySeverity.MODERATE: "moderate",
    AllergySeverity.SEVERE: "severe",
    AllergySeverity.LIFE_THREATENING: "severe",
}
_PROCEDURES = (HistoryTopic.EARLIER_TREATMENT, HistoryTopic.SURGERY)
_CONDITIONS = (HistoryTopic.MEDICAL_CONDITION,)
# (LOINC code, its display, the statement's field) of the two pregnancy-status observations.
_PREGNANCY = (
    ("82810-3", "Pregnancy status", "pregnant"),
    ("63895-7", "Breastfeeding status", "lactating"),
)


class _Mapper:
    def __init__(self, file: ClientFile) -> None:
        self.file = file
        self.subject = Subject.of(file)
        self.patient = self.subject.patient

    def patient_resource(self) -> dict[str, Any]:
        file = self.file
        current, earlier = file.identity[-1], file.identity[:-1]
        names: list[dict[str, Any]] = [{"use": "usual", "text": current.full_name}]
        names += [
            {"use": "old", "text": v.full_name, "period": {"end": later.at.isoformat()}}
            for v, later in zip(earlier, file.identity[1:], strict=True)
            if v.full_name != current.full_name
        ]
        telecom = [{"system": "phone", "value": current.phone}] if current.phone else []
        telecom += [{"system": "email", "value": current.email}] if current.email else []
        return {
            "resourceType": "Patient",
            "id": resource_id("Patient", file.client_id),
            "name": names,
            "telecom": telecom,
            "birthDate": file.birth_date.isoformat(),
        }

    def allergy(self, entry: FileEntry, rid: str) -> dict[str, Any]:
        body, wrong = entry.body, entry.error is not None
        severity = AllergySeverity(body["severity"])
        resource: dict[str, Any] = {
            "resourceType": "AllergyIntolerance",
            "id": rid,
            "verificationStatus": coded(
                _VERIFICATION, "entered-in-error" if wrong else "confirmed"
            ),
            "criticality": "high" if severity is AllergySeverity.LIFE_THREATENING else "low",
            "code": text(body["substance"]),
            "patient": self.patient,
            "recordedDate": entry.recorded_at.isoformat(),
            "reaction": [
                {
                    "manifestation": [text(body["reaction"])],
                    "severity": _REACTION_SEVERITY[severity],
                }
            ],
        }
        if not wrong:  # FHIR: no clinical status on an allergy entered in error
            resource["clinicalStatus"] = coded(_CLINICAL_STATUS, "active")
        return resource

    def medication(self, entry: FileEntry, rid: str) -> dict[str, Any]:
        body = entry.body
        resource: dict[str, Any] = {
            "resourceType": "MedicationStatement",
            "id": rid,
            "status": _medication_status(entry),
            "medicationCodeableConcept": text(body["name"]),
            "subject": self.patient,
            "dateAsserted": entry.recorded_at.isoformat(),
            "note": notes(body.get("note")),
        }
        if body.get("dose"):
            resource["dosage"] = [{"text": body["dose"]}]
        period = {"start": body.get("since"), "end": body.get("stopped_on")}
        if any(period.values()):
            resource["effectivePeriod"] = _without_empty(period)
        return resource

    def history(self, entry: FileEntry, rid: str) -> dict[str, Any]:
        body, wrong = entry.body, entry.error is not None
        topic = HistoryTopic(body["topic"])
        if topic in _PROCEDURES:
            resource: dict[str, Any] = {
                "resourceType": "Procedure",
                "id": rid,
                "status": "entered-in-error" if wrong else "completed",
                "code": text(body.get("treatment")),
                "subject": self.patient,
                "note": notes(body["description"], body.get("effect")),
            }
            if body.get("treated_on"):
                resource["performedDateTime"] = body["treated_on"]
            return resource
        if topic in _CONDITIONS:
            condition: dict[str, Any] = {
                "resourceType": "Condition",
                "id": rid,
                "verificationStatus": coded(
                    CONDITION_VERIFICATION, "entered-in-error" if wrong else "confirmed"
                ),
                "code": text(body["description"]),
                "subject": self.patient,
                "recordedDate": entry.recorded_at.isoformat(),
            }
            if not wrong:
                condition["clinicalStatus"] = coded(_CONDITION_CLINICAL, "active")
            return condition
        return {
            "resourceType": "QuestionnaireResponse",
            "id": rid,
            "status": "entered-in-error" if wrong else "completed",
            "subject": self.patient,
            "authored": entry.recorded_at.isoformat(),
            "item": [
                {
                    "linkId": topic.value.lower(),
                    "text": topic.value.replace("_", " ").capitalize(),
                    "answer": [{"valueString": body["description"]}],
                }
            ],
        }

    def pregnancy(self, entry: FileEntry, rid: str) -> list[dict[str, Any]]:
        return [
            {
                "resourceType": "Observation",
                "id": resource_id(code, rid),
                "status": "entered-in-error" if entry.error else "final",
                "code": {"coding": [{"system": LOINC, "code": code, "display": display}]},
                "subject": self.patient,
                "effectiveDateTime": entry.body["stated_on"],
                "issued": entry.recorded_at.isoformat(),
                "valueBoolean": bool(entry.body[field]),
                "note": notes(entry.body.get("note")),
            }
            for code, display, field in _PREGNANCY
        ]

    def entry(self, entry: FileEntry) -> list[dict[str, Any]]:
        rid = resource_id(entry.kind.value, entry.id)
        if entry.kind is EntryKind.ALLERGY:
            return [self.allergy(entry, rid)]
        if entry.kind is EntryKind.MEDICATION:
            return [self.medication(entry, rid)]
        if entry.kind is EntryKind.MEDICAL_HISTORY:
            return [self.history(entry, rid)]
        if entry.kind is EntryKind.PREGNANCY_STATUS:
            return self.pregnancy(entry, rid)
        return []  # the service card


def _medication_status(entry: FileEntry) -> str:
    """FHIR's MedicationStatement status: a medication she has stopped is `completed`."""
    if entry.error:
        return "entered-in-error"
    return "completed" if entry.body.get("stopped_on") else "active"


def _without_empty(resource: dict[str, Any]) -> dict[str, Any]:
    """FHIR forbids empty lists and objects."""
    return {k: v for k, v in resource.items() if v not in ([], {}, None)}


def file_bundle(file: ClientFile) -> dict[str, Any]:
    """The Bundle: the Patient first, then the entries in the order written."""
    mapper = _Mapper(file)
    resources = [mapper.patient_resource()]
    for entry in file.entries:
        if entry.amended_by_id is None:  # a corrected entry is replaced by its correction
            resources += mapper.entry(entry)
    for part in PARTS:
        if part.fhir is not None:
            for record in part.of(file):
                resources += as_amended(record, part.fhir, mapper.subject)
    return {
        "resourceType": "Bundle",
        "id": resource_id("Bundle", f"{file.client_id}@{file.as_of.isoformat()}"),
        "type": "collection",
        "timestamp": file.as_of.isoformat(),
        "entry": [
            {"fullUrl": f"urn:uuid:{r['id']}", "resource": _without_empty(r)} for r in resources
        ],
    }
