"""Consent: signatures with template versions (payments: `schema.money.payments`)."""

from __future__ import annotations

import uuid

import strawberry
from strawberry.types import Info

from domain.consent.signature import SignatureFormat, SignerCapacity
from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.journey.facts import ActionDetails, Actor
from domain.journey.stages import ConsentKind
from domain.journey.table import Action
from domain.procedures.checklist import procedure_consent_problem
from domain.roles import Role
from domain.store import records
from domain.store.billing_reads import current_bill
from domain.store.consents import ConsentTemplateVersion as VersionRow
from domain.store.models import Journey as JourneyRow
from domain.store.procedure_reads import type_keys_of
from domain.store.records import KeyClaim
from schema import idempotency
from schema.consents.signer_input import (
    drawn_signature,
    minor_problems,
    signer_capacity,
    signer_problems,
)
from schema.consents.signing import Signing, find_version, write_signature
from schema.consents.withdrawn_before_written import (
    withdraw_if_withdrawn_since,
    withdrawn_since_signed,
)
from schema.context import Context
from schema.errors import not_authorized
from schema.journeys.actions import (
    AfterAccepted,
    JourneyOutcome,
    JourneyResult,
    load_visible_journey,
    run_recorded_action,
    step_refusal,
)
from schema.photos.signed_purposes import record_signed_purposes, withdraw_grant
from schema.photos.types import PhotoPurpose
from schema.procedures.journey_type import journey_procedure


@strawberry.input(description="The signature as drawn on the pad.")
class DrawnSignatureInput:
    format: SignatureFormat = strawberry.field(description="SVG path data or a PNG image.")
    data: str = strawberry.field(
        description="The SVG path's `d` data (at most 64 KiB), or the PNG base64-encoded "
        "(at most 256 KiB decoded)."
    )


@strawberry.input
class SignConsentInput:
    journey_id: strawberry.ID
    kind: ConsentKind
    signer_name: str
    template_id: str
    template_version: str
    language: str = "pl"
    guardian_name: str | None = strawberry.field(
        default=None, description="Required when the client is under 18."
    )
    rights_explained: bool = strawberry.field(
        default=False, description="Privacy, information, choice and participation explained."
    )
    photo_purposes: list[PhotoPurpose] = strawberry.field(default_factory=list)
    capacity: SignerCapacity | None = strawberry.field(
        default=None,
        description="Who signs: the client or a guardian. Default: GUARDIAN when a "
        "`guardianName` is given, else CLIENT. A client under 18 signs only by a guardian "
        "(ValidationFailed on `capacity`).",
    )
    guardian_relation: str | None = strawberry.field(
        default=None, description="The guardian's relation to the client; a guardian needs it."
    )
    signature: DrawnSignatureInput | None = strawberry.field(
        default=None, description="The drawn signature, checked for type and size."
    )
    idempotency_key: str | None = idempotency.key_field()


async def _bill_total(journey: JourneyRow | None) -> int | None:
    """The total of the bill made for the journey, if any: a free plan (price 0) goes straight
    on to treatment only while nothing was billed. A bill made from its price lines, or from
    lines the cashier named, is paid first (it was left owing, the client treated)."""
    bill = await current_bill(journey.id) if journey is not None else None
    return bill.total_minor if bill is not None else None


async def sign_consent(info: Info[Context, None], input: SignConsentInput) -> JourneyResult:
    actor = info.context.actor
    if input.kind is ConsentKind.ANESTHESIA and actor is not None and actor.role is not Role.EXPERT:
        # Seed 002: the anesthetist (a doctor) assesses the client and takes this consent. (A
        # retry of one taken before this rule is answered as it was.)
        refusal = not_authorized("an anesthesia consent is taken by the doctor who gives it")
        refused = await step_refusal(info, input, refusal)
        if refused is not None:
            return refused
    if input.kind is ConsentKind.PROCEDURE:
        not_the_doctor = await _procedure_consent_refusal(info, input)
        if not_the_doctor is not None:
            return not_the_doctor
    capacity = signer_capacity(input)
    drawn = drawn_signature(input)
    problems = signer_problems(input, capacity)
    if input.kind is ConsentKind.PHOTO and not input.photo_purposes:
        problems.append(
            FieldProblem("photoPurposes", "say what the photos may be used for", Code.REQUIRED)
        )
    after_accepted = None
    journey = await load_visible_journey(info, input.journey_id)
    if journey is not None:
        # As the journey judges it (its start's age): refused here as `signSharingConsent`
        # refuses it, a problem of the input, where the journey answered TransitionNotAllowed.
        problems += minor_problems(capacity, bool(journey.facts.get("client_is_minor")))
    if journey is not None and actor is not None and not problems:
        version, found = await find_version(
            journey.clinic_id, input.template_id, input.template_version, input.kind, input.language
        )
        problems += found
        if version is not None and not found:
            problems += await _for_the_planned_procedure(journey, version)
        if version is None and not found:
            problems += await _no_paper_form_for_a_published_one(
                journey, input.kind, input.language
            )
        if version is not None:
            signing = Signing(
                version=version,
                kind=input.kind,
                language=input.language,
                signer_name=input.signer_name,
                capacity=capacity,
                guardian_name=input.guardian_name,
                guardian_relation=input.guardian_relation,
                witness=(actor.user_id, actor.role.value),
                signature=drawn,
            )
            after_accepted = _writer(signing)
    if input.kind is ConsentKind.PHOTO and actor is not None:
        after_accepted = _with_purposes(input, actor, after_accepted)
    details = ActionDetails(
        consent_kind=input.kind,
        guardian_signed=capacity is SignerCapacity.GUARDIAN,
        bill_total_minor=await _bill_total(journey),
    )
    return await run_recorded_action(
        info,
        input,
        Action.SIGN_CONSENT,
        problems=problems,
        details=details,
        record_kind="consent",
        after_accepted=after_accepted,
    )


