"""A client the desk called the supervisor for, as nobody accepted her in time, leaves the
supervisor's board once the desk no longer waits on her assignment, by whichever path: a
consultant accepting her (acceptClient, or her consultant's first action on her journey), the
supervisor placing her anew (reassignClient), or her journey ending
(`domain.triage.alerts.clear_unaccepted`). A client handed on to someone free still waits: her
alert stands until one of those."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from domain.journey.facts import Actor
from domain.roles import Role
from domain.triage.alerts import BoundAsked, always
from domain.triage.commands import AcceptCommand, ArriveCommand, OverrideCommand, OverrideKind
from domain.triage.decision import Arrival, EmergencyReason
from domain.triage.desk import AlertKind, DeskState, SeatStatus
from domain.triage.ledger import expire_overdue
from domain.triage.notices import JourneyNotice, journey_moved
from domain.triage.revenue import CreditRule
from domain.triage.service import arrive, override, take
from tests.support import SUPERVISOR
from tests.unit.triage_builders import DESK, NOW, desk, first, reassigning

LATE = NOW + timedelta(minutes=11)
Path = Callable[[DeskState, Arrival, BoundAsked], None]


def _placed_with_a() -> tuple[DeskState, Arrival, Arrival]:
    """A desk whose A is free and B busy, and two clients the desk gave A: her and another."""
    state = desk("A", "B:busy")
    she, other = first(), first()
    for arrival in (she, other):
        decision, _ = arrive(state, ArriveCommand(DESK, arrival), NOW)
        assert decision.consultant_id == "A"
    return state, she, other


def _unaccepted() -> tuple[DeskState, Arrival, Arrival]:
    """Both let wait past the acceptance minutes by A, nobody free to hand them on to: the
    supervisor called for each."""
    state, she, other = _placed_with_a()
    expire_overdue(state, LATE)
    assert _kinds_of(state, she.journey_id) == [AlertKind.UNACCEPTED]
    assert _kinds_of(state, other.journey_id) == [AlertKind.UNACCEPTED]
    return state, she, other


def _answering(answer: bool) -> tuple[list[bool], BoundAsked]:
    """A desk history answering `answer`, and a list growing by one each time it is asked."""
    asked: list[bool] = []

    def history() -> bool:
        asked.append(answer)
        return answer

    return asked, history


def _kinds_of(state: DeskState, journey_id: str) -> list[AlertKind | None]:
    return [a.kind for a in state.alerts if a.journey_id == journey_id]


def taken(state: DeskState, she: Arrival, unaccepted: BoundAsked) -> None:
    accepted = AcceptCommand(Actor("A", Role.CONSULTANT), she.journey_id)
    take(state, accepted, LATE, unaccepted_cleared=unaccepted)


def taken_by_the_front_desk(state: DeskState, she: Arrival, unaccepted: BoundAsked) -> None:
    take(state, AcceptCommand(DESK, she.journey_id), LATE, unaccepted_cleared=unaccepted)


def her_consultant_acted(state: DeskState, she: Arrival, unaccepted: BoundAsked) -> None:
    notice = JourneyNotice(she.journey_id, "record_consultation", "A")
    journey_moved(state, notice, LATE, unaccepted_cleared=unaccepted)


def journey_ended(state: DeskState, she: Arrival, unaccepted: BoundAsked) -> None:
    notice = JourneyNotice(she.journey_id, "cancel", ended=True)
    journey_moved(state, notice, LATE, unaccepted_cleared=unaccepted)


def placed_anew_by_the_supervisor(state: DeskState, she: Arrival, unaccepted: BoundAsked) -> None:
    anew = reassigning(she.journey_id, "B", CreditRule.CLIENT_REQUEST)
    override(state, anew, LATE, unaccepted_cleared=unaccepted)


PATHS = [
    taken,
    taken_by_the_front_desk,
    her_consultant_acted,
    journey_ended,
    placed_anew_by_the_supervisor,
]


def _named(path: Path) -> str:
    return path.__name__


@pytest.mark.parametrize("path", PATHS, ids=_named)
def test_her_unaccepted_alert_leaves_by_every_path_the_others_stand(path: Path) -> None:
    # Given her and another client nobody accepted in time, the supervisor called for each
    state, she, other = _unaccepted()
    # When the desk no longer waits on her assignment
    path(state, she, always)
    # Then her UNACCEPTED alert has left the board, and the other client's stands
    assert _kinds_of(state, she.journey_id) == []
    assert _kinds_of(state, other.journey_id) == [AlertKind.UNACCEPTED]


@pytest.mark.parametrize("path", PATHS, ids=_named)
def test_a_desk_whose_history_kept_them_asks_once_and_keeps_it(path: Path) -> None:
    # Given her, nobody accepted in time, on a desk whose history kept UNACCEPTED alerts all day
    state, she, _ = _unaccepted()
    asked, kept = _answering(False)
    # When the desk no longer waits on her assignment
    path(state, she, kept)
    # Then the desk asked its history once, and her alert stands
    assert asked == [False]
    assert _kinds_of(state, she.journey_id) == [AlertKind.UNACCEPTED]


@pytest.mark.parametrize("path", PATHS, ids=_named)
def test_a_client_the_desk_never_called_for_asks_her_history_nothing(path: Path) -> None:
    # Given the supervisor called for another client, and her, A's, still in her minutes
    state, other, _ = _unaccepted()
    she = first()
    arrive(state, ArriveCommand(DESK, she), LATE)
    asked, cleared = _answering(True)
    # When she is taken, gone or placed anew
    path(state, she, cleared)
    # Then the desk asked its history nothing (a new run's history gains no marker), and the
    # other client's alert stands
    assert asked == []
    assert _kinds_of(state, other.journey_id) == [AlertKind.UNACCEPTED]


@pytest.mark.parametrize("path", [taken, her_consultant_acted, journey_ended], ids=_named)
def test_an_emergency_nobody_accepted_leaves_the_board_once_in_hand(path: Path) -> None:
    # Given her, marked an emergency while waiting for A, and nobody accepted her in time
    state, she, other = _placed_with_a()
    worse = EmergencyReason.CONDITION_WORSENED
    marked = OverrideCommand(
        DESK, OverrideKind.EMERGENCY, journey_id=she.journey_id, emergency=worse
    )
    override(state, marked, NOW)
    expire_overdue(state, LATE)
    assert _kinds_of(state, she.journey_id) == [AlertKind.EMERGENCY, AlertKind.UNACCEPTED]
    # When she is taken in hand, or her journey ends
    path(state, she, always)
    # Then neither of her alerts stands, and the other client's does
    assert _kinds_of(state, she.journey_id) == []
    assert _kinds_of(state, other.journey_id) == [AlertKind.UNACCEPTED]


def test_a_client_handed_on_after_her_consultant_left_still_waits_with_her_alert() -> None:
    # Given her and another client nobody accepted in time, then B free again
    state, she, _ = _unaccepted()
    state.seats["B"].status = SeatStatus.AVAILABLE
    # When A leaves the clinic: her clients go to the next free consultant, B
    left = OverrideCommand(SUPERVISOR, OverrideKind.CONSULTANT_LEFT, "note", consultant_id="A")
    override(state, left, LATE + timedelta(minutes=1))
    # Then she waits for B, and the supervisor's call for her stands until the desk no longer
    # waits on her
    assert state.assignments[she.journey_id].consultant_id == "B"
    assert _kinds_of(state, she.journey_id) == [AlertKind.UNACCEPTED]
    taken_by_the_front_desk(state, she, always)
    assert _kinds_of(state, she.journey_id) == []
