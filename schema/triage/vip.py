"""`placeVip`: the supervisor places a client outside the rotation (officials, partners, free
case studies: seed 004's VIPs). Not a turn: the desk logs the placement without counting it, and
the journey's own ASSIGN_CONSULTANT action runs with the consultant named.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from domain.errors import DomainError, TransitionNotAllowed
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.journey.facts import ActionDetails
from domain.journey.stages import Stage, VisitCategory
from domain.journey.table import Action
from domain.store import records
from domain.store.desk_notes import draft_note
from domain.store.models import Journey as JourneyRow
from domain.store.records import KeyClaim
from domain.store.triage_projection import current_owner
from domain.triage.commands import OverrideCommand, OverrideKind
from domain.triage.decision import Decision, Route
from schema import idempotency
from schema.catalog.types import ContraindicationFound
from schema.context import Context
from schema.errors import (
    from_domain,
    not_authorized,
    not_found,
)
from schema.journeys.actions import (
    JourneyPayload,
    load_visible_journey,
    run_action,
    step_refusal,
)
from schema.journeys.steps_in_flight import step_on_journey
from schema.triage.assign import AutoAssignPayload, AutoAssignResult, got_through
from schema.triage.desk import (
    consultant,
    desk_note_problem,
    desk_took,
    desk_update_id,
    gateway_for,
    unknown_consultant,
)
from schema.triage.released import back_to_triage
from schema.triage.types import TriageDecision


@strawberry.input
class PlaceVipInput:
    journey_id: strawberry.ID
    consultant_id: strawberry.ID
    reason: str
    idempotency_key: str | None = idempotency.key_field()


async def place_vip(info: Info[Context, None], input: PlaceVipInput) -> AutoAssignResult:
    actor, claims = info.context.actor, info.context.claims
    if actor is None or claims is None:
        return not_authorized()
    row = await load_visible_journey(info, input.journey_id)
    if row is None:
        return await idempotency.refusal_or_conflict(
            info, actor.user_id, input, not_found("journey")
        )
    raw = await consultant(input.consultant_id, claims.clinic_id)
    # A retry of a placement that went through is answered, though the consultant left since.
    # (Temporal not saying whether it went through answers `Unavailable`: the key stays open.)
    if raw is None:
        consultant_left = await step_refusal(info, input, unknown_consultant())
        if consultant_left is not None:
            return consultant_left
        raw = await consultant(input.consultant_id, claims.clinic_id, active=False)
    if raw is None:
        return unknown_consultant()
    bad_reason = desk_note_problem("reason", input.reason)
    if bad_reason:
        return bad_reason
    bad_key = records.key_problem(input.idempotency_key)
    if bad_key:
        return from_domain(DomainValidationFailed([bad_key]))
    # Counted before the key is claimed and the desk is told (`steps_in_flight`), as `triage`.
    placed_row, consultant_id = row, raw
    return await step_on_journey(
        info.context, row.id, lambda: _place_counted(info, input, placed_row, consultant_id)
    )


async def _place_counted(
    info: Info[Context, None], input: PlaceVipInput, row: JourneyRow, raw: str
) -> AutoAssignResult:
    """`placeVip` once the journey's step is counted: the key's claim, the desk's placement
    (with the consultant `raw`), the journey's step."""
    actor, claims = info.context.actor, info.context.claims
    assert actor is not None and claims is not None  # `place_vip` answered a caller without them
    ledger = await idempotency.claim(info, actor.user_id, input)
    if idempotency.reused(ledger) or idempotency.answered(ledger) not in (None, row.id):
        return idempotency.conflict()

    # The desk is told only about a journey that can still be placed: at triage, or a retry
    # whose first attempt got through (the desk took its update: it is told under the key).
    async def desk_took_it(earlier: KeyClaim) -> bool:
        key = idempotency.key_of(input)
        return key is not None and await desk_took(
            info, claims.clinic_id, actor.user_id, key, earlier
        )

    # A client the desk's day released, whose journey never heard of it, goes back first.
    returned = await back_to_triage(info, row)
    if not isinstance(returned, JourneyRow):
        return returned
    row = returned
    if row.stage != Stage.TRIAGE.value and not await got_through(ledger, desk_took_it):
        refusal = TransitionNotAllowed(f"the journey is not at triage ({row.stage})")
        return from_domain(refusal, Stage(row.stage))
    # A retry of a placement that finished is answered from the ledger, never sent to the desk
    # again: the desk knows update ids only within a day's run and its latest 200 answers, and
    # would judge a later one afresh.
    if idempotency.answered(ledger) is None:
        refused = await _tell_desk_of_vip(info, input, row, raw, ledger)
        if refused is not None:
            return refused
    outcome = await run_action(
        info, input, Action.ASSIGN_CONSULTANT, ActionDetails(consultant_id=raw), claimed=ledger
    )
    if not isinstance(outcome, JourneyPayload):
        assert not isinstance(outcome, ContraindicationFound)  # no record is checked here
        return outcome
    decision = Decision(raw, False, Route.VIP, f"VIP: {input.reason}", "supervisor")
    category = VisitCategory(row.visit_category)
    return AutoAssignPayload(
        journey=outcome.journey, decision=TriageDecision.build(decision, category, None)
    )


async def _tell_desk_of_vip(
    info: Info[Context, None],
    input: PlaceVipInput,
    row: JourneyRow,
    consultant_id: str,
    ledger: KeyClaim | None,
) -> AutoAssignResult | None:
    """The desk places the client with the consultant; None when it did, else its refusal."""
    actor, claims = info.context.actor, info.context.claims
    assert actor is not None and claims is not None  # place_vip answered these
    gateway = await gateway_for(info, claims.clinic_id)
    key = input.idempotency_key
    desk_update = await desk_update_id(gateway, claims.clinic_id, actor.user_id, key, ledger)
    note_id = await draft_note(
        desk_update,
        clinic_id=claims.clinic_id,
        author_id=actor.user_id,
        operation="place_vip",
        text=input.reason.strip(),
    )
    command = OverrideCommand(
        actor,
        OverrideKind.PLACE_VIP,
        note_id,
        journey_id=row.id,
        client_id=row.client_id,
        consultant_id=consultant_id,
        client_has_owner=await current_owner(row.client_id) is not None,
    )
    try:
        await gateway.override(claims.clinic_id, command, desk_update)
    except DomainError as error:
        return from_domain(error, Stage(row.stage))  # its note stays, named by no log entry
    return None
