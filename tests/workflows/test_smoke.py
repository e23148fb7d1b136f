from __future__ import annotations

from temporalio.client import Client

from domain.journey.stages import Stage
from domain.journey.table import Action
from domain.store.models import Journey, JourneyEvent
from tests.support import CONSULTANT, DESK, journey_start, request
from tests.workflows.conftest import TASK_QUEUE
from tests.workflows.drive import begin
from workflows.journey import JourneyWorkflow


async def test_smoke(client: Client) -> None:
    start = journey_start()
    # Acting before the opening (the check-in) is through would race it: wait, as the API does.
    handle = await begin(client, start, TASK_QUEUE)
    result = await handle.execute_update(
        JourneyWorkflow.act,
        request(Action.ASSIGN_CONSULTANT, DESK, consultant_id=CONSULTANT.user_id),
    )
    assert result.stage is Stage.CONSULTATION
    row = await Journey.get(id=start.journey_id)
    assert row.stage == "CONSULTATION"
    assert await JourneyEvent.filter(journey_id=start.journey_id).count() == 3
