"""Consultation and expert review: needs, assessment, plans, and the expert's final say."""

from __future__ import annotations

from decimal import Decimal

import strawberry
from strawberry.types import Info

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.journey.earlier_treatments import LIMITS, TREATMENT_FIELDS, said_problems
from domain.journey.facts import ActionDetails
from domain.journey.stages import ExpertDecision
from domain.journey.table import Action
from domain.money.bills import MAX_LINES
from domain.roles import Role
from domain.store.catalog import latest_versions
from domain.store.models import StaffAccount
from schema import idempotency
from schema.body import check_currency, to_minor_units
from schema.catalog.types import ITEM_ID_TYPE
from schema.clients.file_access import clinic_today
from schema.context import Context
from schema.ids import decode_id
from schema.journeys.actions import JourneyResult, run_recorded_action
from schema.journeys.plan_prices import (
    FREE_WITH_PRICED_LINES,
    PlanPriceLineInput,
    price_line_problems,
)
from schema.money.common import billing_settings
from schema.procedures.pinning import pin_procedure_type
from schema.text import MAX_TEXT, check_list, check_text

MAX_PLAN_ITEMS = 50
# Body areas one consultation names, and the words for one item or area: the consultation is
# kept whole as its record, which every read of the journey's history returns.
MAX_AREAS = 20
# A consultation proposes one to three plans (seed handbook: "one to three options").
MAX_PLANS = 3
MAX_ITEM_TEXT = 200


@strawberry.input
class EarlierTreatmentInput:
    what: str
    when: str
    effect: str


@strawberry.input
class NeedsInput:
    areas: list[str]
    goal: str
    expectation: str
    earlier_treatments: list[EarlierTreatmentInput] | None = None
    no_earlier_treatments: bool = False


@strawberry.input
class AssessmentInput:
    psychological: str
    spending_capacity: str
    physical_condition: str


@strawberry.input
class PlanInput:
    title: str
    items: list[str]
    effect: str
    cycle: str
    price: Decimal = strawberry.field(
        description="At most two decimal places, and no more than the currency has: whole yen "
        "(JPY), 1.25 or 1.250 dinars (KWD) but not 1.255. A final plan at 0 (a free treatment) "
        "names no priced `priceLines`: ValidationFailed on `finalPlan.price` otherwise."
    )
    currency: str
    risks: str
    recovery: str
    requires_anesthesia: bool = False
    catalog_item_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="The catalogue items (`catalog` ids) the plan uses, up to 50; the start of "
        "treatment checks the client's record against the final plan's. `items` stays the "
        "plan's own words; a plan without catalogue items is not checked.",
    )
    procedure_type: str | None = strawberry.field(
        default=None,
        description="The procedure type (`typeKey`) the plan is for. On approval the journey "
        "takes that type's newest version: its checklist, follow-up plan, notes and warranty.",
    )
    price_lines: list[PlanPriceLineInput] = strawberry.field(
        default_factory=list,
        description=f"The price-list items the plan uses, up to {MAX_LINES}, each once and in "
        "force today. `createBill` without `lines` bills the final plan's at the prices of the "
        "day the bill is made, and explicit `lines` stay within them; a plan without them is "
        "billed with explicit lines.",
    )


@strawberry.input
class RecordConsultationInput:
    journey_id: strawberry.ID
    occupation: str
    needs: NeedsInput
    assessment: AssessmentInput
    plans: list[PlanInput] = strawberry.field(description="One to three proposed plans.")
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input
class BriefingInput:
    goal: str
    expectation: str
    history: str
    proposed_items: list[str]
    price_protection: str | None = None
    help_wanted: str


@strawberry.input
class RequestExpertReviewInput:
    journey_id: strawberry.ID
    expert_id: strawberry.ID
    briefing: BriefingInput
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input
class CompleteExpertReviewInput:
    journey_id: strawberry.ID
    decision: ExpertDecision
    final_plan: PlanInput | None = strawberry.field(default=None, description="When approving.")
    reason: str | None = strawberry.field(default=None, description="When refusing.")
    points: str | None = strawberry.field(
        default=None,
        description="Points of the joint talk, as the consultant recorded them for the expert: "
        "required to approve.",
    )
    idempotency_key: str | None = idempotency.key_field()


