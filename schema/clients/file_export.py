"""`exportClientFile`: the client's own copy of their whole file (GDPR art. 15 and 20).

A mutation, as the issue names it, because it acts: it releases the whole file in one answer
and leaves its own entry in the audit trail. Its idempotency key pins the moment the copy was
taken: a retry with the same key answers the very copy the first attempt gave (the file is
append-only, so the rows up to that moment rebuild it), however the file has grown since.

Supervisors only: the copy carries the audit trail of the file, which only supervisors read,
and handing a client their file is the custodian's act (DOMAIN: "a named custodian").

The images of the photos in the copy go with it through links of their own (`photoLinks`,
schema/photos/copy_links.py): a delivery to the client, whatever purposes they have withdrawn,
issued afresh with every answer, a retry's too, to the session that asked.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Annotated, Any, cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from domain.client_file.export import MAX_EXPORT_BYTES, ClientFile, export_bytes, file_document
from domain.client_file.fhir import file_bundle
from domain.client_file.fhir_check import FHIR_VERSION, bundle_problems
from domain.client_file.kinds import FILE_EXPORT_READ
from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.store import records
from domain.store.client_file_export import TooLarge, audit_head, read_file
from schema import idempotency
from schema.audit.collector import note_access
from schema.clients.file_access import visible_client
from schema.clients.file_mutations import invalid
from schema.context import Context
from schema.errors import (
    Conflict,
    NotAuthorized,
    NotFound,
    ValidationFailed,
    not_authorized,
    not_found,
)
from schema.photos.copy_links import ClientCopyPhotoLink, copy_links

log = logging.getLogger(__name__)

# Building a copy (the JSON document, the FHIR Bundle, its check and its size) is CPU work in
# pure Python: a file of 800 entries took 0.4 s, the check most of it, and on the event loop six
# exports at once held every other request of the process for seconds. It runs on a thread of
# its own, one copy at a time in a process (the check lets the loop run between its steps),
# as a leaflet's PDF does; copies asked for meanwhile wait their turn within the request's 30 s.
_COPY_MAKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="file-export")


@strawberry.input(description="Whose file to copy.")
class ExportClientFileInput:
    client_id: strawberry.ID = strawberry.field(description="The client (a `Client` id).")
    idempotency_key: str | None = idempotency.key_field()


@strawberry.type(
    description="The client's own copy of their file, as it stood at `asOf`. `file` is the "
    "whole file as JSON: the identity page with every amendment, every entry of every part "
    "(corrected ones and those marked entered in error included, with their marks), the "
    "service card (the client's personal data: GDPR art. 15 gives the client all of it, though "
    "it never goes to anyone else), the consents with the exact text and hash signed (the "
    "drawn signature stays out: `consentDocument` shows it), each photo purpose given and "
    "withdrawn (`photoConsents`), the photos taken (`photos`: stage, body area, who took them "
    "and when, without the images, which `photoLinks` serve), the treatments performed, the "
    "complications the client called in with after one (`complicationCalls`: what she said, "
    "the journey it follows, who took the call and when, the recheck journey serving it), the "
    "complications the client reported on a scheduled follow-up call "
    "(`followUpComplications`: the call's outcome COMPLICATION, escalated to the treating doctor: "
    "the journey and the call, what she said, who made the call and when), each treatment "
    "and complication reported on a call as first written with its `amendments` (`amendRecord`: "
    "`by`, `reason`, the `correction` under the copy's field names, `at`), the disclosures of "
    "the file outside the clinic (`disclosures`, `recordFileDisclosure`: who received which "
    "parts, why, by which channel, on which consent, the custodian then, who recorded it and "
    "when; JSON only, as the audit trail is), the records of her journeys as each step kept "
    "them, with the journey, who acted, when and their `amendments` (`consultations`: needs, "
    "her earlier treatments with when and their effect or `noEarlierTreatments` true, null on "
    "one recorded before it was asked (not asked), "
    "assessment and the plans proposed with price, risks and recovery; `expertBriefings`; "
    "`expertReviews`: decision, points, the final plan or the reason refused; "
    "`preTreatmentChecks`; `handovers`: aftercare, discomfort notes, next recheck, the "
    "medicines she took home or why none; "
    "`followUpCalls`: outcome, satisfaction, note), her `bills` itemised (each line as billed, "
    "the discount, the total, her confirmation), `payments` and `refunds`, amounts as decimal "
    "texts at the currency's places, and "
    "`whoSawMyFile`: the audit trail of reads and changes of this file, newest first (at most "
    "5000, with the total). `fhirBundle` is the clinical part as a "
    "FHIR R4 Bundle for another provider (art. 20), without the service card. A file beyond "
    "2000 entries, 300 consents, 2000 photo-consent changes, 2000 photos, 500 treatments, "
    "2000 complication calls, 2000 complications reported on follow-up calls, 2000 amendments "
    "of its treatments or of those complications, 500 disclosures, 500 of any of her "
    "journeys' records from consultation to handover, 2000 follow-up calls, 500 bills, 2000 "
    "payments, 2000 refunds, or 200 identity "
    "amendments, or a copy past 16 MiB, is refused "
    "(ValidationFailed), never cut."
)
class ClientFileExportPayload:
    client_id: strawberry.ID = strawberry.field(description="The client (a `Client` id).")
    as_of: datetime = strawberry.field(
        description="The moment of the copy; a retry with the same key gives this same copy."
    )
    file: JSON = strawberry.field(
        description="The whole file as JSON (format `glowpath.client-file/1`); times in UTC "
        "(`at`) and in the clinic's 24-hour local time (`atLocal`)."
    )
    fhir_version: str = strawberry.field(
        description="The FHIR version the Bundle was validated against (4.3.0: R4B, the "
        "technical correction of R4; its resources here are those of R4)."
    )
    fhir_bundle: JSON = strawberry.field(
        description="A FHIR Bundle of type `collection`: Patient, AllergyIntolerance, "
        "MedicationStatement, Condition, Procedure, Observation (pregnancy, breastfeeding), "
        "QuestionnaireResponse (lifestyle, skin care, state of mind, wishes) and Consent, each "
        "as the file has it now; her journeys' records as ClinicalImpression (consultation, "
        "expert review), CarePlan (plans proposed: intent `proposal`; the final plan and the "
        "aftercare: intent `plan`, status `unknown`, the medicines she took home as its "
        "MedicationRequest activities), ServiceRequest (the briefing for the "
        "expert), Observation (checks before treatment; satisfaction on a call) and Encounter "
        "(a follow-up call, `cancelled` when she was not reached); her bills as Invoice, her "
        "payments and refunds as PaymentReconciliation (a refund's amount negative); a "
        "complication the client "
        "called in with, or reported on a follow-up call, is a Condition she asserted "
        "(verification `unconfirmed`), which the treatment's Procedure names in "
        "`complicationDetail`. A treatment, complication or journey's record corrected with "
        "`amendRecord` is its resources as amended, followed by a Provenance of each amendment "
        "(activity UPDATE: who, when, why, and as its `revision` entity the values it replaced "
        "and the correction). "
        "Validated before it is sent."
    )
    photo_links: list[ClientCopyPhotoLink] = strawberry.field(
        description="A link to the image of each photo in `file.photos`, in the same order, "
        "for handing them over with the copy: issued whatever photo purposes the client has "
        "given or withdrawn, since handing a client their own photos is no use of them. The "
        "links are short-lived and work only for your session: a retry with the same key "
        "answers the same copy with links issued afresh."
    )


ExportClientFileResult = Annotated[
    ClientFileExportPayload | NotAuthorized | ValidationFailed | NotFound | Conflict,
    strawberry.union(
        "ExportClientFileResult",
        description="The copy, or why not: not a supervisor, no such client in your clinic, a "
        "file beyond the export's bounds, or an idempotency key used for another request.",
    ),
]


def _cut(result_id: str) -> tuple[datetime, int]:
    """The first attempt's moment and audit seq, as its ledger row keeps them."""
    moment, seq = result_id.rsplit("|", 1)
    return datetime.fromisoformat(moment), int(seq)


