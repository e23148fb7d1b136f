"""Desk mutations: duty, status, scope, order, acceptance and the supervisor's overrides.

Each returns the board or a typed error; who may do what is decided by the desk's own gate.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import strawberry
from strawberry.types import Info

from domain.journey.facts import Actor
from domain.store.models import Journey as JourneyRow
from domain.triage.bounds import MAX_ASKED_ITEMS, codes_problem, correction_problem, item_codes
from domain.triage.commands import (
    AcceptCommand,
    OrderCommand,
    OverrideCommand,
    OverrideKind,
    SeatCommand,
)
from domain.triage.desk import SeatStatus
from domain.triage.revenue import CreditRule
from schema import idempotency
from schema.context import Context
from schema.errors import (
    Conflict,
    NotAuthorized,
    NotFound,
    ValidationFailed,
    from_problem,
    not_authorized,
    not_found,
)
from schema.ids import decode_id
from schema.triage.desk import (
    DeskOutcome,
    TriageResult,
    consultant,
    consultant_list,
    desk_change,
    desk_note_problem,
    refused,
    unknown_consultant,
)
from schema.triage.item_catalog import unknown_code
from schema.triage.released import released_at_day_end

ReassignRule = strawberry.enum(CreditRule, name="ReassignRule")


async def clinic_journey(global_id: str | None, clinic_id: str) -> str | None:
    """The raw id of a journey of this clinic, or None: the desk is told ids it can trust."""
    raw = decode_id(global_id or "", "Journey")
    return raw if raw and await JourneyRow.exists(id=raw, clinic_id=clinic_id) else None


@dataclass(frozen=True)
class DeskJourney:
    """Who asks the desk about one of the clinic's journeys, and the journey's raw id."""

    actor: Actor
    clinic_id: str
    journey_id: str


async def desk_journey(
    info: Info[Context, None], input: Any
) -> DeskJourney | NotAuthorized | NotFound | Conflict:
    """The caller and the journey `input.journey_id` names in their clinic; else the refusal,
    or `Conflict` when the request's key stands for another request."""
    actor, claims = info.context.actor, info.context.claims
    if actor is None or claims is None:
        return not_authorized()
    journey_id = await clinic_journey(input.journey_id, claims.clinic_id)
    if journey_id is None:
        unknown = not_found("journey")
        return await idempotency.refusal_or_conflict(info, actor.user_id, input, unknown)
    return DeskJourney(actor, claims.clinic_id, journey_id)


@strawberry.input
class SeatInput:
    consultant_id: strawberry.ID
    reason: str
    on_duty: bool | None = None
    status: SeatStatus | None = None
    scope: list[str] | None = strawberry.field(
        default=None,
        description="Item codes, at most 50, each one word of at most 64 characters ("
        "letters, digits, _ . or -, with a letter) and a code of the clinic's price list; "
        "[] = all.",
    )
    delegate_id: strawberry.ID | None = strawberry.field(
        default=None, description="Who takes this consultant's own clients while off post."
    )
    clear_delegate: bool = False
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input
class RotationOrderInput:
    consultant_ids: list[strawberry.ID]
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input
class AcceptClientInput:
    journey_id: strawberry.ID
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input
class DeskOverrideInput:
    reason: str
    journey_id: strawberry.ID | None = None
    consultant_id: strawberry.ID | None = None
    rule: CreditRule | None = strawberry.field(default=None, description="REASSIGN: why.")
    amends_seq: int | None = strawberry.field(default=None, description="CORRECT: the entry.")
    turns_delta: int = 0
    makeup_delta: int = 0
    successor_id: strawberry.ID | None = strawberry.field(
        default=None, description="CONSULTANT_LEFT: who takes the clients; null = rotation."
    )
    idempotency_key: str | None = idempotency.key_field()