async def _catalog_problems(
    info: Info[Context, None], prefix: str, plan: PlanInput, problems: list[FieldProblem]
) -> int:
    """Every catalogue item a plan names must be one of the clinic's items; so must every
    price-list item, on today's price list. Returns what its price lines come to at list price."""
    claims = info.context.claims
    if claims is None:
        return 0
    today = await clinic_today(info, claims.clinic_id)
    listed = await price_line_problems(claims.clinic_id, today, prefix, plan.price_lines, problems)
    if len(plan.catalog_item_ids) > MAX_PLAN_ITEMS:
        problems.append(
            FieldProblem(f"{prefix}.catalogItemIds", f"at most {MAX_PLAN_ITEMS}", Code.TOO_MANY)
        )
        return listed
    if not plan.catalog_item_ids:  # nothing to look up: spare the query
        return listed
    raw = [decode_id(ref, ITEM_ID_TYPE) for ref in plan.catalog_item_ids]
    known = await latest_versions(claims.clinic_id, [r for r in raw if r])
    for index, raw_id in enumerate(raw):
        if raw_id not in known:
            problems.append(
                FieldProblem(
                    f"{prefix}.catalogItemIds[{index}]",
                    "not an item of your catalogue",
                    Code.UNKNOWN_VALUE,
                )
            )
    return listed


async def _billed_currency_problem(
    info: Info[Context, None], plan: PlanInput, problems: list[FieldProblem]
) -> None:
    """The final plan is what the client's bill is made from and paid against: it is priced in
    the currency the clinic bills in (a plan in another could never be paid). Proposals are
    not held to it: they are the consultant's, and the expert's final plan settles the price."""
    claims = info.context.claims
    if claims is None or any(p.field == "finalPlan.currency" for p in problems):
        return
    billed = (await billing_settings(claims.clinic_id)).currency
    if plan.currency != billed:
        problems.append(
            FieldProblem("finalPlan.currency", f"the clinic bills in {billed}", Code.INCONSISTENT)
        )


def _plan_problems(
    prefix: str, plan: PlanInput, problems: list[FieldProblem], *, final: bool = False
) -> int | None:
    """`final`: the expert's plan, whose currency must be the clinic's billing one (checked
    apart), which may be a currency withdrawn since it was set."""
    for name in ("title", "effect", "cycle", "risks", "recovery"):
        problems += check_text(f"{prefix}.{name}", getattr(plan, name), required=True)
    if not plan.items:
        problems.append(FieldProblem(f"{prefix}.items", "name at least one item", Code.REQUIRED))
    problems += check_list(f"{prefix}.items", plan.items, most=MAX_PLAN_ITEMS, limit=MAX_ITEM_TEXT)
    procedure_type = plan.procedure_type
    problems += check_text(f"{prefix}.procedureType", procedure_type, required=False, limit=100)
    check_currency(f"{prefix}.currency", plan.currency, problems, kept=final)
    if plan.price < 0:
        problems.append(FieldProblem(f"{prefix}.price", "cannot be negative", Code.OUT_OF_RANGE))
    return to_minor_units(f"{prefix}.price", plan.price, plan.currency, problems)


def _earlier_treatment_problems(needs: NeedsInput) -> list[FieldProblem]:
    """The consultant says either her earlier treatments, each with roughly when and its
    effect, or that she has had none (seed 003, 3.2): never neither, never both."""
    listed = needs.earlier_treatments or []
    fields = ("needs.earlierTreatments", "needs.noEarlierTreatments")
    problems = said_problems(*fields, len(listed), needs.no_earlier_treatments)
    if problems:
        return problems
    for index, item in enumerate(listed):
        for name in TREATMENT_FIELDS:
            field = f"needs.earlierTreatments[{index}].{name}"
            limit = LIMITS.get(name, MAX_TEXT)
            problems += check_text(field, getattr(item, name), required=True, limit=limit)
    return problems


