"""`recordComplaint` retried after its first attempt wrote the complaint and died before its key
kept the answer: the retry answers that complaint, though by then its `receivedAt` is past the
window a new complaint is taken within (`RECEIVED_WITHIN_DAYS`). Before, the retry's own check
of the window refused it: the complaint stood in the register while its request was told it
was never taken. The server's clock is moved by hand past the window between the attempts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError
from temporalio.testing import WorkflowEnvironment

from domain.complaints.rules import RECEIVED_WITHIN_DAYS
from domain.roles import Role
from schema import idempotency
from tests.api.complaint_support import call, complaint, rows
from tests.api.conftest import TASK_QUEUE, api_settings
from tests.api.flow import JourneyDriver
from tests.api.hand_clock import HandClock
from tests.api.harness import running_api

FreshClinic = Callable[[], Awaitable[JourneyDriver]]


@pytest.fixture
async def clocked(
    fresh_clinic: FreshClinic,
    database: str,
    temporal_env: WorkflowEnvironment,
    temporal_address: str,
) -> AsyncIterator[tuple[JourneyDriver, HandClock]]:
    """A clinic of its own, its staff calling an API whose clock moves when the test says."""
    clinic = await fresh_clinic()
    clock = HandClock(datetime.now(UTC).replace(microsecond=0))
    settings = api_settings(database, temporal_address, TASK_QUEUE)
    async with running_api(settings, temporal_env.client, clock=clock) as api:
        yield JourneyDriver(api, clinic.staff), clock


async def test_a_complaint_whose_answer_was_lost_is_answered_on_retry_past_its_window(
    clocked: tuple[JourneyDriver, HandClock], monkeypatch: pytest.MonkeyPatch
) -> None:
    driver, clock = clocked
    client_id = await driver.register_client()
    # Given a complaint received an hour inside the window, written by a request that dies
    # before its key keeps the answer
    window = timedelta(days=RECEIVED_WITHIN_DAYS)
    received = clock.now() - window + timedelta(hours=1)
    taken_down = complaint(client_id, receivedAt=received.isoformat())
    settle = idempotency.settle
    dying = [True]

    async def die_once(*args: Any, **kwargs: Any) -> None:
        if dying.pop() if dying else False:
            raise RuntimeError("the request died here")
        await settle(*args, **kwargs)

    monkeypatch.setattr(idempotency, "settle", die_once)
    with pytest.raises(TransportQueryError):
        await call(driver, "recordComplaint", Role.NURSE, **taken_down)
    assert await rows(client_id) == (1, 0)
    # When it is sent again under its key, two hours later: its receivedAt now past the window
    clock.move_to(clock.now() + timedelta(hours=2))
    retried = await call(driver, "recordComplaint", Role.NURSE, **taken_down)
    # Then it is answered with the complaint its first attempt wrote, and nothing more is written
    assert retried["__typename"] == "ComplaintPayload", retried
    assert datetime.fromisoformat(retried["complaint"]["receivedAt"]) == received
    assert await rows(client_id) == (1, 0)
    # And a third attempt answers the same complaint
    again = await call(driver, "recordComplaint", Role.NURSE, **taken_down)
    assert again == retried
    # And the key sent with another description is a Conflict
    changed = {**taken_down, "description": "she was kept waiting an hour"}
    clash = await call(driver, "recordComplaint", Role.NURSE, **changed)
    assert clash["__typename"] == "Conflict", clash
    assert await rows(client_id) == (1, 0)
