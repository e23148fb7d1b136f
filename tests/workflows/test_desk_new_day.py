"""A desk carried over midnight keeps none of the day before's assignments: the clients still
waiting are released in the day that ended, and nobody is handed yesterday's client."""

from __future__ import annotations

from datetime import timedelta

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.journey.facts import Actor
from domain.roles import Role
from domain.store.triage_models import TriageBoard, TriageEntry
from domain.triage.commands import AcceptCommand, SeatCommand
from domain.triage.desk import SeatStatus
from tests.support import DESK
from tests.workflows.desk_recorder import to_midnight
from tests.workflows.test_triage_desk import (
    TEN_MINUTES_AND_A_BIT,
    arrive,
    clear_of_midnight,
    logged,
    open_desk,
    settled,
)


async def _board_of_day(clinic: str, day: str) -> TriageBoard:
    board = await settled(
        lambda: TriageBoard.get_or_none(clinic_id=clinic),
        lambda board: board is not None and board.day == day,
        f"the board of {clinic} never reached {day}",
    )
    assert board is not None
    return board


async def test_a_desk_carried_over_midnight_keeps_none_of_yesterdays_assignments(
    client: Client, env: WorkflowEnvironment
) -> None:
    # Given a day with a client taken, one whose consultant let them wait while nobody was free
    # (the supervisor called), and one arrived five minutes before midnight
    await clear_of_midnight(env)
    gateway, clinic = await open_desk(client, "A", "B")
    assert await arrive(gateway, clinic, "j1") == "A"
    await gateway.accept(clinic, AcceptCommand(Actor("A", Role.CONSULTANT), "j1"), "take-j1")
    assert await arrive(gateway, clinic, "j2") == "B"
    await gateway.change_seat(clinic, SeatCommand(DESK, "A", "n", status=SeatStatus.BUSY), "a1")
    await env.sleep(TEN_MINUTES_AND_A_BIT)
    await env.sleep(await to_midnight(env) - timedelta(minutes=5))
    back = SeatCommand(DESK, "A", "n", status=SeatStatus.AVAILABLE)
    await gateway.change_seat(clinic, back, "a2")
    assert await arrive(gateway, clinic, "j3") == "A"
    before = await gateway.desk(clinic)
    yesterday = before.day
    assert sorted(a.journey_id for a in before.pending()) == ["j2", "j3"]

    # When the clock passes midnight and the last client's ten minutes
    await env.sleep(timedelta(minutes=11))
    desk = await gateway.desk(clinic)

    # Then the new day's desk holds no assignment of the day before, and nobody was handed
    # yesterday's client or charged for it
    assert desk.day != yesterday
    assert desk.assignments == {}
    assert {c: s.turns for c, s in desk.seats.items()} == {"A": 0, "B": 0}
    assert desk.makeups == []
    released = await logged(clinic, "RELEASED", 2)
    assert [(e.journey_id, e.consultant_id, e.day) for e in released] == [
        ("j2", "B", yesterday),
        ("j3", "A", yesterday),
    ]
    await logged(clinic, "DAY_OPENED")
    assert await TriageEntry.filter(clinic_id=clinic, kind="TIMED_OUT").count() == 0
    board = await _board_of_day(clinic, desk.day)
    assert board.state["assignments"] == {}
