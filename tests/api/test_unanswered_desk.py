"""A desk change the triage desk does not answer in time: typed `Unavailable`, nothing
half-written, and a retry with the same key, once the desk's worker is back, done exactly once.

The API serves a task queue of its own, and so does its clinic's desk (a clinic made for the
test: the desk starts on the queue of the API that first changes it). The test runs the worker
in this process and stops it, so the desk's update reaches Temporal and waits there for a
worker that is not coming. The desk's wait for an answer is made short so the test need not
wait the API's 20 s; before, it waited until the API stopped the request at 30 s, untyped.
"""

from __future__ import annotations

from typing import Any

import pytest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

import workflows.triage_client
from domain.roles import Role
from domain.store.models import IdempotencyKey
from domain.store.models import Journey as JourneyRow
from domain.store.triage_models import TriageBoard as BoardRow
from domain.store.triage_models import TriageEntry
from schema.ids import decode_id
from tests.api.flow import JourneyDriver, end_journey, new_key
from tests.api.harness import Api, Staff, eventually
from tests.api.test_triage_api import _desk_clinic, _journey_at_triage
from workflows.worker import build_worker

_RESULT = """
    __typename
    ... on UserError { code message }
    ... on Unavailable { retryAfterSeconds }
"""
SEAT = f"""
mutation Seat($input: SeatInput!) {{
  updateTriageSeat(input: $input) {{
    {_RESULT} ... on TriageBoardPayload {{ board {{ version seats {{ consultantId onDuty }} }} }}
  }}
}}"""
AUTO_ASSIGN = f"""
mutation Auto($input: AutoAssignInput!) {{
  autoAssign(input: $input) {{
    {_RESULT}
    ... on AutoAssignPayload {{
      journey {{ id stage consultant {{ id }} history {{ action }} }}
      decision {{ consultantId reason }}
    }}
  }}
}}"""
SHORT_WAIT = 2.0
LOG_TIMEOUT = 30.0
# A retry sent as the worker comes back may find the desk still being taken up by the new worker
# (its history replayed, the earlier attempt's update answered first): on a loaded machine that
# can outlast one wait for an answer, and the retry is told Unavailable again, as its message
# says, so the test resends it the way a client would, within this bound.
RETRY_TIMEOUT = 120.0


def assert_unavailable(answer: dict[str, Any]) -> None:
    assert answer["__typename"] == "Unavailable", answer
    assert answer["code"] == "UNAVAILABLE"
    assert answer["retryAfterSeconds"] > 0
    assert "same idempotencyKey" in answer["message"]


async def key_result(staff_id: str, key: str) -> str:
    return (await IdempotencyKey.get(account_id=staff_id, key=key)).result_id


async def entries(clinic: str, kind: str, **match: str) -> int:
    return await TriageEntry.filter(clinic_id=clinic, kind=kind, **match).count()


async def resent_while_unavailable(
    api: Api, mutation: str, token: str, field: str, request: dict[str, Any]
) -> dict[str, Any]:
    """The first answer to `request` that is not `Unavailable`, sending it again with the same
    key while it is (bounded by RETRY_TIMEOUT)."""
    answer = await eventually(
        lambda: api.run(mutation, token, input=request),
        lambda sent: sent[field]["__typename"] != "Unavailable",
        timeout=RETRY_TIMEOUT,
        what=f"{field} answered once the worker is back",
    )
    return dict(answer[field])


async def settled(clinic: str, consultants: int) -> None:
    """Waits until the desk's log holds its consultants' seats: the worker is stopped with no
    work of the desk's left in flight (a retry would otherwise wait for it as well)."""
    await eventually(
        lambda: entries(clinic, "SEAT_CHANGED"),
        lambda logged: logged >= consultants,
        timeout=LOG_TIMEOUT,
        what="the roster in the desk's log",
    )


async def desk_left_unserved(
    api: Api, temporal: Client, task_queue: str, waiting: int = 0
) -> tuple[str, dict[Role, Staff], list[str], list[str]]:
    """A clinic's desk with its consultants on duty and `waiting` clients at triage, set up while
    a worker served the API's queue, which is then stopped with none of the desk's work in
    flight: (clinic, staff, consultants, the waiting clients' journey ids)."""
    async with build_worker(temporal, task_queue):
        clinic, staff, consultants = await _desk_clinic(api)
        token = staff[Role.FRONT_DESK].token
        journeys = [await _journey_at_triage(api, token, n) for n in range(1, waiting + 1)]
        await settled(clinic, len(consultants))
    return clinic, staff, consultants, journeys


async def assert_placed_once(
    clinic: str, desk: Staff, arrival: dict[str, str], retry: dict[str, Any]
) -> None:
    """The desk placed the arrival's client once, the journey (as `retry` answered it) was
    assigned once, and the arrival's key holds the journey."""
    raw_journey = decode_id(arrival["journeyId"], "Journey")
    assert raw_journey is not None
    assert await entries(clinic, "ASSIGNED", journey_id=raw_journey) == 1
    history = [event["action"] for event in retry["journey"]["history"]]
    assert history.count("assign_consultant") == 1
    assert await key_result(desk.account_id, arrival["idempotencyKey"]) == raw_journey


