"""Consent and payment: signatures with template versions, bills paid in full or by deposit."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

import strawberry
from strawberry.types import Info

from domain.errors import FieldProblem
from domain.journey.facts import ActionDetails
from domain.journey.stages import ConsentKind, PaymentKind, PaymentMethod
from domain.journey.table import Action
from schema import idempotency
from schema.body import check_currency, to_minor_units
from schema.context import Context
from schema.journeys.actions import JourneyResult, run_recorded_action
from schema.text import check_text


@strawberry.enum(description="What a photo may be used for; marketing needs its own consent.")
class PhotoPurpose(str, Enum):
    CLINICAL_RECORD = "CLINICAL_RECORD"
    MARKETING = "MARKETING"


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
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input
class RecordPaymentInput:
    journey_id: strawberry.ID
    amount: Decimal
    currency: str
    method: PaymentMethod
    kind: PaymentKind
    receipt_number: str | None = None
    idempotency_key: str | None = idempotency.key_field()


async def sign_consent(info: Info[Context, None], input: SignConsentInput) -> JourneyResult:
    problems: list[FieldProblem] = []
    problems += check_text("signerName", input.signer_name, required=True, limit=200)
    problems += check_text("templateId", input.template_id, required=True, limit=100)
    problems += check_text("templateVersion", input.template_version, required=True, limit=40)
    problems += check_text("guardianName", input.guardian_name, required=False, limit=200)
    if not input.rights_explained:
        problems.append(FieldProblem("rightsExplained", "the client's rights must be explained"))
    if input.kind is ConsentKind.PHOTO and not input.photo_purposes:
        problems.append(FieldProblem("photoPurposes", "say what the photos may be used for"))
    details = ActionDetails(consent_kind=input.kind, guardian_signed=bool(input.guardian_name))
    return await run_recorded_action(
        info, input, Action.SIGN_CONSENT, problems=problems, details=details, record_kind="consent"
    )


async def record_payment(info: Info[Context, None], input: RecordPaymentInput) -> JourneyResult:
    problems: list[FieldProblem] = []
    check_currency("currency", input.currency, problems)
    amount_minor = to_minor_units("amount", input.amount, problems)
    problems += check_text("receiptNumber", input.receipt_number, required=False, limit=100)
    details = ActionDetails(
        amount_minor=amount_minor, currency=input.currency, payment_kind=input.kind
    )
    return await run_recorded_action(
        info,
        input,
        Action.RECORD_PAYMENT,
        problems=problems,
        details=details,
        record_kind="payment",
    )
