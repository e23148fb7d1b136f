"""`markEmergency`: reception or triage staff mark a client waiting at the desk an emergency
(seed 004: rotation rules item 9, triage rules art. 8). An arrival is marked on `autoAssign`
itself (`AutoAssignInput.emergency`); the rules are `domain.triage.emergency`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.errors import DomainError
from domain.journey.stages import Stage
from domain.store.models import Journey as JourneyRow
from domain.store.records import KeyClaim, KeyState
from domain.store.triage_models import TriageEntry
from domain.triage.commands import DeskReply, OverrideCommand, OverrideKind
from domain.triage.decision import Decision, EmergencyReason, Route
from domain.triage.entries import EntryKind
from schema import idempotency
from schema.context import Context
from schema.errors import from_domain, unavailable
from schema.journeys.actions import JourneyOutcome, JourneyPayload
from schema.journeys.types import Journey
from schema.triage.arrival import AutoAssignInput
from schema.triage.desk import TriageResult, desk_change, desk_update_id
from schema.triage.mutations import DeskJourney, desk_journey
from workflows.triage_client import TriageGateway


@strawberry.input(description="A client waiting at the desk who is now an emergency.")
class MarkEmergencyInput:
    journey_id: strawberry.ID = strawberry.field(
        description="The journey of a client the desk placed on its current day, waiting for "
        "her consultant (NotFound otherwise; TransitionNotAllowed once taken or marked before)."
    )
    reason: EmergencyReason = strawberry.field(
        description="Which emergency, as a code: no words about the client reach the desk."
    )
    idempotency_key: str | None = idempotency.key_field()


async def mark_emergency(
    info: Info[Context, None],
    input: Annotated[
        MarkEmergencyInput, strawberry.argument(description="The client and the emergency.")
    ],
) -> TriageResult:
    asked = await desk_journey(info, input)
    if not isinstance(asked, DeskJourney):
        return asked
    command = OverrideCommand(
        asked.actor, OverrideKind.EMERGENCY, journey_id=asked.journey_id, emergency=input.reason
    )
    return await desk_change(
        info,
        "mark_emergency",
        input,
        lambda gateway, clinic, key, _: gateway.override(clinic, command, key),
    )


async def marks_placed(
    input: AutoAssignInput,
    row: JourneyRow,
    ledger: KeyClaim | None,
    journey_took: Callable[[KeyClaim], Awaitable[bool]],
) -> bool:
    """Whether `autoAssign` marks a client the desk placed already an emergency, as
    `markEmergency` does: one sent with `emergency` whose journey waits in consultation, unless
    this request is the retry of the arrival that placed her (`journey_took` its step). The
    desk decides each journey once, so before this the caller heard that the journey was not at
    triage and the emergency was dropped."""
    if input.emergency is None or row.stage != Stage.CONSULTATION.value:
        return False
    if ledger is None or ledger.state is KeyState.FIRST:
        return True
    return not await journey_took(ledger)


async def mark_placed(
    info: Info[Context, None],
    input: AutoAssignInput,
    row: JourneyRow,
    gateway: TriageGateway,
    ledger: KeyClaim | None,
) -> tuple[JourneyOutcome, Decision | None, JourneyRow]:
    """The desk's `markEmergency` update for `autoAssign`'s request, under the update id its key
    derives (a retry is answered as the first time), and the decision it leaves her with. The
    journey follows a hand-on a moment later, as it does `markEmergency`'s."""
    actor, claims = info.context.actor, info.context.claims
    assert actor is not None and claims is not None and input.emergency is not None
    key = idempotency.key_of(input)
    update_id = await desk_update_id(gateway, claims.clinic_id, actor.user_id, key, ledger)
    command = OverrideCommand(
        actor, OverrideKind.EMERGENCY, journey_id=row.id, emergency=input.emergency
    )
    try:
        reply = await gateway.override(claims.clinic_id, command, update_id)
    except DomainError as error:
        return from_domain(error, Stage(row.stage)), None, row
    decision = marked_decision(reply, row, input.emergency)
    # A retry the desk answers with a board no longer showing her waiting (her consultant took
    # her, or the desk continued as new since: it answers an update it took with its board now)
    # is answered from its log, as the first time; never a journey without a decision.
    decision = decision or await logged_mark(row, input.emergency)
    if decision is None:
        # The log is written a moment after the desk's answer: the same request, sent again
        # shortly, is answered from it.
        return unavailable(), None, row
    await idempotency.settle(actor.user_id, input, row.id)
    return JourneyPayload(journey=Journey.from_row(row)), decision, row


