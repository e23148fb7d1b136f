"""Triage through the desk: `autoAssign` (and `assignConsultant` without a consultant), `placeVip`.

The desk decides first (one workflow per clinic, so no turn is lost or taken twice), then the
journey's own ASSIGN_CONSULTANT action runs with the chosen consultant. A repeated call for the
same journey gets the desk's first answer: the desk decides each journey once.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.errors import DomainError, TransitionNotAllowed
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.journey.facts import ActionDetails
from domain.journey.stages import Stage, VisitCategory
from domain.journey.table import Action
from domain.store import records
from domain.store.drafts import attached_record
from domain.store.models import Client as ClientRow
from domain.store.models import Journey as JourneyRow
from domain.store.models import StaffAccount
from domain.store.triage_models import OwnershipTransfer
from domain.store.triage_projection import current_owner
from domain.triage.commands import ArriveCommand, OverrideCommand, OverrideKind
from domain.triage.decision import Arrival, Decision, Route
from schema.context import Context
from schema.errors import (
    Conflict,
    NotAuthorized,
    NotFound,
    ValidationFailed,
    from_domain,
    not_authorized,
    not_found,
)
from schema.errors import TransitionNotAllowed as TransitionNotAllowedType
from schema.ids import decode_id
from schema.journeys.actions import JourneyOutcome, JourneyPayload, load_visible_journey, run_action
from schema.journeys.types import Journey
from schema.triage.desk import consultant, gateway_for, unknown_consultant, update_id
from schema.triage.types import TriageDecision


@strawberry.input
class AutoAssignInput:
    journey_id: strawberry.ID
    items: list[str] = strawberry.field(default_factory=list, description="Item codes asked for.")
    referred_by_client_id: strawberry.ID | None = strawberry.field(
        default=None, description="The existing client who referred them, if found in the records."
    )
    partner_consultant_id: strawberry.ID | None = strawberry.field(
        default=None, description="An A-class partner's designated consultant."
    )
    companion_of_journey_id: strawberry.ID | None = None
    same_consultant: bool = strawberry.field(default=False, description="The group asked for one.")
    invalid: bool = strawberry.field(default=False, description="Item not offered / ruled out.")
    idempotency_key: str | None = None


@strawberry.input
class PlaceVipInput:
    journey_id: strawberry.ID
    consultant_id: strawberry.ID
    reason: str
    idempotency_key: str | None = None


@strawberry.type(description="The journey after triage, and the desk's decision with its reasons.")
class AutoAssignPayload:
    journey: Journey
    decision: TriageDecision


AutoAssignOutcome = (
    AutoAssignPayload
    | TransitionNotAllowedType
    | NotAuthorized
    | ValidationFailed
    | NotFound
    | Conflict
)
AutoAssignResult = Annotated[AutoAssignOutcome, strawberry.union("AutoAssignResult")]


async def _owner(client_id: str) -> tuple[str | None, bool]:
    owner = await current_owner(client_id)
    departed = owner is not None and not await StaffAccount.exists(id=owner, active=True)
    return owner, departed


async def _arrival(row: JourneyRow, input: AutoAssignInput) -> Arrival:
    owner, departed = await _owner(row.client_id)
    referrer = decode_id(input.referred_by_client_id or "", "Client")
    # Only a client of this clinic can be the referrer: another clinic's records are not ours.
    if referrer and not await ClientRow.exists(id=referrer, clinic_id=row.clinic_id):
        referrer = None
    referrer_consultant = (await _owner(referrer))[0] if referrer else None
    return Arrival(
        journey_id=row.id,
        client_id=row.client_id,
        category=VisitCategory(row.visit_category),
        items=tuple(item.strip().lower() for item in input.items if item.strip()),
        owner_id=owner,
        owner_departed=departed,
        # An owner with no transfer on record can only come from a lead's earliest contact.
        owner_from_lead=owner is not None
        and not await OwnershipTransfer.exists(client_id=row.client_id),
        referrer_consultant_id=referrer_consultant,
        partner_consultant_id=decode_id(input.partner_consultant_id or "", "StaffMember"),
        companion_of=decode_id(input.companion_of_journey_id or "", "Journey"),
        same_consultant=input.same_consultant,
        invalid=input.invalid,
    )


async def category_reason(journey_id: str) -> str | None:
    # The record the opening event attached; a failed attempt's draft is never read.
    record = await attached_record(journey_id, "reception")
    body = record.body if record else None
    return body.get("category_reason") if isinstance(body, dict) else None


async def triage(
    info: Info[Context, None], input: AutoAssignInput
) -> tuple[AutoAssignOutcome | JourneyOutcome, Decision | None, JourneyRow | None]:
    actor, claims = info.context.actor, info.context.claims
    if actor is None or claims is None:
        return not_authorized(), None, None
    row = await load_visible_journey(info, input.journey_id)
    if row is None:
        return not_found("journey"), None, None
    key = input.idempotency_key
    bad_key = records.key_problem(key)
    if bad_key:
        return from_domain(DomainValidationFailed([bad_key])), None, row
    earlier = await records.remembered_result(actor.user_id, key) if key else None
    # A key used for another request is refused before the desk hears of it (it would count
    # a turn); a retry of this journey's assignment is answered by the desk replaying its
    # decision and by the journey's own ledger.
    if earlier is not None and (
        earlier.operation != Action.ASSIGN_CONSULTANT.value or earlier.result_id != row.id
    ):
        return from_domain(records.key_reused()), None, row
    retried = earlier is not None
    if row.stage != Stage.TRIAGE.value and not retried:
        refusal = TransitionNotAllowed(f"the journey is not at triage ({row.stage})")
        return from_domain(refusal, Stage(row.stage)), None, row
    gateway = await gateway_for(info, claims.clinic_id)
    command = ArriveCommand(actor, await _arrival(row, input))
    try:
        reply = await gateway.arrive(claims.clinic_id, command, update_id(actor.user_id, None))
    except DomainError as error:
        return from_domain(error, Stage(row.stage)), None, row
    decision = reply.decision
    if decision is None or decision.consultant_id is None:
        reason = decision.reason if decision else "the desk could not decide"
        return from_domain(TransitionNotAllowed(reason), Stage(row.stage)), decision, row
    outcome = await run_action(
        info,
        input.journey_id,
        Action.ASSIGN_CONSULTANT,
        ActionDetails(consultant_id=decision.consultant_id),
        idempotency_key=input.idempotency_key,
    )
    return outcome, decision, row


async def auto_assign(info: Info[Context, None], input: AutoAssignInput) -> AutoAssignResult:
    outcome, decision, row = await triage(info, input)
    if isinstance(outcome, JourneyPayload) and decision is not None and row is not None:
        why = await category_reason(row.id)
        category = VisitCategory(row.visit_category)
        return AutoAssignPayload(
            journey=outcome.journey, decision=TriageDecision.build(decision, category, why)
        )
    assert not isinstance(outcome, JourneyPayload)
    return outcome


async def place_vip(info: Info[Context, None], input: PlaceVipInput) -> AutoAssignResult:
    actor, claims = info.context.actor, info.context.claims
    if actor is None or claims is None:
        return not_authorized()
    row = await load_visible_journey(info, input.journey_id)
    if row is None:
        return not_found("journey")
    raw = await consultant(input.consultant_id, claims.clinic_id)
    if raw is None:
        return unknown_consultant()
    bad_key = records.key_problem(input.idempotency_key)
    if bad_key:
        return from_domain(DomainValidationFailed([bad_key]))
    earlier = (
        await records.remembered_result(actor.user_id, input.idempotency_key)
        if input.idempotency_key
        else None
    )
    if earlier is not None and earlier.result_id != row.id:
        return from_domain(records.key_reused())
    # The desk is told only about a journey that can still be placed: at triage, or a retry.
    if row.stage != Stage.TRIAGE.value and earlier is None:
        refusal = TransitionNotAllowed(f"the journey is not at triage ({row.stage})")
        return from_domain(refusal, Stage(row.stage))
    command = OverrideCommand(
        actor,
        OverrideKind.PLACE_VIP,
        input.reason,
        journey_id=row.id,
        client_id=row.client_id,
        consultant_id=raw,
        client_has_owner=await current_owner(row.client_id) is not None,
    )
    gateway = await gateway_for(info, claims.clinic_id)
    try:
        await gateway.override(
            claims.clinic_id, command, update_id(actor.user_id, input.idempotency_key)
        )
    except DomainError as error:
        return from_domain(error, Stage(row.stage))
    outcome = await run_action(
        info,
        input.journey_id,
        Action.ASSIGN_CONSULTANT,
        ActionDetails(consultant_id=raw),
        idempotency_key=input.idempotency_key,
    )
    if not isinstance(outcome, JourneyPayload):
        return outcome
    decision = Decision(raw, False, Route.VIP, f"VIP: {input.reason}", "supervisor")
    category = VisitCategory(row.visit_category)
    return AutoAssignPayload(
        journey=outcome.journey, decision=TriageDecision.build(decision, category, None)
    )