async def update_seat(info: Info[Context, None], input: SeatInput) -> TriageResult:
    actor, claims = info.context.actor, info.context.claims
    if actor is None or claims is None:
        return not_authorized()
    raw = await consultant(input.consultant_id, claims.clinic_id)
    if raw is None:
        return await refused(info, input, unknown_consultant())
    bad_reason = desk_note_problem("reason", input.reason)
    if bad_reason:
        return bad_reason
    scope = None if input.scope is None else list(item_codes(input.scope))
    too_wide = codes_problem("scope", scope, MAX_ASKED_ITEMS)
    if too_wide:
        return from_problem(too_wide)
    unlisted = await unknown_code("scope", scope, claims.clinic_id)
    if unlisted:  # (a retry of a change the desk took before codes were looked up is answered)
        return await refused(info, input, from_problem(unlisted))
    delegate = await consultant(input.delegate_id, claims.clinic_id)
    if input.delegate_id is not None and delegate is None:
        return await refused(info, input, unknown_consultant("delegateId"))
    command = SeatCommand(
        actor,
        raw,
        on_duty=input.on_duty,
        status=input.status,
        scope=scope,
        delegate_id="" if input.clear_delegate else delegate,
    )
    return await desk_change(
        info,
        "update_seat",
        input,
        lambda gateway, clinic, key, note: gateway.change_seat(
            clinic, replace(command, note_id=note), key
        ),
        note=input.reason,
    )


async def set_rotation_order(info: Info[Context, None], input: RotationOrderInput) -> TriageResult:
    actor, claims = info.context.actor, info.context.claims
    if actor is None or claims is None:
        return not_authorized()
    ids = await consultant_list(input.consultant_ids, claims.clinic_id, active=False)
    if isinstance(ids, ValidationFailed):
        return await refused(info, input, ids)
    command = OrderCommand(actor, ids)
    return await desk_change(
        info,
        "set_rotation_order",
        input,
        lambda gateway, clinic, key, _: gateway.set_order(clinic, command, key),
    )


async def accept_client(info: Info[Context, None], input: AcceptClientInput) -> TriageResult:
    asked = await desk_journey(info, input)
    if not isinstance(asked, DeskJourney):
        return asked
    released = await released_at_day_end(asked.clinic_id, asked.journey_id, asked.actor)
    if released is not None:
        return await refused(info, input, released)
    command = AcceptCommand(asked.actor, asked.journey_id)
    return await desk_change(
        info,
        "accept_client",
        input,
        lambda gateway, clinic, key, _: gateway.accept(clinic, command, key),
    )


async def override_desk(
    info: Info[Context, None], input: DeskOverrideInput, kind: OverrideKind
) -> DeskOutcome:
    actor, claims = info.context.actor, info.context.claims
    if actor is None or claims is None:
        return not_authorized()
    leaving = kind is OverrideKind.CONSULTANT_LEFT
    raw = await consultant(input.consultant_id, claims.clinic_id, active=not leaving)
    if input.consultant_id is not None and raw is None:
        return await refused(info, input, unknown_consultant())
    successor = await consultant(input.successor_id, claims.clinic_id)
    if input.successor_id is not None and successor is None:
        return await refused(info, input, unknown_consultant("successorId"))
    journey_id = await clinic_journey(input.journey_id, claims.clinic_id)
    if input.journey_id is not None and journey_id is None:
        unknown = not_found("journey")
        return await idempotency.refusal_or_conflict(info, actor.user_id, input, unknown)
    bad_reason = desk_note_problem("reason", input.reason)
    if bad_reason:
        return bad_reason
    too_far = correction_problem("turnsDelta", input.turns_delta) or correction_problem(
        "makeupDelta", input.makeup_delta
    )
    if too_far:
        return from_problem(too_far)
    command = OverrideCommand(
        actor,
        kind,
        journey_id=journey_id,
        consultant_id=raw,
        rule=input.rule,
        amends_seq=input.amends_seq,
        turns_delta=input.turns_delta,
        makeup_delta=input.makeup_delta,
        successor_id=successor,
    )
    return await desk_change(
        info,
        f"override_{kind.value.lower()}",
        input,
        lambda gateway, clinic, key, note: gateway.override(
            clinic, replace(command, note_id=note), key
        ),
        note=input.reason,
    )


async def reassign_client(info: Info[Context, None], input: DeskOverrideInput) -> TriageResult:
    return await override_desk(info, input, OverrideKind.REASSIGN)


async def correct_desk_record(info: Info[Context, None], input: DeskOverrideInput) -> TriageResult:
    return await override_desk(info, input, OverrideKind.CORRECT)


async def consultant_left(info: Info[Context, None], input: DeskOverrideInput) -> TriageResult:
    return await override_desk(info, input, OverrideKind.CONSULTANT_LEFT)
