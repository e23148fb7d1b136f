"""Records a triage desk where the supervisor split a client's revenue (reassignClient,
WRONG_ASSIGNMENT_SHARED) and then named a stand-in (OWNER_STAND_IN), for
test_desk_stand_in_split_replay.py.

    python tests/workflows/record_desk_stand_in_split_history.py

Writes tests/workflows/histories/desk/stand_in_after_split.json. The committed file was recorded
with the desk code from before a stand-in left a split revenue as it stood (the commit before
desk-stand-in-keeps-split): it stands for the desks running when that change is deployed, which
credited the consultant the stand-in served for whole. The script uses only what both versions
of the desk have, so it runs on either; re-record only on purpose.
"""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.journey.stages import VisitCategory
from domain.triage.commands import ArriveCommand, OverrideCommand, OverrideKind, SeatCommand
from domain.triage.decision import Arrival
from domain.triage.desk import SeatStatus
from domain.triage.revenue import CreditRule
from tests.support import DESK, SUPERVISOR
from tests.workflows.desk_recorder import main, on_duty, past_midnight
from tests.workflows.test_triage_desk import logged
from workflows.triage_client import TriageGateway

TARGET = Path(__file__).with_name("histories") / "desk" / "stand_in_after_split.json"
TASK_QUEUE = "desk-record-stand-in-split"
CLINIC = "clinic-desk-stand-in-split"


def moved(to: str, rule: CreditRule, note: str) -> OverrideCommand:
    """The supervisor's reassignment of j1 to `to` under `rule`."""
    return OverrideCommand(
        SUPERVISOR, OverrideKind.REASSIGN, note, journey_id="j1", consultant_id=to, rule=rule
    )


async def scenario(client: Client, env: WorkflowEnvironment) -> None:
    """Three consultants; a first visit placed with A, then moved to B as a wrong assignment not
    A's fault (A and B credited 50/50), its record written; B goes away and the supervisor names
    C to stand in for B; a seat change after, whose answer shows the desk."""
    desk = TriageGateway(client, TASK_QUEUE)
    await past_midnight(env)  # the scenario well clear of the next midnight
    await on_duty(desk, CLINIC, ("A", "B", "C"))
    first = Arrival("j1", "client-j1", VisitCategory.FIRST_VISIT)
    await desk.arrive(CLINIC, ArriveCommand(DESK, first), "arrive-j1")  # A
    shared = moved("B", CreditRule.WRONG_ASSIGNMENT_SHARED, "note-shared")
    await desk.override(CLINIC, shared, "shared-j1")  # A 50 %, B 50 %
    # The split's record reaches the writer before the stand-in: a record of its own, whose
    # desk holds the split as the stand-in found it
    await logged(CLINIC, "REASSIGNED", 1)
    away = SeatCommand(DESK, "B", "note-away", status=SeatStatus.AWAY)
    await desk.change_seat(CLINIC, away, "away-b")
    stand_in = moved("C", CreditRule.OWNER_STAND_IN, "note-stand-in")
    await desk.override(CLINIC, stand_in, "stand-in-j1")  # before the rule: B credited whole
    await desk.change_seat(CLINIC, SeatCommand(DESK, "A", "note-scope", scope=[]), "scope-a")
    await logged(CLINIC, "SEAT_CHANGED", 5)  # every record in the history, the last one too


if __name__ == "__main__":
    main(TARGET, TASK_QUEUE, CLINIC, scenario)
