"""Supervisor actions on a journey, each recorded as an event: reassign, nudge, escalate, close."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.journey.facts import ActionDetails
from domain.journey.stages import Stage
from domain.journey.table import Action
from domain.roles import Role
from domain.store.models import StaffAccount
from schema import idempotency
from schema.context import Context
from schema.ids import decode_id
from schema.journeys.actions import (
    JourneyResult,
    load_visible_journey,
    run_noted_action,
    run_recorded_action,
)
from schema.text import check_text


@strawberry.input
class ReassignJourneyInput:
    journey_id: strawberry.ID
    consultant_id: strawberry.ID
    reason: str
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input
class SupervisorNoteInput:
    journey_id: strawberry.ID
    note: str
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input
class SupervisorCloseInput:
    journey_id: strawberry.ID
    reason: str
    idempotency_key: str | None = idempotency.key_field()


async def reassign_journey(info: Info[Context, None], input: ReassignJourneyInput) -> JourneyResult:
    problems: list[FieldProblem] = check_text("reason", input.reason, required=True)
    consultant_id = decode_id(input.consultant_id, "StaffMember")
    claims = info.context.claims
    clinic_id = claims.clinic_id if claims else ""
    account = consultant_id and await StaffAccount.get_or_none(
        id=consultant_id, clinic_id=clinic_id, active=True, role=Role.CONSULTANT.value
    )
    if not account:
        problems.append(
            FieldProblem(
                "consultantId", "no such active consultant in this clinic", Code.UNKNOWN_VALUE
            )
        )
    return await run_recorded_action(
        info,
        input,
        Action.REASSIGN,
        problems=problems,
        details=ActionDetails(consultant_id=consultant_id),
        record_kind="reassignment",
    )


async def nudge_journey(info: Info[Context, None], input: SupervisorNoteInput) -> JourneyResult:
    return await _noted(info, input, Action.NUDGE)


async def escalate_journey(info: Info[Context, None], input: SupervisorNoteInput) -> JourneyResult:
    return await _noted(info, input, Action.ESCALATE)


async def _noted(
    info: Info[Context, None], input: SupervisorNoteInput, action: Action
) -> JourneyResult:
    return await run_noted_action(info, input, action, field="note", text=input.note, required=True)


async def close_journey(info: Info[Context, None], input: SupervisorCloseInput) -> JourneyResult:
    """Closes a journey for good: follow-ups closed as completed, anything earlier cancelled."""
    row = await load_visible_journey(info, input.journey_id)
    in_follow_up = row is not None and row.stage == Stage.FOLLOW_UP.value
    action = Action.CLOSE_FOLLOW_UPS if in_follow_up else Action.CLOSE
    return await run_noted_action(
        info,
        input,
        action,
        field="reason",
        text=input.reason,
        required=True,
        record_kind="closure",
    )
