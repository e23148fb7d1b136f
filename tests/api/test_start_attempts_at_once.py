"""Two attempts of one start under one key, the second sent while the first is still opening the
journey: the second finds the journey's row and converges on it, and must answer the journey as
the start leaves it (a walk-in checked in), never half opened.

The worker holds the walk-in's check-in from the read model until the test lets it go, so the
second attempt finds the journey written at RECEPTION with its check-in still on the way."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from temporalio import activity
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import (
    ActivityInboundInterceptor,
    ExecuteActivityInput,
    Interceptor,
)

from domain.journey.table import Action
from domain.roles import Role
from domain.store.models import Journey
from schema.ids import decode_id
from tests.api import documents
from tests.api.conftest import api_settings
from tests.api.flow import JourneyDriver, end_journey, new_key
from tests.api.harness import Staff, eventually, running_api
from workflows.client import OPENING_WAIT_SECONDS
from workflows.journey_writes import RECORD_CHANGE
from workflows.worker import build_worker

# How long the check-in is held once the second attempt is on its way, should that attempt wait
# as it must: an attempt that does not wait answers within a few hundred milliseconds, and one
# that waits gives up after `OPENING_WAIT_SECONDS`, which must leave it time to hear the opening.
HELD_SECONDS = OPENING_WAIT_SECONDS * 0.6


class CheckInHeld(Interceptor):
    """Holds the record of every check-in until `release` is set."""

    def __init__(self) -> None:
        self.release = asyncio.Event()

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _Holding(next, self.release)


class _Holding(ActivityInboundInterceptor):
    def __init__(self, next: ActivityInboundInterceptor, release: asyncio.Event) -> None:
        super().__init__(next)
        self._release = release

    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        if activity.info().activity_type == RECORD_CHANGE and _checks_in(input):
            await self._release.wait()
        return await self.next.execute_activity(input)


def _checks_in(input: ExecuteActivityInput) -> bool:
    """Whether the change is a check-in's: the activity takes it in its JSON form."""
    change = input.args[0] if input.args else None
    if isinstance(change, dict):
        return bool(change.get("event", {}).get("action") == Action.CHECK_IN.value)
    return getattr(getattr(change, "event", None), "action", None) == Action.CHECK_IN.value


@pytest.fixture
async def driver(
    database: str,
    temporal_address: str,
    temporal_env: WorkflowEnvironment,
    staff: dict[Role, Staff],
) -> AsyncIterator[tuple[JourneyDriver, CheckInHeld]]:
    task_queue = f"start-at-once-{uuid.uuid4().hex[:8]}"
    held = CheckInHeld()
    settings = api_settings(database, temporal_address, task_queue)
    async with running_api(settings, temporal_env.client) as api:
        async with build_worker(temporal_env.client, task_queue, interceptors=[held]):
            try:
                yield JourneyDriver(api, staff), held
            finally:
                held.release.set()


async def test_an_attempt_beside_the_start_answers_the_journey_as_the_start_leaves_it(
    driver: tuple[JourneyDriver, CheckInHeld],
) -> None:
    desk, held = driver
    client_id = await desk.register_client("Two Attempts")
    key = new_key()

    async def attempt() -> dict[str, Any]:
        return await desk.act(
            documents.START_JOURNEY,
            Role.FRONT_DESK,
            clientId=client_id,
            checkedIn=True,
            idempotencyKey=key,
        )

    # Given a walk-in's start whose journey is written, its check-in held on the way
    first = asyncio.create_task(attempt())
    row = await eventually(
        lambda: Journey.get_or_none(client_id=decode_id(client_id, "Client")),
        lambda found: found is not None,
        timeout=20,
        what="the journey's row",
    )
    assert row.stage == "RECEPTION"
    # When a second attempt under the key comes while the check-in is still held
    second = asyncio.create_task(attempt())
    done, _ = await asyncio.wait({second}, timeout=HELD_SECONDS)
    held.release.set()
    answers = [await first, await second]
    # Then it waited for the start, and both answer the journey checked in
    assert not done, f"the second attempt answered while the start was opening: {second.result()}"
    assert [a["__typename"] for a in answers] == ["JourneyPayload"] * 2, answers
    assert [a["journey"]["stage"] for a in answers] == ["TRIAGE", "TRIAGE"], answers
    assert answers[0]["journey"]["id"] == answers[1]["journey"]["id"]
    await end_journey(desk, answers[0]["journey"]["id"])
