"""Shared plumbing of the triage API: the desk gateway, the board, staff ids, idempotent changes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Annotated, TypeVar

import strawberry
from strawberry.types import Info

from domain.errors import DomainError
from domain.errors import FieldProblemCode as Code
from domain.roles import Role
from domain.store import records
from domain.store.desk_notes import draft_note, policy_name
from domain.store.models import Clinic, StaffAccount
from domain.store.triage_models import TriageBoard as BoardRow
from domain.triage.bounds import MAX_CONSULTANTS_NAMED
from domain.triage.codec import desk_from_json
from domain.triage.commands import DeskReply
from domain.triage.decision import Decision
from domain.triage.desk import DeskState
from domain.triage.policy import named_label
from schema import idempotency
from schema.context import Context
from schema.errors import (
    Conflict,
    NotAuthorized,
    NotFound,
    TransitionNotAllowed,
    Unavailable,
    ValidationFailed,
    busy,
    from_domain,
    from_problem,
    invalid,
    not_authorized,
)
from schema.ids import decode_id
from schema.text import check_text
from schema.triage.types import TriageBoard
from schema.update_ids import update_id_for, update_taken
from workflows.arrival_rounds import RETRY_AFTER_SECONDS as ARRIVAL_RETRY_AFTER_SECONDS
from workflows.arrival_rounds import ArrivalPlace
from workflows.triage_client import TriageGateway

Done = TypeVar("Done")


@strawberry.type(description="The desk after the change.")
class TriageBoardPayload:
    board: TriageBoard


DeskOutcome = (
    TriageBoardPayload
    | TransitionNotAllowed
    | NotAuthorized
    | ValidationFailed
    | NotFound
    | Conflict
    | Unavailable
)
TriageResult = Annotated[DeskOutcome, strawberry.union("TriageResult")]


async def gateway_for(info: Info[Context, None], clinic_id: str) -> TriageGateway:
    clinic = await Clinic.get_or_none(id=clinic_id)
    journeys = info.context.gateway
    return TriageGateway(journeys.client, journeys.task_queue, clinic.timezone if clinic else "UTC")


async def arrival_placed(
    info: Info[Context, None], run: Callable[[TriageGateway, ArrivalPlace], Awaitable[Done]]
) -> Done | Unavailable:
    """Runs `run` (given the desk's gateway) in a place among the arrivals waiting at this
    process for the caller's desk, taken before `run` claims its key: `Unavailable` at once,
    `run` never started, when the desk has too many waiting (`workflows.arrival_rounds`).
    Taken at the queue, the refusal left the key claimed and never settled."""
    claims = info.context.claims
    assert claims is not None  # its mutation answered a caller without them
    gateway = await gateway_for(info, claims.clinic_id)
    with gateway.arrival_place(claims.clinic_id) as place:
        if place is not None:
            return await run(gateway, place)
    return busy("too many arrivals wait for the triage desk", ARRIVAL_RETRY_AFTER_SECONDS)


async def board_of(clinic_id: str) -> TriageBoard:
    row = await BoardRow.get_or_none(clinic_id=clinic_id)
    desk = desk_from_json(row.state) if row else DeskState(clinic_id=clinic_id, day="")
    return await board_from(desk)


async def board_from(desk: DeskState) -> TriageBoard:
    """The board staff read: the desk, with the name staff gave its policy (a desk note)."""
    policy = desk.policy
    name = await policy_name(policy.name_note_id) if not policy.name else None
    return TriageBoard.from_desk(replace(desk, policy=replace(policy, name=name)) if name else desk)


async def named_decision(decision: Decision) -> Decision:
    """A decision's policy label with the name staff gave that policy."""
    name = await policy_name(decision.policy_note_id)
    return replace(decision, policy=named_label(decision.policy, name))


# A desk reason ends up in a log column of 1,000 characters, after the desk's own words.
MAX_DESK_NOTE = 900


def desk_note_problem(field: str, text: str) -> ValidationFailed | None:
    problems = check_text(field, text, required=True, limit=MAX_DESK_NOTE)
    return from_problem(problems[0]) if problems else None


async def consultant(global_id: str | None, clinic_id: str, *, active: bool = True) -> str | None:
    """The raw id of a consultant of this clinic, or None."""
    raw = decode_id(global_id or "", "StaffMember")
    if raw is None:
        return None
    query = StaffAccount.filter(id=raw, clinic_id=clinic_id, role=Role.CONSULTANT.value)
    if active:
        query = query.filter(active=True)
    return raw if await query.exists() else None


async def consultant_list(
    global_ids: list[strawberry.ID], clinic_id: str, *, active: bool = True
) -> list[str] | ValidationFailed:
    """The raw ids of consultants of this clinic, in the order given, each once, or why not.
    Bounded and checked for repeats before the one query that looks them all up."""
    if len(global_ids) > MAX_CONSULTANTS_NAMED:
        return invalid(
            "consultantIds", f"at most {MAX_CONSULTANTS_NAMED} consultants", Code.TOO_MANY
        )
    raws = [decode_id(global_id, "StaffMember") for global_id in global_ids]
    named = [raw for raw in raws if raw is not None]
    if len(named) != len(raws):
        return unknown_consultant("consultantIds")
    if len(set(named)) != len(named):
        return invalid("consultantIds", "name each consultant once", Code.DUPLICATE)
    query = StaffAccount.filter(id__in=named, clinic_id=clinic_id, role=Role.CONSULTANT.value)
    if active:
        query = query.filter(active=True)
    found = set(await query.values_list("id", flat=True)) if named else set()
    if set(named) - {str(raw) for raw in found}:
        return unknown_consultant("consultantIds")
    return named


async def desk_update_id(
    gateway: TriageGateway,
    clinic_id: str,
    account_id: str,
    key: str | None,
    ledger: records.KeyClaim | None,
) -> str:
    """The desk update's id for this attempt (`schema.update_ids`)."""

    async def ran(update_id: str) -> bool:
        return await gateway.update_ran(clinic_id, update_id)

    return await update_id_for(account_id, key, ledger, ran)


async def desk_took(
    info: Info[Context, None],
    clinic_id: str,
    account_id: str,
    key: str,
    ledger: records.KeyClaim,
) -> bool:
    """Whether the clinic's desk took the update of this request (account, key, its claim
    `ledger`) and it succeeded; `JourneyUnavailable` when Temporal cannot say in time."""
    gateway = await gateway_for(info, clinic_id)

    async def ran(update_id: str) -> bool:
        return await gateway.update_ran(clinic_id, update_id)

    return await update_taken(account_id, key, ledger, ran)


async def desk_change(
    info: Info[Context, None],
    operation: str,
    input: object,
    change: Callable[[TriageGateway, str, str, str], Awaitable[DeskReply]],
    *,
    note: str | None = None,
    policy: str | None = None,
) -> DeskOutcome:
    """Runs one desk update once per `input.idempotency_key` (`schema.idempotency`): a retry
    returns the board and changes nothing, the same key with another input is a `Conflict`.

    `change` gets the gateway, the clinic, the update id and the id of the desk note holding
    `note` (and a new policy's name, `policy`): the words go to the database, the id to the
    desk.
    """
    claims = info.context.claims
    if claims is None:
        return not_authorized()
    key = idempotency.key_of(input)
    bad_key = records.key_problem(key)
    if bad_key:
        return from_problem(bad_key)
    ledger = await idempotency.claim(info, claims.account_id, input)
    if idempotency.reused(ledger):
        return idempotency.conflict()
    if idempotency.answered(ledger) is not None:
        return TriageBoardPayload(board=await board_of(claims.clinic_id))
    gateway = await gateway_for(info, claims.clinic_id)
    desk_update = await desk_update_id(gateway, claims.clinic_id, claims.account_id, key, ledger)
    note_id = ""
    if note is not None:
        note_id = await draft_note(
            desk_update,
            clinic_id=claims.clinic_id,
            author_id=claims.account_id,
            operation=operation,
            text=note.strip(),
            policy_name=policy,
        )
    try:
        reply = await change(gateway, claims.clinic_id, desk_update, note_id)
    except DomainError as error:
        return from_domain(error)  # its note stays, named by no log entry: nobody reads it
    await idempotency.settle(claims.account_id, input, claims.clinic_id)
    # The answer is the desk the update returned: the read model follows a moment later.
    board = await board_from(reply.state) if reply.state else await board_of(claims.clinic_id)
    return TriageBoardPayload(board=board)


async def refused(info: Info[Context, None], input: object, refusal: DeskOutcome) -> DeskOutcome:
    """A desk change's checks refused `input`: the refusal, unless this very request was
    answered before (then the board, as `desk_change` answers a retry) or its key stands for
    another request (`Conflict`). The checks look at staff who may have left since the first
    attempt went through."""
    claims = info.context.claims
    key = idempotency.key_of(input)
    if claims is None or key is None:
        return refusal
    clinic_id, account_id = claims.clinic_id, claims.account_id

    async def taken(ledger: records.KeyClaim) -> bool:  # (answer lost: the desk took its update)
        return await desk_took(info, clinic_id, account_id, key, ledger)

    # Temporal not saying whether its first attempt went through raises `JourneyUnavailable`:
    # neither its refusal nor its answer is owed yet, so it answers `Unavailable`
    # (`schema.unanswered`) and the key stays open for the retry.
    answer = await idempotency.refusal_answer(info, account_id, input, refusal, went_through=taken)
    return answer if answer is not None else TriageBoardPayload(board=await board_of(clinic_id))


def unknown_consultant(field: str = "consultantId") -> ValidationFailed:
    return invalid(field, "no such active consultant in this clinic", Code.UNKNOWN_VALUE)
