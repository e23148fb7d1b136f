"""The FHIR resources of the copy's listed parts (`domain.client_file.export.PARTS`), and what
every resource of the Bundle is built with (`domain.client_file.fhir` maps the entries).

A signed consent is a Consent; a treatment performed here a Procedure, which names as its
`complicationDetail` each complication reported after it, and as its performers the doctor who
led it and the performer its record names, then the assistant and the nurse its start named (a
complex procedure's team), each with their function; a complication the client called in with,
or reported on a follow-up call, a Condition the client asserted, unconfirmed (no doctor has
judged it).

A record corrected with `amendRecord` (a treatment, a complication reported on a call) is its
resource as amended, followed by a Provenance of each amendment (`provenance`): FHIR keeps a
resource as it now stands and says by Provenance who changed it, when and why. So the provider
receiving the Bundle reads the corrected lot or note as the resource's own, and the original
stays readable beside it, as the clinical record rule wants (the JSON copy gives the record as
first written with its amendments listed).
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.client_file.amended import Revision, revised
from domain.client_file.file_records import (
    ClientFile,
    ComplicationCall,
    FollowUpComplication,
    SignedConsent,
    Treatment,
)
from domain.client_file.journey_records import StaffNamed
from domain.roles import Role
from domain.staff_ids import account_named

_IDS = uuid.UUID("5d0f3c1a-7b2e-4f86-9a0d-2c64e1b7f3a9")
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
LOINC = "http://loinc.org"
_DATA_OPERATION = "http://terminology.hl7.org/CodeSystem/v3-DataOperation"
_CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
# Consent scope: what the signed text allows (FHIR's consent scope codes).
_SCOPES = {
    "PROCEDURE": "treatment",
    "ANESTHESIA": "treatment",
    "PHOTO": "patient-privacy",
    "DATA_PROCESSING": "patient-privacy",
    "DATA_SHARING": "patient-privacy",
}


def resource_id(kind: str, stored_id: str) -> str:
    return str(uuid.uuid5(_IDS, f"{kind}:{stored_id}"))


def coded(system: str, code: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code}]}


def text(value: str | None) -> dict[str, Any]:
    return {"text": value or "(not stated)"}


def notes(*texts: str | None) -> list[dict[str, str]]:
    return [{"text": t} for t in texts if t]


@dataclass(frozen=True)
class Subject:
    """The file a resource is of, and the reference to its Patient."""

    file: ClientFile
    patient: dict[str, str]

    @classmethod
    def of(cls, file: ClientFile) -> Subject:
        return cls(file, {"reference": f"urn:uuid:{resource_id('Patient', file.client_id)}"})


def consent(consent: SignedConsent, subject: Subject) -> dict[str, Any]:
    signed = "\n\n".join(f"{k}: {v}" for k, v in consent.text.items() if v)
    performer = consent.guardian_name if consent.capacity == "GUARDIAN" else None
    return {
        "resourceType": "Consent",
        "id": resource_id("Consent", consent.id),
        "status": "inactive" if consent.withdrawn_at else "active",
        "scope": coded(_CONSENT_SCOPE, _SCOPES.get(consent.kind, "treatment")),
        "category": [{"coding": [{"system": LOINC, "code": "59284-0"}], "text": consent.kind}],
        "patient": subject.patient,
        "dateTime": consent.signed_at.isoformat(),
        "performer": [{"display": performer or consent.signer_name}],
        "policyRule": {"text": f"{consent.template_key} version {consent.version}"},
        "sourceAttachment": {
            "contentType": "text/plain; charset=utf-8",
            "language": consent.language,
            "title": f"{consent.template_key} v{consent.version} sha256:{consent.content_hash}",
            "data": base64.b64encode(signed.encode()).decode(),
        },
    }


def treatment(treatment: Treatment, subject: Subject) -> dict[str, Any]:
    used = [
        f"{p.get('name')} lot {p.get('lot_number')} dose {p.get('dose')}"
        for p in treatment.products
    ]
    file, journey = subject.file, treatment.journey_id
    complications = [
        {"reference": f"urn:uuid:{resource_id(kind, record.id)}"}
        for kind, records in (
            ("ComplicationCall", file.complication_calls),
            ("FollowUpComplication", file.follow_up_complications),
        )
        for record in records
        if record.journey_id == journey
    ]
    return {
        "resourceType": "Procedure",
        "id": resource_id("Treatment", treatment.id),
        "status": "completed",
        "code": text(treatment.procedure),
        "subject": subject.patient,
        "performedDateTime": treatment.at.isoformat(),
        "performer": _performers(treatment, file),
        "note": notes(treatment.notes, *used),
        "complicationDetail": complications,
    }


def _performers(treatment: Treatment, file: ClientFile) -> list[dict[str, Any]]:
    """Who performed the treatment, first, with no function (a Procedure's performer as such;
    the Bundle's other resources name their staff so too): the doctor who started it with its
    team (a complex procedure's start is a senior doctor's, who leads it, seed 004 三.4), then the
    performer its record names (as amended) when another. Then the team the start named, the
    assistant and the nurse, each with their function: listed alone, the assistant was read as
    the doctor who performed it. Each by account id, and by the name the start kept, where known."""
    journey = treatment.journey_id
    # A journey's treatment starts once.
    start = next((s for s in file.pre_treatment_checks if s.journey_id == journey), None)
    members = (("assistant", start.assistant), ("nurse", start.nurse)) if start else ()
    team = [(function, member) for function, member in members if member is not None]
    named = {member.id: member.name for _, member in team}
    led = start.by if start and team and start.author_role == Role.EXPERT.value else None
    performer = account_named(treatment.performer_id)
    leads = [led] if led else []
    # One of the team listed after the doctor who led keeps their function alone.
    if performer and performer not in leads and not (led and performer in named):
        leads.append(performer)
    return [
        *({"actor": _actor(StaffNamed(account, named.get(account)))} for account in leads),
        *({"function": text(function), "actor": _actor(member)} for function, member in team),
    ]


def _actor(member: StaffNamed) -> dict[str, Any]:
    return {"identifier": {"value": member.id}, "display": member.name or member.id}


def _asserted_by_the_client(
    kind: str, record_id: str, note: str, at: datetime, subject: Subject, how: str
) -> dict[str, Any]:
    """A complication as the client told it: a Condition she asserted, unconfirmed (no doctor
    has examined it yet when it is recorded)."""
    return {
        "resourceType": "Condition",
        "id": resource_id(kind, record_id),
        "verificationStatus": coded(CONDITION_VERIFICATION, "unconfirmed"),
        "code": text(note),
        "subject": subject.patient,
        "recordedDate": at.isoformat(),
        "asserter": subject.patient,
        "note": notes(how),
    }


def complication_call(call: ComplicationCall, subject: Subject) -> dict[str, Any]:
    how = "reported by the client after the treatment, outside the follow-up calls"
    return _asserted_by_the_client("ComplicationCall", call.id, call.note, call.at, subject, how)


def follow_up_complication(complication: FollowUpComplication, subject: Subject) -> dict[str, Any]:
    how = (
        f"reported by the client on the follow-up call {complication.follow_up_id} after the "
        "treatment, and escalated to the treating doctor"
    )
    return _asserted_by_the_client(
        "FollowUpComplication", complication.id, complication.note, complication.at, subject, how
    )


def provenance(revision: Revision, *target_ids: str) -> dict[str, Any]:
    """An amendment of the resources `target_ids` (a record's, one or more): who made it, when,
    why; its one entity (role `revision`, FHIR's "a newer version of the entity") names, in
    words, the values it replaced as they were and the correction as it was recorded."""
    amendment = revision.amendment
    said = json.dumps(
        {"before": revision.before, "correction": amendment.correction}, ensure_ascii=False
    )
    return {
        "resourceType": "Provenance",
        "id": resource_id("Amendment", amendment.id),
        "target": [{"reference": f"urn:uuid:{target}"} for target in target_ids],
        "recorded": amendment.at.isoformat(),
        "activity": coded(_DATA_OPERATION, "UPDATE"),
        "reason": [text(amendment.reason)],
        "agent": [{"who": {"display": amendment.by}}],
        "entity": [{"role": "revision", "what": {"display": f"amended: {said}"}}],
    }


Resources = dict[str, Any] | list[dict[str, Any]]


def as_amended(
    record: Any, resources_of: Callable[[Any, Subject], Resources], subject: Subject
) -> list[dict[str, Any]]:
    """The record's resources as its amendments left it (a record is one resource, or a few:
    a consultation is its impression and the plans it proposed), then a Provenance of each
    amendment, naming them all."""
    amended, revisions = revised(record)
    made = resources_of(amended, subject)
    resources = made if isinstance(made, list) else [made]
    targets = [resource["id"] for resource in resources]
    return [*resources, *(provenance(revision, *targets) for revision in revisions)]
