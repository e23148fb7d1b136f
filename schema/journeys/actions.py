"""Runs one staff action on a journey: the shared path of every journey mutation.

Order matters: the clinical content is written first as a draft (it must not travel through
Temporal), the workflow's validator decides, and the draft is attached by the journey's own
event. A draft the journey refused, or whose fate a lost answer left unknown, stays in place
and hidden; reconciliation voids it once the workflow says it never will attach it. The key is
claimed before anything is written (`schema.idempotency`): a retry returns the first result and
changes nothing, the same key with another action or input is a `Conflict`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from domain import errors as domain_errors
from domain.audit import JOURNEY_READ, Access
from domain.errors import DomainError, FieldProblem
from domain.journey.access import check_action
from domain.journey.codec import facts_from_json
from domain.journey.facts import ActionDetails, ActionRequest
from domain.journey.stages import Stage
from domain.journey.table import Action
from domain.journey.validation import RECORD_ALREADY_USED
from domain.store import records
from domain.store.drafts import is_void
from domain.store.journey_sql import journey_row
from domain.store.models import Journey as JourneyRow
from domain.store.step_trips import BeforeStep, row_and_claim, settled_row
from schema import idempotency
from schema.audit.collector import note_write
from schema.audit.extension import entries_due
from schema.body import record_body
from schema.catalog.types import ContraindicationFound
from schema.context import Context
from schema.errors import (
    Conflict,
    NotAuthorized,
    NotFound,
    TransitionNotAllowed,
    Unavailable,
    ValidationFailed,
    from_domain,
    not_authorized,
    not_found,
)
from schema.ids import decode_id
from schema.journeys.availability import allowed_actions
from schema.journeys.steps_in_flight import step_on_journey
from schema.journeys.types import Journey
from schema.text import check_text
from schema.update_ids import UpdateRan, update_id_for, update_taken


@strawberry.type(description="The journey after the action.")
class JourneyPayload:
    journey: Journey


JourneyOutcome = (
    JourneyPayload
    | TransitionNotAllowed
    | NotAuthorized
    | ValidationFailed
    | NotFound
    | Conflict
    | ContraindicationFound
    | Unavailable
)
JourneyResult = Annotated[JourneyOutcome, strawberry.union("JourneyResult")]
# Writes what an accepted action adds to the database (a signature row): converging on one row
# per request, since a retry after a lost answer runs it again before the key is settled (its
# row's id derived from the key's claim, given with the journey: `idempotency.derived_id`).
AfterAccepted = Callable[[JourneyRow, records.KeyClaim | None], Awaitable[None]]
# Checks what the workflow cannot (it holds no clinical data) just before the update is sent:
# a refusal it answers is the mutation's answer, and nothing is written.
BeforeUpdate = Callable[[JourneyRow], Awaitable["JourneyOutcome | None"]]


async def load_visible_journey(info: Info[Context, None], journey_id: str) -> JourneyRow | None:
    raw_id = decode_id(journey_id, "Journey")
    claims = info.context.claims
    if raw_id is None or claims is None:
        return None
    return await journey_row(raw_id, claims.clinic_id)


# What staff recorded for the step: (record kind, body), kept as a draft once the step goes on.
Recorded = tuple[str, dict[str, Any]]


async def _visible_journey_claimed(
    info: Info[Context, None],
    input: Any,
    account_id: str,
    claimed: records.KeyClaim | None,
    recorded: Recorded | None,
) -> BeforeStep:
    """The journey's row if the caller may see it and, only then, the key's claim (`claimed`
    when the caller made it) and, if the step goes on, the draft of what was `recorded`: all
    in one trip to the database."""
    if claimed is not None:
        return BeforeStep(await load_visible_journey(info, input.journey_id), claimed, None)
    raw_id = decode_id(input.journey_id, "Journey")
    claims = info.context.claims
    if raw_id is None or claims is None:
        return BeforeStep(None, None, None)
    request = idempotency.key_request(info, account_id, input)
    if recorded is None:
        return await row_and_claim(raw_id, claims.clinic_id, request)
    # Named in the trip, by the claim it reads before writing the draft.
    draft = records.Draft(raw_id, recorded[0], recorded[1], account_id)
    return await row_and_claim(raw_id, claims.clinic_id, request, (draft, _goes_on))


def _goes_on(row: JourneyRow, ledger: records.KeyClaim | None) -> bool:
    """Whether `run_action` takes a request past its answers from the ledger and the row to
    the workflow (the draft's test: keep the two in step)."""
    first_result = idempotency.answered(ledger)
    ended = Stage(row.stage).is_terminal
    return not idempotency.reused(ledger) and first_result is None and not ended


async def _reloaded(row: JourneyRow) -> JourneyRow:
    """The row as the workflow's write left it (rows are never deleted)."""
    return await journey_row(row.id) or row


async def _refusal(
    error: DomainError, row: JourneyRow, info: Info[Context, None]
) -> JourneyOutcome:
    refused_now = isinstance(error, domain_errors.TransitionNotAllowed)
    allowed = await allowed_actions(info, row) if refused_now else []
    return from_domain(error, Stage(row.stage), allowed)


async def refused_by_gate(
    info: Info[Context, None],
    row: JourneyRow,
    request: ActionRequest,
    problems: list[FieldProblem],
) -> JourneyOutcome | None:
    """The journey's gate (`check_action`) asked of the read model's facts, for a step refused
    without a trip to Temporal: who may, then whether now is the time, then what was sent (the
    gate's problems after the caller's own `problems`, one per field). The journey asks its
    gate again under its lock; a step this lets through may still be refused there."""
    try:
        check_action(facts_from_json(row.facts), request)
    except domain_errors.ValidationFailed as error:
        named = {problem.field for problem in problems}
        problems = problems + [p for p in error.problems if p.field not in named]
    except DomainError as error:
        return await _refusal(error, row, info)
    return from_domain(domain_errors.ValidationFailed(problems)) if problems else None


async def run_action(
    info: Info[Context, None],
    input: Any,
    action: Action,
    details: ActionDetails,
    *,
    record_kind: str | None = None,
    record_body: dict[str, Any] | None = None,
    claimed: records.KeyClaim | None = None,
    after_accepted: AfterAccepted | None = None,
    before_update: BeforeUpdate | None = None,
) -> JourneyOutcome:
    """Runs `action` on `input.journey_id` once per `input.idempotency_key`. `claimed`: the
    key's claim when the caller made it (a mutation that asks the desk first), within the
    step it counted before (`step_on_journey`). Past `MAX_STEPS_IN_FLIGHT` steps of this
    process on the journey: `Unavailable` at once."""
    if info.context.actor is None:
        return not_authorized()
    steps = StepOptions(record_kind, record_body, claimed, after_accepted, before_update)
    bad_key = records.key_problem(idempotency.key_of(input))
    if bad_key:
        return from_domain(domain_errors.ValidationFailed([bad_key]))
    journey_id = decode_id(input.journey_id, "Journey")
    if journey_id is None:  # no journey to find: nothing waits on it
        return await _run_admitted(info, input, action, details, steps)
    # Counted before the key is claimed or a draft written (`schema.journeys.steps_in_flight`);
    # by the mutation already when it claimed the key itself (`claimed`).
    return await step_on_journey(
        info.context, journey_id, lambda: _run_admitted(info, input, action, details, steps)
    )


@dataclass(frozen=True)
class StepOptions:
    """What `run_action` takes besides the action (see there)."""

    record_kind: str | None = None
    record_body: dict[str, Any] | None = None
    claimed: records.KeyClaim | None = None
    after_accepted: AfterAccepted | None = None
    before_update: BeforeUpdate | None = None


async def _run_admitted(
    info: Info[Context, None],
    input: Any,
    action: Action,
    details: ActionDetails,
    steps: StepOptions,
) -> JourneyOutcome:
    actor = info.context.actor
    assert actor is not None  # `run_action` answered a caller without one
    key = idempotency.key_of(input)
    record_kind, record_body, claimed = steps.record_kind, steps.record_body, steps.claimed
    after_accepted, before_update = steps.after_accepted, steps.before_update
    # The draft goes with the row and the claim, unless the caller claimed the key itself or a
    # check of the step's own before the update (`before_update`) must find nothing written.
    recorded = None
    if record_body is not None and before_update is None and claimed is None:
        recorded = (record_kind or action.value, record_body)
    row, ledger, record_id = await _visible_journey_claimed(
        info, input, actor.user_id, claimed, recorded
    )
    if row is None:
        return await idempotency.refusal_or_conflict(
            info, actor.user_id, input, not_found("journey")
        )
    first_result = idempotency.answered(ledger)
    if idempotency.reused(ledger) or first_result not in (None, row.id):
        return idempotency.conflict()
    if first_result is not None:
        # The row was read before the claim: an attempt of this request running beside this
        # one may have taken the step and settled the key in between (on PostgreSQL the trip's
        # statements run one by one), so the journey is read again as the step left it.
        return JourneyPayload(journey=Journey.from_row(await _reloaded(row)))
    ended = Stage(row.stage).is_terminal
    if ended and not idempotency.unfinished(ledger):
        return await _refusal(
            domain_errors.TransitionNotAllowed(f"the journey has ended ({row.stage})"), row, info
        )
    # An unfinished claim on an ended journey: maybe this request's first attempt ended it and
    # its answer was lost. Temporal answers the repeated update id with that attempt's outcome,
    # and refuses one it never ran; no draft is written for a journey that has ended.
    if before_update is not None and not ended:
        refused = await before_update(row)
        if refused is not None:
            return refused

    # A draft offered to the first trip was written there or not at all (`_goes_on`).
    if recorded is None and record_body is not None and not ended:
        draft_id = idempotency.derived_id(ledger, records.DRAFT_KIND)
        record_id = await records.draft_record(
            row.id, record_kind or action.value, record_body, actor.user_id, draft_id
        )
    # A retry of a step the journey refused, whose draft reconciliation has voided since: the
    # journey remembers its latest void drafts only (`workflows.journey_drafts.VOID_RECORDS_KEPT`),
    # so the database, which keeps every void, refuses the older ones as the journey would.
    if record_id and idempotency.unfinished(ledger) and await is_void(record_id):
        return await _refusal(domain_errors.Conflict(RECORD_ALREADY_USED), row, info)
    # Only attempts of this very request reach Temporal with this id (the claim refused any
    # other input), and Temporal runs an update id once (a journey continued as new answers its
    # latest ones itself: `workflows.journey_runs`): racing retries act once.
    request = ActionRequest(action=action, actor=actor, details=details, record_id=record_id)
    try:
        update_id = await update_id_for(actor.user_id, key, ledger, ran_on(info, row.id))
        await info.context.gateway.act(row.id, request, update_id)
    except DomainError as error:
        return await _refusal(error, await _reloaded(row), info)
    if after_accepted is not None:
        await after_accepted(row, ledger)
    return await settled_answer(info, input, row, actor.user_id)


async def settled_answer(
    info: Info[Context, None], input: Any, row: JourneyRow, account_id: str
) -> JourneyPayload:
    """The answer to a step done on the journey `row`: its write noted, the key settled with
    the journey as its result, and the journey as the step left it."""
    note_write(info, row.client_id)
    # The step's entries (its write, and the journey the answer is built from) go with the
    # key's settlement, the answer's own later reads at the operation's end (`AuditTrail`).
    due = entries_due(info.context, Access(row.client_id, JOURNEY_READ))
    audited = (due.viewer, due.accesses) if due else None
    settled = await settled_row(row.id, idempotency.settled_key(account_id, input), audited)
    if due is not None:
        due.written()
    return JourneyPayload(journey=Journey.from_row(settled or row))


async def run_recorded_action(
    info: Info[Context, None],
    input: Any,
    action: Action,
    *,
    problems: list[FieldProblem],
    details: ActionDetails | None = None,
    record_kind: str | None = None,
    keep_record: bool = True,
    after_accepted: AfterAccepted | None = None,
    before_update: BeforeUpdate | None = None,
    taken_is_done: bool = True,
) -> JourneyOutcome:
    """The common tail of a journey mutation: refuse on input problems, else run the action
    with the mutation's input (less its journey id and key) as the action's clinical record.
    Who is asking is checked first: a caller not signed in hears that, not what the input lacks.
    `taken_is_done=False`: a step the journey took is not all of the first attempt (a payment
    writes its row after), so only an answered one is answered despite the problems."""
    actor = info.context.actor
    if actor is None:
        return not_authorized()
    # A retry of a step that went through is answered as it was, though a check (a setting or a
    # date it depends on, a newer release's rule) would refuse its input now.
    refusal = from_domain(domain_errors.ValidationFailed(problems)) if problems else None
    refused = await (
        step_refusal(info, input, refusal)
        if taken_is_done
        else idempotency.refusal_answer(info, actor.user_id, input, refusal)
    )
    if refused is not None:
        return refused
    return await run_action(
        info,
        input,
        action,
        details or ActionDetails(),
        record_kind=record_kind or action.value,
        record_body=record_body(input) if keep_record else None,
        after_accepted=after_accepted,
        before_update=before_update,
    )


def ran_on(info: Info[Context, None], journey_id: str) -> UpdateRan:
    """Asks the journey whether it took an update of a given id (`schema.update_ids`)."""

    async def ran(update_id: str) -> bool:
        return await info.context.gateway.update_ran(journey_id, update_id)

    return ran


async def step_refusal(
    info: Info[Context, None], input: Any, refusal: idempotency.Refusal
) -> idempotency.Refusal | Conflict | None:
    """`idempotency.refusal_answer` for a journey step: None (go on) for a retry of a step
    answered before, or whose first attempt's update the journey took and only its answer was
    lost, so it is answered as the first time, though a check would refuse its input now."""
    actor, key = info.context.actor, idempotency.key_of(input)
    if actor is None:
        return refusal
    journey_id = decode_id(input.journey_id, "Journey")

    async def taken(ledger: records.KeyClaim) -> bool:
        assert key is not None and journey_id is not None  # asked only of a claimed key
        return await update_taken(actor.user_id, key, ledger, ran_on(info, journey_id))

    return await idempotency.refusal_answer(
        info, actor.user_id, input, refusal, went_through=taken if journey_id else None
    )


async def run_noted_action(
    info: Info[Context, None],
    input: Any,
    action: Action,
    *,
    field: str,
    text: str | None,
    required: bool,
    record_kind: str | None = None,
) -> JourneyOutcome:
    """An action whose only content is one free-text field (a note, a reason); the record is
    kept only when there is text."""
    problems = check_text(field, text, required=required)
    return await run_recorded_action(
        info, input, action, problems=problems, record_kind=record_kind, keep_record=bool(text)
    )
