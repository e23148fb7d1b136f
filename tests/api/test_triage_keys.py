"""The desk hears only of requests the journey can take: a reused key or a journey past triage
is refused before any turn is counted."""

from __future__ import annotations

from typing import Any

from domain.roles import Role
from tests.api.flow import new_key
from tests.api.harness import Api, clinic_today
from tests.api.test_triage_api import AUTO_ASSIGN, BOARD, LOG, _desk_clinic, _journey_at_triage

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
    before = await _desk(api, clinic, supervisor)

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
