"""The emergency route: a client hurt or in danger is received first and still counts in order.

Seed 004, the desk's rotation rules item 9: "如有急诊顾客(车祸、大面积烧伤(新鲜)),前台应该优先
安排医生接诊/现场咨询,该顾客按顺序正常轮排"; triage rules art. 8: the triage staff watch a
waiting client's condition and, on an emergency, tell the doctor at once.

Who receives her: "医生接诊/现场咨询" gives the handbook's two words for its consulting
staff (item 10 calls its consultants "(电网+现场)医生", the rotation is "咨询医生排名顺序"),
and "按顺序正常轮排" keeps her in their rotation; the doctor is the one art. 8 says to tell at
once. The desk's seats are the consultants on duty; the doctors are not on it (a recheck is
routed to them, never placed). So the desk gives an emergency to a consultant free now, ahead of
everyone else, and calls the supervisor at once with an EMERGENCY alert on the board, who
fetches the doctor. Her turn is the one the rotation would use:
- the consultant the desk's usual rules give her, when free now (the rotation's next, her owner);
  a recheck still goes to her treating doctor or nurse, never placed (the desk seats no doctor,
  and her journey goes from triage straight to treatment), her alert standing until her journey
  tells the desk that her doctor has her, or ends (`notices`);
- else the first consultant free now, in order from where the rotation stands, whatever their
  scope: counted as that consultant's turn when she is a client the rotation counts (the pointer
  moves past them, a busy one passed is owed a make-up as the policy says), else in order on the
  uncounted pointer, her revenue staying with the owner the usual rules name;
- nobody free: the usual decision stands (the supervisor is called), with the emergency's alert,
  which leaves the board once she is taken in hand (`alerts.clear_emergency`); the UNPLACED
  alert leaves once she is placed, or with it (`alerts.clear_unplaced`), as any client's does.
A client already waiting whose consultant is not free now is handed to the next free one, her
turn with her, and the first consultant's next turn given back as the 10-minute rule does; an
owner's client (not a turn) stays with the owner and the alert calls the supervisor.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from domain.journey.facts import Actor
from domain.journey.stages import VisitCategory
from domain.triage.alerts import BoundAsked, always, raise_alert
from domain.triage.commands import OverrideCommand
from domain.triage.decide import order_from, unavailable
from domain.triage.decision import Arrival, Decision, EmergencyReason, Route, Skip
from domain.triage.desk import Alert, AlertKind, Assignment, DeskState, MakeUp
from domain.triage.entries import DeskEntry, EntryKind
from domain.triage.ledger import new_entry
from domain.triage.policy import RotationPolicy
from domain.triage.revenue import CreditRule, credits_for


def rotation_client(arrival: Arrival, policy: RotationPolicy) -> bool:
    """Whether the rotation counts her as a turn when nobody owns her: a first visit of an item
    the clinic offers, not declared invalid."""
    item = policy.major_item(arrival.items)
    offered = not arrival.invalid and policy.offers(item)
    return arrival.category is VisitCategory.FIRST_VISIT and offered


def emergency_decision(
    desk: DeskState, arrival: Arrival, policy: RotationPolicy, usual: Decision
) -> Decision:
    """Where an emergency arrival goes, from the decision `usual` the desk makes otherwise."""
    code = (arrival.emergency or EmergencyReason.OTHER_ACUTE).value
    chosen = desk.seat(usual.consultant_id or "")
    if usual.route is Route.RECHECK or (chosen is not None and chosen.can_take()):
        return replace(usual, reason=f"emergency {code}, received first: {usual.reason}")
    counted = usual.counted if usual.consultant_id else rotation_client(arrival, policy)
    start = desk.next_index if counted else desk.other_index
    skips: list[Skip] = []
    for position, seat in order_from(desk, start):
        skip = unavailable(seat, counted, policy)
        if skip is not None:
            skips.append(skip)
            continue
        after = (position + 1) % len(desk.rotation)
        receiver = seat.consultant_id
        # Not a turn and owned: the owner keeps her revenue, as for any stand-in.
        owner = None if counted or arrival.owner_departed else arrival.owner_id
        turn = "counts as their turn" if counted else "not a turn"
        why = f"emergency {code}: to the first consultant free, ahead of the queue; {turn}"
        return replace(
            usual,
            consultant_id=receiver,
            counted=counted,
            route=Route.EMERGENCY,
            reason=why,
            skips=tuple(skips),
            credited_to=(owner or receiver,),
            paid_makeup=None,
            next_index=after if counted else None,
            other_index=None if counted else after,
            uses_turn_ahead=False,
            alert=None,
        )
    return replace(usual, reason=f"emergency {code}, nobody free: {usual.reason}")


def record_emergency(
    desk: DeskState,
    client: Arrival | Assignment,
    code: EmergencyReason,
    actor: Actor,
    now: datetime,
    alerts_bounded: BoundAsked = always,
) -> DeskEntry:
    """The EMERGENCY entry and its alert, once the desk placed `client` (or found nobody): the
    supervisor fetches a doctor at once."""
    assignment = desk.assignments.get(client.journey_id)
    consultant_id = assignment.consultant_id if assignment is not None else None
    if assignment is not None:
        assignment.emergency = code.value
    with_whom = f"with {consultant_id}" if consultant_id else "not placed"
    message = f"emergency {code.value}: call a doctor at once; {with_whom}"
    entry = new_entry(
        desk,
        EntryKind.EMERGENCY,
        actor.user_id,
        now,
        message,
        consultant_id=consultant_id,
        journey_id=client.journey_id,
        client_id=client.client_id,
        category=client.category.value,
        rule=code.value,
    )
    alert = Alert(entry.seq, message, client.journey_id, AlertKind.EMERGENCY)
    raise_alert(desk, alert, alerts_bounded)
    return entry


def mark_emergency(
    desk: DeskState, command: OverrideCommand, now: datetime, alerts_bounded: BoundAsked = always
) -> list[DeskEntry]:
    """A client waiting for her consultant becomes an emergency (checked by `checks`): handed to
    the next consultant free now when hers is not and she is a turn, then logged and alerted."""
    assert command.journey_id and command.emergency
    waiting = desk.assignments[command.journey_id]
    seat = desk.seat(waiting.consultant_id)
    free = seat is not None and seat.can_take()
    receiver = None if free or not waiting.counted else next_free(desk, waiting)
    code, actor = command.emergency, command.actor
    entries = [] if receiver is None else [_hand_on(desk, waiting, receiver, code, actor, now)]
    return [*entries, record_emergency(desk, waiting, code, actor, now, alerts_bounded)]


def next_free(desk: DeskState, waiting: Assignment) -> str | None:
    """The first consultant free now after hers, in rotation order, whatever their scope."""
    size = len(desk.rotation)
    mine = waiting.consultant_id
    start = desk.rotation.index(mine) + 1 if mine in desk.rotation else 0
    for step in range(size):
        seat = desk.seats[desk.rotation[(start + step) % size]]
        if seat.consultant_id != mine and seat.can_take():
            return seat.consultant_id
    return None


def _hand_on(
    desk: DeskState,
    waiting: Assignment,
    receiver: str,
    code: EmergencyReason,
    actor: Actor,
    now: datetime,
) -> DeskEntry:
    """Her turn goes with her, and the receiver's next turn goes back to her first consultant."""
    previous, category = waiting.consultant_id, waiting.category.value
    desk.seats[previous].turns -= 1
    desk.seats[previous].add_count(category, -1)
    desk.seats[receiver].turns += 1
    desk.seats[receiver].add_count(category)
    reason = f"emergency {code.value}: {previous} not free, to {receiver}, free now"
    entry = new_entry(
        desk,
        EntryKind.REASSIGNED,
        actor.user_id,
        now,
        f"{reason}; {receiver}'s next turn goes back to {previous}",
        consultant_id=receiver,
        from_consultant_id=previous,
        journey_id=waiting.journey_id,
        client_id=waiting.client_id,
        category=category,
        counted=True,
        route=Route.EMERGENCY.value,
        credits=credits_for(CreditRule.ASSIGNED, None, receiver),
        transfers_ownership=True,
        owner_id=receiver,
        rule=code.value,
    )
    desk.makeups.append(MakeUp(previous, f"emergency at entry {entry.seq}", entry.seq, receiver))
    waiting.consultant_id = receiver
    waiting.credit(entry.credits)
    waiting.assigned_at = now
    waiting.accept_by = now + timedelta(minutes=desk.policy.acceptance_minutes)
    return entry
