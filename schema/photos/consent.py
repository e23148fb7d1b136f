"""Photo consent by purpose: `setPhotoConsent` (a signed PHOTO consent: `signed_purposes`).

Each purpose is given and withdrawn on its own; every change is a new row (the history is
append-only; a call that changes nothing adds none), and the latest change of a purpose
decides it. Withdrawing a purpose stops the
links already issued for it: the fetch asks again. A change that withdraws the clinical record,
which every photo needs, after the client gave it closes her open photo reminders
(`photo_tasks.close_without_consent`); one that finds it withdrawn, or never given, closes none.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.ages import is_minor
from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.photos.purposes import PhotoPurpose as DomainPhotoPurpose
from domain.store import records
from domain.store.models import Client as ClientRow
from domain.store.photo_tasks import close_without_consent
from domain.store.photos import PhotoConsentChange as ChangeRow
from domain.store.photos import answered_change, change_unless_standing, withdrew_given
from domain.store.records import KeyClaim
from schema import idempotency
from schema.audit.collector import note_write
from schema.clients.file_access import visible_client, zone_of
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
from schema.photos.fields import consents_of
from schema.photos.types import PhotoConsentChange, PhotoConsents, PhotoPurpose

INPUT = "What to do; see the input type."
PHOTO_CONSENT_KIND = "photo_consent"  # the kind of id a change derives from its key's claim


@strawberry.input(description="The client gives or withdraws one purpose for their photos.")
class SetPhotoConsentInput:
    client_id: strawberry.ID = strawberry.field(description="The client.")
    purpose: PhotoPurpose = strawberry.field(description="The purpose.")
    given: bool = strawberry.field(description="True: the client gives it; false: withdraws it.")
    idempotency_key: str | None = idempotency.key_field()


@strawberry.type(description="The change recorded, and the client's photo consents after it.")
class PhotoConsentPayload:
    change: PhotoConsentChange = strawberry.field(description="The change.")
    consents: PhotoConsents = strawberry.field(description="The consents as they stand now.")


SetPhotoConsentResult = Annotated[
    PhotoConsentPayload | NotAuthorized | ValidationFailed | NotFound | Conflict,
    strawberry.union("SetPhotoConsentResult", description="The change recorded, or why not."),
]


async def set_photo_consent(
    info: Info[Context, None],
    input: Annotated[SetPhotoConsentInput, strawberry.argument(description=INPUT)],
) -> SetPhotoConsentResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    client = await visible_client(info, input.client_id)
    if client is None:
        return await idempotency.refusal_or_conflict(
            info, claims.account_id, input, not_found("client")
        )
    bad_key = records.key_problem(input.idempotency_key)
    if bad_key:
        return invalid([bad_key])
    purpose = DomainPhotoPurpose(input.purpose)

    async def went_through(earlier: KeyClaim) -> bool:
        # A first attempt whose answer was lost wrote its change, or found the purpose already
        # as asked and wrote none (the key's claim says when it was asked).
        change_id = idempotency.derived_id(earlier, PHOTO_CONSENT_KIND)
        if change_id is None:
            return False
        asked_at = await idempotency.first_asked_at(claims.account_id, input)
        first = await answered_change(change_id, client.id, purpose, input.given, asked_at)
        return first is not None

    # A retry of a change recorded before the guardian's rule covered it is answered as it was.
    refusal = None
    if await _needs_a_guardian(info, client, input):
        refusal = invalid([FieldProblem("given", GUARDIAN_SIGNS, Code.INCONSISTENT)])
    refused = await idempotency.refusal_answer(
        info, claims.account_id, input, refusal, went_through=went_through
    )
    if refused is not None:
        return refused
    ledger = await idempotency.claim(info, claims.account_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    first = idempotency.answered(ledger)
    if first is not None:
        note_write(info, client.id)  # the retry answers the client's consents again
        row = await ChangeRow.get(id=first)
    else:
        change_id = idempotency.derived_id(ledger, PHOTO_CONSENT_KIND)
        # A retry answers what its first attempt found, not what stands since.
        retried = idempotency.unfinished(ledger)
        asked_at = await idempotency.first_asked_at(claims.account_id, input) if retried else None
        written = change_id or str(uuid.uuid4())
        row = await change_unless_standing(
            written,
            client.id,
            purpose,
            input.given,
            asked_at=asked_at,
            clinic_id=client.clinic_id,
            signature_id=None,
            recorded_by=claims.account_id,
            recorded_by_role=claims.role.value,
        )
        # This request's change (written now, or by its earlier attempt) that took back the
        # clinical record she had given: one that found it withdrawn already took back nothing.
        # Before the key settles: a retry of an attempt cut off here closes them.
        took_back = row.id == written and await withdrew_given(row)
        if purpose is DomainPhotoPurpose.CLINICAL_RECORD and took_back:
            await close_without_consent(client.id, (claims.account_id, claims.role.value))
        note_write(info, client.id)
        await idempotency.settle(claims.account_id, input, row.id)
    # Read afresh: an earlier mutation of this request may have loaded them before it changed.
    info.context.loaders.client_lists.forget()
    return PhotoConsentPayload(
        change=PhotoConsentChange.from_row(row), consents=await consents_of(info, client.id)
    )


# Seed 000: under 18 a guardian signs for the client, any consent, and photos for the clinical
# record are a consent of their own (as marketing and teaching use are).
GUARDIAN_SIGNS = (
    "a client under 18 gives this purpose only by a photo consent their guardian signs "
    "(signConsent, kind PHOTO)"
)


async def _needs_a_guardian(
    info: Info[Context, None], client: ClientRow, input: SetPhotoConsentInput
) -> bool:
    """Whether giving this purpose by a staff member's word alone is refused: a minor gives
    any purpose only by a signature, their guardian's. A withdrawal needs none: it ends a use."""
    if not input.given:
        return False
    today = datetime.now(await zone_of(info, client.clinic_id)).date()
    return is_minor(client.birth_date, today)
