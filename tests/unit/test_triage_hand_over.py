"""The 10-minute rule hands a client over once (the handbooks: "a client waiting 10 minutes for
the assigned consultant goes to the next free one"): the one they were handed to letting them
wait too calls the supervisor, never a round of the rotation every ten minutes."""

from __future__ import annotations

from datetime import timedelta

from domain.triage.commands import OverrideCommand, OverrideKind
from domain.triage.desk import DeskState
from domain.triage.entries import EntryKind
from domain.triage.ledger import expire_overdue, leave_meets_timed_out, overdue_after_hand_over
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


def _handed_from_a_to_b(*consultants: str) -> DeskState:
    """j1 waited ten minutes for A, and the 10-minute rule handed the client to B."""
    state = desk(*consultants)
    run(state, [first(journey_id="j1")])
    [handed] = expire_overdue(state, FIRST_WAIT)
    assert (handed.consultant_id, handed.from_consultant_id) == ("B", "A")
    return state


B_LEFT = OverrideCommand(SUPERVISOR, OverrideKind.CONSULTANT_LEFT, "note", consultant_id="B")
AFTER_LEAVE = FIRST_WAIT + timedelta(minutes=1)


def test_a_leavers_client_is_not_handed_back_to_the_consultant_who_let_them_wait() -> None:
    # Given j1 handed from A to B by the 10-minute rule, and C free too
    state = _handed_from_a_to_b("A", "B", "C")
    # When B leaves the clinic
    [_, handed_on] = override(state, B_LEFT, AFTER_LEAVE)
    # Then the client goes to C, not back to A, who let them wait today
    assert (handed_on.kind, handed_on.consultant_id, handed_on.from_consultant_id) == (
        EntryKind.TIMED_OUT,
        "C",
        "B",
    )
    assert state.assignments["j1"].consultant_id == "C"
    assert state.assignments["j1"].timed_out_with == ["A"]


def test_a_leavers_client_nobody_else_fits_calls_the_supervisor() -> None:
    # Given j1 handed from A to B, and nobody else on the desk
    state = _handed_from_a_to_b("A", "B")
    # When B leaves the clinic
    [_, called] = override(state, B_LEFT, AFTER_LEAVE)
    # Then the supervisor is called, as when nobody is free, and A is not handed the client
    assert (called.kind, called.journey_id) == (EntryKind.SUPERVISOR_ALERT, "j1")
    assert "A let the client wait today" in called.reason
    assert [a.journey_id for a in state.alerts] == ["j1"]
    assert turns(state) == {"B": 1}
    assert state.assignments["j1"].accept_by is None


def test_a_desk_run_from_before_the_skip_hands_a_leavers_client_back() -> None:
    # The way runs recorded before the rule replay (`skips_timed_out` answering False); the
    # desk's workflow asks its history only when the rule would change the pick
    state = _handed_from_a_to_b("A", "B", "C")
    asked = []

    def before_the_rule() -> bool:
        asked.append(leave_meets_timed_out(state, AFTER_LEAVE))
        return False

    [_, handed_on] = override(state, B_LEFT, AFTER_LEAVE, skips_timed_out=before_the_rule)
    assert asked == [True]
    assert (handed_on.consultant_id, handed_on.from_consultant_id) == ("A", "B")
    assert not leave_meets_timed_out(state, AFTER_LEAVE)