async def _procedure_consent_refusal(
    info: Info[Context, None], input: SignConsentInput
) -> JourneyOutcome | None:
    """NotAuthorized when the caller's role may not take the procedure consent for the
    journey's planned treatment (a surgery: the doctor's, `CONSENTED_BY`); a retry of a
    signature taken before this rule is answered as it was."""
    actor = info.context.actor
    if actor is None or actor.role is Role.EXPERT:
        return None
    row = await load_visible_journey(info, input.journey_id)
    procedure = await journey_procedure(row) if row is not None else None
    problem = procedure_consent_problem(
        procedure.content.category if procedure else None, actor.role
    )
    if problem is None:
        return None
    return await step_refusal(info, input, not_authorized(problem))


async def _for_the_planned_procedure(
    journey: JourneyRow, version: VersionRow
) -> list[FieldProblem]:
    """A procedure consent tells the client of the procedure planned (seed 002): when the plan
    names a procedure type, the template signed must be that type's."""
    if version.kind != ConsentKind.PROCEDURE.value:
        return []
    planned = await _planned_type(journey)
    if planned is None or version.procedure_type == planned:
        return []
    message = f"this template is for {version.procedure_type}; the plan is {planned}"
    return [FieldProblem("templateId", message, Code.INCONSISTENT)]


async def _no_paper_form_for_a_published_one(
    journey: JourneyRow, kind: ConsentKind, language: str
) -> list[FieldProblem]:
    """A template key nothing is published under stands for a paper form, but not for a
    procedure consent whose planned procedure type has a form published in the signer's
    language: the client signs that form, whose text and hash are kept, not one nothing proves.
    (In a language no published form has, the paper form is the only way to sign.)"""
    planned = await _planned_type(journey) if kind is ConsentKind.PROCEDURE else None
    if planned is None:
        return []
    published = VersionRow.filter(
        clinic_id=journey.clinic_id, kind=kind.value, procedure_type=planned
    )
    if not any(language in texts for texts in await published.values_list("texts", flat=True)):
        return []
    message = f"nothing is published under this key: sign the published consent for {planned}"
    return [FieldProblem("templateId", message, Code.UNKNOWN_VALUE)]


async def _planned_type(journey: JourneyRow) -> str | None:
    """The key of the procedure type the journey's approved plan names, if any."""
    version_id = journey.facts.get("procedure_type_version_id")
    if not version_id:
        return None
    return (await type_keys_of(journey.clinic_id, [version_id])).get(version_id)


def _writer(signing: Signing) -> AfterAccepted:
    async def write(journey: JourneyRow, ledger: KeyClaim | None) -> None:
        signature_id = idempotency.derived_id(ledger, "consent_signature")
        row = await write_signature(signature_id or str(uuid.uuid4()), journey, signing)
        # A withdrawal the journey took before this row was written marked nothing.
        draft_id = idempotency.derived_id(ledger, records.DRAFT_KIND)
        withdrawal_id = idempotency.derived_id(ledger, "consent_withdrawn_before_written")
        await withdraw_if_withdrawn_since(
            row, signing.kind, draft_id, withdrawal_id or str(uuid.uuid4())
        )

    return write


def _with_purposes(
    input: SignConsentInput, actor: Actor, then: AfterAccepted | None
) -> AfterAccepted:
    """A PHOTO consent also gives its purposes, one photo-consent change each, and keeps which
    (paper forms too): what withdrawing it takes back."""

    async def write(journey: JourneyRow, ledger: KeyClaim | None) -> None:
        seed_id = idempotency.derived_id(ledger, "consent_signature")
        signature_id = seed_id if then is not None else None  # a signature row is written
        if then is not None:
            await then(journey, ledger)
        signing_seed_id = seed_id or str(uuid.uuid4())
        await record_signed_purposes(
            journey,
            input.photo_purposes,
            signing_seed_id,
            signature_id,
            (actor.user_id, actor.role.value),
        )
        # A withdrawal the journey took before these rows were written took none of them back.
        draft_id = idempotency.derived_id(ledger, records.DRAFT_KIND)
        withdrawal = await withdrawn_since_signed(journey.id, ConsentKind.PHOTO, draft_id)
        if withdrawal is not None:
            withdrawal_id = idempotency.derived_id(ledger, "purposes_withdrawn_before_granted")
            await withdraw_grant(
                journey,
                signing_seed_id,
                withdrawal_id or str(uuid.uuid4()),
                (withdrawal.actor_id, withdrawal.actor_role),
            )

    return write
