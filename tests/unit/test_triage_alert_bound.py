"""The desk's alerts are bounded per day whatever arrives (`domain.triage.alerts`): one open alert
per journey and kind, a repeat counted on it, and at most ALERTS_KEPT, the oldest dropped and
counted. The log keeps every alert: each call of the supervisor is its own entry.

(Found by a review: each alert stayed in the desk's state, every record and every board for the
rest of the day, so a crowd of clients while all were busy grew the desk without bound.)
"""

from __future__ import annotations

from datetime import timedelta

from domain.triage.alerts import ALERTS_KEPT
from domain.triage.codec import desk_from_json, desk_to_json
from domain.triage.commands import ArriveCommand, OverrideCommand, OverrideKind
from domain.triage.desk import Alert, AlertKind, DeskState
from domain.triage.entries import EntryKind
from domain.triage.ledger import expire_overdue, open_day
from domain.triage.service import arrive, override
from schema.triage.types import TriageBoard
from tests.support import SUPERVISOR
from tests.unit.triage_builders import DESK, NOW, desk, first

PAST_THE_BOUND = ALERTS_KEPT + 50
FIRST_WAIT = NOW + timedelta(minutes=11)


def _nobody_can_take(state: DeskState, *journey_ids: str, **options: object) -> list[EntryKind]:
    kinds = []
    for journey_id in journey_ids:
        command = ArriveCommand(DESK, first(journey_id=journey_id))
        _, entries = arrive(state, command, NOW, **options)  # type: ignore[arg-type]
        kinds += [entry.kind for entry in entries]
    return kinds


def _journeys(count: int) -> list[str]:
    return [f"j{n}" for n in range(count)]


def test_a_crowd_nobody_can_take_keeps_the_newest_alerts_and_counts_the_rest() -> None:
    # Given a desk whose only consultant is busy
    state = desk("A:busy")
    # When more clients than the bound come, one after another
    logged = _nobody_can_take(state, *_journeys(PAST_THE_BOUND))
    # Then each was logged as a call of the supervisor
    assert logged == [EntryKind.SUPERVISOR_ALERT] * PAST_THE_BOUND
    # And the desk keeps the newest ALERTS_KEPT alerts, counting those it let go
    assert [a.journey_id for a in state.alerts] == _journeys(PAST_THE_BOUND)[-ALERTS_KEPT:]
    assert state.alerts_dropped == PAST_THE_BOUND - ALERTS_KEPT
    # And the board says so
    board = TriageBoard.from_desk(state)
    assert (len(board.alerts), board.alerts_dropped) == (ALERTS_KEPT, PAST_THE_BOUND - ALERTS_KEPT)


def test_a_client_who_waits_again_is_one_alert_raised_twice() -> None:
    # Given j1 with A, let wait past the acceptance minutes while B is busy: the supervisor called
    state = desk("A", "B:busy")
    arrive(state, ArriveCommand(DESK, first(journey_id="j1")), NOW)
    [first_call] = expire_overdue(state, FIRST_WAIT)
    assert first_call.kind is EntryKind.SUPERVISOR_ALERT
    # When A leaves the clinic, and nobody is free to take j1 either
    left = OverrideCommand(SUPERVISOR, OverrideKind.CONSULTANT_LEFT, "note", consultant_id="A")
    [_, second_call] = override(state, left, FIRST_WAIT + timedelta(minutes=1))
    # Then both calls are logged, and the board holds one alert for j1, raised twice, naming
    # the latest call
    assert second_call.kind is EntryKind.SUPERVISOR_ALERT
    [alert] = state.alerts
    assert (alert.journey_id, alert.kind, alert.raised) == ("j1", AlertKind.UNACCEPTED, 2)
    assert (alert.seq, alert.message) == (second_call.seq, second_call.reason)
    assert TriageBoard.from_desk(state).alerts[0].times_raised == 2
    assert state.alerts_dropped == 0


def test_the_bound_is_asked_only_when_it_changes_something_and_a_run_before_keeps_them_all() -> (
    None
):
    asked: list[bool] = []

    def before_the_bound() -> bool:
        asked.append(False)
        return False

    # Given a busy desk that keeps its alerts as a run recorded before the bound did
    state = desk("A:busy")
    # When ALERTS_KEPT clients come, the bound is not asked: it changes nothing yet
    _nobody_can_take(state, *_journeys(ALERTS_KEPT), alerts_bounded=before_the_bound)
    assert asked == []
    # And past it, asked, it keeps every alert
    _nobody_can_take(state, "one-more", alerts_bounded=before_the_bound)
    assert asked == [False]
    assert (len(state.alerts), state.alerts_dropped) == (ALERTS_KEPT + 1, 0)


def test_a_desk_carried_over_with_every_alert_is_brought_within_the_bound() -> None:
    # Given a desk carried from a run that kept every alert of the day
    state = desk("A:busy")
    _nobody_can_take(state, *_journeys(PAST_THE_BOUND), alerts_bounded=lambda: False)
    # When one more client nobody can take comes
    _nobody_can_take(state, "one-more")
    # Then the desk keeps the newest ALERTS_KEPT, counting every one it let go
    assert len(state.alerts) == ALERTS_KEPT
    assert state.alerts[-1].journey_id == "one-more"
    assert state.alerts_dropped == PAST_THE_BOUND + 1 - ALERTS_KEPT


def test_a_new_day_starts_with_no_alerts_and_none_dropped() -> None:
    state = desk("A:busy")
    _nobody_can_take(state, *_journeys(PAST_THE_BOUND))
    open_day(state, "2025-03-04", NOW + timedelta(days=1))
    assert (state.alerts, state.alerts_dropped) == ([], 0)


def test_a_board_written_before_the_bound_still_reads() -> None:
    # Given a board as the desk wrote it before alerts had kinds, counts and a bound
    state = desk("A:busy")
    state.alerts = [Alert(1, "no consultant is free", "j1"), Alert(2, "no one on duty")]
    before = desk_to_json(state)
    del before["alerts_dropped"]
    for alert in before["alerts"]:
        del alert["kind"], alert["raised"]
    # When it is read
    read = desk_from_json(before)
    # Then its alerts are those, raised once, of no kind, none dropped
    assert read.alerts == state.alerts
    assert [(a.kind, a.raised) for a in read.alerts] == [(None, 1), (None, 1)]
    assert read.alerts_dropped == 0
    # And a board of today reads back as written
    _nobody_can_take(state, *_journeys(PAST_THE_BOUND))
    assert desk_from_json(desk_to_json(state)) == state
    assert desk_from_json(desk_to_json(state)).alerts[-1].kind is AlertKind.UNPLACED
