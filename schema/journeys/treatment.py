"""Treatment and handover: checks before, products after, aftercare for the client."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, ClassVar

import strawberry
from strawberry.types import Info

from domain.aftercare.recheck_booking import recheck_problems
from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.journey.facts import ActionDetails
from domain.journey.table import Action
from domain.procedures.checklist import PERFORMED_BY, handover_problem
from domain.roles import Role
from domain.store.aftercare import clinic_setting
from domain.store.models import Journey as JourneyRow
from domain.store.models import StaffAccount
from domain.store.records import KeyClaim
from schema import idempotency
from schema.context import Context
from schema.errors import not_authorized
from schema.ids import decode_id
from schema.journeys.actions import (
    JourneyOutcome,
    JourneyResult,
    load_visible_journey,
    run_recorded_action,
    step_refusal,
)
from schema.journeys.contraindications import treatment_gate
from schema.procedures.checklist import checklist_gate
from schema.procedures.complex_gate import SeniorTitleRequired, lead_gate
from schema.procedures.handover import TreatmentCourse, course_problems, discomfort_problems
from schema.procedures.journey_type import journey_procedure
from schema.procedures.lots import record_products
from schema.procedures.prescriptions import PrescriptionInput, prescription_problems
from schema.procedures.treatment_record import team_problems
from schema.procedures.types import ChecklistIncomplete
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
    checks: PreTreatmentChecksInput | None = strawberry.field(
        default=None,
        description="Required when the journey has no procedure type. With one, its checklist "
        "(`completeChecklistItem`) decides, and checks sent anyway must all be confirmed.",
    )
    assistant_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The assistant (seed 004 三.4): another active doctor (EXPERT) of the clinic. "
        "Required when the journey's procedure type version is complex, which only a doctor "
        "holding a senior professional title starts (`SeniorTitleRequired`); checked whenever "
        "named, and kept in the start's record.",
    )
    nurse_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The nurse beside them: an active nurse of the clinic. Required, checked and "
        "kept as `assistantId`.",
    )
    idempotency_key: str | None = idempotency.key_field()
    # A key claimed before the team was named digested a start without it: sent without one,
    # the digest is as it was then (`domain.idempotency.LEFT_OUT_AT`).
    digest_leaves_out: ClassVar[dict[str, tuple[None, ...]]] = {
        "assistant_id": (None,),
        "nurse_id": (None,),
    }


StartTreatmentResult = Annotated[
    JourneyOutcome | ChecklistIncomplete | SeniorTitleRequired,
    strawberry.union(
        "StartTreatmentResult",
        description="Treatment started, or why not (open checklist items name themselves; a "
        "complex procedure's lead without a senior title is `SeniorTitleRequired`).",
    ),
]


# A treatment uses a handful of products; each is a row written once the journey accepts the
# step, so a body of 25,000 of them ran past the request's time half-written.
MAX_PRODUCTS = 50


@strawberry.input
class ProductInput:
    name: str
    lot_number: str
    dose: str
    body_area: str | None = strawberry.field(
        default=None, description="Where it was given (e.g. 'cheeks', 'forehead')."
    )


@strawberry.input
class CompleteTreatmentInput:
    journey_id: strawberry.ID
    performer_id: strawberry.ID = strawberry.field(
        description="The treating doctor (or nurse; a surgery's is a doctor). A doctor named "
        "here gets the complications reported on the journey's calls and the phone survey's "
        "answers; a nurse's treatment leaves them to the expert who approved the plan."
    )
    procedure: str
    products: list[ProductInput]
    notes: str | None = strawberry.field(default=None, description="Intra-operative notes.")
    anesthetist_id: strawberry.ID | None = strawberry.field(
        default=None, description="The doctor who gave the anesthesia, if any."
    )
    nurse_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="The nurses who assisted (up to 10)."
    )
    started_at: datetime | None = strawberry.field(
        default=None,
        description="When treatment began: not in the future, at most 366 days back (else "
        "`ValidationFailed` on `startedAt`); without an offset, taken as UTC.",
    )
    ended_at: datetime | None = strawberry.field(
        default=None, description="When it ended: as `startedAt`, and not before it."
    )
    anesthesia: str | None = strawberry.field(
        default=None, description="Anesthesia given: kind, agent and dose."
    )
    admission: str | None = strawberry.field(
        default=None, description="Surgery: admission to the ward (room, state on admission)."
    )
    operating_room_handover: str | None = strawberry.field(
        default=None, description="Surgery: the operating room's handover to the ward nurse."
    )
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input(description="What is normal, what means call now, what to do, activities.")
class DiscomfortNotesInput:
    normal: str
    call_now: str
    self_care: str
    activities: str
    passes: str | None = strawberry.field(
        default=None,
        description="When the normal passes (required: null or blank is refused; nullable only "
        "for clients written before it was).",
    )
    language: str | None = strawberry.field(
        default=None,
        description="pl, ru, zh or en: the leaflet in this language shows these notes instead "
        "of the procedure type's.",
    )


@strawberry.input
class HandOverInput:
    journey_id: strawberry.ID
    aftercare: str
    discomfort: DiscomfortNotesInput | None = strawberry.field(
        default=None,
        description="The notes as adjusted by the doctor. Optional when the journey has a "
        "procedure type (its notes are used); required otherwise.",
    )
    next_recheck_at: datetime | None = None
    course: TreatmentCourse | None = None
    course_note: str | None = None
    prescriptions: list[PrescriptionInput] = strawberry.field(
        default_factory=list,
        description="The medicines she takes home, printed on her leaflet. A surgery's "
        "handover names at least one, or gives `noPrescriptionReason` (seed 003: her "
        "post-operative prescription is written before she leaves).",
    )
    no_prescription_reason: str | None = strawberry.field(
        default=None,
        description="Why she takes no medicine home (at most 500 characters); not with "
        "`prescriptions`.",
    )
    idempotency_key: str | None = idempotency.key_field()


async def _performer_problems(
    info: Info[Context, None], input: CompleteTreatmentInput
) -> list[FieldProblem]:
    """The performer an active member of the clinic who may perform the journey's procedure
    (a surgery: a doctor; otherwise a doctor or a nurse)."""
    claims = info.context.claims
    if claims is None:
        return []
    row = await load_visible_journey(info, input.journey_id)
    procedure = await journey_procedure(row) if row is not None else None
    category = procedure.content.category if procedure else None
    allowed = PERFORMED_BY.get(category) if category else None
    treats = allowed or frozenset({Role.EXPERT, Role.NURSE})
    performer = decode_id(input.performer_id, "StaffMember")
    if await StaffAccount.exists(
        id=performer or "",
        clinic_id=claims.clinic_id,
        role__in=[role.value for role in treats],
        active=True,
    ):
        return []
    if treats == {Role.EXPERT}:
        return [
            FieldProblem(
                "performerId",
                "a surgery's performer is an active doctor (expert)",
                Code.UNKNOWN_VALUE,
            )
        ]
    return [
        FieldProblem("performerId", "an active expert or nurse of this clinic", Code.UNKNOWN_VALUE)
    ]


def _check_problems(checks: PreTreatmentChecksInput | None, required: bool) -> list[FieldProblem]:
    if checks is None:
        return [
            FieldProblem("checks", "required: the journey has no procedure type", Code.REQUIRED)
        ] * required
    unchecked = [name for name, value in vars(checks).items() if value is False]
    problems = [
        FieldProblem(f"checks.{name}", "must be confirmed before treatment", Code.REQUIRED)
        for name in unchecked
    ]
    return problems + check_text("checks.labs", checks.labs, required=False)


async def start_treatment(
    info: Info[Context, None], input: StartTreatmentInput
) -> StartTreatmentResult:
    gate = await checklist_gate(info, input.journey_id)
    # Who leads a complex procedure before what is still open (seed 004 三.4).
    lead = await lead_gate(info, input, gate.complex)
    refused = await step_refusal(info, input, lead.refusal or gate.refusal)
    if refused is not None:
        return refused
    problems = _check_problems(input.checks, required=not gate.has_procedure_type)
    problems += lead.problems
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
    problems += await _performer_problems(info, input)
    if len(input.products) > MAX_PRODUCTS:
        problems.append(
            FieldProblem("products", f"at most {MAX_PRODUCTS} products a treatment", Code.TOO_MANY)
        )
    for index, product in enumerate(input.products[:MAX_PRODUCTS]):
        for name in ("name", "lot_number", "dose"):
            problems += check_text(
                f"products[{index}].{name}", getattr(product, name), required=True, limit=200
            )
        problems += check_text(
            f"products[{index}].bodyArea", product.body_area, required=False, limit=200
        )
    problems += await team_problems(info, input)
    details = ActionDetails(product_count=len(input.products))

    async def products_given(row: JourneyRow, _ledger: KeyClaim | None) -> None:
        await record_products(row, input.products, claims.account_id if claims else "")

    return await run_recorded_action(
        info,
        input,
        Action.COMPLETE_TREATMENT,
        problems=problems,
        details=details,
        record_kind="treatment",
        after_accepted=products_given,
    )


async def _handover_refusal(
    info: Info[Context, None], input: HandOverInput
) -> JourneyOutcome | None:
    """NotAuthorized when the caller's role may not hand over a treatment of the journey's
    category (a surgery: the doctor's); a retry of a handover that went through is answered as
    it was."""
    actor = info.context.actor
    row = await load_visible_journey(info, input.journey_id) if actor is not None else None
    if actor is None or row is None:
        return None
    procedure = await journey_procedure(row)
    problem = handover_problem(procedure.content.category if procedure else None, actor.role)
    if problem is None:
        return None
    return await step_refusal(info, input, not_authorized(problem))


async def hand_over(info: Info[Context, None], input: HandOverInput) -> JourneyResult:
    refused = await _handover_refusal(info, input)
    if refused is not None:
        return refused
    problems: list[FieldProblem] = check_text("aftercare", input.aftercare, required=True)
    problems += course_problems(input.course, input.course_note)
    problems += await discomfort_problems(info, input.journey_id, input.discomfort)
    problems += await prescription_problems(
        info, input.journey_id, input.prescriptions, input.no_prescription_reason
    )
    # Kept in the handover's record, from which the read model writes the caller's reminder
    # (`store.recheck_tasks`); the journey itself does nothing at that time.
    problems += recheck_problems(input.next_recheck_at, datetime.now(UTC))
    return await run_recorded_action(
        info,
        input,
        Action.HAND_OVER,
        problems=problems,
        details=await _clinic_allowance(info, input.journey_id),
        record_kind="handover",
    )


async def _clinic_allowance(info: Info[Context, None], journey_id: strawberry.ID) -> ActionDetails:
    """The clinic's allowance past a call's due time as it stands (`aftercarePolicy`), which
    the journey keeps for its stuck deadline, so that it is stuck as the task lists count its
    call overdue (`domain.journey.sla`). A number, no personal data."""
    row = await load_visible_journey(info, journey_id)
    if row is None:  # refused as the step is run
        return ActionDetails()
    setting = await clinic_setting(row.clinic_id)
    return ActionDetails(follow_up_allowance_seconds=setting.overdue_after_seconds)
