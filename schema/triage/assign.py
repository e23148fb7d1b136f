"""Triage through the desk: `autoAssign` (and `assignConsultant` without a consultant); the
payload they share with `placeVip` (`schema.triage.vip`).

The desk decides first (one workflow per clinic, so no turn is lost or taken twice), then the
journey's own ASSIGN_CONSULTANT action runs with the chosen consultant. A repeated call for the
same journey gets the desk's first answer: the desk decides each journey once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.errors import DomainError, TransitionNotAllowed
from domain.errors import ValidationFailed as DomainValidationFailed
from domain.journey.facts import ActionDetails
from domain.journey.stages import Stage, VisitCategory
from domain.journey.table import Action
from domain.store import records
from domain.store.models import Journey as JourneyRow
from domain.store.records import KeyClaim
from domain.store.triage_models import TriageEntry
from domain.triage.bounds import MAX_ASKED_ITEMS, codes_problem, item_codes
from domain.triage.commands import ArriveCommand
from domain.triage.decision import Decision
from domain.triage.entries import EntryKind
from domain.triage.purposes import PURPOSE_RULES
from schema import idempotency
from schema.catalog.types import ContraindicationFound
from schema.context import Context
from schema.errors import (
    Conflict,
    NotAuthorized,
    NotFound,
    Unavailable,
    ValidationFailed,
    from_domain,
    not_authorized,
    not_found,
    unavailable,
)
from schema.errors import TransitionNotAllowed as TransitionNotAllowedType
from schema.journeys.actions import (
    JourneyOutcome,
    JourneyPayload,
    load_visible_journey,
    ran_on,
    run_action,
)
from schema.journeys.steps_in_flight import step_on_journey
from schema.journeys.types import Journey
from schema.triage.arrival import (
    AutoAssignInput,
    arrival_of,
    category_reason,
    unknown_reference,
    unreferred_partner_client,
)
from schema.triage.desk import (
    arrival_placed,
    named_decision,
)
from schema.triage.emergency import mark_placed, marks_placed
from schema.triage.item_catalog import unknown_code
from schema.triage.released import back_to_triage
from schema.triage.types import TriageDecision
from schema.update_ids import update_taken
from workflows.arrival_rounds import ArrivalPlace
from workflows.triage_client import TriageGateway

RECHECK_REFUSAL = (
    "a recheck goes to the treating doctor or nurse, not through the rotation: "
    "assignConsultant with their id"
)
EMERGENCY_RECHECK = "an emergency: the supervisor is alerted to fetch a doctor at once"


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
    | Unavailable
)
AutoAssignResult = Annotated[AutoAssignOutcome, strawberry.union("AutoAssignResult")]


async def _logged_assignment(row: JourneyRow) -> TriageEntry | None:
    """The desk's log entry that assigned the journey, once the log holds it."""
    assigned = TriageEntry.filter(
        clinic_id=row.clinic_id, journey_id=row.id, kind=EntryKind.ASSIGNED.value
    )
    return await assigned.order_by("-seq").first()


def journey_took(
    info: Info[Context, None], input: AutoAssignInput, row: JourneyRow
) -> Callable[[KeyClaim], Awaitable[bool]]:
    """Whether the journey took this request's step (its update id derived from the key's
    claim): what tells that its first attempt got through. Not the desk's log holding the
    journey's arrival: the desk hears arrivals in shared rounds, under no id of this request's
    own, and its log holds another request's arrival of the journey too, which took a first
    attempt refused after its claim for one that went through."""
    actor, key = info.context.actor, idempotency.key_of(input)

    async def took(earlier: KeyClaim) -> bool:
        if actor is None or key is None:
            return False
        return await update_taken(actor.user_id, key, earlier, ran_on(info, row.id))

    return took


async def got_through(
    ledger: KeyClaim | None, taken: Callable[[KeyClaim], Awaitable[bool]]
) -> bool:
    """Whether this request's first attempt got past the stage check and on: answered, or its
    answer lost after `taken` (the workflow took its update). Only then may a retry pass a
    journey no longer at triage, to be answered as the first time. A first attempt refused
    there left its key claimed but changed nothing: its retry is refused as it was, or the desk
    would decide afresh, a turn charged for a client it cannot place. Temporal not saying
    whether it took the update answers `Unavailable` (`schema.unanswered`)."""
    if idempotency.answered(ledger) is not None:
        return True
    return ledger is not None and idempotency.unfinished(ledger) and await taken(ledger)


