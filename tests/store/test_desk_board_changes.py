"""The desk's writer lays a change over the board it holds only at the version the change was made
from (`triage_projection.apply_desk_changes`); a retried change leaves the board as it is, and a
change the board cannot take asks for the whole desk, with its log entries written all the same."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from domain.store.triage_models import TriageBoard, TriageEntry
from domain.store.triage_projection import apply_desk_changes
from domain.triage.board_changes import BoardChange, SentBoard
from domain.triage.codec import desk_to_json
from domain.triage.commands import ArriveCommand
from domain.triage.desk import DeskState
from domain.triage.entries import DeskEntry
from domain.triage.service import arrive
from tests.unit.triage_builders import DESK, NOW, desk, first


def _arrivals(state: DeskState, *journeys: str) -> list[DeskEntry]:
    entries: list[DeskEntry] = []
    for journey_id in journeys:
        entries += arrive(state, ArriveCommand(DESK, first(journey_id=journey_id)), NOW)[1]
    return entries


async def _board(clinic_id: str) -> TriageBoard:
    return await TriageBoard.get(clinic_id=clinic_id)


async def _desk_sent_whole() -> tuple[DeskState, SentBoard]:
    state = desk("A", "B")
    state.clinic_id = f"clinic-{uuid.uuid4().hex[:8]}"
    sent = SentBoard()
    entries = _arrivals(state, "j1", "j2")
    write = await apply_desk_changes(state.clinic_id, entries, sent.change(state))
    assert (write.written, write.stale) == (2, False)
    sent.sent()
    return state, sent


async def test_a_change_at_the_board_version_makes_the_board_the_desk() -> None:
    # Given a board written whole
    state, sent = await _desk_sent_whole()
    # When a change with one more arrival is written, and then written again (a retry)
    entries = _arrivals(state, "j3")
    change = sent.change(state)
    assert change.based_on is not None and list(change.state["assignments"]) == ["j3"]
    first_try = await apply_desk_changes(state.clinic_id, entries, change)
    retried = await apply_desk_changes(state.clinic_id, entries, change)
    # Then the board is the whole desk, at its version, and the retry changed nothing
    assert (first_try.written, first_try.stale) == (1, False)
    assert (retried.written, retried.stale) == (0, False)
    board = await _board(state.clinic_id)
    assert board.state == desk_to_json(state)
    assert board.version == state.seq


async def test_a_change_the_board_cannot_take_asks_for_the_whole_desk() -> None:
    # Given a board written whole, then put back to another version (restored, say)
    state, sent = await _desk_sent_whole()
    await TriageBoard.filter(clinic_id=state.clinic_id).update(version=0)
    before = (await _board(state.clinic_id)).state
    # When a change made from the version the desk sent is written
    entries = _arrivals(state, "j3")
    stale = await apply_desk_changes(state.clinic_id, entries, sent.change(state))
    # Then its entries are in the log, the board is untouched, and the writer asks for the desk
    assert (stale.written, stale.stale) == (1, True)
    assert await TriageEntry.filter(clinic_id=state.clinic_id).count() == 3
    assert (await _board(state.clinic_id)).state == before
    # And the desk sent whole then makes the board the desk again
    sent.forget()
    whole = await apply_desk_changes(state.clinic_id, [], sent.change(state))
    assert (whole.written, whole.stale) == (0, False)
    assert (await _board(state.clinic_id)).state == desk_to_json(state)


async def test_a_change_for_a_clinic_with_no_board_asks_for_the_whole_desk() -> None:
    clinic_id = f"clinic-{uuid.uuid4().hex[:8]}"
    state = desk("A")
    change = BoardChange(desk_to_json(state, []), based_on=3)
    write = await apply_desk_changes(clinic_id, [], change)
    assert write.stale
    assert not await TriageBoard.exists(clinic_id=clinic_id)


async def test_a_desk_started_again_under_a_later_board_goes_whole_until_it_passes_it() -> None:
    # Given a board kept at a later version than a desk started again (its count from the start)
    clinic_id = f"clinic-{uuid.uuid4().hex[:8]}"
    other = desk("A", "B")
    other.clinic_id = clinic_id
    _arrivals(other, "old1", "old2", "old3", "old4")
    assert not (await apply_desk_changes(clinic_id, [], other)).stale
    state = desk("A", "B")
    state.clinic_id = clinic_id
    sent = SentBoard()
    # When the new desk's whole record is older than the board: refused, and sent whole again
    first = sent.change(state)
    assert (await apply_desk_changes(clinic_id, [], first)).stale
    sent.forget()
    assert (await _board(clinic_id)).state == desk_to_json(other)
    # Then once the desk's count passes the board's, its whole record makes the board the desk
    _arrivals(state, "new1", "new2", "new3", "new4", "new5")
    whole = sent.change(state)
    assert whole.based_on is None
    assert not (await apply_desk_changes(clinic_id, [], whole)).stale
    sent.sent()
    assert (await _board(clinic_id)).state == desk_to_json(state)
    # And a retry of that whole record finds the board at its version: not refused
    assert not (await apply_desk_changes(clinic_id, [], whole)).stale


async def test_a_change_written_meanwhile_by_another_try_is_taken_as_held(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a board at the version a change was made from
    state, sent = await _desk_sent_whole()
    entries = _arrivals(state, "j3")
    change = sent.change(state)
    expected = desk_to_json(state)
    # And another try of the same record that writes it between this try's read and its write
    # (a late attempt of the activity, say)
    read = TriageBoard.get_or_none

    async def read_then_the_other_try_writes(**where: Any) -> TriageBoard | None:
        row = await read(**where)
        rows = TriageBoard.filter(clinic_id=state.clinic_id)
        await rows.update(version=state.seq, state=expected)
        return row

    monkeypatch.setattr(TriageBoard, "get_or_none", read_then_the_other_try_writes)
    # When this try writes: its update over the version it read finds no row
    write = await apply_desk_changes(state.clinic_id, entries, change)
    # Then the change is taken as held (the board holds it), not refused
    assert not write.stale
    monkeypatch.undo()
    board = await _board(state.clinic_id)
    assert (board.version, board.state) == (state.seq, expected)