def marked_decision(reply: DeskReply, row: JourneyRow, code: EmergencyReason) -> Decision | None:
    """Where the desk's answer leaves her: handed on (the make-up its hand-on owes names whom
    from) or with the consultant she waited for. None when its board no longer shows her
    waiting (`logged_mark` then)."""
    desk = reply.state
    waiting = desk.assignments.get(row.id) if desk is not None else None
    if desk is None or waiting is None:
        return None
    consultant = waiting.consultant_id
    handed = [
        makeup
        for makeup in desk.makeups
        if makeup.owed_at_seq in reply.entries and makeup.from_turn_of == consultant
    ]
    if handed:
        before = handed[0].creditor_id
        route = Route.EMERGENCY
        reason = (
            f"emergency {code.value}: {before} not free, to {consultant}, free now; "
            f"{consultant}'s next turn goes back to {before}"
        )
    else:
        route = Route(waiting.route)
        reason = f"emergency {code.value}: marked while she waited for {consultant}"
    return Decision(
        consultant,
        waiting.counted,
        route,
        f"{reason}; the supervisor is alerted to fetch a doctor",
        desk.policy.label,
        item=waiting.item,
        credited_to=tuple(waiting.credited_to),
        policy_note_id=desk.policy.name_note_id,
    )


_MARK_KINDS = (
    EntryKind.ASSIGNED,
    EntryKind.RECLASSIFIED,
    EntryKind.REASSIGNED,
    EntryKind.EMERGENCY,
)


async def logged_mark(row: JourneyRow, code: EmergencyReason) -> Decision | None:
    """The decision `marked_decision` answered for her mark, as the desk's log keeps it: her
    latest EMERGENCY entry (with `code`), the REASSIGNED entry of its hand-on just before it,
    and the entry that last set her assignment's turn, route and item (ASSIGNED, RECLASSIFIED).
    None until the log holds them (it is written just after the desk's answer)."""
    kinds = [kind.value for kind in _MARK_KINDS]
    entries = await TriageEntry.filter(
        clinic_id=row.clinic_id, journey_id=row.id, kind__in=kinds
    ).order_by("-seq")
    mark = next((e for e in entries if e.kind == EntryKind.EMERGENCY.value), None)
    if mark is None or mark.consultant_id is None or _rule(mark) != code.value:
        return None
    before = [e for e in entries if e.seq < mark.seq]
    placed = next((e for e in before if e.kind != EntryKind.REASSIGNED.value), None)
    routes = {route.value for route in Route}
    if placed is None or (placed.details or {}).get("route") not in routes:
        return None
    consultant, route, counted = mark.consultant_id, Route(placed.details["route"]), placed.counted
    handed = before[0] if before[0].seq == mark.seq - 1 else None
    if (
        handed is not None
        and handed.kind == EntryKind.REASSIGNED.value
        and _rule(handed) == code.value
    ):
        previous, route, counted = handed.details.get("from_consultant_id"), Route.EMERGENCY, True
        reason = (
            f"emergency {code.value}: {previous} not free, to {consultant}, free now; "
            f"{consultant}'s next turn goes back to {previous}"
        )
    else:
        reason = f"emergency {code.value}: marked while she waited for {consultant}"
    return Decision(
        consultant,
        counted,
        route,
        f"{reason}; the supervisor is alerted to fetch a doctor",
        mark.policy,
        item=placed.details.get("item"),
        credited_to=(consultant,),
    )


def _rule(entry: TriageEntry) -> str | None:
    rule = (entry.details or {}).get("rule")
    return str(rule) if rule else None
