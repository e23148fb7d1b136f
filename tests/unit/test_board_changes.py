"""The desk's records as changes of the board (`triage.board_changes`): what a change carries, and
that a board built from the changes alone is the desk."""

from __future__ import annotations

from datetime import timedelta

from domain.journey.facts import Actor
from domain.roles import Role
from domain.triage.board_changes import BoardChange, SentBoard, apply_change
from domain.triage.codec import desk_to_json
from domain.triage.commands import AcceptCommand, ArriveCommand
from domain.triage.desk import DeskState
from domain.triage.ledger import close_day, expire_overdue, open_day
from domain.triage.service import arrive, take
from tests.unit.triage_builders import DESK, NOW, desk, first

CONSULTANT = Actor("A", Role.CONSULTANT)


def _arrive(state: DeskState, journey_id: str) -> str | None:
    decision, _ = arrive(state, ArriveCommand(DESK, first(journey_id=journey_id)), NOW)
    return decision.consultant_id


def _send(sent: SentBoard, state: DeskState, board: dict | None) -> tuple[BoardChange, dict]:
    """One record: the change made now, laid over the board, and taken."""
    change = sent.change(state)
    assert change.based_on is None or board is not None
    board = apply_change(board or {}, change)
    sent.sent()
    return change, board


def test_after_the_first_record_only_what_changed_travels() -> None:
    # Given a desk with a day of assignments, sent whole once
    state = desk("A", "B", "C")
    for n in range(30):
        _arrive(state, f"j{n}")
    sent = SentBoard()
    first_change, board = _send(sent, state, None)
    assert first_change.based_on is None and len(first_change.state["assignments"]) == 30

    # When one more client arrives and an earlier one is taken (a change in place)
    _arrive(state, "j30")
    take(state, AcceptCommand(CONSULTANT, "j0"), NOW)
    change, board = _send(sent, state, board)

    # Then the record names those two alone, made from the version sent before
    assert change.based_on == first_change.state["seq"]
    assert sorted(change.state["assignments"]) == ["j0", "j30"]
    assert change.dropped == []
    # And the board built from the records is the desk
    assert board == desk_to_json(state)


def test_a_new_day_drops_what_left_the_desk() -> None:
    # Given a desk sent whole, whose clients were taken but one
    state = desk("A", "B")
    for n in range(4):
        _arrive(state, f"j{n}")
    for n in range(3):
        consultant = Actor(state.assignments[f"j{n}"].consultant_id, Role.CONSULTANT)
        take(state, AcceptCommand(consultant, f"j{n}"), NOW)
    sent = SentBoard()
    _, board = _send(sent, state, None)

    # When the next day opens (the taken assignments leave the desk)
    open_day(state, "2025-03-04", NOW + timedelta(days=1))
    change, board = _send(sent, state, board)

    # Then the record drops them and carries none of the one still waiting
    assert sorted(change.dropped) == ["j0", "j1", "j2"]
    assert change.state["assignments"] == {}
    assert board == desk_to_json(state)
    assert list(board["assignments"]) == ["j3"]


def test_a_day_that_ends_releases_the_waiting_and_the_next_carries_no_assignment() -> None:
    # Given a desk sent whole, one client taken and one still waiting
    state = desk("A", "B")
    for n in range(2):
        _arrive(state, f"j{n}")
    take(state, AcceptCommand(CONSULTANT, "j0"), NOW)
    sent = SentBoard()
    _, board = _send(sent, state, None)

    # When the day ends and the next opens
    released = close_day(state, NOW + timedelta(days=1))
    open_day(state, "2025-03-04", NOW + timedelta(days=1))
    change, board = _send(sent, state, board)

    # Then the waiting client is released in the day that ended, and no assignment is left
    assert [(e.kind.value, e.journey_id, e.day) for e in released] == [
        ("RELEASED", "j1", "2025-03-03")
    ]
    assert state.assignments == {} and board["assignments"] == {}
    assert sorted(change.dropped) == ["j0", "j1"]
    # And the 10-minute rule has nobody left to hand on
    assert expire_overdue(state, NOW + timedelta(days=1, minutes=30)) == []


def test_a_change_made_while_a_record_is_written_goes_with_the_next() -> None:
    # Given a record made (not yet taken by the writer)
    state = desk("A", "B")
    _arrive(state, "j1")
    sent = SentBoard()
    change = sent.change(state)
    # When the desk changes that assignment before the writer answers (with its log entry)
    state.assignments["j1"].credited_to.append("B")
    state.seq += 1
    board = apply_change({}, change)
    sent.sent()

    # Then the next record carries it again, as it is now
    later = sent.change(state)
    assert list(later.state["assignments"]) == ["j1"]
    assert later.state["assignments"]["j1"]["credited_to"][-1] == "B"
    assert apply_change(board, later) == desk_to_json(state)


def test_a_desk_that_forgot_sends_itself_whole() -> None:
    # Given a desk whose board was sent, then refused a change (the board was not at its version)
    state = desk("A", "B")
    _arrive(state, "j1")
    sent = SentBoard()
    _send(sent, state, None)
    _arrive(state, "j2")
    assert sent.change(state).based_on is not None
    sent.forget()

    # When the next record is made
    whole = sent.change(state)

    # Then it is the whole desk, based on nothing
    assert whole.based_on is None and whole.dropped == []
    assert whole.state == desk_to_json(state)


def test_a_record_with_nothing_changed_carries_no_assignment() -> None:
    # Given a desk sent whole, then the 10-minute rule moving an overdue client on
    state = desk("A", "B")
    _arrive(state, "j1")
    sent = SentBoard()
    _, board = _send(sent, state, None)
    untouched = _send(sent, state, board)[0]
    assert untouched.state["assignments"] == {} and untouched.dropped == []

    expire_overdue(state, NOW + timedelta(minutes=11))
    change, board = _send(sent, state, board)

    # Then the moved client travels, and the board is the desk
    assert list(change.state["assignments"]) == ["j1"]
    assert board == desk_to_json(state)
