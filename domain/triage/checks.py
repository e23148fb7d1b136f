"""The gate every desk change passes: who may ask, and whether the desk can do it now.

Raises the refusal a staff member should hear; the workflow's validators call these, so a
refused change never reaches the desk's history.
"""

from __future__ import annotations

from domain.errors import FieldProblemCode as Code
from domain.errors import NotAuthorized, NotFound, TransitionNotAllowed, ValidationFailed
from domain.journey.facts import Actor
from domain.roles import Role
from domain.triage.commands import (
    AcceptCommand,
    ArriveCommand,
    OrderCommand,
    OverrideCommand,
    OverrideKind,
    SeatCommand,
    explained,
)
from domain.triage.desk import DeskState, Seat, SeatStatus
from domain.triage.reclassify import check_reclassify

DESK_ROLES = frozenset({Role.FRONT_DESK, Role.SUPERVISOR})
# A visit's category after triage is the supervisor's call, or the expert's (medical grounds).
RECLASSIFY_ROLES = frozenset({Role.SUPERVISOR, Role.EXPERT})
# A consultant may say they are busy, away or free again; pausing is the supervisor's call.
SELF_SERVICE_STATUSES = frozenset({SeatStatus.AVAILABLE, SeatStatus.BUSY, SeatStatus.AWAY})


def _needs(actor: Actor, roles: frozenset[Role], what: str) -> None:
    if actor.role not in roles:
        names = ", ".join(sorted(r.value for r in roles))
        raise NotAuthorized(f"{what} needs one of: {names}")


def _active_seat(desk: DeskState, consultant_id: str | None, field: str) -> Seat:
    seat = desk.seat(consultant_id or "")
    if seat is None:
        raise NotFound(f"{field}: not on this clinic's desk")
    if seat.departed:
        raise TransitionNotAllowed(f"{consultant_id} has left the clinic")
    return seat


def check_arrive(desk: DeskState, command: ArriveCommand) -> None:
    _needs(command.actor, DESK_ROLES, "triage")
    if not command.arrival.journey_id or not command.arrival.client_id:
        raise ValidationFailed.one("journeyId", "journey and client are required", Code.REQUIRED)
    if command.chosen_id is not None:
        _active_seat(desk, command.chosen_id, "consultantId")


def check_accept(desk: DeskState, command: AcceptCommand) -> None:
    assignment = desk.assignments.get(command.journey_id)
    if assignment is None:
        raise NotFound("no desk assignment for this journey")
    if assignment.accepted:
        raise TransitionNotAllowed("already accepted")
    if assignment.released:
        raise TransitionNotAllowed("the journey ended before anyone took the client")
    actor = command.actor
    if actor.role is Role.CONSULTANT and actor.user_id != assignment.consultant_id:
        raise NotAuthorized("only the assigned consultant may accept this client")
    _needs(actor, DESK_ROLES | {Role.CONSULTANT}, "accepting a client")


def check_seat(desk: DeskState, command: SeatCommand) -> None:
    actor = command.actor
    if not explained(command):
        raise ValidationFailed.one("reason", "say why", Code.REQUIRED)
    if actor.role is Role.CONSULTANT:
        own_status = actor.user_id == command.consultant_id and command.on_duty is None
        current = desk.seat(command.consultant_id)
        paused = current is not None and current.status is SeatStatus.PAUSED
        wanted = command.status
        # A consultant leaving post may name who takes their own clients meanwhile.
        naming_delegate = wanted is None and command.delegate_id is not None
        allowed = (
            own_status
            and command.scope is None
            and (wanted in SELF_SERVICE_STATUSES or naming_delegate)
        )
        if not allowed or paused:
            raise NotAuthorized(
                "a consultant may only set their own status (not pause/resume) and delegate"
            )
    else:
        _needs(actor, DESK_ROLES, "changing the desk")
    if desk.seat(command.consultant_id) is None and command.on_duty is not True:
        raise NotFound("consultantId: put the consultant on duty first")
    if desk.seat(command.consultant_id) is not None:
        _active_seat(desk, command.consultant_id, "consultantId")
    if command.delegate_id and command.delegate_id == command.consultant_id:
        raise ValidationFailed.one(
            "delegateId", "a consultant cannot delegate to themselves", Code.INCONSISTENT
        )


