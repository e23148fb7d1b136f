"""A crowd of clients nobody can take, more than the desk keeps alerts for: the desk's state, its
records to the read model, its answers and the board stay within the bound; the log holds every
alert (`domain.triage.alerts`).

(Found by a review: each alert stayed in the desk's state, every record and every board for the
rest of the day; measured for one kind, about 14,600 reached Temporal's 2 MB payload limit, after
which the clinic's desk took no change.)
"""

from __future__ import annotations

import asyncio
import uuid

from temporalio.client import Client

from domain.journey.stages import VisitCategory
from domain.store.triage_models import TriageBoard as BoardRow
from domain.store.triage_models import TriageEntry
from domain.triage.alerts import ALERTS_KEPT
from domain.triage.codec import desk_from_json
from domain.triage.commands import ArriveCommand, SeatCommand
from domain.triage.decision import Arrival
from tests.support import DESK, replayer
from tests.workflows.test_desk_board_records import records_sent
from tests.workflows.test_triage_desk import open_desk, settled
from workflows.triage import TriageDeskWorkflow, desk_workflow_id

CROWD = ALERTS_KEPT + 40
BOUND_SECONDS = 120


async def test_a_crowd_nobody_can_take_keeps_the_desk_and_board_bounded_and_logs_every_alert(
    client: Client,
) -> None:
    async with asyncio.timeout(BOUND_SECONDS):
        # Given a desk whose only consultant is busy
        gateway, clinic = await open_desk(client, "A:busy")
        # When more clients than the desk keeps alerts for come at once
        arrivals = [
            ArriveCommand(DESK, Arrival(f"j{n}", f"client-{n}", VisitCategory.FIRST_VISIT))
            for n in range(CROWD)
        ]
        replies = await asyncio.gather(*(gateway.queue_arrival(clinic, a) for a in arrivals))
        assert all(reply.consultant_id is None for reply in replies)

        # Then the desk keeps the newest ALERTS_KEPT alerts and counts the others
        desk = await gateway.desk(clinic)
        assert len(desk.alerts) == ALERTS_KEPT
        assert desk.alerts_dropped == CROWD - ALERTS_KEPT
        assert desk.alerts[-1].journey_id == f"j{CROWD - 1}"
        # And a staff change answers with the bounded board
        lunch = SeatCommand(DESK, "A", "note-lunch", on_duty=False)
        reply = await gateway.change_seat(clinic, lunch, str(uuid.uuid4()))
        assert reply.state is not None and len(reply.state.alerts) == ALERTS_KEPT
        # And the log holds every alert
        alerts = await settled(
            lambda: TriageEntry.filter(clinic_id=clinic, kind="SUPERVISOR_ALERT").count(),
            lambda count: count >= CROWD,
            f"the log of {clinic} did not get every alert",
            tries=400,
        )
        assert alerts == CROWD
        # And the read model's board shows the bound and the count, as every record sent
        row = await settled(
            lambda: BoardRow.get(clinic_id=clinic),
            lambda row: row.version == reply.version,
            f"the board of {clinic} did not follow the desk",
            tries=400,
        )
        board = desk_from_json(row.state)
        assert (len(board.alerts), board.alerts_dropped) == (ALERTS_KEPT, CROWD - ALERTS_KEPT)
        records = await records_sent(client, clinic)
        assert max(len(r["state"]["alerts"]) for r in records) == ALERTS_KEPT
        # And the history, the bound's marker included, replays with the same commands
        history = await client.get_workflow_handle(desk_workflow_id(clinic)).fetch_history()
        await replayer(TriageDeskWorkflow).replay_workflow(history)
