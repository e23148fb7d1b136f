"""The client's own copy of their file (GDPR art. 15 access, art. 20 portability), as plain data.

`ClientFile` is the whole file as stored at one moment: the identity page and its amendments,
every entry of every part with its corrections and error marks, the consents signed with their
exact text, what the client's photos may be used for (each purpose given and withdrawn), the
photos taken (what each shows and when, not the image), the treatments performed, the
complications the client called in with after them (`reportComplicationCall`), and the
audit trail's accesses to the file ("who saw my file").
`file_document` writes it as the JSON the client receives; `domain.client_file.fhir`
maps the clinical part of it to a FHIR Bundle.

The service card is in the JSON copy: its entries are the client's personal data, and art. 15
gives the client a copy of all of it. It is not in the FHIR Bundle, which is for another
provider (art. 20): the card is the clinic's own service notes, not clinical data, and it never
goes to anyone but the client.

Pure: no I/O; the store reads the rows (`domain.store.client_file_export`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from domain.client_file.kinds import EntryKind

# What one export holds at most, so that one answer stays bounded. Each text of an entry is
# bounded when written (domain.client_file.checks), so these counts bound the size: a client
# seen weekly for ten years has a few hundred entries. A file beyond them is refused whole
# (never cut silently); the audit trail, which grows with every read, is cut to its newest rows
# and says how many there are in all.
MAX_ENTRIES = 2000
MAX_IDENTITY_VERSIONS = 200
MAX_CONSENTS = 300
# Photo-consent changes: a change is recorded only when it changes what stands, so a client
# gives and withdraws each of the three purposes a few times in a lifetime.
MAX_PHOTO_CONSENT_CHANGES = 2000
# Photos: a surgery's schedule takes four of each area treated, a filler's two, so a client
# treated monthly for ten years has a few hundred.
MAX_PHOTOS = 2000
MAX_TREATMENTS = 500
# Complications the client called in with: a few per treatment at the most, so as many as four
# for each of the treatments a copy carries.
MAX_COMPLICATION_CALLS = 2000
MAX_ACCESSES = 5000
# And the answer as a whole: entries are small, but consent texts (up to 20 000 characters a
# section) could add up; a copy past this is refused too, whole.
MAX_EXPORT_BYTES = 16 * 1024 * 1024

FORMAT = "glowpath.client-file/1"

# The parts in the copy, by the names the API gives them on `Client`.
PART_NAMES: dict[EntryKind, str] = {
    EntryKind.MEDICAL_HISTORY: "medicalHistory",
    EntryKind.ALLERGY: "allergies",
    EntryKind.MEDICATION: "medications",
    EntryKind.PREGNANCY_STATUS: "pregnancyStatements",
    EntryKind.SERVICE_CARD: "serviceCard",
}


@dataclass(frozen=True)
class ErrorMark:
    reason: str
    author_id: str
    author_role: str
    at: datetime


@dataclass(frozen=True)
class FileEntry:
    """One entry as stored, with what later rows say of it."""

    id: str
    kind: EntryKind
    body: Mapping[str, Any]
    author_id: str
    author_role: str
    recorded_at: datetime
    amends_id: str | None = None
    reason: str | None = None
    amended_by_id: str | None = None
    error: ErrorMark | None = None

    @property
    def in_force(self) -> bool:
        """Neither corrected by a later entry nor marked entered in error."""
        return self.amended_by_id is None and self.error is None


@dataclass(frozen=True)
class IdentityVersion:
    """The identity page as registered (no reason) or as one amendment left it."""

    full_name: str
    phone: str | None
    email: str | None
    author_id: str
    at: datetime
    reason: str | None = None


@dataclass(frozen=True)
class SignedConsent:
    id: str
    journey_id: str
    kind: str
    template_key: str
    procedure_type: str
    version: int
    content_hash: str
    language: str
    text: Mapping[str, str]  # the sections exactly as signed, in the language signed
    signer_name: str
    capacity: str
    guardian_name: str | None
    guardian_relation: str | None
    witness_id: str
    witness_role: str
    signature_format: str | None
    signed_at: datetime
    withdrawn_at: datetime | None = None


@dataclass(frozen=True)
class PhotoConsentChange:
    """A purpose the client's photos may be used for, given or withdrawn (by `setPhotoConsent`,
    or by a PHOTO consent signed or withdrawn: `signature_id` when signed on a template)."""

    id: str
    purpose: str
    given: bool
    signature_id: str | None
    recorded_by: str
    recorded_by_role: str
    at: datetime


@dataclass(frozen=True)
class PhotoTaken:
    """A photo of the client as `uploadPhoto` recorded it; its image is not in the copy."""

    id: str
    journey_id: str
    stage: str
    body_area: str
    sha256: str  # of the stored image: what names the image the client receives apart
    taken_by: str
    taken_by_role: str
    at: datetime  # when it was uploaded: the moment the file keeps for the photo


@dataclass(frozen=True)
class Treatment:
    """A treatment performed in a journey (the record `completeTreatment` attached)."""

    id: str
    journey_id: str
    procedure: str
    products: Sequence[Mapping[str, Any]]
    notes: str | None
    performer_id: str | None
    at: datetime


@dataclass(frozen=True)
class ComplicationCall:
    """A complication the client called in with after a treatment, as `reportComplicationCall`
    took it down, and the recheck journey that serves it."""

    id: str
    journey_id: str  # the treated journey it follows
    note: str  # what the client reported, as taken down
    recheck_journey_id: str
    reported_by: str
    reported_by_role: str
    at: datetime


@dataclass(frozen=True)
class FileAccess:
    """One entry of the audit trail about this client: who read or changed what, when."""

    seq: int
    at: datetime
    actor_id: str
    actor_role: str
    actor_name: str | None
    action: str

    @property
    def read(self) -> bool:
        # A change is noted under its mutation's name (`recordAllergy`); every kind of read is a
        # dotted code, not all of them ending in ".read" (`client.photo.view`, a photo's link).
        return "." in self.action


@dataclass(frozen=True)
class ClientFile:
    client_id: str
    clinic_name: str
    zone: ZoneInfo
    birth_date: date
    data_consent_at: datetime
    as_of: datetime
    identity: Sequence[IdentityVersion]  # registered first, then each amendment in order
    entries: Sequence[FileEntry] = ()
    consents: Sequence[SignedConsent] = ()
    photo_consents: Sequence[PhotoConsentChange] = ()  # oldest first
    photos: Sequence[PhotoTaken] = ()  # oldest first
    treatments: Sequence[Treatment] = ()
    complication_calls: Sequence[ComplicationCall] = ()  # oldest first
    accesses: Sequence[FileAccess] = ()  # newest first
    accesses_total: int = 0

    def part(self, kind: EntryKind) -> list[FileEntry]:
        return [entry for entry in self.entries if entry.kind is kind]


def _when(at: datetime, zone: ZoneInfo) -> dict[str, str]:
    """UTC for machines, the clinic's 24-hour local time for people (seed 000)."""
    return {"at": at.isoformat(), "atLocal": at.astimezone(zone).strftime("%Y-%m-%d %H:%M")}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _entry(entry: FileEntry, zone: ZoneInfo) -> dict[str, Any]:
    mark = entry.error
    return {
        "id": entry.id,
        **{_camel(k): v for k, v in entry.body.items()},
        "recorded": {**_when(entry.recorded_at, zone), "by": entry.author_id},
        "authorRole": entry.author_role,
        "amendsId": entry.amends_id,
        "reason": entry.reason,
        "amendedById": entry.amended_by_id,
        "inForce": entry.in_force,
        "enteredInError": None
        if mark is None
        else {
            "reason": mark.reason,
            "by": mark.author_id,
            "authorRole": mark.author_role,
            **_when(mark.at, zone),
        },
    }


