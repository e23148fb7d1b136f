"""The triage desk through the real GraphQL server: a crowd of 50 (and a burst of 100) arrivals at
once, more than Temporal's 10 in-flight updates per workflow, each taking one turn, none lost or
doubled; the board, the log and the live subscription see the same desk."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from typing import Any

import pytest

from domain.auth import hash_password
from domain.roles import Role
from server.seed import DEMO_PASSWORD
from tests.api import documents
from tests.api.harness import (
    Api,
    Staff,
    clinic_today,
    create_clinic,
    eventually,
    sign_in_all,
)
from tests.api.price_codes import list_codes
from tests.staff_rows import more_consultants

CONSULTANTS = 5
# Generous: on a loaded machine a crowd of 100 queues at the desk for a while.
LOG_TIMEOUT = 120.0
PREPARE_AT_ONCE = 10

_RESULT = """
    __typename
    ... on UserError { code message }
"""
UPDATE_SEAT = f"""
mutation Seat($input: SeatInput!) {{
  updateTriageSeat(input: $input) {{
    {_RESULT} ... on TriageBoardPayload {{ board {{ version }} }}
  }}
}}"""
AUTO_ASSIGN = f"""
mutation Auto($input: AutoAssignInput!) {{
  autoAssign(input: $input) {{ {_RESULT}
    ... on AutoAssignPayload {{
      journey {{ id stage consultant {{ id }} }}
      decision {{ consultantId counted route reason policy visitCategory categoryReason }}
    }}
  }}
}}"""
ASSIGN_BY_DESK = f"""
mutation Assign($input: AssignConsultantInput!) {{
  assignConsultant(input: $input) {{ {_RESULT} ... on JourneyPayload {{ journey {{ stage }} }} }}
}}"""
BOARD = """
query Board($clinicId: ID!) {
  triageBoard(clinicId: $clinicId) {
    version nextConsultantId policy
    seats { consultantId firstVisitTurns owedTurns status counts { category count } }
    alerts { message }
  }
}"""
LOG = """
query Log($clinicId: ID!, $date: Date!) {
  triageLog(clinicId: $clinicId, date: $date) { seq kind consultantId journeyId counted reason }
}"""
BOARD_CHANGED = """
subscription Changed($clinicId: ID!) {
  triageBoardChanged(clinicId: $clinicId) { version alerts { message } }
}"""


async def _desk_clinic(api: Api) -> tuple[str, dict[Role, Staff], list[str]]:
    clinic = f"triage-{uuid.uuid4().hex[:6]}"
    prefix = f"{clinic}-"
    await create_clinic(clinic, prefix=prefix)
    staff = await sign_in_all(api, prefix=prefix)
    password_hash = hash_password(DEMO_PASSWORD)
    consultants = await more_consultants(clinic, prefix, range(CONSULTANTS), password_hash)
    desk = staff[Role.FRONT_DESK].token
    for consultant in consultants:
        result = await api.run(
            UPDATE_SEAT,
            desk,
            input={"consultantId": consultant, "reason": "roster", "onDuty": True},
        )
        assert result["updateTriageSeat"]["__typename"] == "TriageBoardPayload", result
    # The item codes these tests ask for (Breast, a key item, is matched as "breast")
    await list_codes(clinic, "skin", "BREAST")
    return clinic, staff, consultants


async def _journey_at_triage(api: Api, token: str, n: int) -> str:
    client = await api.run(
        documents.REGISTER_CLIENT,
        token,
        input={
            "fullName": f"Arrival {n}",
            "birthDate": "1990-01-01",
            "phone": "+48 600 000 001",
            "dataConsent": True,
            "registerAnyway": True,  # shared test data, another person
        },
    )
    client_id = client["registerClient"]["client"]["id"]
    started = await api.run(documents.START_JOURNEY, token, input={"clientId": client_id})
    journey: dict[str, Any] = started["startJourney"]["journey"]
    assert journey["stage"] == "TRIAGE", journey
    return str(journey["id"])


async def _client_at_triage(api: Api) -> tuple[str, dict[Role, Staff], list[str], str]:
    """A fresh desk clinic (`_desk_clinic`) and a client its front desk started a journey for,
    waiting at triage: (clinic, staff, consultants, journey id)."""
    clinic, staff, consultants = await _desk_clinic(api)
    journey = await _journey_at_triage(api, staff[Role.FRONT_DESK].token, 1)
    return clinic, staff, consultants, journey


async def _journeys_at_triage(api: Api, token: str, count: int) -> list[str]:
    """The crowd's journeys, opened a few at a time: the crowd under test is at the desk, and
    100 journey starts at once can pass the API's 30 s request limit on a busy machine."""
    gate = asyncio.Semaphore(PREPARE_AT_ONCE)

    async def opened(n: int) -> str:
        async with gate:
            return await _journey_at_triage(api, token, n)

    return list(await asyncio.gather(*(opened(n) for n in range(count))))


