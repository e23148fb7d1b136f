"""Emergencies are received first and still count in order (seed 004, rotation rules item 9;
triage rules art. 8: the doctor is told at once)."""

from __future__ import annotations

import pytest

from domain.errors import NotAuthorized, NotFound, TransitionNotAllowed
from domain.journey.facts import Actor
from domain.journey.stages import VisitCategory
from domain.roles import Role
from domain.triage.batch import ArriveBatch, arrive_together
from domain.triage.commands import AcceptCommand, ArriveCommand, OverrideCommand, OverrideKind
from domain.triage.decision import EmergencyReason
from domain.triage.desk import AlertKind, SeatStatus
from domain.triage.entries import EntryKind
from domain.triage.notices import JourneyNotice, journey_moved
from domain.triage.service import arrive, override, take
from tests.unit.triage_builders import DESK, NOW, Status, client, desk, first, owed, run, turns

BURN = EmergencyReason.FRESH_EXTENSIVE_BURN
WORSE = EmergencyReason.CONDITION_WORSENED


def mark(
    journey_id: str, actor: Actor = DESK, code: EmergencyReason | None = WORSE
) -> OverrideCommand:
    return OverrideCommand(actor, OverrideKind.EMERGENCY, journey_id=journey_id, emergency=code)


def test_an_emergency_first_visit_takes_the_rotations_turn_and_alerts_the_supervisor() -> None:
    # Given A is next in the rotation and free
    state = desk("A", "B")
    # When a client with a fresh extensive burn arrives
    decision, entries = arrive(state, ArriveCommand(DESK, first("skin", emergency=BURN)), NOW)
    # Then A receives her as their turn, the log says emergency, and the supervisor is alerted
    assert (decision.consultant_id, decision.route.value, decision.counted) == (
        "A",
        "ROTATION",
        True,
    )
    assert [e.kind for e in entries] == [EntryKind.ASSIGNED, EntryKind.EMERGENCY]
    assert entries[1].rule == "FRESH_EXTENSIVE_BURN" and entries[1].consultant_id == "A"
    assert [(a.kind, a.seq) for a in state.alerts] == [(AlertKind.EMERGENCY, entries[1].seq)]
    assert turns(state) == {"A": 1} and state.next_index == 1
    assert state.assignments[(decision and entries[0].journey_id) or ""].emergency == BURN.value


def test_out_of_scope_she_goes_to_the_first_free_consultant_as_their_turn() -> None:
    # Given nobody's scope covers the item, A busy and B, C free
    state = desk("A:busy:scope=laser", "B:scope=laser", "C:scope=laser")
    decision, _ = arrive(state, ArriveCommand(DESK, first("skin", emergency=BURN)), NOW)
    # Then B (first free from the pointer) receives her, counted; A is owed a make-up as a busy skip
    assert (decision.consultant_id, decision.route.value, decision.counted) == (
        "B",
        "EMERGENCY",
        True,
    )
    assert turns(state) == {"B": 1} and owed(state) == {"A": 1} and state.next_index == 2


def test_the_same_client_without_the_emergency_would_wait_for_the_supervisor() -> None:
    state = desk("A:busy:scope=laser", "B:scope=laser")
    assert run(state, [first("skin")]).routes == ["SUPERVISOR"]


def test_an_owners_client_goes_to_a_free_consultant_not_as_a_turn_revenue_to_the_owner() -> None:
    # Given the owner C is busy with another client
    state = desk("A", "B", "C:busy")
    arrival = client(VisitCategory.RETURN_VISIT, "skin", owner_id="C", emergency=BURN)
    decision, _ = arrive(state, ArriveCommand(DESK, arrival), NOW)
    # Then A (first free on the uncounted pointer) receives her, not a turn, revenue to C
    assert (decision.consultant_id, decision.counted, decision.credited_to) == ("A", False, ("C",))
    assert turns(state) == {} and state.other_index == 1 and state.next_index == 0


def test_nobody_free_calls_the_supervisor_once_per_kind_however_often_sent() -> None:
    state = desk("A:busy", "B:away")
    arrival = first("skin", emergency=BURN)
    decision, entries = arrive(state, ArriveCommand(DESK, arrival), NOW)
    assert decision.consultant_id is None
    assert [e.kind for e in entries] == [EntryKind.SUPERVISOR_ALERT, EntryKind.EMERGENCY]
    assert {a.kind for a in state.alerts} == {AlertKind.UNPLACED, AlertKind.EMERGENCY}
    assert arrive(state, ArriveCommand(DESK, arrival), NOW)[1] == []
    assert len(state.alerts) == 2 and owed(state) == {}


def test_a_recheck_emergency_still_goes_to_the_treating_doctor_with_the_alert() -> None:
    state = desk("A")
    arrival = client(VisitCategory.RECHECK, emergency=WORSE)
    decision, entries = arrive(state, ArriveCommand(DESK, arrival), NOW)
    assert (decision.route.value, decision.consultant_id) == ("RECHECK", None)
    assert [e.kind for e in entries] == [EntryKind.ROUTED, EntryKind.EMERGENCY]


