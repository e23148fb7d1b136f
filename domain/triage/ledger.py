"""Applying decisions to the desk: counts, make-ups, pointers, acceptance and the 10-minute rule.

Each function changes the desk in place and returns the log entries that explain the change.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from domain.journey.facts import Actor
from domain.triage.alerts import (
    BoundAsked,
    UnplacedAsked,
    always,
    always_cleared,
    clear_emergency,
    raise_alert,
)
from domain.triage.decision import Arrival, Decision, Route, SkipReason
from domain.triage.desk import Alert, AlertKind, Assignment, DeskState, MakeUp
from domain.triage.entries import DeskEntry, EntryKind
from domain.triage.revenue import CreditRule, assignment_credit, credits_for, split_percents

DESK_ACTOR_ID = "triage-desk"


def new_entry(
    desk: DeskState, kind: EntryKind, actor_id: str, at: datetime, reason: str, **fields: Any
) -> DeskEntry:
    desk.seq += 1
    return DeskEntry(
        desk.seq,
        desk.day,
        kind,
        at,
        actor_id,
        reason,
        desk.policy.label,
        policy_note_id=desk.policy.name_note_id,
        **fields,
    )


def assignment_entry(
    desk: DeskState,
    assignment: Assignment,
    kind: EntryKind,
    actor_id: str,
    at: datetime,
    why: str,
    **fields: Any,
) -> DeskEntry:
    """The log's entry of what became of an assignment, naming its consultant and client."""
    return new_entry(
        desk,
        kind,
        actor_id,
        at,
        why,
        consultant_id=assignment.consultant_id,
        journey_id=assignment.journey_id,
        client_id=assignment.client_id,
        category=assignment.category.value,
        **fields,
    )


def record_arrival(
    desk: DeskState,
    arrival: Arrival,
    decision: Decision,
    actor: Actor,
    now: datetime,
    alerts_bounded: BoundAsked = always,
) -> DeskEntry:
    if decision.route is Route.RECHECK:
        # Not the desk's to place and nothing for the supervisor to do: logged, never alerted.
        return new_entry(
            desk,
            EntryKind.ROUTED,
            actor.user_id,
            now,
            decision.reason,
            journey_id=arrival.journey_id,
            client_id=arrival.client_id,
            category=arrival.category.value,
            route=decision.route.value,
        )
    if decision.consultant_id is None:
        entry = new_entry(
            desk,
            EntryKind.SUPERVISOR_ALERT,
            actor.user_id,
            now,
            decision.reason + decision.skip_summary(),
            journey_id=arrival.journey_id,
            client_id=arrival.client_id,
            category=arrival.category.value,
            route=decision.route.value,
            skips=list(decision.skips),
        )
        message = decision.alert or decision.reason
        alert = Alert(entry.seq, message, arrival.journey_id, AlertKind.UNPLACED)
        raise_alert(desk, alert, alerts_bounded)
        return entry
    _charge_skips(desk, decision, now)
    seat = desk.seats[decision.consultant_id]
    seat.add_count(arrival.category.value)
    if decision.counted:
        seat.turns += 1
    if decision.uses_turn_ahead:
        seat.turns_ahead += 1
    if decision.paid_makeup is not None:
        desk.makeups.pop(decision.paid_makeup)
    if decision.next_index is not None:
        desk.next_index = decision.next_index
    if decision.other_index is not None:
        desk.other_index = decision.other_index
    minutes = desk.policy.acceptance_minutes
    credits = assignment_credit(decision.consultant_id, decision.credited_to)
    desk.assignments[arrival.journey_id] = Assignment(
        journey_id=arrival.journey_id,
        client_id=arrival.client_id,
        consultant_id=decision.consultant_id,
        category=arrival.category,
        counted=decision.counted,
        route=decision.route.value,
        item=decision.item,
        assigned_at=now,
        accept_by=now + timedelta(minutes=minutes),
        credited_to=list(decision.credited_to),
        credit_percents=split_percents(credits),
    )
    # The first consultant to serve a client owns them; an owner or stand-in changes nothing.
    takes_ownership = arrival.owner_id is None or arrival.owner_departed
    takes_ownership = takes_ownership and decision.route is not Route.OWNER_STAND_IN
    return new_entry(
        desk,
        EntryKind.ASSIGNED,
        actor.user_id,
        now,
        decision.reason + decision.skip_summary(),
        consultant_id=decision.consultant_id,
        journey_id=arrival.journey_id,
        client_id=arrival.client_id,
        category=arrival.category.value,
        item=decision.item,
        counted=decision.counted,
        route=decision.route.value,
        skips=list(decision.skips),
        credits=credits,
        transfers_ownership=takes_ownership,
        owner_id=decision.consultant_id if takes_ownership else None,
    )