def _identity(version: IdentityVersion, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "fullName": version.full_name,
        "phone": version.phone,
        "email": version.email,
        "reason": version.reason,
        "by": version.author_id,
        **_when(version.at, zone),
    }


def _consent(consent: SignedConsent, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "id": consent.id,
        "journeyId": consent.journey_id,
        "kind": consent.kind,
        "template": {
            "key": consent.template_key,
            "procedureType": consent.procedure_type,
            "version": consent.version,
            "sha256": consent.content_hash,
        },
        "language": consent.language,
        "text": {_camel(k): v for k, v in consent.text.items()},
        "signerName": consent.signer_name,
        "capacity": consent.capacity,
        "guardianName": consent.guardian_name,
        "guardianRelation": consent.guardian_relation,
        "witness": {"id": consent.witness_id, "role": consent.witness_role},
        "signatureFormat": consent.signature_format,
        "signed": _when(consent.signed_at, zone),
        "withdrawn": None if consent.withdrawn_at is None else _when(consent.withdrawn_at, zone),
    }


def _photo_consent(change: PhotoConsentChange, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "id": change.id,
        "purpose": change.purpose,
        "given": change.given,
        "signatureId": change.signature_id,
        "by": change.recorded_by,
        "authorRole": change.recorded_by_role,
        **_when(change.at, zone),
    }