async def triage(
    info: Info[Context, None], input: AutoAssignInput
) -> tuple[AutoAssignOutcome | JourneyOutcome, Decision | TriageEntry | None, JourneyRow | None]:
    """The outcome, and the desk's decision: as the desk made it, or as its log keeps it (for a
    retry of an assignment that finished)."""
    actor, claims = info.context.actor, info.context.claims
    if actor is None or claims is None:
        return not_authorized(), None, None
    loaded = await load_visible_journey(info, input.journey_id)
    if loaded is None:
        journey_unknown = not_found("journey")
        return (
            await idempotency.refusal_or_conflict(info, actor.user_id, input, journey_unknown),
            None,
            None,
        )
    row: JourneyRow = loaded  # (sent back to triage below, when its day's-end release missed)
    bad_key = records.key_problem(input.idempotency_key)
    if bad_key:
        return from_domain(DomainValidationFailed([bad_key])), None, row
    items = item_codes(input.items)
    bad_items = codes_problem("items", items, MAX_ASKED_ITEMS)
    unlisted = None if bad_items else await unknown_code("items", items, row.clinic_id)
    unlisted = unlisted or await unreferred_partner_client(row, input)
    # A retry of an arrival the journey took before codes were looked up in the price list, or
    # before a designated consultant needed a partner's referral (its answer lost or not), is
    # answered as the first time.
    if bad_items:
        return from_domain(DomainValidationFailed([bad_items])), None, row
    not_listed = from_domain(DomainValidationFailed([unlisted])) if unlisted else None
    refused = await idempotency.refusal_answer(
        info, actor.user_id, input, not_listed, went_through=journey_took(info, input, row)
    )
    if refused is not None:
        return refused, None, row
    # Counted, and placed among the desk's waiting arrivals, before the key is claimed and the
    # desk decides (it would count a turn): at either bound, nothing is claimed or decided
    # (`schema.journeys.steps_in_flight`, `workflows.arrival_rounds`).
    loaded_row: JourneyRow = row
    counted = await step_on_journey(
        info.context,
        row.id,
        lambda: arrival_placed(
            info, lambda gateway, place: _triage_counted(info, input, loaded_row, gateway, place)
        ),
    )
    return counted if isinstance(counted, tuple) else (counted, None, row)


