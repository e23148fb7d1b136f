"""A supervisor hands a waiting expert review to another expert of the clinic: the expert asked
has left or is away, and only the expert a review names may decide it."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from domain import errors as domain_errors
from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.journey.facts import ActionDetails, ActionRequest
from domain.journey.table import Action
from domain.roles import Role
from domain.store.models import StaffAccount
from schema import idempotency
from schema.body import record_body
from schema.context import Context
from schema.errors import from_domain, not_authorized
from schema.ids import decode_id
from schema.journeys.actions import (
    JourneyOutcome,
    JourneyResult,
    load_visible_journey,
    refused_by_gate,
    run_action,
    step_refusal,
)
from schema.text import check_text


@strawberry.input
class ReassignExpertReviewInput:
    journey_id: strawberry.ID
    expert_id: strawberry.ID
    reason: str
    idempotency_key: str | None = idempotency.key_field()


async def reassign_expert_review(
    info: Info[Context, None], input: ReassignExpertReviewInput
) -> JourneyResult:
    actor, claims = info.context.actor, info.context.claims
    if actor is None or claims is None:
        return not_authorized()
    problems: list[FieldProblem] = check_text("reason", input.reason, required=True)
    expert_id = decode_id(input.expert_id, "StaffMember")
    # Checked here: the journey's workflow carries the id and cannot look it up itself.
    if not await StaffAccount.exists(
        id=expert_id or "", clinic_id=claims.clinic_id, role=Role.EXPERT.value, active=True
    ):
        problems.append(
            FieldProblem("expertId", "no such active expert in this clinic", Code.UNKNOWN_VALUE)
        )
    details = ActionDetails(expert_id=expert_id)
    row = await load_visible_journey(info, input.journey_id)
    refusal: JourneyOutcome | None
    if row is None:  # `run_action` answers NotFound when the input itself is sound
        refusal = from_domain(domain_errors.ValidationFailed(problems)) if problems else None
    else:
        request = ActionRequest(Action.REASSIGN_EXPERT_REVIEW, actor, details)
        refusal = await refused_by_gate(info, row, request, problems)
    # A retry of a reassignment that went through is answered as the first time, though the
    # review now names the expert it asks for (or that expert has left since).
    refused = await step_refusal(info, input, refusal)
    if refused is not None:
        return refused
    return await run_action(
        info,
        input,
        Action.REASSIGN_EXPERT_REVIEW,
        details,
        record_kind="expert_review_reassignment",
        record_body=record_body(input),
    )