def _photo(photo: PhotoTaken, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "id": photo.id,
        "journeyId": photo.journey_id,
        "stage": photo.stage,
        "bodyArea": photo.body_area,
        "sha256": photo.sha256,
        "by": photo.taken_by,
        "authorRole": photo.taken_by_role,
        **_when(photo.at, zone),
    }


def _treatment(treatment: Treatment, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "id": treatment.id,
        "journeyId": treatment.journey_id,
        "procedure": treatment.procedure,
        "products": [{_camel(k): v for k, v in p.items()} for p in treatment.products],
        "notes": treatment.notes,
        "performerId": treatment.performer_id,
        **_when(treatment.at, zone),
    }


def _complication_call(call: ComplicationCall, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "id": call.id,
        "journeyId": call.journey_id,
        "note": call.note,
        "recheckJourneyId": call.recheck_journey_id,
        "by": call.reported_by,
        "authorRole": call.reported_by_role,
        **_when(call.at, zone),
    }


def _access(access: FileAccess, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "seq": access.seq,
        "kind": "READ" if access.read else "CHANGE",
        "action": access.action,
        "actorId": access.actor_id,
        "actorName": access.actor_name,
        "actorRole": access.actor_role,
        **_when(access.at, zone),
    }


def file_document(file: ClientFile) -> dict[str, Any]:
    """The JSON copy: everything, amended and erroneous entries included, oldest first."""
    zone = file.zone
    registered, *amendments = file.identity
    current = file.identity[-1]
    return {
        "format": FORMAT,
        "clientId": file.client_id,
        "clinic": file.clinic_name,
        "asOf": _when(file.as_of, zone),
        "identity": {
            "fullName": current.full_name,
            "birthDate": file.birth_date.isoformat(),
            "phone": current.phone,
            "email": current.email,
            "dataConsent": _when(file.data_consent_at, zone),
            "registered": _identity(registered, zone),
            "amendments": [_identity(a, zone) for a in amendments],
        },
        **{PART_NAMES[kind]: [_entry(e, zone) for e in file.part(kind)] for kind in EntryKind},
        "consents": [_consent(c, zone) for c in file.consents],
        "photoConsents": [_photo_consent(c, zone) for c in file.photo_consents],
        "photos": [_photo(p, zone) for p in file.photos],
        "treatments": [_treatment(t, zone) for t in file.treatments],
        "complicationCalls": [_complication_call(c, zone) for c in file.complication_calls],
        "whoSawMyFile": {
            "total": file.accesses_total,
            "included": len(file.accesses),
            "reads": sum(1 for a in file.accesses if a.read),
            "entries": [_access(a, zone) for a in file.accesses],
        },
    }


def export_bytes(*parts: Mapping[str, Any]) -> int:
    """How many bytes the parts take as compact UTF-8 JSON (the answer's size, near enough)."""
    return sum(
        len(json.dumps(part, ensure_ascii=False, separators=(",", ":")).encode()) for part in parts
    )
