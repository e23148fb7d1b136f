"""The desk hears only of requests the journey can take: a reused key or a journey past triage
is refused before any turn is counted."""

from __future__ import annotations

from typing import Any

from domain.roles import Role
from tests.api.flow import new_key
from tests.api.harness import Api, clinic_today, eventually
from tests.api.test_triage_api import (
    AUTO_ASSIGN,
    BOARD,
    LOG,
    LOG_TIMEOUT,
    _desk_clinic,
    _journey_at_triage,
)

PLACE_VIP = """
mutation Vip($input: PlaceVipInput!) {
  placeVip(input: $input) { __typename ... on UserError { code message } }
}"""


async def _desk(api: Api, clinic: str, token: str) -> tuple[int, int]:
    board = (await api.run(BOARD, token, clinicId=clinic))["triageBoard"]
    today = clinic_today().isoformat()
    log: list[Any] = (await api.run(LOG, token, clinicId=clinic, date=today))["triageLog"]
    return sum(s["firstVisitTurns"] for s in board["seats"]), len(log)


async def test_a_key_reused_for_another_journey_counts_no_turn(api: Api) -> None:
    clinic, staff, consultants = await _desk_clinic(api)
    desk, supervisor = staff[Role.FRONT_DESK].token, staff[Role.SUPERVISOR].token
    key = new_key()
    first = await _journey_at_triage(api, desk, 1)
    assigned = await api.run(AUTO_ASSIGN, desk, input={"journeyId": first, "idempotencyKey": key})
    assert assigned["autoAssign"]["__typename"] == "AutoAssignPayload"
    # The desk's run writes its log and board after it answered (`workflows.desk_records`): read
    # before they land, `before` would miss the first turn, and the comparisons below would fail
    # for want of it (as on a loaded machine) or pass for the wrong reason.
    await eventually(
        lambda: api.run(LOG, supervisor, clinicId=clinic, date=clinic_today().isoformat()),
        lambda answer: any(e["kind"] == "ASSIGNED" for e in answer["triageLog"]),
        timeout=LOG_TIMEOUT,
        what="the first assignment in the desk's log",
    )
    before = await _desk(api, clinic, supervisor)
    assert before[0] == 1, before

    # When the same key comes with another journey
    second = await _journey_at_triage(api, desk, 2)
    reused = await api.run(AUTO_ASSIGN, desk, input={"journeyId": second, "idempotencyKey": key})

    # Then it is a conflict, and the desk neither counted a turn nor logged a decision
    assert reused["autoAssign"]["__typename"] == "Conflict"
    assert await _desk(api, clinic, supervisor) == before

    # And placing a VIP on a journey already past triage is refused the same way
    vip = await api.run(
        PLACE_VIP,
        supervisor,
        input={"journeyId": first, "consultantId": consultants[0], "reason": "official"},
    )
    assert vip["placeVip"]["__typename"] == "TransitionNotAllowed"
    assert await _desk(api, clinic, supervisor) == before

    # And the desk, which takes its changes in order, logs the next real one right after the
    # first: nothing refused above reached it late
    placed = await api.run(
        AUTO_ASSIGN, desk, input={"journeyId": second, "idempotencyKey": new_key()}
    )
    assert placed["autoAssign"]["__typename"] == "AutoAssignPayload"
    await eventually(
        lambda: api.run(LOG, supervisor, clinicId=clinic, date=clinic_today().isoformat()),
        lambda answer: any(e["journeyId"] == second for e in answer["triageLog"]),
        timeout=LOG_TIMEOUT,
        what="the second journey's assignment in the desk's log",
    )
    assert await _desk(api, clinic, supervisor) == (before[0] + 1, before[1] + 1)