@pytest.mark.slow
@pytest.mark.parametrize("arrivals", [50, 100])
async def test_a_crowd_of_arrivals_at_once_takes_one_turn_each(api: Api, arrivals: int) -> None:
    clinic, staff, consultants = await _desk_clinic(api)
    desk = staff[Role.FRONT_DESK].token
    journeys = await _journeys_at_triage(api, desk, arrivals)

    results = await asyncio.gather(
        *(api.run(AUTO_ASSIGN, desk, input={"journeyId": j, "items": ["skin"]}) for j in journeys)
    )

    payloads = [r["autoAssign"] for r in results]
    assert [p["__typename"] for p in payloads] == ["AutoAssignPayload"] * arrivals, [
        p for p in payloads if p["__typename"] != "AutoAssignPayload"
    ][:3]
    chosen = Counter(p["decision"]["consultantId"] for p in payloads)
    assert chosen == {c: arrivals // CONSULTANTS for c in consultants}
    assert all(
        p["decision"]["counted"] and p["decision"]["visitCategory"] == "FIRST_VISIT"
        for p in payloads
    )
    assert all(p["journey"]["consultant"]["id"] == p["decision"]["consultantId"] for p in payloads)
    assert payloads[0]["decision"]["categoryReason"] == "no earlier record"
    log = await eventually(
        lambda: _log(api, desk, clinic),
        lambda entries: sum(e["kind"] == "ASSIGNED" for e in entries) >= arrivals,
        timeout=LOG_TIMEOUT,
        what=f"{arrivals} assignments in the desk log",
    )
    board = (await api.run(BOARD, desk, clinicId=clinic))["triageBoard"]
    assert [s["firstVisitTurns"] for s in board["seats"]] == [arrivals // CONSULTANTS] * CONSULTANTS
    assert board["nextConsultantId"] == consultants[0]
    # Each arrival exactly once in the log: no turn lost, none taken twice.
    assigned = Counter(e["journeyId"] for e in log if e["kind"] == "ASSIGNED")
    assert assigned == dict.fromkeys(journeys, 1)
    assert [e["seq"] for e in log] == list(range(1, len(log) + 1))


async def _board(api: Api, token: str, clinic: str) -> dict[str, Any]:
    board: dict[str, Any] = (await api.run(BOARD, token, clinicId=clinic))["triageBoard"]
    return board


async def _log(api: Api, token: str, clinic: str) -> list[dict[str, Any]]:
    today = clinic_today().isoformat()
    entries: list[dict[str, Any]] = (await api.run(LOG, token, clinicId=clinic, date=today))[
        "triageLog"
    ]
    return entries


async def test_assign_consultant_without_one_asks_the_desk_and_repeats_change_nothing(
    api: Api,
) -> None:
    clinic, staff, consultants = await _desk_clinic(api)
    desk = staff[Role.FRONT_DESK].token
    journey = await _journey_at_triage(api, desk, 0)
    key = uuid.uuid4().hex

    first = await api.run(ASSIGN_BY_DESK, desk, input={"journeyId": journey, "idempotencyKey": key})
    again = await api.run(ASSIGN_BY_DESK, desk, input={"journeyId": journey, "idempotencyKey": key})

    assert first["assignConsultant"]["__typename"] == "JourneyPayload", first
    assert again["assignConsultant"]["__typename"] == "JourneyPayload", again
    board = await eventually(
        lambda: _board(api, desk, clinic), lambda b: b["version"] >= 6, timeout=10, what="board"
    )
    assert [s["firstVisitTurns"] for s in board["seats"]] == [1, 0, 0, 0, 0]
    # A client who comes for a refund is category other (seed 004): in order, not a turn.
    refund = await _journey_at_triage(api, desk, 1)
    placed = await api.run(AUTO_ASSIGN, desk, input={"journeyId": refund, "purpose": "REFUND"})
    decision = placed["autoAssign"]["decision"]
    assert (decision["counted"], decision["route"]) == (False, "IN_ORDER_UNCOUNTED"), placed
    category = (decision["visitCategory"], decision["categoryReason"])
    assert category == ("OTHER", "comes for a refund")
    assert decision["consultantId"] == consultants[0]
    after = await eventually(
        lambda: _board(api, desk, clinic),
        lambda b: b["version"] > board["version"],
        timeout=10,
        what="board after the refund",
    )
    assert [s["firstVisitTurns"] for s in after["seats"]] == [1, 0, 0, 0, 0]


async def test_an_answered_autoassign_retry_is_answered_as_the_first_and_tells_the_desk_nothing(
    api: Api,
) -> None:
    # Given a client placed by the desk with a key, and the desk's log holding the assignment
    clinic, staff, _consultants = await _desk_clinic(api)
    desk = staff[Role.FRONT_DESK].token
    journey = await _journey_at_triage(api, desk, 0)
    asked = {"journeyId": journey, "idempotencyKey": uuid.uuid4().hex}
    first = (await api.run(AUTO_ASSIGN, desk, input=asked))["autoAssign"]
    assert first["__typename"] == "AutoAssignPayload", first
    await eventually(
        lambda: _log(api, desk, clinic),
        lambda log: any(e["kind"] == "ASSIGNED" for e in log),
        timeout=LOG_TIMEOUT,
        what="the assignment in the log",
    )
    board = await _board(api, desk, clinic)
    # When the request is sent again with its key
    again = (await api.run(AUTO_ASSIGN, desk, input=asked))["autoAssign"]
    # Then it is answered with the first decision (the desk, asked again, said "already
    # decided"; after its midnight it charged a turn), and the desk did not hear of it
    assert again == first
    assert await _board(api, desk, clinic) == board
    assert [e["kind"] for e in await _log(api, desk, clinic)].count("ASSIGNED") == 1


async def test_all_busy_alerts_the_supervisor_live(api: Api) -> None:
    clinic, staff, consultants = await _desk_clinic(api)
    desk, supervisor = staff[Role.FRONT_DESK].token, staff[Role.SUPERVISOR].token
    for consultant in consultants:
        await api.run(
            UPDATE_SEAT,
            desk,
            input={"consultantId": consultant, "reason": "with client", "status": "BUSY"},
        )
    journey = await _journey_at_triage(api, desk, 0)
    async with api.subscription(BOARD_CHANGED, supervisor, clinicId=clinic) as stream:
        first = await anext(aiter(stream))
        assert first["triageBoardChanged"]["alerts"] == []

        refused = await api.run(AUTO_ASSIGN, desk, input={"journeyId": journey})

        assert refused["autoAssign"]["__typename"] == "TransitionNotAllowed"
        assert "supervisor called" in refused["autoAssign"]["message"]
        changed = await asyncio.wait_for(anext(aiter(stream)), timeout=10)
        assert "supervisor called" in changed["triageBoardChanged"]["alerts"][0]["message"]
    board = await _board(api, desk, clinic)
    assert [s["owedTurns"] for s in board["seats"]] == [0] * CONSULTANTS


async def test_a_consultant_cannot_change_the_duty_roster(api: Api) -> None:
    _, staff, consultants = await _desk_clinic(api)
    token = staff[Role.CONSULTANT].token
    result = await api.run(
        UPDATE_SEAT, token, input={"consultantId": consultants[0], "reason": "x", "onDuty": False}
    )
    assert result["updateTriageSeat"]["__typename"] == "NotAuthorized"
