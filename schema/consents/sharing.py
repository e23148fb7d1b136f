"""`signSharingConsent`: the client's written consent to share her file, signed for the client.

Seed 000: the file goes outside the clinic only on the client's prior written consent. Signed
in a journey (`signConsent`) it could be given only while one of her journeys waited in
CONSENT, so a client whose treatment was long over could not let the clinic send her file to
her family doctor or an insurer. Here it is signed at any time, in no journey, with the proof
of any other consent: a published DATA_SHARING template's version and language (its hash kept),
the signer, a guardian and their relation for a client under 18, the drawn signature, the staff
witness. No journey's workflow sees it (nothing goes to Temporal). `recordFileDisclosure` stands
on the newest one in force, signed here or in a journey; `withdrawSharingConsent` ends them.
"""

from __future__ import annotations

from datetime import datetime

from strawberry.types import Info

from domain.ages import is_minor
from domain.consent.signature import SignerCapacity
from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.journey.stages import ConsentKind
from domain.store import records
from domain.store.consents import ConsentSignature as SignatureRow
from domain.store.records import KeyClaim
from schema import idempotency
from schema.audit.collector import note_write
from schema.clients.file_access import visible_client, zone_of
from schema.clients.file_mutations import invalid
from schema.consents.sharing_types import (
    SharingConsentPayload,
    SignSharingConsentInput,
    SignSharingConsentResult,
)
from schema.consents.signer_input import (
    drawn_signature,
    minor_problems,
    signer_capacity,
    signer_problems,
)
from schema.consents.signing import Signing, find_version, write_signature_for
from schema.consents.types import ConsentSignature
from schema.context import Context
from schema.errors import not_authorized, not_found

KIND = ConsentKind.DATA_SHARING
SIGNATURE_KIND = "consent_signature"  # the kind of id the signature derives from its key's claim
PUBLISHED_ONLY = (
    "no DATA_SHARING template is published under this key: the client signs a published text, "
    "whose hash is kept (publishConsentTemplate)"
)


def _input_problems(input: SignSharingConsentInput, capacity: SignerCapacity) -> list[FieldProblem]:
    problems = signer_problems(input, capacity)
    bad_key = records.key_problem(input.idempotency_key)
    return problems + ([bad_key] if bad_key else [])


async def _signed(earlier: KeyClaim) -> bool:
    """Whether the request's first attempt wrote its signature (its id comes from the claim)."""
    signature_id = idempotency.derived_id(earlier, SIGNATURE_KIND)
    return signature_id is not None and await SignatureRow.exists(id=signature_id)


async def sign_sharing_consent(
    info: Info[Context, None], input: SignSharingConsentInput
) -> SignSharingConsentResult:
    actor = info.context.actor
    if actor is None:
        return not_authorized()
    capacity = signer_capacity(input)
    problems = _input_problems(input, capacity)
    if problems:
        return invalid(problems)
    client = await visible_client(info, input.client_id)
    if client is None:
        return await idempotency.refusal_or_conflict(
            info, actor.user_id, input, not_found("client")
        )
    version, problems = await find_version(
        client.clinic_id, input.template_id, input.template_version, KIND, input.language
    )
    if version is None and not problems:
        problems = [FieldProblem("templateId", PUBLISHED_ONLY, Code.UNKNOWN_VALUE)]
    on_day = datetime.now(await zone_of(info, client.clinic_id)).date()
    problems += minor_problems(capacity, is_minor(client.birth_date, on_day))
    # A retry whose first attempt signed (its answer lost) is answered as signed, though a
    # newer text replaced the one signed since.
    refused = await idempotency.refusal_answer(
        info, actor.user_id, input, invalid(problems) if problems else None, went_through=_signed
    )
    if refused is not None:
        return refused
    ledger = await idempotency.claim(info, actor.user_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    signature_id = idempotency.result_id(ledger, SIGNATURE_KIND)
    row = await SignatureRow.get_or_none(id=signature_id)
    if row is None:
        if version is None:  # answered before, its row not found: never the case
            return invalid(problems)
        signing = Signing(
            version=version,
            kind=KIND,
            language=input.language,
            signer_name=input.signer_name,
            capacity=capacity,
            guardian_name=input.guardian_name,
            guardian_relation=input.guardian_relation,
            witness=(actor.user_id, actor.role.value),
            signature=drawn_signature(input),
        )
        # No lock: a consent signed only allows more; withdrawals and disclosures take it.
        row = await write_signature_for(signature_id, (client.clinic_id, client.id), signing)
    note_write(info, client.id)
    await idempotency.settle(actor.user_id, input, row.id)
    return SharingConsentPayload(signature=ConsentSignature.from_row(row, None))