def test_a_desk_run_from_before_the_route_decides_her_as_any_other() -> None:
    state = desk("A:busy:scope=laser", "B:scope=laser")
    command = ArriveCommand(DESK, first("skin", emergency=BURN))
    decision, entries = arrive(state, command, NOW, emergency_route=lambda: False)
    assert decision.route.value == "SUPERVISOR"
    assert [e.kind for e in entries] == [EntryKind.SUPERVISOR_ALERT]


def test_a_round_decides_its_emergencies_first_and_answers_in_order() -> None:
    # Given A then B in the rotation and two arrivals waiting together, the emergency second
    state = desk("A", "B")
    plain, urgent = first("skin"), first("skin", emergency=BURN)
    batch = ArriveBatch([ArriveCommand(DESK, plain), ArriveCommand(DESK, urgent)])
    answers, _ = arrive_together(state, batch, NOW)
    # Then the emergency took the rotation's next turn (A), and the answers keep their order
    assert [a.reply.consultant_id for a in answers if a.reply] == ["B", "A"]


def test_a_round_without_an_emergency_does_not_ask_its_history() -> None:
    asked: list[bool] = []

    def route() -> bool:
        asked.append(True)
        return True

    batch = ArriveBatch([ArriveCommand(DESK, first())])
    arrive_together(desk("A"), batch, NOW, emergency_route=route)
    assert asked == []


def test_marking_a_waiting_client_whose_consultant_is_busy_hands_her_on_with_her_turn() -> None:
    # Given A received a first visit and then became busy before taking her
    state = desk("A", "B", "C")
    outcome = run(state, [first("skin", journey_id="jw"), Status("A", SeatStatus.BUSY)])
    assert outcome.consultants == ["A"]
    # When the front desk sees her condition worsen
    entries = override(state, mark("jw"), NOW)
    # Then she goes to B (free now) with her turn, B owes A the next; logged and alerted
    assert [e.kind for e in entries] == [EntryKind.REASSIGNED, EntryKind.EMERGENCY]
    assert (entries[0].consultant_id, entries[0].from_consultant_id) == ("B", "A")
    assert state.assignments["jw"].consultant_id == "B"
    assert turns(state) == {"B": 1}
    assert [(m.creditor_id, m.from_turn_of) for m in state.makeups] == [("A", "B")]
    assert [a.kind for a in state.alerts] == [AlertKind.EMERGENCY]


def test_marking_a_client_whose_consultant_is_free_keeps_her_there() -> None:
    state = desk("A", "B")
    run(state, [first("skin", journey_id="jf")])
    entries = override(state, mark("jf"), NOW)
    assert [e.kind for e in entries] == [EntryKind.EMERGENCY]
    assert state.assignments["jf"].consultant_id == "A" and turns(state) == {"A": 1}


@pytest.mark.parametrize(
    ("command", "error"),
    [
        (mark("jx"), NotFound),
        (mark("jm", Actor("c-1", Role.CONSULTANT)), NotAuthorized),
    ],
)
def test_who_may_mark_and_which_client(command: OverrideCommand, error: type) -> None:
    state = desk("A")
    run(state, [first(journey_id="jm")])
    with pytest.raises(error):
        override(state, command, NOW)


def test_a_client_taken_or_marked_before_is_refused_and_nothing_changes() -> None:
    state = desk("A", "B")
    run(state, [first(journey_id="jt"), first(journey_id="jn")])
    take(state, AcceptCommand(DESK, "jt"), NOW)
    override(state, mark("jn"), NOW)
    before = (state.seq, len(state.alerts))
    for journey_id in ("jt", "jn"):
        with pytest.raises(TransitionNotAllowed):
            override(state, mark(journey_id), NOW)
    assert (state.seq, len(state.alerts)) == before


def test_an_emergency_taken_in_hand_leaves_the_board_and_only_hers() -> None:
    # Given three emergencies with A, B and C, and a client nobody could take
    state = desk("A", "B", "C")
    burnt = [first(emergency=BURN) for _ in range(3)]
    for arrival in burnt:
        arrive(state, ArriveCommand(DESK, arrival), NOW)
    nobody = first()
    for seat in state.seats.values():
        seat.status = SeatStatus.BUSY
    arrive(state, ArriveCommand(DESK, nobody), NOW)
    assert [a.kind for a in state.alerts] == [AlertKind.EMERGENCY] * 3 + [AlertKind.UNPLACED]
    # When A accepts the first, B's first action reaches the desk, and the third's journey ends
    take(state, AcceptCommand(Actor("A", Role.CONSULTANT), burnt[0].journey_id), NOW)
    journey_moved(state, JourneyNotice(burnt[1].journey_id, "record_consultation", "B"), NOW)
    journey_moved(state, JourneyNotice(burnt[2].journey_id, "cancel", ended=True), NOW)
    # Then each emergency's alert left the board; the other client's alert stands
    assert [(a.kind, a.journey_id) for a in state.alerts] == [
        (AlertKind.UNPLACED, nobody.journey_id)
    ]