def _charge_skips(desk: DeskState, decision: Decision, now: datetime) -> None:
    for skip in decision.skips:
        if skip.makeup_owed:
            why = f"skipped as {skip.why.value.lower()} at entry {desk.seq + 1}"
            desk.makeups.append(MakeUp(skip.consultant_id, why, desk.seq + 1))
        if skip.why is SkipReason.TURN_USED_EARLY:
            desk.seats[skip.consultant_id].turns_ahead -= 1


def accept(
    desk: DeskState,
    journey_id: str,
    actor: Actor,
    now: datetime,
    emergency_cleared: BoundAsked = always,
    unplaced_cleared: UnplacedAsked = always_cleared,
    unaccepted_cleared: BoundAsked = always,
) -> DeskEntry:
    """Her consultant took her; an emergency of hers is in hand, and nobody has to place her or
    see to her (`alerts.clear_emergency`)."""
    assignment = desk.assignments[journey_id]
    assignment.accepted = True
    assignment.accept_by = None
    clear_emergency(desk, journey_id, emergency_cleared, unplaced_cleared, unaccepted_cleared)
    waited = int((now - assignment.assigned_at).total_seconds() // 60)
    why = f"accepted after {waited} min"
    return assignment_entry(desk, assignment, EntryKind.ACCEPTED, actor.user_id, now, why)


def next_deadline(desk: DeskState) -> datetime | None:
    deadlines = [a.accept_by for a in desk.pending() if a.accept_by is not None]
    return min(deadlines) if deadlines else None


def expire_overdue(
    desk: DeskState,
    now: datetime,
    *,
    hand_over_once: bool = True,
    skip_timed_out: bool = True,
    alerts_bounded: BoundAsked = always,
) -> list[DeskEntry]:
    """The 10-minute rule for every assignment not accepted in time. A client is handed on
    once: the consultant they were handed to letting them wait too calls the supervisor
    (`hand_over_once`; a desk run begun before that rule handed them on every ten minutes, round
    the rotation all day, each round a hand-over of the journey and a make-up turn more).
    A client handed on because their consultant left goes to nobody who let them wait today
    (`skip_timed_out`; a run begun before could hand them straight back to the consultant the
    10-minute rule had taken them from). `alerts_bounded` as in `alerts.raise_alert`."""
    entries: list[DeskEntry] = []
    overdue = [a for a in desk.pending() if a.accept_by is not None and a.accept_by <= now]
    for assignment in sorted(overdue, key=lambda a: (a.accept_by, a.journey_id)):
        if hand_over_once and _timed_out_again(desk, assignment):
            entry = _supervisor_for_second_wait(desk, assignment, now)
        else:
            skip = assignment.timed_out_with if skip_timed_out else []
            entry = _hand_to_next_free(desk, assignment, now, skip)
        if entry.kind is EntryKind.SUPERVISOR_ALERT:
            alert = Alert(entry.seq, entry.reason, entry.journey_id, AlertKind.UNACCEPTED)
            raise_alert(desk, alert, alerts_bounded)
        entries.append(entry)
    return entries


def leave_meets_timed_out(desk: DeskState, now: datetime) -> bool:
    """Whether a client due now would, but for `skip_timed_out`, go back to a consultant who
    let them wait today: only then does that rule decide anything."""
    for late in desk.pending():
        if late.accept_by is None or late.accept_by > now or not late.timed_out_with:
            continue
        if _next_free(desk, late, []) in late.timed_out_with:
            return True
    return False


def overdue_after_hand_over(desk: DeskState, now: datetime) -> bool:
    """Whether a client handed over once is due now again: only then does `hand_over_once`
    decide anything."""
    return any(
        a.accept_by is not None and a.accept_by <= now and _timed_out_again(desk, a)
        for a in desk.pending()
    )


def _timed_out_again(desk: DeskState, late: Assignment) -> bool:
    # A consultant who left hands their clients on at once (`consultant_left`): that is no wait.
    seat = desk.seat(late.consultant_id)
    return late.handed_over and not (seat is not None and seat.departed)


def _supervisor_for_second_wait(desk: DeskState, late: Assignment, now: datetime) -> DeskEntry:
    minutes = desk.policy.acceptance_minutes
    late.accept_by = None  # one alert, never a loop; the hand-over's turns and make-up stand
    reason = (
        f"waited {minutes} min for {late.consultant_id}, who was handed the client by the "
        "10-minute rule; not handed on again: supervisor called"
    )
    return _call_supervisor(desk, late, now, reason)


def _call_supervisor(desk: DeskState, late: Assignment, now: datetime, reason: str) -> DeskEntry:
    """The entry calling the supervisor; `expire_overdue` raises its alert."""
    return assignment_entry(desk, late, EntryKind.SUPERVISOR_ALERT, DESK_ACTOR_ID, now, reason)


def _hand_to_next_free(
    desk: DeskState, late: Assignment, now: datetime, skip: list[str]
) -> DeskEntry:
    minutes = desk.policy.acceptance_minutes
    late.accept_by = None  # one alert or one hand-over per wait, never a loop
    helper = _next_free(desk, late, skip) if late.counted else None
    if helper is None:
        who = "no consultant is free" if late.counted else "owned client, not a rotation turn"
        if late.counted and _next_free(desk, late, []) is not None:
            who = f"no one else is free ({', '.join(skip)} let the client wait today)"
        reason = f"waited {minutes} min for {late.consultant_id}; {who}: supervisor called"
        return _call_supervisor(desk, late, now, reason)
    previous = late.consultant_id
    seat = desk.seat(previous)
    if not (seat is not None and seat.departed) and previous not in late.timed_out_with:
        late.timed_out_with.append(previous)  # a leaver's clients are handed on, not let wait
    desk.seats[previous].turns -= 1
    desk.seats[previous].add_count(late.category.value, -1)
    desk.seats[helper].turns += 1
    desk.seats[helper].add_count(late.category.value)
    reason = f"not accepted by {previous} within {minutes} min: to the next free consultant"
    entry = new_entry(
        desk,
        EntryKind.TIMED_OUT,
        DESK_ACTOR_ID,
        now,
        reason + f"; {helper}'s next turn goes back to {previous}",
        consultant_id=helper,
        from_consultant_id=previous,
        journey_id=late.journey_id,
        client_id=late.client_id,
        category=late.category.value,
        counted=True,
        route=Route.ROTATION.value,
        credits=credits_for(CreditRule.ACCEPTANCE_TIMEOUT, None, helper),
        transfers_ownership=True,
        owner_id=helper,
    )
    desk.makeups.append(MakeUp(previous, f"10-minute rule at entry {entry.seq}", entry.seq, helper))
    late.consultant_id = helper
    late.credit(entry.credits)
    late.assigned_at = now
    # The helper has the acceptance minutes too; their wait ends in the supervisor's call.
    late.accept_by = now + timedelta(minutes=minutes)
    late.handed_over = True
    return entry


def _next_free(desk: DeskState, late: Assignment, skip: list[str]) -> str | None:
    size = len(desk.rotation)
    start = (
        desk.rotation.index(late.consultant_id) + 1 if late.consultant_id in desk.rotation else 0
    )
    passed = {late.consultant_id, *skip}
    for step in range(size):
        seat = desk.seats[desk.rotation[(start + step) % size]]
        if seat.consultant_id not in passed and seat.can_take() and seat.covers(late.item):
            return seat.consultant_id
    return None


def close_day(desk: DeskState, now: datetime) -> list[DeskEntry]:
    """The day ends: every client still waiting for a consultant is released, in the day that
    ends. The client came that day, and a wait that outlived it is no longer one: carried into
    the next day, the 10-minute rule handed yesterday's client on at the next deadline, charged
    today's counts for yesterday's turn, and one the supervisor had been called for (or whose
    journey moved on without its consultant) stayed on the desk, and in every board, for good.
    The turns and make-ups of the day stand as they are."""
    entries = []
    for late in sorted(desk.pending(), key=lambda a: (a.assigned_at, a.journey_id)):
        late.released, late.accept_by = True, None
        reason = f"day {desk.day} ended with the client still waiting for {late.consultant_id}"
        why = reason + ": released, the day's turns stand"
        entries.append(
            assignment_entry(
                desk, late, EntryKind.RELEASED, DESK_ACTOR_ID, now, why, back_to_triage=True
            )
        )
    return entries


def open_day(desk: DeskState, day: str, now: datetime) -> DeskEntry:
    """A new day: counts start again, statuses are reset, owed turns and the order carry over;
    of the assignments, only those still waiting (none after `close_day`)."""
    for consultant_id, seat in desk.seats.items():
        desk.seats[consultant_id] = replace(
            seat, turns=0, counts={}, turns_ahead=0, status=type(seat.status).AVAILABLE
        )
    waiting = {id(a) for a in desk.pending()}
    desk.assignments = {k: a for k, a in desk.assignments.items() if id(a) in waiting}
    desk.alerts, desk.alerts_dropped = [], 0
    desk.day = day
    return new_entry(desk, EntryKind.DAY_OPENED, DESK_ACTOR_ID, now, f"day {day} opened")
