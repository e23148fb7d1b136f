"""When entries are written: at each push of a subscription, before any answer leaves, and an
answer whose access cannot be recorded is not given at all."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import asdict, replace
from typing import Any

import aiohttp
from gql.graphql_request import GraphQLRequest

from domain.audit import record_hash
from domain.roles import Role
from domain.store.audit_chain import stored_record
from domain.store.audit_models import AuditChainHead, AuditEntry
from domain.store.models import Journey as JourneyRow
from schema.ids import decode_id
from tests.api import documents
from tests.api.audit_support import CLIENT, clinic_of
from tests.api.flow import JourneyDriver
from tests.api.harness import Api

FreshClinic = Callable[[], Awaitable[JourneyDriver]]


async def test_a_subscription_is_recorded_at_each_push(api: Api, fresh_clinic: FreshClinic) -> None:
    # Given a journey just handed over: its two follow-ups fall due 2 s and 4 s later
    clinic = await fresh_clinic()
    clinic_id = await clinic_of(clinic)
    journey = await clinic.drive_to("FOLLOW_UP")
    journey_row = await JourneyRow.get(id=decode_id(journey["id"], "Journey"))
    caller = clinic.staff[Role.FOLLOW_UP_STAFF]
    # When follow-up staff open it over a WebSocket, then watch it until both have been pushed
    pushes: list[dict[str, Any]] = []
    async with api.websocket(caller.token) as session:
        opened = await session.execute(
            GraphQLRequest(documents.JOURNEY, variable_values={"id": journey["id"]})
        )
        assert opened["journey"]["stage"] == "FOLLOW_UP"
        stream = session.subscribe(
            GraphQLRequest(documents.JOURNEY_CHANGED, variable_values={"id": journey["id"]})
        )

        async def two_due() -> None:
            async for result in stream:
                pushes.append(result["journeyChanged"])
                if [f["status"] for f in pushes[-1]["followUps"]] == ["DUE", "DUE"]:
                    return

        try:
            await asyncio.wait_for(two_due(), timeout=30)
        finally:
            await stream.aclose()
    # Then the query and each push left their own entries, under the caller's name and the
    # connection's request id
    rows = await AuditEntry.filter(clinic_id=clinic_id, actor_id=caller.account_id).order_by("seq")
    # (the first push is the journey as it was when the subscription started)
    assert [[f["status"] for f in p["followUps"]] for p in pushes] == [
        ["SCHEDULED", "SCHEDULED"],
        ["DUE", "SCHEDULED"],
        ["DUE", "DUE"],
    ]
    assert [r.action for r in rows] == ["journey.read", "journey.history.read"] * 4
    assert {r.client_id for r in rows} == {journey_row.client_id}
    assert len({r.request_id for r in rows}) == 1
    assert rows[0].request_id is not None


async def test_an_answer_whose_reading_cannot_be_recorded_is_withheld(
    api: Api, fresh_clinic: FreshClinic
) -> None:
    # Given a clinic whose chain has an entry written around the chain head (its next seq is
    # taken, so the next append is refused by the database: this clinic's chain is left broken)
    clinic = await fresh_clinic()
    clinic_id = await clinic_of(clinic)
    client = await clinic.register_client("Iza Niezapisana")
    head = await AuditChainHead.get(clinic_id=clinic_id)
    last = await AuditEntry.get(clinic_id=clinic_id, seq=head.seq)
    squatter = replace(stored_record(last), id=str(uuid.uuid4()), seq=head.seq + 1)
    await AuditEntry.bulk_create([AuditEntry(**asdict(squatter), hash=record_hash(squatter))])
    # When a consultant reads the client file
    headers = {"Authorization": f"Bearer {clinic.token(Role.CONSULTANT)}"}
    body = {"query": CLIENT, "variables": {"id": client}}
    async with aiohttp.ClientSession() as http, http.post(api.url, json=body, headers=headers) as r:
        status, answer = r.status, await r.json()
    # Then the data is not released unrecorded, and the server says no more than usual
    assert status == 200
    assert answer == {"data": None, "errors": [{"message": "Unexpected error."}]}
    assert await AuditEntry.filter(clinic_id=clinic_id).count() == head.seq + 1
