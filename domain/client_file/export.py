"""The client's own copy of their file (GDPR art. 15 access, art. 20 portability), as plain data.

`ClientFile` is the whole file as stored at one moment: the identity page and its amendments,
every entry of every part with its corrections and error marks, the consents signed with their
exact text, what the client's photos may be used for (each purpose given and withdrawn), the
photos taken (what each shows and when, not the image), the treatments performed, the
complications the client called in with after them (`reportComplicationCall`) and those she
reported on their follow-up calls (`reportComplication`), the disclosures of the file outside
the clinic (`recordFileDisclosure`: who received which parts, when, how, on which consent), her
complaints with the clinic's answers and their resolution (`recordComplaint`), the
records of her journeys from consultation to follow-up call
(`domain.client_file.journey_records`), her bills (itemised), payments and refunds
(`domain.client_file.money_records`), and the audit trail's accesses to the file ("who saw my
file"). A treatment, a complication reported on a call and a journey's record is as first
written, with its amendments (`amendRecord`: who, why, what it corrected, when) beside it.
`file_document` writes it as the JSON the client receives; `domain.client_file.fhir`
maps the clinical part of it to a FHIR Bundle. The parts that list records (consents, photos,
treatments...) are rows of `PARTS`: a part is its record (`domain.client_file.file_records`), its
row here and the row that reads it (`domain.store.client_file_export.READERS`).

The service card is in the JSON copy: its entries are the client's personal data, and art. 15
gives the client a copy of all of it. It is not in the FHIR Bundle, which is for another
provider (art. 20): the card is the clinic's own service notes, not clinical data, and it never
goes to anyone but the client.

Pure: no I/O; the store reads the rows (`domain.store.client_file_export`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import datetime
from typing import Any, Generic, TypeVar, cast
from zoneinfo import ZoneInfo

from domain.client_file import fhir_complaints, fhir_journey, fhir_money, fhir_parts
from domain.client_file.file_records import (
    ClientFile,
    FileAccess,
    FileEntry,
    IdentityVersion,
    SignedConsent,
)
from domain.client_file.file_records import ErrorMark as ErrorMark  # where callers find them
from domain.client_file.file_records import Treatment as Treatment
from domain.client_file.journey_records import Consultation
from domain.client_file.kinds import EntryKind
from domain.client_file.post_op import MAX_OBSERVATIONS_PER_JOURNEY, MAX_WARD_ROUNDS_PER_JOURNEY
from domain.complaints.rules import MAX_COMPLAINTS_PER_CLIENT
from domain.journey.earlier_treatments import with_answer

R = TypeVar("R")

# What one export holds at most, so that one answer stays bounded. Each text of an entry is
# bounded when written (domain.client_file.checks), so these counts bound the size: a client
# seen weekly for ten years has a few hundred entries. A file beyond them is refused whole
# (never cut silently); the audit trail, which grows with every read, is cut to its newest rows
# and says how many there are in all.
MAX_ENTRIES = 2000
# The ward's records after an operation are bounded on their own (`domain.client_file.post_op`):
# a journey takes 100 observations and 4 rounds, so twenty operations observed to that bound
# filled the entries' 2000 and her copy was refused. Fifty operations, their corrections counted
# as the records they correct, and the rest of the file keeps its own 2000.
MAX_WARD_OPERATIONS = 50
MAX_WARD_RECORDS = MAX_WARD_OPERATIONS * (
    MAX_OBSERVATIONS_PER_JOURNEY + MAX_WARD_ROUNDS_PER_JOURNEY
)
MAX_IDENTITY_VERSIONS = 200
MAX_CONSENTS = 300
# Photo-consent changes: a change is recorded only when it changes what stands, so a client
# gives and withdraws each of the three purposes a few times in a lifetime.
MAX_PHOTO_CONSENT_CHANGES = 2000
# Photos: a surgery's schedule takes four of each area treated, a filler's two, so a client
# treated monthly for ten years has a few hundred.
MAX_PHOTOS = 2000
MAX_TREATMENTS = 500
# Complications the client called in with: a few per treatment at the most. `reportComplication
# Call` takes as many as four for a journey, which has one treatment, so the treatments a copy
# carries bring this many at the most: filing calls can never make her copy refused.
MAX_COMPLICATION_CALLS_PER_JOURNEY = 4
MAX_COMPLICATION_CALLS = MAX_TREATMENTS * MAX_COMPLICATION_CALLS_PER_JOURNEY
# Complications reported on the scheduled follow-up calls: one at most a call (it ends the call),
# and a plan has a few calls, so some four for each of the treatments a copy carries.
MAX_FOLLOW_UP_COMPLICATIONS = 2000
# Amendments of a part's records (`amendRecord`): a journey's records take 100 in all, and a
# year's journey needs a handful, so some four for each of the records a copy carries.
MAX_RECORD_AMENDMENTS = 2000
# Disclosures of the file outside the clinic: each is a supervisor's act on a signed consent, a
# second opinion or an insurer's claim now and then, so a few in a year.
MAX_DISCLOSURES = 500
# Complaints: each client takes as many as her copy carries (`recordComplaint` refuses one more),
# each with its answers and resolution (`MAX_ENTRIES_PER_COMPLAINT`), so they never refuse it.
MAX_COMPLAINTS = MAX_COMPLAINTS_PER_CLIENT
# The records of her journeys: a journey has one consultation, one briefing and review, one start
# of treatment and one handover, so as many as the treatments a copy carries; a plan has a few
# follow-up calls, so some four for each treatment.
MAX_JOURNEY_RECORDS = 500
MAX_FOLLOW_UP_CALLS = 2000
# Money: a journey has a bill (at times made again), and a few payments and refunds against it.
MAX_BILLS = 500
MAX_PAYMENTS = 2000
MAX_REFUNDS = 2000
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
    EntryKind.POST_OP_OBSERVATION: "postOpObservations",
    EntryKind.WARD_ROUND: "wardRounds",
    EntryKind.DATA_CONSENT: "dataConsentGuardians",
}


def _when(at: datetime, zone: ZoneInfo) -> dict[str, str]:
    """UTC for machines, the clinic's 24-hour local time for people (seed 000)."""
    return {"at": at.isoformat(), "atLocal": at.astimezone(zone).strftime("%Y-%m-%d %H:%M")}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


