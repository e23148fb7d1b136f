"""Records a triage desk that opened a new day with clients still waiting, for
test_desk_day_replay.py.

    python tests/workflows/record_desk_day_history.py

Writes tests/workflows/histories/desk/day_opened_waiting.json: the first run of the desk, up to
its continue-as-new at midnight. The committed file was recorded with the desk code from before
a new day dropped the clients still waiting from the day before: it stands for the desks running
when that change is deployed, which carried them into the next run. The script uses only what
both versions of the desk have, so it runs on either; re-record only on purpose.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.journey.facts import Actor
from domain.journey.stages import VisitCategory
from domain.roles import Role
from domain.triage.commands import AcceptCommand, ArriveCommand, SeatCommand
from domain.triage.decision import Arrival
from domain.triage.desk import SeatStatus
from tests.support import DESK
from tests.workflows.desk_recorder import main, on_duty, past_midnight, to_midnight
from workflows.triage import desk_workflow_id
from workflows.triage_client import TriageGateway

TARGET = Path(__file__).with_name("histories") / "desk" / "day_opened_waiting.json"
TASK_QUEUE = "desk-record-day"
CLINIC = "clinic-desk-day"


async def scenario(client: Client, env: WorkflowEnvironment) -> str:
    """A client taken, one whose consultant let them wait with nobody free (the supervisor
    called), one still within their ten minutes at midnight; then the day opens. Answers the
    first run's id."""
    desk = TriageGateway(client, TASK_QUEUE)
    await past_midnight(env)  # the day's scenario well clear of the next midnight
    await on_duty(desk, CLINIC, ("A", "B"))

    async def arrive(journey_id: str) -> None:
        arrival = Arrival(journey_id, f"client-{journey_id}", VisitCategory.FIRST_VISIT)
        await desk.arrive(CLINIC, ArriveCommand(DESK, arrival), f"arrive-{journey_id}")

    await arrive("j1")  # A
    await desk.accept(CLINIC, AcceptCommand(Actor("A", Role.CONSULTANT), "j1"), "accept-j1")
    await arrive("j2")  # B, who lets the client wait
    await desk.change_seat(
        CLINIC, SeatCommand(DESK, "A", "note-busy", status=SeatStatus.BUSY), "busy-a"
    )
    await env.sleep(timedelta(minutes=10, seconds=30))  # nobody free: the supervisor is called
    await env.sleep(await to_midnight(env) - timedelta(minutes=5))
    back = SeatCommand(DESK, "A", "note-back", status=SeatStatus.AVAILABLE)
    await desk.change_seat(CLINIC, back, "back-a")
    await arrive("j3")  # A, five minutes before midnight
    handle = client.get_workflow_handle(desk_workflow_id(CLINIC))
    first_run = (await handle.describe()).run_id
    assert first_run is not None
    await env.sleep(timedelta(minutes=6))
    await desk.desk(CLINIC)  # a query waits for the run that answers it
    return first_run


if __name__ == "__main__":
    main(TARGET, TASK_QUEUE, CLINIC, scenario)
