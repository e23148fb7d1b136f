"""One entry point per desk command: check, decide, apply; shared by the workflow and tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from domain.triage.alerts import (
    BoundAsked,
    UnplacedAsked,
    always,
    always_cleared,
    clear_unplaced,
)
from domain.triage.arranged import arranged, settle_arranged
from domain.triage.checks import check_accept, check_arrive, check_override
from domain.triage.commands import AcceptCommand, ArriveCommand, OverrideCommand, OverrideKind
from domain.triage.decide import decide
from domain.triage.decision import Arrival, Decision, EmergencyReason, Route
from domain.triage.desk import AlertKind, DeskState
from domain.triage.emergency import emergency_decision, mark_emergency, record_emergency
from domain.triage.entries import DeskEntry
from domain.triage.ledger import accept, expire_overdue, record_arrival
from domain.triage.overrides import (
    consultant_left,
    correct,
    place_vip,
    reassign,
    set_key_item_priority,
    set_policy,
)
from domain.triage.purposes import as_counted
from domain.triage.reclassify import reclassify


def arrive(
    desk: DeskState,
    command: ArriveCommand,
    now: datetime,
    *,
    alert_once: bool = True,
    alerts_bounded: BoundAsked = always,
    other_drops_lead: Callable[[], bool] = always,
    emergency_route: Callable[[], bool] = always,
    unplaced_cleared: UnplacedAsked = always_cleared,
) -> tuple[Decision, list[DeskEntry]]:
    """Decides an arrival once: a repeated arrival for a decided journey gets the same answer.
    One nobody could take is decided again (someone may be free now); if nobody is, it gets
    the same answer and adds nothing: its supervisor alert stands (`alert_once`; a desk run
    begun before that rule added an alert and an entry each time, and a front-desk account
    sending one journey again and again grew the desk's state until Temporal refused it).
    `alerts_bounded` as in `alerts.raise_alert`, `other_drops_lead` as in `purposes.as_counted`.
    `emergency_route`: whether an arrival marked an emergency takes the emergency route
    (`emergency`; a desk history recorded before it decided her as any other), asked only for
    an arrival marked so. A client nobody could take, placed now, has her UNPLACED alert taken
    off the board (`alerts.clear_unplaced`, `unplaced_cleared` as there)."""
    check_arrive(desk, command)
    # Counted as its purpose says, so the log and the seat's counts show the category used.
    arrival = as_counted(command.arrival, other_drops_lead)
    earlier = desk.assignments.get(arrival.journey_id)
    if earlier is not None:
        replay = Decision(
            earlier.consultant_id,
            earlier.counted,
            Route(earlier.route),
            "already decided for this journey",
            desk.policy.label,
            item=earlier.item,
            credited_to=tuple(earlier.credited_to),
            policy_note_id=desk.policy.name_note_id,
        )
        return replay, []
    urgent = arrival.emergency if arrival.emergency is not None and emergency_route() else None
    if command.chosen_id is not None:
        decision = arranged(desk, arrival, command.chosen_id, desk.policy)
        entry = record_arrival(desk, arrival, decision, command.actor, now, alerts_bounded)
        settle_arranged(desk, arrival.journey_id)
        return decision, [entry, *_emergency(desk, arrival, urgent, command, now, alerts_bounded)]
    decision = decide(desk, arrival, desk.policy, other_drops_lead)
    if urgent is not None:
        decision = emergency_decision(desk, arrival, desk.policy, decision)
    kinds = {alert.kind for alert in desk.alerts if alert.journey_id == arrival.journey_id}
    told = bool(kinds) and (urgent is None or AlertKind.EMERGENCY in kinds)
    if alert_once and decision.consultant_id is None and told:
        return decision, []
    entry = record_arrival(desk, arrival, decision, command.actor, now, alerts_bounded)
    entries = [entry, *_emergency(desk, arrival, urgent, command, now, alerts_bounded)]
    if decision.consultant_id is not None:
        clear_unplaced(desk, arrival.journey_id, unplaced_cleared)
    return decision, entries


def _emergency(
    desk: DeskState,
    arrival: Arrival,
    urgent: EmergencyReason | None,
    command: ArriveCommand,
    now: datetime,
    alerts_bounded: BoundAsked,
) -> list[DeskEntry]:
    """The EMERGENCY entry and alert of an arrival decided as one (`urgent`), after its own."""
    if urgent is None:
        return []
    return [record_emergency(desk, arrival, urgent, command.actor, now, alerts_bounded)]


def take(
    desk: DeskState,
    command: AcceptCommand,
    now: datetime,
    emergency_cleared: BoundAsked = always,
    unplaced_cleared: UnplacedAsked = always_cleared,
    unaccepted_cleared: BoundAsked = always,
) -> list[DeskEntry]:
    """`emergency_cleared`, `unplaced_cleared` and `unaccepted_cleared` as in
    `alerts.clear_emergency`."""
    check_accept(desk, command)
    asked = (emergency_cleared, unplaced_cleared, unaccepted_cleared)
    return [accept(desk, command.journey_id, command.actor, now, *asked)]


_OVERRIDES = {
    OverrideKind.REASSIGN: reassign,
    OverrideKind.CORRECT: correct,
    OverrideKind.CONSULTANT_LEFT: consultant_left,
    OverrideKind.SET_POLICY: set_policy,
    OverrideKind.SET_KEY_ITEM_PRIORITY: set_key_item_priority,
    OverrideKind.RECLASSIFY: reclassify,
}


def override(
    desk: DeskState,
    command: OverrideCommand,
    now: datetime,
    *,
    hand_over_once: bool = True,
    skips_timed_out: Callable[[], bool] = always,
    alerts_bounded: BoundAsked = always,
    stand_in_kept: Callable[[], bool] = always,
    stand_in_split: Callable[[], bool] = always,
    vip_cleared: BoundAsked = always,
    unaccepted_cleared: BoundAsked = always,
) -> list[DeskEntry]:
    """`skips_timed_out` is asked once the override is made, as only then may a leaver's
    client be due (`ledger.expire_overdue`): the workflow answers from its history, as it does
    `stand_in_kept`, `stand_in_split` and `unaccepted_cleared` (`overrides.reassign`) and
    `vip_cleared` (`overrides.place_vip`)."""
    check_override(desk, command)
    if command.kind is OverrideKind.REASSIGN:
        asked = (stand_in_kept, stand_in_split, unaccepted_cleared)
        entries = [reassign(desk, command, now, *asked)]
    elif command.kind is OverrideKind.PLACE_VIP:
        entries = [place_vip(desk, command, now, vip_cleared)]
    elif command.kind is OverrideKind.EMERGENCY:
        entries = mark_emergency(desk, command, now, alerts_bounded)
    else:
        entries = [_OVERRIDES[command.kind](desk, command, now)]
    # A leaver's clients waiting at the desk go to the next free consultant at once, and any
    # client due meets the 10-minute rule as the desk's clock would apply it.
    skip = skips_timed_out()
    overdue = expire_overdue(
        desk, now, hand_over_once=hand_over_once, skip_timed_out=skip, alerts_bounded=alerts_bounded
    )
    return entries + overdue