# Fields a part gained after entries of it were written: those entries say them empty, so every
# entry of a part carries the same keys.
_LATER_FIELDS: dict[EntryKind, tuple[str, ...]] = {EntryKind.MEDICATION: ("stopped_on",)}


def _entry(entry: FileEntry, zone: ZoneInfo) -> dict[str, Any]:
    mark = entry.error
    body = dict(entry.body)
    for name in _LATER_FIELDS.get(entry.kind, ()):
        body.setdefault(name, None)
    return {
        "id": entry.id,
        **{_camel(k): _named(v) for k, v in body.items()},
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


def _named(value: Any) -> Any:
    """A value with the keys of its mappings, however deep, camelCase: a correction names the
    fields it corrects as the copy names them on the original (`lot_number` as `lotNumber`)."""
    if isinstance(value, Mapping):
        return {_camel(k): _named(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_named(v) for v in value]
    return value


def _written(record: Any, zone: ZoneInfo) -> dict[str, Any]:
    """A listed record field by field, in the order declared, under camelCase names: its moment
    `at` as `_when` writes it, the keys of a mapping (or of a list of them) camelCase too, and a
    record of its own, or a list of them (a record's amendments, a bill's lines), each written
    so."""
    written: dict[str, Any] = {}
    for field in fields(record):
        value, name = getattr(record, field.name), _camel(field.name)
        if field.name == "at":
            written.update(_when(value, zone))
        elif isinstance(value, (list, tuple)):
            written[name] = [_written(v, zone) if is_dataclass(v) else _named(v) for v in value]
        elif is_dataclass(value):  # a record of the record's (a bill's confirmation)
            written[name] = _written(value, zone)
        else:
            written[name] = _named(value)
    return written


def _consultation(record: Consultation, zone: ZoneInfo) -> dict[str, Any]:
    """A consultation as first written, with her earlier treatments' answer on its needs
    (`noEarlierTreatments`): null on one recorded before it was asked, read as not asked."""
    return _written(replace(record, needs=with_answer(record.needs)), zone)


@dataclass(frozen=True)
class Part(Generic[R]):
    """A part of the copy that lists records: under `name` in the JSON, from the `ClientFile`
    field of that name in snake_case, each record as `write` writes it and, if the part is
    clinical, in the FHIR Bundle as the resource `fhir` maps it to. A file with more than
    `most()` of its records is refused ("the file holds more than 2000 photos")."""

    name: str
    what: str  # what the records are, as the refusal names them
    most: Callable[[], int]  # the bound, read as each copy is made from its constant above
    write: Callable[[R, ZoneInfo], dict[str, Any]] = _written
    fhir: Callable[[R, fhir_parts.Subject], fhir_parts.Resources] | None = None

    @property
    def field(self) -> str:
        return re.sub("[A-Z]", lambda upper: f"_{upper.group().lower()}", self.name)

    def of(self, file: ClientFile) -> Sequence[R]:
        return cast("Sequence[R]", getattr(file, self.field))


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


# The listed parts, in the order the copy (and the Bundle) gives them.
PARTS: tuple[Part[Any], ...] = (
    Part("consents", "consents", lambda: MAX_CONSENTS, _consent, fhir_parts.consent),
    Part("photoConsents", "photo consent changes", lambda: MAX_PHOTO_CONSENT_CHANGES),
    Part("photos", "photos", lambda: MAX_PHOTOS),
    Part("treatments", "treatments", lambda: MAX_TREATMENTS, fhir=fhir_parts.treatment),
    Part(
        "complicationCalls",
        "complication calls",
        lambda: MAX_COMPLICATION_CALLS,
        fhir=fhir_parts.complication_call,
    ),
    Part(
        "followUpComplications",
        "complications reported on follow-up calls",
        lambda: MAX_FOLLOW_UP_COMPLICATIONS,
        fhir=fhir_parts.follow_up_complication,
    ),
    # JSON only: a disclosure is the clinic's record of whom it gave her file to (art. 15(1)(c)),
    # not clinical data another provider continues her care with; FHIR would make it an
    # AuditEvent of this clinic's, which the Bundle for another provider does not carry (as it
    # does not carry `whoSawMyFile`).
    Part("disclosures", "disclosures", lambda: MAX_DISCLOSURES),
    # Her complaints go to the Bundle too: what she complained of (a result, a complication)
    # and what the clinic answered tell the provider who continues her care how it went, as
    # Communications and the Task of their handling (`domain.client_file.fhir_complaints`).
    Part("complaints", "complaints", lambda: MAX_COMPLAINTS, fhir=fhir_complaints.complaint),
    Part(
        "consultations",
        "consultations",
        lambda: MAX_JOURNEY_RECORDS,
        _consultation,
        fhir_journey.consultation,
    ),
    Part(
        "expertBriefings",
        "briefings for the expert",
        lambda: MAX_JOURNEY_RECORDS,
        fhir=fhir_journey.expert_briefing,
    ),
    Part(
        "expertReviews",
        "expert reviews",
        lambda: MAX_JOURNEY_RECORDS,
        fhir=fhir_journey.expert_review,
    ),
    Part(
        "preTreatmentChecks",
        "checks before treatment",
        lambda: MAX_JOURNEY_RECORDS,
        fhir=fhir_journey.pre_treatment_check,
    ),
    Part("handovers", "handovers", lambda: MAX_JOURNEY_RECORDS, fhir=fhir_journey.handover),
    Part(
        "followUpCalls",
        "follow-up calls",
        lambda: MAX_FOLLOW_UP_CALLS,
        fhir=fhir_journey.follow_up_call,
    ),
    Part("bills", "bills", lambda: MAX_BILLS, fhir=fhir_money.bill),
    Part("payments", "payments", lambda: MAX_PAYMENTS, fhir=fhir_money.payment),
    Part("refunds", "refunds", lambda: MAX_REFUNDS, fhir=fhir_money.refund),
)


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
        **{part.name: [part.write(r, zone) for r in part.of(file)] for part in PARTS},
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
