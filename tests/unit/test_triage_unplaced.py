"""A client nobody could take leaves the supervisor's board once she no longer waits for a
consultant, by whichever path: the desk's next round placing her (alone or in a crowd's round),
staff's pick, a VIP placement, her consultant taking her, her journey ending or moving on with
someone the desk does not seat. An emergency's UNPLACED alert goes too, her EMERGENCY alert
standing or not (the board's bound may have dropped it); her EMERGENCY alert goes once she is
in hand (`domain.triage.alerts.clear_unplaced`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from domain.journey.facts import Actor
from domain.roles import Role
from domain.triage.alerts import UnplacedAsked, always_cleared
from domain.triage.batch import ArriveBatch, arrive_together
from domain.triage.commands import AcceptCommand, ArriveCommand, OverrideCommand, OverrideKind
from domain.triage.decision import Arrival, EmergencyReason
from domain.triage.desk import Alert, AlertKind, DeskState, SeatStatus
from domain.triage.entries import EntryKind
from domain.triage.notices import JourneyNotice, journey_moved
from domain.triage.service import arrive, override, take
from tests.unit.triage_builders import DESK, NOW, desk, first

SUPERVISOR = Actor("sup-1", Role.SUPERVISOR)
Path = Callable[[DeskState, Arrival, UnplacedAsked], None]


def _waiting(kind: str) -> tuple[DeskState, Arrival, Arrival]:
    """A desk whose only consultant A is busy, and two clients nobody could take: her (`kind`:
    plain, an emergency, or an emergency whose EMERGENCY alert the board's bound dropped) and
    another, plain."""
    state = desk("A:busy")
    she = first(emergency=EmergencyReason.FRESH_EXTENSIVE_BURN) if kind != "plain" else first()
    other = first()
    for arrival in (she, other):
        arrive(state, ArriveCommand(DESK, arrival), NOW)
    if kind == "emergency, dropped":
        kept = [a for a in state.alerts if a.kind is not AlertKind.EMERGENCY]
        state.alerts, state.alerts_dropped = kept, 1
    return state, she, other


def _answering(answer: bool) -> tuple[list[bool], UnplacedAsked]:
    """A desk history answering `answer`, and what it was asked: whether her EMERGENCY alert
    stood, each time."""
    asked: list[bool] = []

    def history(emergency: bool) -> bool:
        asked.append(emergency)
        return answer

    return asked, history


def _kinds_of(state: DeskState, journey_id: str) -> list[AlertKind | None]:
    return [a.kind for a in state.alerts if a.journey_id == journey_id]


def placed_by_the_desk(state: DeskState, she: Arrival, unplaced: UnplacedAsked) -> None:
    state.seats["A"].status = SeatStatus.AVAILABLE
    arrive(state, ArriveCommand(DESK, she), NOW, unplaced_cleared=unplaced)


def placed_in_a_round(state: DeskState, she: Arrival, unplaced: UnplacedAsked) -> None:
    state.seats["A"].status = SeatStatus.AVAILABLE
    arrive_together(state, ArriveBatch([ArriveCommand(DESK, she)]), NOW, unplaced_cleared=unplaced)


def placed_and_taken(state: DeskState, she: Arrival, unplaced: UnplacedAsked) -> None:
    placed_by_the_desk(state, she, unplaced)
    taken = AcceptCommand(Actor("A", Role.CONSULTANT), she.journey_id)
    take(state, taken, NOW, unplaced_cleared=unplaced)


def journey_ended(state: DeskState, she: Arrival, unplaced: UnplacedAsked) -> None:
    notice = JourneyNotice(she.journey_id, "cancel", ended=True)
    journey_moved(state, notice, NOW, unplaced_cleared=unplaced)


def taken_outside_the_desk(state: DeskState, she: Arrival, unplaced: UnplacedAsked) -> None:
    notice = JourneyNotice(she.journey_id, "record_consultation", "consultant-off-the-desk")
    journey_moved(state, notice, NOW, unplaced_cleared=unplaced)


def picked_by_staff(state: DeskState, she: Arrival, unplaced: UnplacedAsked) -> None:
    # Sent as her journey holds her, no emergency code (`schema.triage.pick`)
    picked = ArriveCommand(SUPERVISOR, replace(she, emergency=None), chosen_id="A")
    arrive(state, picked, NOW, unplaced_cleared=unplaced)


def placed_as_vip(state: DeskState, she: Arrival, unplaced: UnplacedAsked) -> None:
    vip = OverrideCommand(
        SUPERVISOR,
        OverrideKind.PLACE_VIP,
        "note-vip",
        journey_id=she.journey_id,
        client_id=she.client_id,
        consultant_id="A",
    )
    override(state, vip, NOW, vip_cleared=lambda: unplaced(False))


# Placed, not taken: her EMERGENCY alert still calls for a doctor.
PLACED = [placed_by_the_desk, placed_in_a_round]
IN_HAND = [placed_and_taken, journey_ended, taken_outside_the_desk, picked_by_staff, placed_as_vip]
KINDS = ["plain", "emergency", "emergency, dropped"]


def _named(path: Path) -> str:
    return path.__name__


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("path", PLACED + IN_HAND, ids=_named)
def test_her_unplaced_alert_leaves_by_every_path_the_others_stand(path: Path, kind: str) -> None:
    # Given her and another client nobody could take
    state, she, other = _waiting(kind)
    # When she no longer waits for a consultant
    path(state, she, always_cleared)
    # Then her UNPLACED alert has left the board; an emergency placed calls for a doctor until
    # she is in hand
    doctor = path in PLACED and kind != "plain"
    assert _kinds_of(state, she.journey_id) == ([AlertKind.EMERGENCY] if doctor else [])
    # And the other client's alert stands
    assert _kinds_of(state, other.journey_id) == [AlertKind.UNPLACED]


@pytest.mark.parametrize(("kind", "emergency"), [("plain", False), ("emergency", True)])
@pytest.mark.parametrize(
    "path", [*PLACED, placed_and_taken, journey_ended, taken_outside_the_desk], ids=_named
)
def test_a_desk_whose_history_kept_them_asks_of_her_kind_and_keeps_it(
    path: Path, kind: str, emergency: bool
) -> None:
    # Given her, nobody could take her, on a desk whose history kept UNPLACED alerts all day
    state, she, _ = _waiting(kind)
    asked, kept = _answering(False)
    # When she no longer waits for a consultant
    path(state, she, kept)
    # Then the desk asked whether her alert leaves, of an emergency or not, and kept it
    assert asked and set(asked) == {emergency}
    assert AlertKind.UNPLACED in _kinds_of(state, she.journey_id)


@pytest.mark.parametrize("path", [journey_ended, taken_outside_the_desk], ids=_named)
def test_an_emergency_whose_emergency_alert_was_dropped_is_asked_as_any_client(path: Path) -> None:
    # Given an emergency nobody could take whose EMERGENCY alert the board's bound dropped
    state, she, _ = _waiting("emergency, dropped")
    asked, cleared = _answering(True)
    # When her journey ends, or moves on with someone the desk does not seat
    path(state, she, cleared)
    # Then her UNPLACED alert leaves, asked as any client's is (no EMERGENCY alert stood)
    assert asked == [False]
    assert _kinds_of(state, she.journey_id) == []


@pytest.mark.parametrize(
    ("consultant", "kind"),
    [(None, EntryKind.RELEASED), ("off-the-desk", EntryKind.ROUTED)],
    ids=["ended", "taken outside"],
)
def test_a_plain_client_gone_or_taken_outside_the_desk_is_logged_once(
    consultant: str | None, kind: EntryKind
) -> None:
    # Given a plain client nobody could take
    state, she, _ = _waiting("plain")
    # When her journey ends, or moves on with a consultant the desk does not seat
    notice = JourneyNotice(she.journey_id, "moved", consultant, ended=consultant is None)
    entries = journey_moved(state, notice, NOW)
    # Then one entry says her alert left the board, naming who has her; again, nothing more
    assert [(e.kind, e.journey_id, e.consultant_id) for e in entries] == [
        (kind, she.journey_id, consultant)
    ]
    assert entries[0].reason.endswith(": her unplaced alert leaves the board")
    assert journey_moved(state, notice, NOW) == []


@pytest.mark.parametrize("emergency", [None, EmergencyReason.FRESH_EXTENSIVE_BURN])
@pytest.mark.parametrize("path", PLACED + IN_HAND, ids=_named)
def test_a_client_the_desk_never_called_for_asks_her_history_nothing(
    path: Path, emergency: EmergencyReason | None
) -> None:
    # Given a client nobody could take on the board, and her, whom the desk never called for
    state = desk("A:busy")
    other, she = first(), first(emergency=emergency)
    arrive(state, ArriveCommand(DESK, other), NOW)
    asked, cleared = _answering(True)
    # When she is placed, taken, gone or with someone the desk does not seat
    path(state, she, cleared)
    # Then the desk asked its history nothing (a new run's history gains no marker), and the
    # other client's alert stands
    assert asked == []
    assert _kinds_of(state, other.journey_id) == [AlertKind.UNPLACED]


def test_a_pick_takes_every_alert_of_hers_off_one_from_before_kinds_too() -> None:
    # Given her and another client nobody could take, each with an alert a desk run from
    # before alerts had kinds raised, carried into this one
    state, she, other = _waiting("plain")
    for journey_id in (she.journey_id, other.journey_id):
        state.alerts.append(Alert(state.seq, "nobody free", journey_id))
    # When the supervisor's pick places her (the pick asks nothing: it always took them off)
    picked_by_staff(state, she, always_cleared)
    # Then no alert of hers stands, and the other client's both stand
    assert _kinds_of(state, she.journey_id) == []
    assert _kinds_of(state, other.journey_id) == [AlertKind.UNPLACED, None]