def test_a_desk_told_to_keep_them_keeps_the_alert() -> None:
    # Given an emergency with A, on a desk whose history says alerts stayed until the day's end
    state = desk("A")
    burnt = first(emergency=BURN)
    arrive(state, ArriveCommand(DESK, burnt), NOW)
    asked: list[str] = []

    def kept() -> bool:
        asked.append(burnt.journey_id)
        return False

    # When A accepts her
    take(state, AcceptCommand(Actor("A", Role.CONSULTANT), burnt.journey_id), NOW, kept)
    # Then the desk asked once, and the alert stands
    assert asked == [burnt.journey_id]
    assert [a.kind for a in state.alerts] == [AlertKind.EMERGENCY]


def test_an_emergency_nobody_could_take_leaves_the_board_when_her_journey_ends() -> None:
    # Given an emergency arrival nobody could take (every consultant busy), another waiting too
    state = desk("A:busy", "B:away")
    burnt, other = first(emergency=BURN), first(emergency=WORSE)
    for arrival in (burnt, other):
        arrive(state, ArriveCommand(DESK, arrival), NOW)
    assert burnt.journey_id not in state.assignments
    # When her journey ends
    entries = journey_moved(state, JourneyNotice(burnt.journey_id, "cancel", ended=True), NOW)
    # Then her EMERGENCY alert leaves the board, logged as released to nobody; the rest stand
    assert [(e.kind, e.journey_id, e.consultant_id) for e in entries] == [
        (EntryKind.RELEASED, burnt.journey_id, None)
    ]
    # (her UNPLACED alert with it: nobody has to place her any more)
    assert [(a.kind, a.journey_id) for a in state.alerts] == [
        (AlertKind.UNPLACED, other.journey_id),
        (AlertKind.EMERGENCY, other.journey_id),
    ]

    # And a journey ending again changes nothing more
    assert journey_moved(state, JourneyNotice(burnt.journey_id, "cancel", ended=True), NOW) == []


def test_an_emergency_nobody_could_take_placed_later_leaves_unplaced_then_emergency() -> None:
    # Given an emergency nobody could take (A busy), another client nobody could take either
    state = desk("A:busy")
    burnt, plain = first(emergency=BURN), first()
    for arrival in (burnt, plain):
        arrive(state, ArriveCommand(DESK, arrival), NOW)
    # When A is free again and she is sent to the desk again
    state.seats["A"].status = SeatStatus.AVAILABLE
    decision, _ = arrive(state, ArriveCommand(DESK, burnt), NOW)
    # Then A receives her, and her UNPLACED alert leaves; the doctor is still to be fetched
    assert decision.consultant_id == "A"
    assert [(a.kind, a.journey_id) for a in state.alerts] == [
        (AlertKind.UNPLACED, plain.journey_id),
        (AlertKind.EMERGENCY, burnt.journey_id),
    ]
    # And once A takes her, her EMERGENCY alert leaves too; the other client's alert stands
    take(state, AcceptCommand(Actor("A", Role.CONSULTANT), burnt.journey_id), NOW)
    assert [(a.kind, a.journey_id) for a in state.alerts] == [
        (AlertKind.UNPLACED, plain.journey_id)
    ]


def test_a_recheck_emergency_leaves_the_board_once_her_doctor_has_her() -> None:
    # Given a recheck marked an emergency, routed to her treating doctor or nurse with the alert
    state = desk("A")
    recheck = client(VisitCategory.RECHECK, emergency=WORSE)
    arrive(state, ArriveCommand(DESK, recheck), NOW)
    assert [a.kind for a in state.alerts] == [AlertKind.EMERGENCY]
    # When her journey tells the desk she was assigned her doctor
    notice = JourneyNotice(recheck.journey_id, "assign_consultant", "doctor-1")
    entries = journey_moved(state, notice, NOW)
    # Then her alert leaves the board, logged as routed to the doctor, once
    assert [(e.kind, e.journey_id, e.consultant_id) for e in entries] == [
        (EntryKind.ROUTED, recheck.journey_id, "doctor-1")
    ]
    assert state.alerts == []
    assert journey_moved(state, notice, NOW) == []


def test_a_notice_for_a_client_the_desk_never_alerted_on_asks_nothing() -> None:
    state = desk("A")
    asked: list[str] = []

    def cleared(emergency: bool) -> bool:
        asked.append("asked")
        return True

    notice = JourneyNotice("elsewhere", "assign_consultant", "doctor-1")
    assert journey_moved(state, notice, NOW, unplaced_cleared=cleared) == []
    assert asked == []