async def test_a_seat_change_the_desk_does_not_answer_is_unavailable_and_its_retry_done_once(
    isolated: tuple[Api, str, dict[str, str]],
    temporal_env: WorkflowEnvironment,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    api, task_queue, _ = isolated
    temporal = temporal_env.client
    # Given a clinic's desk with its consultants on duty, while a worker served it
    clinic, staff, consultants, _ = await desk_left_unserved(api, temporal, task_queue)
    desk = staff[Role.FRONT_DESK]
    before = await BoardRow.get(clinic_id=clinic)
    key = new_key()
    change = {"consultantId": consultants[0], "reason": "lunch", "onDuty": False}

    # When a consultant is taken off duty while no worker runs, the desk's answer waited for a
    # short while only
    monkeypatch.setattr(workflows.triage_client, "DESK_ANSWER_SECONDS", SHORT_WAIT)
    silent = await api.run(SEAT, desk.token, input={**change, "idempotencyKey": key})
    # Then the answer is the typed error, telling to send it again with the same key
    assert_unavailable(silent["updateTriageSeat"])
    # And nothing is half-written: the key is still open, the desk's board and log unchanged
    assert await key_result(desk.account_id, key) == ""
    assert (await BoardRow.get(clinic_id=clinic)).version == before.version
    assert await entries(clinic, "SEAT_CHANGED", reason__contains="lunch") == 0

    # When the worker is back and the same request is sent again with the same key
    monkeypatch.undo()
    async with build_worker(temporal, task_queue):
        request = {**change, "idempotencyKey": key}
        board = await resent_while_unavailable(api, SEAT, desk.token, "updateTriageSeat", request)
        # Then it is answered: the consultant is off duty
        assert board["__typename"] == "TriageBoardPayload", board
        seats = {seat["consultantId"]: seat["onDuty"] for seat in board["board"]["seats"]}
        assert seats[consultants[0]] is False
        # And a third attempt is answered alike, changing nothing
        again = await api.run(SEAT, desk.token, input={**change, "idempotencyKey": key})
        assert again["updateTriageSeat"]["__typename"] == "TriageBoardPayload"
        # And the desk took the change exactly once: one version more, one entry in its log
        assert board["board"]["version"] == before.version + 1
    assert await entries(clinic, "SEAT_CHANGED", reason__contains="lunch") == 1
    assert (await BoardRow.get(clinic_id=clinic)).version == before.version + 1
    assert await key_result(desk.account_id, key) != ""


async def test_an_arrival_the_desk_does_not_answer_is_unavailable_and_its_retry_done_once(
    isolated: tuple[Api, str, dict[str, str]],
    temporal_env: WorkflowEnvironment,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    api, task_queue, _ = isolated
    temporal = temporal_env.client
    # Given a client waiting at triage at a clinic whose desk runs, while a worker served both
    clinic, staff, _, (journey_id,) = await desk_left_unserved(api, temporal, task_queue, 1)
    desk = staff[Role.FRONT_DESK]
    raw_journey = decode_id(journey_id, "Journey")
    assert raw_journey is not None
    arrival = {"journeyId": journey_id, "idempotencyKey": new_key()}

    # When the desk is asked to place the client while no worker runs
    monkeypatch.setattr(workflows.triage_client, "DESK_ANSWER_SECONDS", SHORT_WAIT)
    silent = await api.run(AUTO_ASSIGN, desk.token, input=arrival)
    # Then the answer is the typed error
    assert_unavailable(silent["autoAssign"])
    # And nothing is half-written: the key is open, the client still waits unassigned
    assert await key_result(desk.account_id, arrival["idempotencyKey"]) == ""
    row = await JourneyRow.get(id=raw_journey)
    assert (row.stage, row.consultant_id) == ("TRIAGE", None)
    assert await entries(clinic, "ASSIGNED", journey_id=raw_journey) == 0

    # When the worker is back and the same request is sent again with the same key
    monkeypatch.undo()
    async with build_worker(temporal, task_queue):
        retry = await resent_while_unavailable(api, AUTO_ASSIGN, desk.token, "autoAssign", arrival)
        # Then the client is placed, and a third attempt is answered alike
        assert retry["__typename"] == "AutoAssignPayload", retry
        assert retry["journey"]["stage"] == "CONSULTATION"
        assert retry["journey"]["consultant"]["id"] is not None
        again = (await api.run(AUTO_ASSIGN, desk.token, input=arrival))["autoAssign"]
        assert again["journey"] == retry["journey"]
        await eventually(
            lambda: entries(clinic, "ASSIGNED", journey_id=raw_journey),
            lambda logged: logged >= 1,
            timeout=LOG_TIMEOUT,
            what="the assignment in the desk's log",
        )
        # (ended while its worker runs: no journey is left waiting on a queue nobody serves)
        await end_journey(JourneyDriver(api, staff), journey_id)
    # And the desk placed the client once, and the journey was assigned once
    await assert_placed_once(clinic, desk, arrival, retry)
