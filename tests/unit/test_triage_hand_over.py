"""The 10-minute rule hands a client over once (the handbooks: "a client waiting 10 minutes for
the assigned consultant goes to the next free one"): the one they were handed to letting them
wait too calls the supervisor, never a round of the rotation every ten minutes."""

from __future__ import annotations

from datetime import timedelta

from domain.triage.commands import OverrideCommand, OverrideKind
from domain.triage.desk import DeskState
from domain.triage.entries import EntryKind
from domain.triage.ledger import expire_overdue, overdue_after_hand_over
from domain.triage.service import override
from tests.support import SUPERVISOR
from tests.unit.triage_builders import NOW, desk, first, owed, run, turns

FIRST_WAIT = NOW + timedelta(minutes=11)
SECOND_WAIT = FIRST_WAIT + timedelta(minutes=11)


def _give_backs(state: DeskState) -> list[tuple[str, str | None]]:
    return [(m.creditor_id, m.from_turn_of) for m in state.makeups]


def test_a_client_handed_over_once_and_left_waiting_again_calls_the_supervisor() -> None:
    # Given A let j1 wait ten minutes and the desk handed the client to B, who owes A a turn
    state = desk("A", "B", "C")
    run(state, [first(journey_id="j1")])
    [handed] = expire_overdue(state, FIRST_WAIT)
    assert (handed.kind, handed.consultant_id) == (EntryKind.TIMED_OUT, "B")
    after_hand_over = (turns(state), owed(state), _give_backs(state))
    assert not overdue_after_hand_over(state, FIRST_WAIT)
    assert overdue_after_hand_over(state, SECOND_WAIT)

    # When B lets the client wait ten minutes too
    [called] = expire_overdue(state, SECOND_WAIT)

    # Then the supervisor is called, once, and nobody else is handed the client
    assert (called.kind, called.consultant_id, called.journey_id) == (
        EntryKind.SUPERVISOR_ALERT,
        "B",
        "j1",
    )
    assert "supervisor called" in called.reason
    assert [(a.seq, a.journey_id) for a in state.alerts] == [(called.seq, "j1")]
    waiting = state.assignments["j1"]
    assert (waiting.consultant_id, waiting.accept_by, waiting.accepted) == ("B", None, False)
    # The hand-over's turns and give-back stand: no make-up chain A owes B owes C
    assert (turns(state), owed(state), _give_backs(state)) == after_hand_over
    assert after_hand_over == ({"B": 1}, {"A": 1}, [("A", "B")])
    assert expire_overdue(state, SECOND_WAIT + timedelta(hours=3)) == []
    assert len(state.alerts) == 1


def test_a_desk_run_from_before_the_rule_hands_the_client_on_again() -> None:
    # The way runs recorded before the rule replay (`hand_over_once=False`)
    state = desk("A", "B", "C")
    run(state, [first(journey_id="j1")])
    expire_overdue(state, FIRST_WAIT, hand_over_once=False)
    [again] = expire_overdue(state, SECOND_WAIT, hand_over_once=False)
    assert (again.kind, again.consultant_id, again.from_consultant_id) == (
        EntryKind.TIMED_OUT,
        "C",
        "B",
    )
    assert _give_backs(state) == [("A", "B"), ("B", "C")]


def test_a_helper_who_leaves_hands_the_client_on_and_the_next_wait_calls_the_supervisor() -> None:
    # Given j1 handed from A to B by the 10-minute rule
    state = desk("A", "B", "C")
    run(state, [first(journey_id="j1")])
    expire_overdue(state, FIRST_WAIT)
    # When B leaves the clinic: leaving is no wait, the client goes to the next free consultant
    left = OverrideCommand(SUPERVISOR, OverrideKind.CONSULTANT_LEFT, "note", consultant_id="B")
    entries = override(state, left, FIRST_WAIT + timedelta(minutes=1))
    [handed_again] = entries[1:]
    assert (handed_again.kind, handed_again.from_consultant_id) == (EntryKind.TIMED_OUT, "B")
    assert state.alerts == []
    # Then the one it went to letting the client wait calls the supervisor
    [called] = expire_overdue(state, SECOND_WAIT + timedelta(minutes=1))
    assert (called.kind, called.consultant_id) == (
        EntryKind.SUPERVISOR_ALERT,
        handed_again.consultant_id,
    )
