"""The desk's journey steps: check the client in, assign, cancel, record a no-show."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.journey.facts import ActionDetails
from domain.journey.recheck_owner import assignment_details
from domain.journey.stages import VisitCategory
from domain.journey.table import Action
from domain.roles import Role, known_role
from domain.store import records
from domain.store.models import Journey as JourneyRow
from domain.store.models import StaffAccount
from schema import idempotency
from schema.context import Context
from schema.errors import from_domain, not_authorized
from schema.ids import decode_id
from schema.journeys.actions import (
    JourneyResult,
    load_visible_journey,
    run_action,
    run_noted_action,
    step_refusal,
)
from schema.journeys.steps_in_flight import step_on_journey
from schema.triage.assign import AutoAssignInput, triage
from schema.triage.pick import tell_desk_of_pick
from schema.triage.released import back_to_triage


@strawberry.input
class JourneyStepInput:
    journey_id: strawberry.ID
    note: str | None = None
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input
class AssignConsultantInput:
    journey_id: strawberry.ID
    consultant_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The consultant (or, for a recheck, the treating doctor or nurse: on a "
        "recheck opened from another journey they examine as its expert and the owning "
        "consultant keeps it); omitted: the clinic's triage desk chooses (see autoAssign).",
    )
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input
class CancelJourneyInput:
    journey_id: strawberry.ID
    reason: str
    by_client: bool = strawberry.field(
        default=False, description="The client declined (outcome DECLINED) vs clinic cancelled."
    )
    idempotency_key: str | None = idempotency.key_field()


async def _staff_problem(raw_id: str | None, clinic_id: str, roles: set[Role]) -> str | None:
    account = raw_id and await StaffAccount.get_or_none(id=raw_id, clinic_id=clinic_id, active=True)
    if not account:
        return "no such active staff member in this clinic"
    if known_role(account.role) not in roles:
        return "must be one of: " + ", ".join(sorted(r.value for r in roles))
    return None


async def assign_consultant(
    info: Info[Context, None], input: AssignConsultantInput
) -> JourneyResult:
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    if input.consultant_id is None:
        by_desk = AutoAssignInput(
            journey_id=input.journey_id, idempotency_key=input.idempotency_key
        )
        return (await triage(info, by_desk))[0]  # type: ignore[return-value]
    bad_key = records.key_problem(idempotency.key_of(input))
    if bad_key:  # before the desk hears of the pick
        return from_domain(DomainValidationFailed([bad_key]))
    consultant_id = decode_id(input.consultant_id, "StaffMember")
    row = await load_visible_journey(info, input.journey_id)
    recheck = row is not None and row.visit_category == "RECHECK"
    roles = {Role.EXPERT, Role.NURSE} if recheck else {Role.CONSULTANT}
    problem = await _staff_problem(consultant_id, claims.clinic_id, roles)
    # A retry of an assignment that went through is answered, though the consultant left since.
    if problem:
        unknown = from_domain(
            DomainValidationFailed([FieldProblem("consultantId", problem, Code.UNKNOWN_VALUE)])
        )
        refused = await step_refusal(info, input, unknown)
        if refused is not None:
            return refused
    if row is None or consultant_id is None or recheck:
        details = _assignment(row, consultant_id)
        return await run_action(info, input, Action.ASSIGN_CONSULTANT, details)
    # Counted before the key is claimed and the desk hears of the pick: at the bound, nothing
    # is claimed or told (`schema.journeys.steps_in_flight`).
    picked: JourneyRow = row
    return await step_on_journey(
        info.context, row.id, lambda: _assign_picked(info, input, picked, consultant_id)
    )


async def _assign_picked(
    info: Info[Context, None], input: AssignConsultantInput, row: JourneyRow, consultant_id: str
) -> JourneyResult:
    """`assignConsultant` with a consultant on a journey the caller sees, once its step is
    counted: the desk hears of the pick (when it has a stake in it), then the journey's step."""
    claims = info.context.claims
    assert claims is not None  # `assign_consultant` answered a caller without one
    # Claimed before the desk hears of the pick: a key used for another request changes
    # nothing on the desk either, and a retry of this one does not tell it twice.
    ledger = await idempotency.claim(info, claims.account_id, input)
    first = idempotency.answered(ledger)
    if idempotency.reused(ledger) or first not in (None, row.id):
        return idempotency.conflict()
    # A client the desk's day released, whose journey never heard of it, goes back first.
    returned = await back_to_triage(info, row) if first is None else row
    if not isinstance(returned, JourneyRow):
        return returned
    row = returned
    refusal = await tell_desk_of_pick(info, row, consultant_id) if first is None else None
    if refusal is not None:
        return refusal
    details = _assignment(row, consultant_id)
    return await run_action(info, input, Action.ASSIGN_CONSULTANT, details, claimed=ledger)


def _assignment(row: JourneyRow | None, consultant_id: str | None) -> ActionDetails:
    if row is None or consultant_id is None:
        return ActionDetails(consultant_id=consultant_id)
    category, linked = VisitCategory(row.visit_category), row.facts.get("linked_journey_id")
    return assignment_details(category, linked, row.consultant_id, consultant_id)


async def check_in(info: Info[Context, None], input: JourneyStepInput) -> JourneyResult:
    return await _step(info, input, Action.CHECK_IN)


async def mark_no_show(info: Info[Context, None], input: JourneyStepInput) -> JourneyResult:
    return await _step(info, input, Action.MARK_NO_SHOW)


async def _step(
    info: Info[Context, None], input: JourneyStepInput, action: Action
) -> JourneyResult:
    return await run_noted_action(
        info, input, action, field="note", text=input.note, required=False
    )


async def cancel_journey(info: Info[Context, None], input: CancelJourneyInput) -> JourneyResult:
    action = Action.DECLINE if input.by_client else Action.CANCEL
    return await run_noted_action(
        info,
        input,
        action,
        field="reason",
        text=input.reason,
        required=True,
        record_kind="cancellation",
    )