def check_order(desk: DeskState, command: OrderCommand) -> None:
    _needs(command.actor, DESK_ROLES, "changing the rotation order")
    wanted = command.consultant_ids
    if len(set(wanted)) != len(wanted) or set(wanted) != set(desk.rotation):
        code = Code.DUPLICATE if len(set(wanted)) != len(wanted) else Code.INCONSISTENT
        raise ValidationFailed.one(
            "consultantIds", "list every consultant of the rotation exactly once", code
        )


def check_override(desk: DeskState, command: OverrideCommand) -> None:
    kind = command.kind
    if kind is OverrideKind.EMERGENCY:
        check_emergency(desk, command)
        return
    if kind is OverrideKind.RECLASSIFY:
        _needs(command.actor, RECLASSIFY_ROLES, "reclassifying a visit")
    else:
        _needs(command.actor, frozenset({Role.SUPERVISOR}), "a desk override")
    if not explained(command):
        raise ValidationFailed.one("reason", "an override needs a reason", Code.REQUIRED)
    if kind is OverrideKind.RECLASSIFY:
        check_reclassify(desk, command)
    elif kind is OverrideKind.REASSIGN:
        assignment = desk.assignments.get(command.journey_id or "")
        if assignment is None:
            raise NotFound("no desk assignment for this journey today")
        _active_seat(desk, command.consultant_id, "consultantId")
        if command.rule is None:
            raise ValidationFailed.one(
                "rule", "say why the client changes consultant", Code.REQUIRED
            )
        if assignment.consultant_id == command.consultant_id:
            raise ValidationFailed.one(
                "consultantId", "the client is already with them", Code.NOT_ALLOWED_NOW
            )
    elif kind is OverrideKind.PLACE_VIP:
        if command.journey_id in desk.assignments:
            raise TransitionNotAllowed("this client already has a consultant")
        _active_seat(desk, command.consultant_id, "consultantId")
    elif kind is OverrideKind.CORRECT:
        if command.amends_seq is None or not 1 <= command.amends_seq <= desk.seq:
            raise ValidationFailed.one("amendsSeq", "no such desk entry", Code.UNKNOWN_VALUE)
        if (command.turns_delta or command.makeup_delta) and not desk.seat(
            command.consultant_id or ""
        ):
            raise ValidationFailed.one(
                "consultantId", "name the consultant the correction moves", Code.REQUIRED
            )
    elif kind is OverrideKind.CONSULTANT_LEFT:
        _active_seat(desk, command.consultant_id, "consultantId")
        if command.successor_id:
            _active_seat(desk, command.successor_id, "successorId")
    elif kind is OverrideKind.SET_POLICY and command.policy is None:
        raise ValidationFailed.one("policy", "the policy is missing", Code.REQUIRED)
    elif kind is OverrideKind.SET_KEY_ITEM_PRIORITY:
        ranked = command.priority or []
        if len(set(ranked)) != len(ranked):
            raise ValidationFailed.one("consultantIds", "name each consultant once", Code.DUPLICATE)


def check_emergency(desk: DeskState, command: OverrideCommand) -> None:
    """Reception or triage staff mark a client waiting for her consultant: one the desk placed
    on its current day, not taken, not marked before (an arrival is marked on `autoAssign`)."""
    _needs(command.actor, DESK_ROLES, "marking an emergency")
    if command.emergency is None:
        raise ValidationFailed.one("reason", "say which emergency", Code.REQUIRED)
    waiting = desk.assignments.get(command.journey_id or "")
    if waiting is None or waiting.released:
        raise NotFound("no client of this journey waits at the desk")
    if waiting.accepted:
        raise TransitionNotAllowed("her consultant has taken her: they call the doctor")
    if waiting.emergency is not None:
        raise TransitionNotAllowed("already marked an emergency")