async def _triage_counted(
    info: Info[Context, None],
    input: AutoAssignInput,
    row: JourneyRow,
    gateway: TriageGateway,
    place: ArrivalPlace,
) -> tuple[AutoAssignOutcome | JourneyOutcome, Decision | TriageEntry | None, JourneyRow | None]:
    """`triage` once the journey's step is counted and its arrival has a `place` at the desk
    (`gateway`): the key's claim, the desk's decision, the journey's step."""
    actor, claims = info.context.actor, info.context.claims
    assert actor is not None and claims is not None  # `triage` answered a caller without them
    # The key is claimed before the desk hears of the request (it would count a turn): a key
    # used for another request is refused here; a retry of this one is answered by the desk
    # replaying its decision and by the journey's own update id.
    ledger = await idempotency.claim(info, actor.user_id, input)
    if idempotency.reused(ledger) or idempotency.answered(ledger) not in (None, row.id):
        return idempotency.conflict(), None, row
    # A client the desk's day released, whose journey never heard of it, goes back first.
    returned = await back_to_triage(info, row)
    if not isinstance(returned, JourneyRow):
        return returned, None, row
    row = returned
    past_triage = row.stage != Stage.TRIAGE.value
    if past_triage and await marks_placed(input, row, ledger, journey_took(info, input, row)):
        return await mark_placed(info, input, row, gateway, ledger)
    finished = past_triage and await got_through(ledger, journey_took(info, input, row))
    if past_triage and not finished:
        refusal = TransitionNotAllowed(f"the journey is not at triage ({row.stage})")
        return from_domain(refusal, Stage(row.stage)), None, row
    # A retry of an assignment that finished (answered, or taken by the journey with only its
    # answer lost) is answered from the desk's log, not sent to the desk again: after its
    # midnight the desk judges it afresh (a turn charged, an assignment left waiting for
    # acceptance), and on its day it answers "already decided", not the first decision. Until
    # the log holds the entry (it is written just after the decision), the desk answers it.
    logged = await _logged_assignment(row) if finished or idempotency.answered(ledger) else None
    if logged is not None:
        if idempotency.unfinished(ledger):
            await idempotency.settle(actor.user_id, input, row.id)
        # Read afresh: the row was read before the claim, and an attempt of this request racing
        # this one may have assigned the journey since (a retry answers its assignment).
        row = await JourneyRow.get(id=row.id)
        return JourneyPayload(journey=Journey.from_row(row)), logged, row
    if row.visit_category == VisitCategory.RECHECK.value:
        # Not the rotation's: the desk is not told (it would log a client it cannot place),
        # unless she is an emergency: then it routes her with the supervisor's alert.
        return await _recheck_refused(info, input, row, gateway, place), None, row
    unknown = await unknown_reference(row, input)
    if unknown is not None:
        return unknown, None, row
    command = ArriveCommand(actor, await arrival_of(row, input))
    try:
        reply = await gateway.queue_arrival(claims.clinic_id, command, place)
    except DomainError as error:
        return from_domain(error, Stage(row.stage)), None, row
    decision = reply.decision
    if decision is None or decision.consultant_id is None:
        reason = decision.reason if decision else "the desk could not decide"
        return from_domain(TransitionNotAllowed(reason), Stage(row.stage)), decision, row
    outcome = await run_action(
        info,
        input,
        Action.ASSIGN_CONSULTANT,
        ActionDetails(consultant_id=decision.consultant_id),
        claimed=ledger,
    )
    return outcome, decision, row


async def _recheck_refused(
    info: Info[Context, None],
    input: AutoAssignInput,
    row: JourneyRow,
    gateway: TriageGateway,
    place: ArrivalPlace,
) -> AutoAssignOutcome | JourneyOutcome:
    """Where a recheck goes. One marked an emergency reaches the desk first (triage rules art.
    8: the doctor is told at once): logged as routed with the EMERGENCY entry, the supervisor's
    board alerted until her doctor has her or her journey ends (`domain.triage.notices`); sent
    again, the desk adds nothing while her alert stands."""
    actor, claims = info.context.actor, info.context.claims
    assert actor is not None and claims is not None
    refusal = TransitionNotAllowed(RECHECK_REFUSAL)
    if input.emergency is not None:
        command = ArriveCommand(actor, await arrival_of(row, input))
        try:
            await gateway.queue_arrival(claims.clinic_id, command, place)
        except DomainError as error:
            return from_domain(error, Stage(row.stage))
        refusal = TransitionNotAllowed(f"{RECHECK_REFUSAL}; {EMERGENCY_RECHECK}")
    return from_domain(refusal, Stage(row.stage))


async def auto_assign(info: Info[Context, None], input: AutoAssignInput) -> AutoAssignResult:
    outcome, decision, row = await triage(info, input)
    if isinstance(outcome, JourneyPayload) and decision is not None and row is not None:
        # A purpose with a rule (a refund) is counted as its category, whatever the records say.
        rule = PURPOSE_RULES.get(input.purpose)
        why = rule.reason if rule else await category_reason(row.id)
        category = rule.category if rule else VisitCategory(row.visit_category)
        if isinstance(decision, TriageEntry):
            answer = TriageDecision.logged(decision, category, why)
        else:
            answer = TriageDecision.build(await named_decision(decision), category, why)
        return AutoAssignPayload(journey=outcome.journey, decision=answer)
    if isinstance(outcome, (JourneyPayload, ContraindicationFound)):
        # Not an answer autoAssign gives (a journey with no decision, a contraindication an
        # assignment never finds): a typed error, the same request sent again answered as the
        # first time, never a 500.
        return unavailable()
    return outcome
