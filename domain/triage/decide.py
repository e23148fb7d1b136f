"""The rotation decision: one pure function from desk, arrival and policy to a decision.

Order of rules (seed 004): visit category and ownership first (return visits and repeat
purchases to the owner, referred clients to the referrer's consultant, A-class partner clients to
the designated consultant), then owed make-up turns, then the rotation within scope.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from domain.journey.stages import VisitCategory
from domain.triage.alerts import always
from domain.triage.decision import Arrival, Decision, Route, Skip, SkipReason
from domain.triage.desk import DeskState, Seat, SeatStatus
from domain.triage.policy import CompanionRule, RotationPolicy
from domain.triage.purposes import as_counted, category_reason

_OWNED = (VisitCategory.RETURN_VISIT, VisitCategory.REPEAT_PURCHASE)


def decide(
    desk: DeskState,
    arrival: Arrival,
    policy: RotationPolicy,
    other_drops_lead: Callable[[], bool] = always,
) -> Decision:
    """`other_drops_lead` as in `purposes.as_counted`."""
    arrival = as_counted(arrival, other_drops_lead)
    item = policy.major_item(arrival.items)
    if arrival.category is VisitCategory.RECHECK:
        return _decision(
            None, False, Route.RECHECK, "a recheck goes to the treating doctor or nurse", policy
        )
    if arrival.category in _OWNED or (arrival.owner_from_lead and arrival.owner_id):
        return _to_owner(desk, arrival, policy, item)
    if arrival.invalid or not policy.offers(item):
        return _in_order(desk, policy, item, "invalid consultation (item not offered): not a turn")
    if arrival.category is VisitCategory.OTHER:
        why = f"{category_reason(arrival)}: given in order, not a turn"
        return _in_order(desk, policy, item, why)
    if arrival.companion_of:
        return _companion(desk, arrival, policy, item)
    if arrival.referrer_consultant_id:
        return _to_referrer(desk, arrival, policy, item)
    if arrival.partner_consultant_id:
        return _to_partner(desk, arrival, policy, item)
    if item is not None and item in policy.key_items and desk.key_item_priority:
        return _key_item(desk, policy, item)
    return rotation(desk, policy, item, "first visit")


def _key_item(desk: DeskState, policy: RotationPolicy, item: str) -> Decision:
    """Benefit first, fairness too (seed 004 "效益优先,兼顾公平"): among this month's priority staff
    who can take the client, the one with the fewest turns today, the better-ranked on a tie.
    It counts as their turn and uses their next place in the rotation, as a designated client."""
    ready = [
        (seat.turns, rank, seat)
        for rank, consultant_id in enumerate(desk.key_item_priority)
        if (seat := desk.seat(consultant_id)) is not None and seat.can_take() and seat.covers(item)
    ]
    if not ready:
        return rotation(desk, policy, item, f"key item {item}, no priority consultant free")
    _, rank, seat = min(ready, key=lambda entry: (entry[0], entry[1]))
    reason = f"key item {item}: priority consultant (rank {rank + 1} this month), counts as a turn"
    found = _decision(seat.consultant_id, True, Route.KEY_ITEM, reason, policy)
    return _with(found, item=item, uses_turn_ahead=True)


def _decision(
    consultant_id: str | None, counted: bool, route: Route, reason: str, policy: RotationPolicy
) -> Decision:
    credited = (consultant_id,) if consultant_id else ()
    return Decision(
        consultant_id,
        counted,
        route,
        reason,
        policy.label,
        credited_to=credited,
        policy_note_id=policy.name_note_id,
    )


def order_from(desk: DeskState, start: int) -> list[tuple[int, Seat]]:
    size = len(desk.rotation)
    positions = [(start + step) % size for step in range(size)] if size else []
    return [(i, desk.seats[desk.rotation[i]]) for i in positions]


def unavailable(seat: Seat, counted: bool, policy: RotationPolicy) -> Skip | None:
    if not seat.on_duty or seat.departed:
        return Skip(seat.consultant_id, SkipReason.OFF_DUTY, False)
    if seat.status is SeatStatus.AWAY:
        return Skip(seat.consultant_id, SkipReason.AWAY, counted and policy.absent_makeup)
    if seat.status is SeatStatus.PAUSED:
        return Skip(seat.consultant_id, SkipReason.PAUSED, False)
    if seat.status is SeatStatus.BUSY:
        return Skip(seat.consultant_id, SkipReason.BUSY, counted and policy.busy_makeup)
    return None


def rotation(desk: DeskState, policy: RotationPolicy, item: str | None, why: str) -> Decision:
    """A counted turn: make-ups owed first, then the rotation from where it stands."""
    for index, makeup in enumerate(desk.makeups):
        seat = desk.seat(makeup.creditor_id)
        if makeup.from_turn_of is None and seat and seat.can_take() and seat.covers(item):
            reason = f"{why}: make-up turn owed ({makeup.reason})"
            found = _decision(seat.consultant_id, True, Route.MAKEUP, reason, policy)
            return _with(found, item=item, paid_makeup=index)
    skips: list[Skip] = []
    for position, seat in order_from(desk, desk.next_index):
        skip = unavailable(seat, True, policy)
        if skip is None and not seat.covers(item):
            skip = Skip(seat.consultant_id, SkipReason.OUT_OF_SCOPE, policy.scope_makeup)
        if skip is None and seat.turns_ahead > 0:
            skip = Skip(seat.consultant_id, SkipReason.TURN_USED_EARLY, False)
        if skip is not None:
            skips.append(skip)
            continue
        after = (position + 1) % len(desk.rotation)
        give_back = _give_back_due(desk, seat.consultant_id, item)
        if give_back is not None:
            creditor = desk.makeups[give_back].creditor_id
            skips.append(Skip(seat.consultant_id, SkipReason.GAVE_BACK, False))
            reason = f"{why}: {seat.consultant_id}'s turn given back to {creditor} (10-minute rule)"
            found = _decision(creditor, True, Route.GIVE_BACK, reason, policy)
            return _with(found, item=item, skips=skips, paid_makeup=give_back, next_index=after)
        found = _decision(seat.consultant_id, True, Route.ROTATION, f"{why}: rotation", policy)
        return _with(found, item=item, skips=skips, next_index=after)
    return _nobody(policy, item, skips, why)


def _give_back_due(desk: DeskState, debtor_id: str, item: str | None) -> int | None:
    for index, makeup in enumerate(desk.makeups):
        creditor = desk.seat(makeup.creditor_id)
        fits = creditor is not None and creditor.can_take() and creditor.covers(item)
        if makeup.from_turn_of == debtor_id and fits:
            return index
    return None


def _nobody(policy: RotationPolicy, item: str | None, skips: list[Skip], why: str) -> Decision:
    # Nobody received the client, so nobody lost a turn: no make-up is owed for these skips.
    unpaid = tuple(Skip(s.consultant_id, s.why, False) for s in skips)
    reason = f"{why}: every consultant is busy or away; supervisor called"
    found = _decision(None, False, Route.SUPERVISOR, reason, policy)
    return _with(found, item=item, skips=unpaid, alert=reason)


def _in_order(desk: DeskState, policy: RotationPolicy, item: str | None, why: str) -> Decision:
    """Given in rotation order on its own pointer: never charged as a turn, owes no make-up."""
    skips: list[Skip] = []
    for position, seat in order_from(desk, desk.other_index):
        skip = unavailable(seat, False, policy)
        if skip is None and not seat.covers(item):
            skip = Skip(seat.consultant_id, SkipReason.OUT_OF_SCOPE, False)
        if skip is not None:
            skips.append(skip)
            continue
        after = (position + 1) % len(desk.rotation)
        found = _decision(seat.consultant_id, False, Route.IN_ORDER_UNCOUNTED, why, policy)
        return _with(found, item=item, skips=skips, other_index=after)
    return _nobody(policy, item, skips, why)


def _to_owner(
    desk: DeskState, arrival: Arrival, policy: RotationPolicy, item: str | None
) -> Decision:
    category = arrival.category.value.lower().replace("_", " ")
    if arrival.owner_from_lead:
        category = "phone/online lead, earliest contact owns the client"
    if not arrival.owner_id or arrival.owner_departed:
        gone = "owner has left" if arrival.owner_departed else "no owner on record"
        return rotation(desk, policy, item, f"{category}, {gone}: back to rotation")
    owner = desk.seat(arrival.owner_id)
    if owner is not None and owner.present():
        reason = f"{category}: to the owning consultant (first-consultant ownership), not a turn"
        return _with(_decision(owner.consultant_id, False, Route.OWNER, reason, policy), item=item)
    named = arrival.owner_delegate_id or (owner.delegate_id if owner is not None else None)
    delegate = desk.seat(named or "")
    if delegate is not None and delegate.present():
        reason = f"{category}: owner away, to the delegate they named; revenue to the owner"
        return _stand_in(delegate.consultant_id, arrival.owner_id, reason, policy, item)
    if policy.stand_in_for_absent_owner:
        for _, seat in order_from(desk, desk.other_index):
            if seat.can_take():
                reason = f"{category}: owner away, stand-in in order; revenue to the owner"
                return _stand_in(seat.consultant_id, arrival.owner_id, reason, policy, item)
    return _nobody(policy, item, [], f"{category}: owner away")


def _stand_in(
    consultant_id: str, owner_id: str, reason: str, policy: RotationPolicy, item: str | None
) -> Decision:
    found = _decision(consultant_id, False, Route.OWNER_STAND_IN, reason, policy)
    return _with(found, item=item, credited_to=(owner_id,))


def _to_referrer(
    desk: DeskState, arrival: Arrival, policy: RotationPolicy, item: str | None
) -> Decision:
    referrers_seat = desk.seat(arrival.referrer_consultant_id or "")
    seat_delegate = referrers_seat.delegate_id if referrers_seat is not None else None
    named = arrival.referrer_delegate_id or seat_delegate
    for candidate in (arrival.referrer_consultant_id, named):
        seat = desk.seat(candidate or "")
        if seat is not None and seat.present():
            reason = "referred by an existing client: to the referrer's consultant, not a turn"
            return _with(
                _decision(seat.consultant_id, False, Route.REFERRER, reason, policy), item=item
            )
    why = "referred client, referrer's consultant off duty and no delegate"
    return rotation(desk, policy, item, why)


def _to_partner(
    desk: DeskState, arrival: Arrival, policy: RotationPolicy, item: str | None
) -> Decision:
    seat = desk.seat(arrival.partner_consultant_id or "")
    if seat is None or not seat.present():
        return rotation(desk, policy, item, "A-class partner client, designated consultant away")
    reason = "A-class partner client: to the designated consultant, counts as a turn"
    found = _decision(seat.consultant_id, True, Route.PARTNER, reason, policy)
    return _with(found, item=item, uses_turn_ahead=policy.designated_uses_turn)


def _companion(
    desk: DeskState, arrival: Arrival, policy: RotationPolicy, item: str | None
) -> Decision:
    main = desk.assignments.get(arrival.companion_of or "")
    as_other = policy.companions is CompanionRule.REGISTERED_AS_OTHER
    if arrival.same_consultant and main is not None:
        seat = desk.seat(main.consultant_id)
        if seat is not None and seat.present():
            counted = not as_other
            turn = "counts as a turn for them" if counted else "registered as other, not a turn"
            reason = f"companion asked for the same consultant: {turn}"
            found = _decision(seat.consultant_id, counted, Route.COMPANION, reason, policy)
            return _with(found, item=item, uses_turn_ahead=counted and policy.designated_uses_turn)
    if as_other:
        return _in_order(desk, policy, item, "companion registered as other: in order, not a turn")
    return rotation(desk, policy, item, "companion: takes a turn of their own")


def _with(decision: Decision, **changes: object) -> Decision:
    if "skips" in changes:
        changes["skips"] = tuple(changes["skips"])  # type: ignore[arg-type]
    return replace(decision, **changes)  # type: ignore[arg-type]
