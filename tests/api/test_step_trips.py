"""A journey step's trips to the database from the request, counted on the API's own stack
(the read-model write is the worker's), and the audit entries the step leaves: its own go with
the key's settlement, in the order the operation's end would write them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import aiosqlite
import pytest
from tortoise import connections

from domain.roles import Role
from domain.store.audit_chain import verify_chain
from domain.store.sql import is_postgres
from server.middleware import REQUEST_ID
from tests.api.audit_support import (
    clinic_of,
    entries_of_request,
    new_request_id,
    raw_client,
    run_traced,
    seen,
)
from tests.api.flow import CONSULTATION, JourneyDriver, new_key
from tests.api.harness import Api

FreshClinic = Callable[[], Awaitable[JourneyDriver]]

# The step benchmark's document: the answer reads nothing past the journey's own row.
RECORD_CONSULTATION = """
mutation Step($input: RecordConsultationInput!) {
  recordConsultation(input: $input) {
    __typename
    ... on JourneyPayload { journey { id stage } }
    ... on UserError { code message }
  }
}"""
WITH_HISTORY = """
mutation Step($input: RecordConsultationInput!) {
  recordConsultation(input: $input) {
    __typename
    ... on JourneyPayload { journey { id history { seq } } }
  }
}"""


def _consultation(journey_id: str) -> dict[str, Any]:
    return {"journeyId": journey_id, **CONSULTATION, "idempotencyKey": new_key()}


async def _in_consultation(clinic: JourneyDriver) -> tuple[str, str]:
    """(journey id, raw client id) of a journey waiting for its consultation."""
    client = await clinic.register_client()
    journey = await clinic.start(client)
    await clinic.assign(journey["id"])
    return journey["id"], raw_client(client)


@pytest.fixture
def request_trips(database: str, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every trip to SQLite's connection thread from here on made for an HTTP request: (its
    request id, the function sent there). The worker's own trips name no request."""
    if is_postgres(connections.get("default")):
        pytest.skip("trips are SQLite's; PostgreSQL sends its statements one by one anyway")
    trips: list[tuple[str, str]] = []
    original = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        request_id = REQUEST_ID.get()
        if request_id is not None:
            trips.append((request_id, getattr(fn, "__name__", repr(fn))))
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return trips


async def test_a_step_makes_three_trips_from_its_request(
    api: Api, fresh_clinic: FreshClinic, request_trips: list[tuple[str, str]]
) -> None:
    # Given a journey waiting for its consultation
    clinic = await fresh_clinic()
    journey_id, _ = await _in_consultation(clinic)
    # When the consultant records it with a key, answered as the step benchmark asks
    request_id = new_request_id()
    data = await run_traced(
        api,
        RECORD_CONSULTATION,
        clinic.token(Role.CONSULTANT),
        request_id,
        input=_consultation(journey_id),
    )
    # Then the request went to SQLite's thread three times: the session with its clinic's
    # time zone (for the price list's day); the row, the claim and the draft; the settlement,
    # the row after the step and the audit entries
    assert data["recordConsultation"]["__typename"] == "JourneyPayload"
    trips = [name for request, name in request_trips if request == request_id]
    assert len(trips) == 3, trips


async def test_a_steps_entries_are_those_of_its_write_and_its_answer_in_order(
    api: Api, fresh_clinic: FreshClinic
) -> None:
    # Given a journey waiting for its consultation
    clinic = await fresh_clinic()
    clinic_id = await clinic_of(clinic)
    journey_id, raw = await _in_consultation(clinic)
    token = clinic.token(Role.CONSULTANT)
    # When the consultant records it, answered with the journey's history, and a retry with
    # the same key is answered as the first time
    request_id, retry_id = new_request_id(), new_request_id()
    input = _consultation(journey_id)
    first = await run_traced(api, WITH_HISTORY, token, request_id, input=input)
    again = await run_traced(api, WITH_HISTORY, token, retry_id, input=input)
    # Then the step's write and the journey it answers with are recorded before the history
    # its answer then read, in the chain's order; the retry, which changed nothing, records
    # only its reads; and the clinic's chain verifies
    assert first == again
    assert await entries_of_request(request_id) == seen(
        clinic,
        Role.CONSULTANT,
        clinic_id,
        request_id,
        (raw, "recordConsultation"),
        (raw, "journey.read"),
        (raw, "journey.history.read"),
    )
    assert await entries_of_request(retry_id) == seen(
        clinic,
        Role.CONSULTANT,
        clinic_id,
        retry_id,
        (raw, "journey.read"),
        (raw, "journey.history.read"),
    )
    count, broken = await verify_chain(clinic_id)
    assert broken is None and count > 0
