"""`registerPartner`: a supervisor reports a new partner salon or records a new version of its
registration (append-only). The first report starts the partner's deadline clock."""

from __future__ import annotations

import contextlib
import uuid
from typing import Annotated

import strawberry
from strawberry.types import Info
from temporalio.exceptions import WorkflowAlreadyStartedError

from domain.errors import DomainError, ErrorCode
from domain.errors import FieldProblem as DomainFieldProblem
from domain.errors import FieldProblemCode as Code
from domain.store import records
from domain.store.partner_reads import RegistrationDraft, append_version, current, first_reported
from domain.store.partners import PartnerRegistration
from domain.text import one_line, shown_or_none
from schema import idempotency
from schema.context import Context
from schema.errors import (
    Conflict,
    NotAuthorized,
    NotFound,
    Unavailable,
    ValidationFailed,
    not_authorized,
    not_found,
    problem_of,
)
from schema.ids import decode_id
from schema.partners.premises_photos import client_photo_ids, repeated
from schema.partners.types import Partner
from schema.text import check_text
from workflows.partner_client import start_partner_clock

MAX_PHOTOS = 20
MAX_PHOTO_ID = 100


@strawberry.input(description="A partner's registration; every call records a new version.")
class RegisterPartnerInput:
    partner_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="An existing partner, for a new version of its registration; omitted: "
        "a new partner is reported and its deadlines start.",
    )
    name: str = strawberry.field(
        description="The salon's name, at most 200 characters, kept on one line (its line "
        "breaks, tabs and runs of blanks one space each), as every name is."
    )
    agreement_reference: str | None = strawberry.field(
        default=None, description="The signed agreement's reference, at most 200 characters."
    )
    bank_details: str | None = strawberry.field(
        default=None, description="Bank account and holder, at most 500 characters."
    )
    premises_photo_ids: list[str] = strawberry.field(
        default_factory=list,
        description=f"The clinic's references to photos of the premises, at most {MAX_PHOTOS} "
        f"of at most {MAX_PHOTO_ID} characters, each named once. Not in the form of a client "
        "photo's id (`uploadPhoto` keeps those in the client's record): a photo's global id or "
        "a UUID, stored or not, is `ValidationFailed` on `premisesPhotoIds[i]`, as is an id "
        "repeated.",
    )
    idempotency_key: str | None = idempotency.key_field()


@strawberry.type(description="The partner as registered by this call.")
class RegisterPartnerPayload:
    partner: Partner = strawberry.field(description="The partner, with its new version.")


RegisterPartnerResult = Annotated[
    RegisterPartnerPayload | NotAuthorized | NotFound | ValidationFailed | Conflict | Unavailable,
    strawberry.union("RegisterPartnerResult", description="The partner or why not."),
]


def _problems(input: RegisterPartnerInput) -> list[DomainFieldProblem]:
    problems = check_text("name", input.name, required=True, limit=200)
    problems += check_text(
        "agreementReference", input.agreement_reference, required=False, limit=200
    )
    problems += check_text("bankDetails", input.bank_details, required=False, limit=500)
    photos = input.premises_photo_ids
    if len(photos) > MAX_PHOTOS or any(
        check_text("p", p, required=True, limit=MAX_PHOTO_ID) for p in photos
    ):
        code = Code.TOO_MANY if len(photos) > MAX_PHOTOS else Code.BAD_FORMAT
        bounds = f"at most {MAX_PHOTOS} ids of 1 to {MAX_PHOTO_ID} characters"
        problems.append(DomainFieldProblem("premisesPhotoIds", bounds, code))
    else:
        problems += repeated(photos)
    bad_key = records.key_problem(input.idempotency_key)
    return problems + ([bad_key] if bad_key else [])


def _invalid(problems: list[DomainFieldProblem]) -> ValidationFailed:
    return ValidationFailed(
        code=ErrorCode.VALIDATION_FAILED,
        message="; ".join(f"{p.field}: {p.message}" for p in problems),
        problems=[problem_of(p) for p in problems],
    )


async def register_partner(
    info: Info[Context, None], input: RegisterPartnerInput
) -> RegisterPartnerResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    problems = _problems(input) or client_photo_ids(input.premises_photo_ids)
    # A retry of a registration recorded before photos were checked is answered as the first.
    refusal = _invalid(problems) if problems else None
    refused = await idempotency.refusal_answer(info, claims.account_id, input, refusal)
    if refused is not None:
        return refused
    partner_id = None
    if input.partner_id is not None:
        partner_id = decode_id(input.partner_id, "Partner")
        if not partner_id or await current(partner_id, claims.clinic_id) is None:
            return await idempotency.refusal_or_conflict(
                info, claims.account_id, input, not_found("partner")
            )
    ledger = await idempotency.claim(info, claims.account_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    answered = idempotency.answered(ledger)
    if answered is not None:
        row = await PartnerRegistration.get(id=answered)
        return RegisterPartnerPayload(partner=await Partner.from_row(row))
    registration_id = idempotency.derived_id(ledger, "partner_registration")
    registration_id = registration_id or str(uuid.uuid4())
    new_partner = idempotency.derived_id(ledger, "partner")
    draft = RegistrationDraft(
        partner_id=partner_id or new_partner or str(uuid.uuid4()),
        clinic_id=claims.clinic_id,
        name=one_line(input.name),  # as every person's and clinic's name is kept
        # Blank materials are missing ones: kept as sent, they completed the registration.
        agreement_reference=shown_or_none(input.agreement_reference),
        bank_details=shown_or_none(input.bank_details),
        premises_photo_ids=list(input.premises_photo_ids),
        registered_by=claims.account_id,
    )
    try:
        row = await append_version(registration_id, draft)
    except DomainError as error:
        return Conflict(code=ErrorCode.CONFLICT, message=error.message)
    reported = await first_reported(row.partner_id) or row.registered_at
    # Every version (and every retry) asks for the clock: the first starts it, later ones
    # find it running, so a start lost after the write is made good by the next call.
    gateway = info.context.gateway
    # Temporal not answering raises `JourneyUnavailable`: answered `Unavailable`
    # (`schema.unanswered`), where a `Conflict` (which means a key reused for another request)
    # told it before. The version is recorded, maybe without its clock: the key stays open, and
    # its retry finds the version written and starts the clock or finds it running.
    # (A clock that already ran its six months refuses the start: nothing is due any more.)
    with contextlib.suppress(WorkflowAlreadyStartedError):
        await start_partner_clock(
            gateway.client, gateway.task_queue, row.partner_id, claims.clinic_id, reported
        )
    await idempotency.settle(claims.account_id, input, str(row.id))
    return RegisterPartnerPayload(partner=await Partner.from_row(row))
