"""Reading one client's whole file as it stood at a moment, for the client's own copy.

Everything in the file is append-only, so the file "as of" a moment is the rows written up to
it: a retried export (same idempotency key) rebuilds the very copy its first attempt gave. The
audit trail is cut at a seq of the clinic's chain rather than a time, since seqs only grow.
Each part is read with a bound one past its limit: a file beyond a limit is refused, not cut.
`TooLarge` says which (`domain.store.client_file_parts`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from domain.client_file import export as x
from domain.client_file import file_records as records
from domain.client_file import journey_records as steps
from domain.client_file.kinds import EntryKind
from domain.store import client_file_journeys as journeys
from domain.store import client_file_money as money
from domain.store.aftercare import ComplicationReport
from domain.store.audit_models import AuditChainHead, AuditEntry
from domain.store.client_file import ClientEntry, ClientEntryError, ClientIdentityAmendment
from domain.store.client_file_complaints import complaints
from domain.store.client_file_parts import ByClient, PartTooLarge, Reading, TooLarge, whole
from domain.store.consents import ConsentSignature, ConsentTemplateVersion, ConsentWithdrawal
from domain.store.disclosures import FileDisclosure
from domain.store.models import Client, Clinic
from domain.store.photos import Photo, PhotoConsentChange
from domain.store.staff_names import names_through_time


async def audit_head(clinic_id: str) -> int:
    """The clinic chain's last seq: the export's cut of the audit trail."""
    head = await AuditChainHead.get_or_none(clinic_id=clinic_id)
    return int(head.seq) if head else 0


# The ward's records after an operation are read within their own bound, the other entries
# within theirs (`x.MAX_WARD_RECORDS`, `x.MAX_ENTRIES`).
WARD_KINDS = [kind.value for kind in EntryKind if kind.post_op]
OTHER_KINDS = [kind.value for kind in EntryKind if not kind.post_op]


async def _entries(client_id: str, as_of: datetime) -> list[x.FileEntry]:
    theirs = ClientEntry.filter(client_id=client_id, recorded_at__lte=as_of)
    others = theirs.filter(kind__in=OTHER_KINDS).order_by("recorded_at", "id")
    ward = theirs.filter(kind__in=WARD_KINDS).order_by("recorded_at", "id")
    parts = [
        await whole(others, x.MAX_ENTRIES, "entries"),
        await whole(ward, x.MAX_WARD_RECORDS, "ward records after an operation"),
    ]
    rows = sorted((row for part in parts for row in part), key=lambda r: (r.recorded_at, r.id))
    corrected = {row.amends_id: row.id for row in rows if row.amends_id}
    marks = {
        mark.entry_id: x.ErrorMark(mark.reason, mark.author_id, mark.author_role, mark.marked_at)
        for part in parts
        for mark in await ClientEntryError.filter(
            entry_id__in=[row.id for row in part], marked_at__lte=as_of
        )
    }
    return [
        x.FileEntry(
            id=row.id,
            kind=EntryKind(row.kind),
            body=row.body,
            author_id=row.author_id,
            author_role=row.author_role,
            recorded_at=row.recorded_at,
            amends_id=row.amends_id,
            reason=row.reason,
            amended_by_id=corrected.get(row.id),
            error=marks.get(row.id),
        )
        for row in rows
    ]


async def _identity(client: Client, as_of: datetime) -> list[x.IdentityVersion]:
    rows = await whole(
        ClientIdentityAmendment.filter(client_id=client.id, amended_at__lte=as_of).order_by(
            "amended_at", "id"
        ),
        x.MAX_IDENTITY_VERSIONS,
        "identity amendments",
    )
    registered = x.IdentityVersion(
        client.full_name, client.phone, client.email, client.registered_by, client.created_at
    )
    return [
        registered,
        *(
            x.IdentityVersion(r.full_name, r.phone, r.email, r.author_id, r.amended_at, r.reason)
            for r in rows
        ),
    ]


async def _consents(reading: Reading, part: x.Part[Any]) -> list[x.SignedConsent]:
    rows = await reading.rows(ConsentSignature, "signed_at", part)
    ids = [row.id for row in rows]
    withdrawn = {
        w.signature_id: w.withdrawn_at
        for w in await ConsentWithdrawal.filter(
            signature_id__in=ids, withdrawn_at__lte=reading.as_of
        )
    }
    versions = {
        v.id: v
        for v in await ConsentTemplateVersion.filter(
            id__in={row.template_version_id for row in rows}
        )
    }
    signed = []
    for row in rows:
        version = versions[row.template_version_id]
        signed.append(
            x.SignedConsent(
                id=row.id,
                journey_id=row.journey_id,
                kind=row.kind,
                template_key=version.template_key,
                procedure_type=version.procedure_type,
                version=version.version,
                content_hash=row.content_hash,
                language=row.language,
                text=version.texts.get(row.language, {}),
                signer_name=row.signer_name,
                capacity=row.capacity,
                guardian_name=row.guardian_name,
                guardian_relation=row.guardian_relation,
                witness_id=row.witness_id,
                witness_role=row.witness_role,
                signature_format=row.signature_format,
                signed_at=row.signed_at,
                withdrawn_at=withdrawn.get(row.id),
            )
        )
    return signed


Reader = Callable[[Reading, x.Part[Any]], Awaitable[list[Any]]]
# How each part of `x.PARTS` is read, by its name.
READERS: dict[str, Reader] = {
    "consents": _consents,
    "photoConsents": ByClient(
        records.PhotoConsentChange,
        PhotoConsentChange,
        "recorded_at",
        "recorded_by",
        "recorded_by_role",
    ),
    "photos": ByClient(records.PhotoTaken, Photo, "uploaded_at", "taken_by", "taken_by_role"),
    "treatments": journeys.JourneyRecords("treatment", journeys.treatment),
    "complicationCalls": ByClient(
        records.ComplicationCall,
        ComplicationReport,
        "reported_at",
        "reported_by",
        "reported_by_role",
    ),
    "followUpComplications": journeys.JourneyRecords(
        "complication", journeys.follow_up_complication
    ),
    "disclosures": ByClient(
        records.Disclosure,
        FileDisclosure,
        "recorded_at",
        "recorded_by",
        "recorded_by_role",
        {"consent_id": "consent_signature_id"},
    ),
    "complaints": complaints,
    "consultations": journeys.kept(steps.Consultation),
    "expertBriefings": journeys.kept(steps.ExpertBriefing),
    "expertReviews": journeys.kept(steps.ExpertReview),
    "preTreatmentChecks": journeys.kept(steps.PreTreatmentCheck),
    "handovers": journeys.kept(steps.Handover),
    "followUpCalls": journeys.kept(steps.FollowUpCall),
    "bills": money.bills,
    "payments": money.payments,
    "refunds": money.refunds,
}


async def _accesses(client: Client, upto_seq: int) -> tuple[list[x.FileAccess], int]:
    """The newest accesses up to the cut (at most MAX_ACCESSES), and how many there are."""
    trail = AuditEntry.filter(clinic_id=client.clinic_id, client_id=client.id, seq__lte=upto_seq)
    total = await trail.count()
    rows = await trail.order_by("-seq").limit(x.MAX_ACCESSES)
    # Each reader named as they were named when they read: a copy made again is the same copy.
    names = await names_through_time({r.actor_id for r in rows})
    accesses = [
        x.FileAccess(
            r.seq,
            r.at,
            r.actor_id,
            r.actor_role,
            names.at(r.actor_id, r.clinic_id, r.seq, r.at),
            r.action,
        )
        for r in rows
    ]
    return accesses, total


async def read_file(client: Client, as_of: datetime, upto_seq: int) -> x.ClientFile | TooLarge:
    """The file as it stood at `as_of`, with the audit trail up to `upto_seq`."""
    try:
        identity = await _identity(client, as_of)
        entries = await _entries(client.id, as_of)
        reading = Reading(client, as_of)
        listed = {part.field: await READERS[part.name](reading, part) for part in x.PARTS}
    except PartTooLarge as over:
        return over.too_large
    accesses, total = await _accesses(client, upto_seq)
    clinic = await Clinic.get(id=client.clinic_id)
    return x.ClientFile(
        client_id=client.id,
        clinic_name=clinic.name,
        zone=ZoneInfo(clinic.timezone),
        birth_date=client.birth_date,
        data_consent_at=client.data_consent_at,
        as_of=as_of,
        identity=identity,
        entries=entries,
        **listed,
        accesses=accesses,
        accesses_total=total,
    )