async def record_consultation(
    info: Info[Context, None], input: RecordConsultationInput
) -> JourneyResult:
    problems: list[FieldProblem] = []
    problems += check_text("occupation", input.occupation, required=True, limit=200)
    problems += check_text("needs.goal", input.needs.goal, required=True)
    problems += check_text("needs.expectation", input.needs.expectation, required=True)
    problems += _earlier_treatment_problems(input.needs)
    if not input.needs.areas:
        problems.append(FieldProblem("needs.areas", "name at least one area", Code.REQUIRED))
    problems += check_list("needs.areas", input.needs.areas, most=MAX_AREAS, limit=MAX_ITEM_TEXT)
    assessment = input.assessment
    for field, text in (
        ("assessment.psychological", assessment.psychological),
        ("assessment.spendingCapacity", assessment.spending_capacity),
        ("assessment.physicalCondition", assessment.physical_condition),
    ):
        # The consultant's three assessments (seed 003, 3.3) are the consultation's substance.
        problems += check_text(field, text, required=True)
    if not 1 <= len(input.plans) <= MAX_PLANS:
        # Refused before any plan is looked at: each one's check reads the price list.
        count = Code.REQUIRED if not input.plans else Code.TOO_MANY
        problems.append(FieldProblem("plans", "propose one to three plans", count))
    else:
        for index, plan in enumerate(input.plans):
            _plan_problems(f"plans[{index}]", plan, problems)
            await _catalog_problems(info, f"plans[{index}]", plan, problems)
    return await run_recorded_action(
        info, input, Action.RECORD_CONSULTATION, problems=problems, record_kind="consultation"
    )


async def request_expert_review(
    info: Info[Context, None], input: RequestExpertReviewInput
) -> JourneyResult:
    problems: list[FieldProblem] = []
    for name in ("goal", "expectation", "history", "help_wanted"):
        problems += check_text(f"briefing.{name}", getattr(input.briefing, name), required=True)
    briefing = input.briefing
    problems += check_text("briefing.priceProtection", briefing.price_protection, required=False)
    problems += check_list(
        "briefing.proposedItems", briefing.proposed_items, most=MAX_PLAN_ITEMS, limit=MAX_ITEM_TEXT
    )
    expert_id = decode_id(input.expert_id, "StaffMember")
    claims = info.context.claims
    # Checked here: the journey's workflow carries the id and cannot look it up itself.
    if claims and not await StaffAccount.exists(
        id=expert_id or "", clinic_id=claims.clinic_id, role=Role.EXPERT.value, active=True
    ):
        problems.append(
            FieldProblem("expertId", "an active expert of this clinic", Code.UNKNOWN_VALUE)
        )
    return await run_recorded_action(
        info,
        input,
        Action.REQUEST_EXPERT_REVIEW,
        problems=problems,
        details=ActionDetails(expert_id=expert_id),
        record_kind="expert_briefing",
    )


async def complete_expert_review(
    info: Info[Context, None], input: CompleteExpertReviewInput
) -> JourneyResult:
    approves = input.decision is ExpertDecision.APPROVE
    # The expert decides the plan, and the points of the joint talk are recorded in full for
    # the expert's signature (seed 003, 5.4): an approval carries them.
    problems: list[FieldProblem] = check_text("points", input.points, required=approves)
    details = ActionDetails(decision=input.decision)
    if approves:
        if input.final_plan is None:
            problems.append(
                FieldProblem("finalPlan", "approval needs the final plan", Code.REQUIRED)
            )
        else:
            details.plan_total_minor = _plan_problems(
                "finalPlan", input.final_plan, problems, final=True
            )
            listed = await _catalog_problems(info, "finalPlan", input.final_plan, problems)
            if details.plan_total_minor == 0 and listed > 0:
                problems.append(
                    FieldProblem("finalPlan.price", FREE_WITH_PRICED_LINES, Code.INCONSISTENT)
                )
            await _billed_currency_problem(info, input.final_plan, problems)
            details.currency = input.final_plan.currency
            details.requires_anesthesia = input.final_plan.requires_anesthesia
            await pin_procedure_type(info, input.final_plan, details, problems)
    else:
        problems += check_text("reason", input.reason, required=True)
    action = (
        Action.APPROVE_PLAN if input.decision is ExpertDecision.APPROVE else Action.REFUSE_MEDICALLY
    )
    return await run_recorded_action(
        info, input, action, problems=problems, details=details, record_kind="expert_review"
    )
