"""Staff changes to the desk: duty, status, scope and order; the supervisor's overrides.

Records are never rubbed out: a correction is a new entry that points at the one it amends.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from domain.journey.stages import VisitCategory
from domain.triage.alerts import BoundAsked, always, clear_emergency, clear_unaccepted
from domain.triage.commands import OrderCommand, OverrideCommand, SeatCommand, in_desk_words
from domain.triage.decision import Route
from domain.triage.desk import Assignment, DeskState, MakeUp, Seat
from domain.triage.entries import DeskEntry, EntryKind
from domain.triage.ledger import DESK_ACTOR_ID, new_entry
from domain.triage.revenue import Credit, CreditRule, credits_for, owner_after, stand_in_credit

VIP_COUNT_KEY = "VIP"


def change_seat(desk: DeskState, command: SeatCommand, now: datetime) -> DeskEntry:
    seat = desk.seat(command.consultant_id)
    if seat is None:
        seat = desk.seats[command.consultant_id] = Seat(command.consultant_id)
        desk.rotation.append(command.consultant_id)
    changed = []
    if command.on_duty is not None:
        seat.on_duty = command.on_duty
        changed.append("on duty" if command.on_duty else "off duty")
    if command.status is not None:
        seat.status = command.status
        changed.append(f"status {command.status.value}")
    if command.scope is not None:
        seat.scope = sorted(set(command.scope))
        changed.append("scope " + (", ".join(seat.scope) or "every item"))
    if command.delegate_id is not None:
        seat.delegate_id = command.delegate_id or None
        changed.append(f"delegate {seat.delegate_id}" if seat.delegate_id else "no delegate")
    return new_entry(
        desk,
        EntryKind.SEAT_CHANGED,
        command.actor.user_id,
        now,
        in_desk_words("; ".join(changed), command),
        consultant_id=seat.consultant_id,
        note_id=command.note_id or None,
    )


def set_order(desk: DeskState, command: OrderCommand, now: datetime) -> DeskEntry:
    # The consultant who was next stays next: a new order does not cost anyone a turn.
    upcoming = desk.rotation[desk.next_index] if desk.rotation else None
    upcoming_other = desk.rotation[desk.other_index] if desk.rotation else None
    desk.rotation = list(command.consultant_ids)
    desk.next_index = desk.rotation.index(upcoming) if upcoming else 0
    desk.other_index = desk.rotation.index(upcoming_other) if upcoming_other else 0
    return new_entry(
        desk,
        EntryKind.ORDER_CHANGED,
        command.actor.user_id,
        now,
        "rotation order: " + ", ".join(desk.rotation),
    )


def reassign(
    desk: DeskState,
    command: OverrideCommand,
    now: datetime,
    stand_in_kept: Callable[[], bool] = always,
    stand_in_split: Callable[[], bool] = always,
    unaccepted_cleared: BoundAsked = always,
) -> DeskEntry:
    """`stand_in_kept`: whether a stand-in leaves the revenue and the client with the owner (a
    desk run begun before credited both to the stand-in); asked only for a stand-in.
    `stand_in_split` as in `_stand_in_credits`. The supervisor placed her anew: a call for her,
    as nobody accepted her in time, leaves the board (`alerts.clear_unaccepted`,
    `unaccepted_cleared` as there)."""
    assert command.journey_id and command.consultant_id and command.rule
    assignment = desk.assignments[command.journey_id]
    new, rule = command.consultant_id, command.rule
    category = assignment.category.value
    previous = _place_anew(desk, assignment, new, rule, unaccepted_cleared)
    # The desk's own placement: her journey follows it (a hand-over), no longer the other way.
    assignment.follows_journey = False
    credits = credits_for(rule, previous, new)
    owner = owner_after(rule, previous, new)
    if rule is CreditRule.OWNER_STAND_IN and stand_in_kept():
        credits, owner = _stand_in_credits(assignment, previous, stand_in_split), None
    assignment.credit(credits)
    split = ", ".join(f"{c.consultant_id} {c.percent}%" for c in credits)
    return new_entry(
        desk,
        EntryKind.REASSIGNED,
        command.actor.user_id,
        now,
        in_desk_words(f"{rule.value.lower()}; revenue {split}", command),
        consultant_id=new,
        from_consultant_id=previous,
        journey_id=assignment.journey_id,
        client_id=assignment.client_id,
        category=category,
        counted=assignment.counted,
        credits=credits,
        transfers_ownership=owner == new,
        owner_id=new if owner == new else None,
        note_id=command.note_id or None,
    )


def _place_anew(
    desk: DeskState,
    assignment: Assignment,
    new: str,
    rule: CreditRule,
    unaccepted_cleared: BoundAsked,
) -> str:
    """Gives her to `new`, taken, under `rule`: the consultant she had (answered) keeps the turn
    she cost them, given again later only for a referral found; her visit is counted with `new`
    (a seat of the desk's, or nobody's), but on a joint review; the desk no longer waits on her,
    and a call for her leaves the board (`alerts.clear_unaccepted`, `unaccepted_cleared` as
    there)."""
    previous, category = assignment.consultant_id, assignment.category.value
    if rule is CreditRule.REFERRAL_FOUND and assignment.counted:
        # "改派后应补派一个初诊给A": the first consultant's turn is given again later.
        desk.seats[previous].turns -= 1
        desk.makeups.append(
            MakeUp(previous, f"referral found at entry {desk.seq + 1}", desk.seq + 1)
        )
        assignment.counted = False
    if rule is not CreditRule.JOINT_REVIEW:
        for consultant_id, change in ((previous, -1), (new, 1)):
            seat = desk.seat(consultant_id)
            if seat is not None:
                seat.add_count(category, change)
    assignment.consultant_id = new
    assignment.accepted, assignment.accept_by = True, None
    clear_unaccepted(desk, assignment.journey_id, unaccepted_cleared)
    return previous


def follow_journey(
    desk: DeskState,
    assignment: Assignment,
    new: str,
    now: datetime,
    action: str,
    unaccepted_cleared: BoundAsked = always,
) -> DeskEntry:
    """Her journey names `new` (the supervisor's reassignJourney) while she waited for the
    consultant the desk gave her, after the desk followed her journey once, or once she was
    taken (placed anew by reassignClient, or by her consultant): the desk follows
    it as reassignClient places a client anew (`_place_anew`), under the rule of a client simply
    assigned: `new` credited whole and her owner, the first consultant's turn used and owed
    nothing. No hand-over: nobody waits any more, and the journey already names `new` (its
    record hands nothing over). The desk follows her journey's next moves too
    (`Assignment.follows_journey`)."""
    again, taken = assignment.follows_journey, assignment.accepted
    previous = _place_anew(desk, assignment, new, CreditRule.ASSIGNED, unaccepted_cleared)
    assignment.follows_journey = True
    credits = credits_for(CreditRule.ASSIGNED, previous, new)
    assignment.credit(credits)
    if again:
        why = f"journey moved on to {new} ({action}) from {previous}, followed before: placed anew"
    elif taken:
        why = f"journey moved to {new} ({action}) from {previous}, who had her: placed anew"
    else:
        why = f"journey moved to {new} ({action}) while waiting for {previous}: placed anew"
    return new_entry(
        desk,
        EntryKind.REASSIGNED,
        DESK_ACTOR_ID,
        now,
        f"{why}; revenue {new} 100%",
        consultant_id=new,
        from_consultant_id=previous,
        journey_id=assignment.journey_id,
        client_id=assignment.client_id,
        category=assignment.category.value,
        counted=assignment.counted,
        credits=credits,
        transfers_ownership=True,
        owner_id=new,
    )


def _stand_in_credits(
    assignment: Assignment, previous: str, split_kept: Callable[[], bool]
) -> list[Credit]:
    """A stand-in's credits: a revenue split between consultants stays split as it stood.
    `split_kept`: whether the desk does so (a desk run begun before credited the consultant
    assigned whole), asked only when the split would change the credits."""
    kept = stand_in_credit(assignment.credited_to, previous, assignment.credit_percents)
    whole = stand_in_credit(assignment.credited_to, previous)
    return kept if kept == whole or split_kept() else whole


def place_vip(
    desk: DeskState, command: OverrideCommand, now: datetime, cleared: BoundAsked = always
) -> DeskEntry:
    """Placed and taken at once: her alerts leave the board, as when a consultant takes a client
    the desk placed (`alerts.clear_emergency`). `cleared`: whether the desk does so (a run
    recorded before kept them until its midnight), asked only when an alert of hers stands."""
    assert command.journey_id and command.client_id and command.consultant_id
    desk.assignments[command.journey_id] = Assignment(
        journey_id=command.journey_id,
        client_id=command.client_id,
        consultant_id=command.consultant_id,
        category=VisitCategory.FIRST_VISIT,
        counted=False,
        route=Route.VIP.value,
        item=None,
        assigned_at=now,
        accept_by=None,
        accepted=True,
        credited_to=[command.consultant_id],
    )
    desk.seats[command.consultant_id].add_count(VIP_COUNT_KEY)
    # One change of the desk cleared both her alerts here: one question for either.
    clear_emergency(desk, command.journey_id, cleared, lambda _emergency: cleared())
    takes = not command.client_has_owner
    return new_entry(
        desk,
        EntryKind.VIP_PLACED,
        command.actor.user_id,
        now,
        in_desk_words("VIP placed by the supervisor, not a turn", command),
        consultant_id=command.consultant_id,
        journey_id=command.journey_id,
        client_id=command.client_id,
        category=VIP_COUNT_KEY,
        route=Route.VIP.value,
        credits=credits_for(CreditRule.ASSIGNED, None, command.consultant_id),
        transfers_ownership=takes,
        owner_id=command.consultant_id if takes else None,
        note_id=command.note_id or None,
    )


def correct(desk: DeskState, command: OverrideCommand, now: datetime) -> DeskEntry:
    seat = desk.seat(command.consultant_id or "")
    if seat is not None:
        seat.turns += command.turns_delta
        for _ in range(max(command.makeup_delta, 0)):
            desk.makeups.append(
                MakeUp(
                    seat.consultant_id, f"correction of entry {command.amends_seq}", desk.seq + 1
                )
            )
        for _ in range(max(-command.makeup_delta, 0)):
            owed = [m for m in desk.makeups if m.creditor_id == seat.consultant_id]
            if owed:
                desk.makeups.remove(owed[0])
    effect = (
        f" (turns {command.turns_delta:+d}, make-ups {command.makeup_delta:+d})" if seat else ""
    )
    return new_entry(
        desk,
        EntryKind.CORRECTION,
        command.actor.user_id,
        now,
        in_desk_words(f"correction of entry {command.amends_seq}{effect}", command),
        consultant_id=command.consultant_id,
        amends_seq=command.amends_seq,
        note_id=command.note_id or None,
    )


def consultant_left(desk: DeskState, command: OverrideCommand, now: datetime) -> DeskEntry:
    leaver = command.consultant_id or ""
    seat = desk.seats[leaver]
    seat.departed, seat.on_duty = True, False
    _leave_rotation(desk, leaver)
    kept = []
    for makeup in desk.makeups:
        if makeup.creditor_id == leaver:
            continue
        if makeup.from_turn_of == leaver:  # still owed, now from the next fitting client
            makeup = MakeUp(makeup.creditor_id, makeup.reason, makeup.owed_at_seq)
        kept.append(makeup)
    desk.makeups = kept
    for assignment in desk.pending():
        if assignment.consultant_id == leaver:
            assignment.accept_by = now - timedelta(seconds=1)  # the 10-minute rule acts at once
    to = command.successor_id or "rotation"
    return new_entry(
        desk,
        EntryKind.CONSULTANT_LEFT,
        command.actor.user_id,
        now,
        in_desk_words(f"{leaver} left: turns stopped, clients to {to}", command),
        consultant_id=leaver,
        transfers_ownership=True,
        owner_id=command.successor_id,
        note_id=command.note_id or None,
    )


def _leave_rotation(desk: DeskState, leaver: str) -> None:
    if leaver not in desk.rotation:
        return
    position = desk.rotation.index(leaver)
    desk.rotation.remove(leaver)
    size = max(len(desk.rotation), 1)
    if position < desk.next_index:
        desk.next_index -= 1
    if position < desk.other_index:
        desk.other_index -= 1
    desk.next_index %= size
    desk.other_index %= size


def set_policy(desk: DeskState, command: OverrideCommand, now: datetime) -> DeskEntry:
    assert command.policy is not None
    # Versions count up on the desk itself, so every decision's label names one set of rules.
    desk.policy = replace(command.policy, version=desk.policy.version + 1)
    return new_entry(
        desk,
        EntryKind.POLICY_CHANGED,
        command.actor.user_id,
        now,
        # The entry's policy column names the new policy; the reason says what happened.
        in_desk_words("new rotation policy", command),
        note_id=command.note_id or None,
    )


def set_key_item_priority(desk: DeskState, command: OverrideCommand, now: datetime) -> DeskEntry:
    """This month's priority staff for key items (seed 004: "每月会对咨询师重点项目成交情况进行汇总,
    从成交率、客单价两方面评估,并于次月调整重点项目优先分诊人员")."""
    desk.key_item_priority = list(command.priority or [])
    ranked = ", ".join(desk.key_item_priority) or "nobody: key items go by plain rotation"
    return new_entry(
        desk,
        EntryKind.KEY_ITEM_PRIORITY,
        command.actor.user_id,
        now,
        in_desk_words(f"key-item priority {ranked}", command),
        note_id=command.note_id or None,
    )
