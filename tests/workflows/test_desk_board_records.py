"""A running desk sends its writer what changed, not the whole day, and the read model's board is
the desk all the same; a board that is not where the desk left it is made whole again. A staff
change answers with the desk as the board shows it, not with every assignment of the day."""

from __future__ import annotations

import json
import uuid
from typing import Any

from temporalio.client import Client

from domain.journey.facts import Actor
from domain.roles import Role
from domain.store.triage_models import TriageBoard as BoardRow
from domain.triage.codec import desk_to_json
from domain.triage.commands import AcceptCommand, SeatCommand
from schema.triage.types import TriageBoard
from tests.support import DESK, replayer
from tests.workflows.test_triage_desk import arrive, open_desk, settled
from workflows.desk_records import RECORD_DESK_BOARD_CHANGES
from workflows.triage import TriageDeskWorkflow, desk_workflow_id
from workflows.triage_client import TriageGateway

ARRIVALS = 12
TAKEN = 6


async def board_is_desk(gateway: TriageGateway, clinic: str) -> dict[str, Any]:
    """The read model's board once it is the desk (it follows the answers by a moment)."""
    desk = desk_to_json(await gateway.desk(clinic))
    await settled(
        lambda: BoardRow.get_or_none(clinic_id=clinic),
        lambda row: row is not None and row.state == desk,
        f"the board of {clinic} did not become the desk",
        tries=200,
    )
    return desk


async def records_sent(client: Client, clinic: str) -> list[dict[str, Any]]:
    """Every record the desk scheduled for its writer, as the history holds it."""
    history = await client.get_workflow_handle(desk_workflow_id(clinic)).fetch_history()
    records = []
    for event in history.events:
        if event.HasField("activity_task_scheduled_event_attributes"):
            scheduled = event.activity_task_scheduled_event_attributes
            if scheduled.activity_type.name == RECORD_DESK_BOARD_CHANGES:
                records.append(json.loads(scheduled.input.payloads[0].data))
    return records


async def test_records_after_the_first_carry_only_what_changed(client: Client) -> None:
    # Given a desk that took a day's arrivals one by one
    gateway, clinic = await open_desk(client, "A", "B", "C")
    for n in range(ARRIVALS):
        await arrive(gateway, clinic, f"j{n}")
        await board_is_desk(gateway, clinic)  # each arrival its own record

    # Then the read model's board is the whole desk
    assert len((await board_is_desk(gateway, clinic))["assignments"]) == ARRIVALS
    # And no record after the first carried more than the one assignment its arrival made
    records = await records_sent(client, clinic)
    assert records[0]["based_on"] is None
    with_assignments = [r for r in records if r["state"]["assignments"]]
    assert len(with_assignments) == ARRIVALS
    assert all(len(r["state"]["assignments"]) == 1 for r in with_assignments)
    assert all(r["based_on"] is not None for r in records[1:])


async def test_a_board_put_back_is_made_the_desk_again(client: Client) -> None:
    # Given a desk and its board, then the board put back to an older version by hand
    gateway, clinic = await open_desk(client, "A", "B")
    await arrive(gateway, clinic, "j1")
    await board_is_desk(gateway, clinic)
    await BoardRow.filter(clinic_id=clinic).update(version=0, state={})

    # When the desk changes again
    await arrive(gateway, clinic, "j2")
    busy = SeatCommand(DESK, "A", "note-lunch", on_duty=False)
    await gateway.change_seat(clinic, busy, str(uuid.uuid4()))

    # Then the board is the whole desk again, sent whole once after the writer asked for it
    board = await board_is_desk(gateway, clinic)
    assert sorted(board["assignments"]) == ["j1", "j2"]
    records = await records_sent(client, clinic)
    assert [r["based_on"] is None for r in records[1:]].count(True) == 1
    # And that history, the whole desk sent again included, replays with the same commands
    history = await client.get_workflow_handle(desk_workflow_id(clinic)).fetch_history()
    await replayer(TriageDeskWorkflow).replay_workflow(history)


async def test_a_staff_change_answers_with_the_board_not_the_whole_day(client: Client) -> None:
    # Given a day of clients taken, and one still waiting
    gateway, clinic = await open_desk(client, "A", "B")
    for n in range(TAKEN):
        consultant = await arrive(gateway, clinic, f"j{n}")
        taker = Actor(str(consultant), Role.CONSULTANT)
        await gateway.accept(clinic, AcceptCommand(taker, f"j{n}"), str(uuid.uuid4()))
    await arrive(gateway, clinic, "waiting")

    # When staff change a seat
    away = SeatCommand(DESK, "B", "note-lunch", on_duty=False)
    reply = await gateway.change_seat(clinic, away, str(uuid.uuid4()))

    # Then the answer holds the waiting client alone, and makes the board the whole desk makes
    assert reply.state is not None
    assert list(reply.state.assignments) == ["waiting"]
    whole = await gateway.desk(clinic)
    assert len(whole.assignments) == TAKEN + 1
    assert TriageBoard.from_desk(reply.state) == TriageBoard.from_desk(whole)
