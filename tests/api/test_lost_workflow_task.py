"""A staff action that reaches the journey together with timer work a killed worker lost.

Found by the topology run (`bench.topology`): a worker was killed after it had written a
follow-up's falling due to the read model (a local activity) but before it reported that workflow
task to Temporal. Follow-up staff saw the follow-up due and completed it; the next worker got the
timer and the action in one workflow task, judged the action before the timer's work, and refused
it as not due (`ValidationFailed`), although the follow-up was due and a later try was taken.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from domain.store.models import IdempotencyKey
from tests.api import documents
from tests.api.flow import JourneyDriver, new_key
from tests.api.harness import Api, Staff
from tests.api.test_durability import WorkerProcess, wait_polling

DYING_WORKER = ("-m", "tests.api.dying_worker")
DIE_TIMEOUT = 60  # seconds for the first follow-up to fall due and its worker to die


@pytest.mark.slow
async def test_an_action_on_a_follow_up_whose_falling_due_was_lost_is_taken(
    isolated: tuple[Api, str, dict[str, str]],
    temporal_env: WorkflowEnvironment,
    staff: dict[Role, Staff],
    tmp_path: Path,
) -> None:
    api, task_queue, env = isolated
    client = temporal_env.client
    driver = JourneyDriver(api, staff)
    dying = WorkerProcess(env, tmp_path / "dying-worker.log", DYING_WORKER)
    second = WorkerProcess(env, tmp_path / "worker.log")
    try:
        # Given a journey handed over, on a worker that dies right after writing the first
        # follow-up's falling due to the read model, before Temporal hears of it
        dying.start()
        await wait_polling(client, task_queue, dying)
        jid = (await driver.drive_to("FOLLOW_UP"))["id"]
        assert dying.process is not None
        await asyncio.to_thread(dying.process.wait, DIE_TIMEOUT)
        seen = await driver.journey(jid)
        assert seen["followUps"][0]["status"] == "DUE", seen["followUps"]

        # When follow-up staff complete it, as the read model shows it due, while another
        # worker takes over the journey
        done = {"journeyId": jid, "followUpId": "fu-1", "outcome": "REACHED", "satisfaction": 5}
        key = new_key()
        answer = asyncio.create_task(
            driver.act(
                documents.COMPLETE_FOLLOW_UP, Role.FOLLOW_UP_STAFF, **done, idempotencyKey=key
            )
        )
        second.start()
        await wait_polling(client, task_queue, second)
        first = await answer
        # Then the action is taken, not refused
        assert first["__typename"] == "JourneyPayload", first
        # And a retry with the same key, whose first answer the API never recorded (its process
        # died), is answered by Temporal with the first outcome, not judged again
        account = driver.staff[Role.FOLLOW_UP_STAFF].account_id
        assert await IdempotencyKey.filter(account_id=account, key=key).update(result_id="") == 1
        again = await driver.act(
            documents.COMPLETE_FOLLOW_UP, Role.FOLLOW_UP_STAFF, **done, idempotencyKey=key
        )
        assert again == first
        journey = await driver.journey(jid)
    finally:
        dying.stop()
        second.stop()

    # And each step is in the history once, the timer's before the staff action, as the lost
    # task had it
    actions = [e["action"] for e in journey["history"]]
    assert actions[-2:] == ["follow_up_due", "complete_follow_up"], actions
    assert Counter(actions)["complete_follow_up"] == 1, actions
    assert [e["seq"] for e in journey["history"]] == list(range(1, len(actions) + 1))
    assert journey["followUps"][0]["status"] == "DONE", journey["followUps"]
