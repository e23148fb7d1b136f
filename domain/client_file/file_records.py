"""What the client's copy of their file is made of: each record as the store reads it.

A record of a listed part (`domain.client_file.export.PARTS`) is written to the copy field by
field, in the order declared here, under its camelCase name (a signed consent alone is written
its own way); so records name alike what they share: their moment `at` and, where staff wrote
them, who did (`by`, `author_role`). A record kept in a journey (a treatment, a complication
reported on a call) carries its `amendments`: corrections point at the original, which stays as
written (seed 000: "no edits: a correction is an amendment").
Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar
from zoneinfo import ZoneInfo

from domain.client_file.kinds import EntryKind

if TYPE_CHECKING:  # the journeys' records are made of `RecordAmendment`, below
    from domain.client_file.journey_records import (
        Consultation,
        ExpertBriefing,
        ExpertReview,
        FollowUpCall,
        Handover,
        PreTreatmentCheck,
    )
    from domain.client_file.money_records import Bill, Payment, Refund


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
    journey_id: str | None  # None: signed for the client, in no journey
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
    by: str  # who recorded it
    author_role: str
    at: datetime


@dataclass(frozen=True)
class PhotoTaken:
    """A photo of the client as `uploadPhoto` recorded it; its image is not in the copy."""

    id: str
    journey_id: str
    stage: str
    body_area: str
    sha256: str  # of the stored image: what names the image the client receives apart
    by: str  # who took it
    author_role: str
    at: datetime  # when it was uploaded: the moment the file keeps for the photo


@dataclass(frozen=True)
class RecordAmendment:
    """A correction of a journey's record (`amendRecord`): who made it, why, the corrected
    fields as recorded (under the names the record keeps them by), and when."""

    id: str
    by: str
    reason: str
    correction: Mapping[str, Any]
    at: datetime


@dataclass(frozen=True)
class Treatment:
    """A treatment performed in a journey (the record `completeTreatment` attached), as first
    written, with its amendments oldest first."""

    # The fields a correction may name (the record's own, from its body), for the record as
    # amended (`domain.client_file.amended`).
    CORRECTABLE: ClassVar[tuple[str, ...]] = ("procedure", "products", "notes", "performer_id")

    id: str
    journey_id: str
    procedure: str
    products: Sequence[Mapping[str, Any]]
    notes: str | None
    performer_id: str | None
    amendments: Sequence[RecordAmendment] = field(default=(), kw_only=True)
    at: datetime


@dataclass(frozen=True)
class ComplicationCall:
    """A complication the client called in with after a treatment, as `reportComplicationCall`
    took it down, and the recheck journey that serves it."""

    id: str
    journey_id: str  # the treated journey it follows
    note: str  # what the client reported, as taken down
    recheck_journey_id: str
    by: str  # who took the call
    author_role: str
    at: datetime


@dataclass(frozen=True)
class FollowUpComplication:
    """A complication the client reported on one of the treatment's scheduled follow-up calls,
    as `reportComplication` recorded that call's outcome (COMPLICATION): escalated to the
    treating doctor, with a recheck journey to serve it. As first written, with its amendments
    oldest first."""

    CORRECTABLE: ClassVar[tuple[str, ...]] = ("follow_up_id", "note")

    id: str
    journey_id: str  # the treated journey whose call it was
    follow_up_id: str  # the call it came up on (fu-1, fu-2...)
    note: str  # what the client reported, as taken down
    by: str  # who made the call
    author_role: str
    amendments: Sequence[RecordAmendment] = field(default=(), kw_only=True)
    at: datetime


@dataclass(frozen=True)
class Disclosure:
    """Parts of the file given to someone outside the clinic, as `recordFileDisclosure` recorded
    it: who received them, why, which parts, by which channel, on which signed DATA_SHARING
    consent, the clinic's records custodian then, and who recorded it (art. 15(1)(c): the
    recipients to whom her data were disclosed)."""

    id: str
    recipient_name: str
    recipient_organisation: str | None
    purpose: str
    parts: Sequence[str]  # `domain.client_file.disclosure.DisclosedPart` values
    channel: str  # a `DisclosureChannel` value
    consent_id: str  # the signature of the consent it stood on
    custodian_id: str | None  # none named then: None
    by: str  # who recorded it
    author_role: str
    at: datetime


@dataclass(frozen=True)
class ComplaintAnswer:
    """An answer to a complaint, or its resolution (`kind`), as a supervisor recorded it."""

    id: str
    kind: str  # a `domain.complaints.rules.ComplaintEntryKind` value
    outcome: str | None  # the resolution's `ComplaintOutcome` value; an answer has none
    note: str
    by: str
    author_role: str
    at: datetime


@dataclass(frozen=True)
class Complaint:
    """A complaint of hers, as `recordComplaint` took it, with the clinic's answers and its
    resolution oldest first (`respondToComplaint`, `resolveComplaint`)."""

    id: str
    journey_id: str | None
    channel: str  # a `ComplaintChannel` value
    category: str | None  # a `ComplaintCategory` value
    description: str
    received_at: str  # ISO 8601, UTC
    first_answer_due_at: str  # ISO 8601, UTC
    by: str  # who took it
    author_role: str
    answers: Sequence[ComplaintAnswer] = field(default=(), kw_only=True)
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
    follow_up_complications: Sequence[FollowUpComplication] = ()  # oldest first
    disclosures: Sequence[Disclosure] = ()  # oldest first
    complaints: Sequence[Complaint] = ()  # oldest first
    # The records of her journeys (`domain.client_file.journey_records`), each oldest first.
    consultations: Sequence[Consultation] = ()
    expert_briefings: Sequence[ExpertBriefing] = ()
    expert_reviews: Sequence[ExpertReview] = ()
    pre_treatment_checks: Sequence[PreTreatmentCheck] = ()
    handovers: Sequence[Handover] = ()
    follow_up_calls: Sequence[FollowUpCall] = ()
    # Her bills, payments and refunds (`domain.client_file.money_records`), each oldest first.
    bills: Sequence[Bill] = ()
    payments: Sequence[Payment] = ()
    refunds: Sequence[Refund] = ()
    accesses: Sequence[FileAccess] = ()  # newest first
    accesses_total: int = 0

    def part(self, kind: EntryKind) -> list[FileEntry]:
        return [entry for entry in self.entries if entry.kind is kind]
