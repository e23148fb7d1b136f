"""Reception and triage: start a journey, check the client in, assign, cancel, no-show."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import strawberry
from strawberry.types import Info

from domain.errors import FieldProblem
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.journey.facts import ActionDetails, JourneyStart
from domain.journey.followups import DEFAULT_FOLLOW_UP_OFFSETS
from domain.journey.stages import ArrivalChannel
from domain.journey.table import ROLES, Action
from domain.roles import Role
from domain.store import records
from domain.store.history import client_history
from domain.store.models import Client as ClientRow
from domain.store.models import Clinic, StaffAccount
from domain.store.models import Journey as JourneyRow
from domain.visits import categorise
from schema.context import Context
from schema.errors import from_domain, invalid, not_authorized, not_found
from schema.ids import decode_id
from schema.journeys.actions import JourneyPayload, JourneyResult, run_action, run_noted_action
from schema.journeys.types import Journey
from schema.text import check_text
from schema.triage.assign import AutoAssignInput, triage


@strawberry.input
class StartJourneyInput:
    client_id: strawberry.ID
    channel: ArrivalChannel = ArrivalChannel.WALK_IN
    checked_in: bool = strawberry.field(
        default=True, description="Walk-in: at the desk now. False for a booking."
    )
    recheck: bool = strawberry.field(default=False, description="Comes for a recheck.")
    new_questions: bool = strawberry.field(
        default=False, description="A recheck that also wants a new consultation."
    )
    other: bool = strawberry.field(default=False, description="Category 'other' (seed 004).")
    reason: str | None = strawberry.field(default=None, description="What the client asks for.")
    idempotency_key: str | None = None


@strawberry.input
class JourneyStepInput:
    journey_id: strawberry.ID
    note: str | None = None
    idempotency_key: str | None = None


@strawberry.input
class AssignConsultantInput:
    journey_id: strawberry.ID
    consultant_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The consultant (or, for a recheck, the treating doctor or nurse); "
        "omitted: the clinic's triage desk chooses (see autoAssign).",
    )
    idempotency_key: str | None = None


@strawberry.input
class CancelJourneyInput:
    journey_id: strawberry.ID
    reason: str
    by_client: bool = strawberry.field(
        default=False, description="The client declined (outcome DECLINED) vs clinic cancelled."
    )
    idempotency_key: str | None = None


async def clinic_sla_overrides(clinic_id: str) -> dict[str, int]:
    clinic = await Clinic.get_or_none(id=clinic_id)
    return dict(clinic.stage_slas or {}) if clinic else {}


def _is_minor(birth: date, today: date) -> bool:
    return (today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))) < 18


async def start_journey(info: Info[Context, None], input: StartJourneyInput) -> JourneyResult:
    actor = info.context.actor
    claims = info.context.claims
    if actor is None or claims is None:
        return not_authorized()
    if actor.role not in ROLES[Action.CHECK_IN]:
        return not_authorized("starting a journey needs FRONT_DESK or SUPERVISOR")
    problems = check_text("reason", input.reason, required=False)
    if problems:
        return from_domain(DomainValidationFailed(problems))
    client_id = decode_id(input.client_id, "Client")
    client = client_id and await ClientRow.get_or_none(id=client_id, clinic_id=claims.clinic_id)
    if not client:
        return not_found("client")
    if input.idempotency_key:
        earlier = await records.remembered_result(actor.user_id, input.idempotency_key)
        if earlier is not None:
            row = await JourneyRow.get_or_none(id=earlier.result_id)
            if earlier.operation != "start_journey" or row is None or row.client_id != client.id:
                return from_domain(records.key_reused())
            return JourneyPayload(journey=Journey.from_row(row))
    if await JourneyRow.exists(client_id=client.id, active=True):
        return invalid("clientId", "the client already has an active journey")

    history = await client_history(client.id)
    decision = categorise(
        history, wants_recheck=input.recheck, other=input.other, new_questions=input.new_questions
    )
    journey_id = str(uuid.uuid4())
    body = {
        "reason": input.reason,
        "category_reason": decision.reason,
        "channel": input.channel.value,
    }
    record_id = await records.draft_record(journey_id, "reception", body, actor.user_id)
    start = JourneyStart(
        journey_id=journey_id,
        clinic_id=claims.clinic_id,
        client_id=client.id,
        visit_category=decision.category,
        channel=input.channel,
        client_is_minor=_is_minor(client.birth_date, datetime.now(UTC).date()),
        started_by=actor,
        checked_in=input.checked_in,
        follow_up_offsets=list(info.context.config.follow_up_offsets or DEFAULT_FOLLOW_UP_OFFSETS),
        record_id=record_id,
        sla_overrides=await clinic_sla_overrides(claims.clinic_id),
    )
    try:
        await info.context.gateway.start(start)
    except Exception:
        await records.discard_unattached(record_id)
        raise
    if input.idempotency_key:
        await records.remember_result(
            actor.user_id, input.idempotency_key, "start_journey", journey_id
        )
    return JourneyPayload(journey=Journey.from_row(await JourneyRow.get(id=journey_id)))


async def _staff_problem(raw_id: str | None, clinic_id: str, roles: set[Role]) -> str | None:
    account = raw_id and await StaffAccount.get_or_none(id=raw_id, clinic_id=clinic_id, active=True)
    if not account:
        return "no such active staff member in this clinic"
    if Role(account.role) not in roles:
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
    consultant_id = decode_id(input.consultant_id, "StaffMember")
    row = await JourneyRow.get_or_none(id=decode_id(input.journey_id, "Journey") or "")
    recheck = row is not None and row.visit_category == "RECHECK"
    roles = {Role.EXPERT, Role.NURSE} if recheck else {Role.CONSULTANT}
    problem = await _staff_problem(consultant_id, claims.clinic_id, roles)
    if problem:
        return from_domain(DomainValidationFailed([FieldProblem("consultantId", problem)]))
    return await run_action(
        info,
        input.journey_id,
        Action.ASSIGN_CONSULTANT,
        ActionDetails(consultant_id=consultant_id),
        idempotency_key=input.idempotency_key,
    )


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
