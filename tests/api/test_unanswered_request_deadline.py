"""A request whose waits on Temporal together pass its time: `autoAssign` waits on the desk and
then on the journey, each within its own bound, and with both slow it answers `Unavailable`
within the request's limit, its key open, and its retry is done once.

Before, each wait had its own bound only: a desk that answered late left the journey's wait its
whole bound, and the API stopped the request at its limit with an untyped error.

The desk runs on a task queue of its own and the journey on another (each starts on the queue of
the API that first changes it), so the test serves them apart: the desk answers, taking some of
the request's time, and the journey's worker is stopped. The request's limit is made short, and
each bound as long as that limit: alone each would fit, one after the other they cannot.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator

import pytest
from temporalio.testing import WorkflowEnvironment

import workflows.client
import workflows.triage_client
from domain.roles import Role
from domain.store.models import Journey as JourneyRow
from schema.ids import decode_id
from tests.api.conftest import api_settings
from tests.api.flow import JourneyDriver, end_journey, new_key
from tests.api.harness import Api, eventually, running_api
from tests.api.test_triage_api import _desk_clinic, _journey_at_triage
from tests.api.test_unanswered_desk import (
    AUTO_ASSIGN,
    LOG_TIMEOUT,
    assert_placed_once,
    assert_unavailable,
    entries,
    key_result,
    settled,
)
from workflows.worker import build_worker

# The request's limit, short so the test need not wait the API's 30 s; the desk answers well
# within it on a busy machine.
REQUEST_LIMIT = 6.0
NO_CACHE = 0


class Queues:
    """An API whose requests end at `REQUEST_LIMIT` (its journeys on `journeys`), and one with
    the usual limit that opened its clinic's desk (on `desk`)."""

    def __init__(self, short: Api, usual: Api, journeys: str, desk: str) -> None:
        self.short, self.usual, self.journeys, self.desk = short, usual, journeys, desk


@pytest.fixture
async def queues(
    database: str, temporal_address: str, temporal_env: WorkflowEnvironment
) -> AsyncIterator[Queues]:
    tag = uuid.uuid4().hex[:8]
    journeys, desk = f"deadline-journeys-{tag}", f"deadline-desk-{tag}"
    short_settings = api_settings(database, temporal_address, journeys)
    usual_settings = api_settings(database, temporal_address, desk)
    temporal = temporal_env.client
    async with (
        running_api(short_settings, temporal, execution_timeout=REQUEST_LIMIT) as short,
        running_api(usual_settings, temporal) as usual,
    ):
        yield Queues(short, usual, journeys, desk)


async def test_an_arrival_whose_desk_and_journey_are_both_slow_is_unavailable_in_time(
    queues: Queues,
    temporal_env: WorkflowEnvironment,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    temporal = temporal_env.client
    # Given a clinic's desk on a queue of its own, its consultants on duty, its worker running
    async with build_worker(temporal, queues.desk, max_cached_workflows=NO_CACHE):
        clinic, staff, consultants = await _desk_clinic(queues.usual)
        await settled(clinic, len(consultants))
        desk = staff[Role.FRONT_DESK]
        # And a client waiting at triage, whose journey's queue is served no more
        async with build_worker(temporal, queues.journeys, max_cached_workflows=NO_CACHE):
            journey_id = await _journey_at_triage(queues.short, desk.token, 1)
        raw_journey = decode_id(journey_id, "Journey")
        assert raw_journey is not None
        arrival = {"journeyId": journey_id, "idempotencyKey": new_key()}

        # When the desk is asked to place the client, each wait as long as the request's limit
        monkeypatch.setattr(workflows.triage_client, "DESK_ANSWER_SECONDS", REQUEST_LIMIT)
        monkeypatch.setattr(workflows.client, "JOURNEY_ANSWER_SECONDS", REQUEST_LIMIT)
        began = time.monotonic()
        silent = await queues.short.run(AUTO_ASSIGN, desk.token, input=arrival)
        took = time.monotonic() - began
        # Then the answer is the typed error, within the request's limit
        assert_unavailable(silent["autoAssign"])
        assert took < REQUEST_LIMIT
        # And it was the journey's wait, after the desk had answered, that ran out of time
        journey_silent = f"journey {raw_journey}: no answer to update"
        assert any(journey_silent in record.getMessage() for record in caplog.records)
        await eventually(
            lambda: entries(clinic, "ASSIGNED", journey_id=raw_journey),
            lambda logged: logged == 1,
            timeout=LOG_TIMEOUT,
            what="the desk's placement in its log",
        )
    # And nothing more is written: the key open, the journey still at triage
    assert await key_result(desk.account_id, arrival["idempotencyKey"]) == ""
    assert (await JourneyRow.get(id=raw_journey)).stage == "TRIAGE"

    # When both workers are back and the same request is sent again with the same key
    monkeypatch.undo()
    async with (
        build_worker(temporal, queues.desk, max_cached_workflows=NO_CACHE),
        build_worker(temporal, queues.journeys, max_cached_workflows=NO_CACHE),
    ):
        retry = (await queues.usual.run(AUTO_ASSIGN, desk.token, input=arrival))["autoAssign"]
        # Then the client is placed, and a third attempt is answered alike
        assert retry["__typename"] == "AutoAssignPayload", retry
        assert retry["journey"]["stage"] == "CONSULTATION"
        again = (await queues.usual.run(AUTO_ASSIGN, desk.token, input=arrival))["autoAssign"]
        assert again["journey"] == retry["journey"]
        # (ended while its worker runs: no journey is left waiting on a queue nobody serves)
        await end_journey(JourneyDriver(queues.usual, staff), journey_id)
    # And the desk placed the client once, the journey was assigned once
    await assert_placed_once(clinic, desk, arrival, retry)
