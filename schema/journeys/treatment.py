"""Treatment and handover: checks before, products after, aftercare for the client."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from domain.errors import FieldProblem
from domain.journey.facts import ActionDetails
from domain.journey.table import Action
from domain.roles import Role
from domain.store.models import StaffAccount
from schema import idempotency
from schema.context import Context
from schema.ids import decode_id
from schema.journeys.actions import JourneyResult, run_recorded_action
from schema.journeys.contraindications import treatment_gate
from schema.text import check_text


@strawberry.input(description="Checked again on the day (pregnancy, lactation, allergies, drugs).")
class PreTreatmentChecksInput:
    identity_verified: bool
    plan_verified: bool
    pregnancy_excluded: bool
    lactation_excluded: bool
    allergies_checked: bool
    medication_checked: bool
    labs: str | None = strawberry.field(default=None, description="Labs for surgery, if any.")


@strawberry.input
class StartTreatmentInput:
    journey_id: strawberry.ID
    checks: PreTreatmentChecksInput
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input
class ProductInput:
    name: str
    lot_number: str
    dose: str


@strawberry.input
class CompleteTreatmentInput:
    journey_id: strawberry.ID
    performer_id: strawberry.ID
    procedure: str
    products: list[ProductInput]
    notes: str | None = None
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input(description="What is normal, what means call now, what to do, activities.")
class DiscomfortNotesInput:
    normal: str
    call_now: str
    self_care: str
    activities: str


@strawberry.input
class HandOverInput:
    journey_id: strawberry.ID
    aftercare: str
    discomfort: DiscomfortNotesInput
    next_recheck_at: datetime | None = None
    idempotency_key: str | None = idempotency.key_field()


async def start_treatment(info: Info[Context, None], input: StartTreatmentInput) -> JourneyResult:
    unchecked = [
        name for name, value in vars(input.checks).items() if isinstance(value, bool) and not value
    ]
    problems = [
        FieldProblem(f"checks.{name}", "must be confirmed before treatment") for name in unchecked
    ]
    problems += check_text("checks.labs", input.checks.labs, required=False)
    # The record is checked against the final plan's catalogue items before the journey hears.
    return await run_recorded_action(
        info,
        input,
        Action.START_TREATMENT,
        problems=problems,
        record_kind="pre_treatment",
        before_update=treatment_gate(info),
    )


async def complete_treatment(
    info: Info[Context, None], input: CompleteTreatmentInput
) -> JourneyResult:
    problems: list[FieldProblem] = check_text("procedure", input.procedure, required=True)
    problems += check_text("notes", input.notes, required=False)
    claims = info.context.claims
    performer = decode_id(input.performer_id, "StaffMember")
    treats = [Role.EXPERT.value, Role.NURSE.value]
    if claims and not await StaffAccount.exists(
        id=performer or "", clinic_id=claims.clinic_id, role__in=treats, active=True
    ):
        problems.append(FieldProblem("performerId", "an active expert or nurse of this clinic"))
    for index, product in enumerate(input.products):
        for name in ("name", "lot_number", "dose"):
            problems += check_text(
                f"products[{index}].{name}", getattr(product, name), required=True, limit=200
            )
    details = ActionDetails(product_count=len(input.products))
    return await run_recorded_action(
        info,
        input,
        Action.COMPLETE_TREATMENT,
        problems=problems,
        details=details,
        record_kind="treatment",
    )


async def hand_over(info: Info[Context, None], input: HandOverInput) -> JourneyResult:
    problems: list[FieldProblem] = check_text("aftercare", input.aftercare, required=True)
    for name in ("normal", "call_now", "self_care", "activities"):
        problems += check_text(f"discomfort.{name}", getattr(input.discomfort, name), required=True)
    return await run_recorded_action(
        info, input, Action.HAND_OVER, problems=problems, record_kind="handover"
    )