def _too_large(what: str) -> ValidationFailed:
    message = f"{what}, more than one copy carries: ask the clinic's custodian for it in parts"
    return invalid([FieldProblem("clientId", message, Code.TOO_MANY)])


def _checked_bundle(client_id: str, bundle: dict[str, Any]) -> dict[str, Any]:
    problems = bundle_problems(bundle)
    if problems:  # a mapping fault: never hand out a Bundle that is not FHIR
        log.error("client %s: the FHIR export does not validate: %s", client_id, problems[:5])
        raise RuntimeError("the FHIR export does not validate")
    return bundle


def _copy(client_id: str, file: ClientFile) -> tuple[dict[str, Any], dict[str, Any], int]:
    """The copy's JSON document, its checked Bundle and their size (run on `_COPY_MAKER`)."""
    document, bundle = file_document(file), _checked_bundle(client_id, file_bundle(file))
    return document, bundle, export_bytes(document, bundle)


async def export_client_file(
    info: Info[Context, None], input: ExportClientFileInput
) -> ExportClientFileResult:
    session, claims = info.context.session, info.context.claims
    if session is None or claims is None:
        return not_authorized()
    client = await visible_client(info, input.client_id)
    if client is None:
        return await idempotency.refusal_or_conflict(
            info, claims.account_id, input, not_found("client")
        )
    bad_key = records.key_problem(input.idempotency_key)
    if bad_key:
        return invalid([bad_key])
    ledger = await idempotency.claim(info, claims.account_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    cut = idempotency.answered(ledger)
    if cut is None:
        # Settled before the copy is made: of attempts racing with one key, the first to
        # settle decides the moment every one of them copies the file at.
        ours = f"{datetime.now(UTC).isoformat()}|{await audit_head(client.clinic_id)}"
        cut = await idempotency.settle_first(claims.account_id, input, ours)
    as_of, upto_seq = _cut(cut)
    file = await read_file(client, as_of, upto_seq)
    if isinstance(file, TooLarge):
        return _too_large(f"the file holds more than {file.limit} {file.part}")
    loop = asyncio.get_running_loop()
    document, bundle, size = await loop.run_in_executor(_COPY_MAKER, _copy, client.id, file)
    if size > MAX_EXPORT_BYTES:
        return _too_large(f"the copy would exceed {MAX_EXPORT_BYTES // 2**20} MiB")
    note_access(client.id, FILE_EXPORT_READ)
    photo_ids = [photo.id for photo in file.photos]
    return ClientFileExportPayload(
        client_id=strawberry.ID(input.client_id),
        as_of=as_of,
        file=cast(JSON, document),
        fhir_version=FHIR_VERSION,
        fhir_bundle=cast(JSON, bundle),
        photo_links=copy_links(info.context.config, session.token, client.id, photo_ids),
    )
