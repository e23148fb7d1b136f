"""Through the real server: a stand-in the supervisor names (reassignClient, OWNER_STAND_IN) for a
consultant who shares the client's revenue leaves the split as it stood, the stand-in getting
none of it, in the desk's log and in the credits the money is shared by."""

from __future__ import annotations

import uuid
from typing import Any

from domain.roles import Role
from domain.store.triage_models import RevenueCredit
from tests.api.harness import Api, clinic_today, eventually
from tests.api.test_triage_api import AUTO_ASSIGN, _client_at_triage
from tests.api.test_triage_picks import _set_away

REASSIGN = """
mutation Reassign($input: DeskOverrideInput!) {
  reassignClient(input: $input) {
    __typename
    ... on UserError { code message }
  }
}"""
LOG = """
query Log($clinicId: ID!, $date: Date!) {
  triageLog(clinicId: $clinicId, date: $date) { seq kind consultantId details }
}"""


async def _reassign(api: Api, token: str, journey: str, consultant: str, rule: str) -> None:
    given = {
        "journeyId": journey,
        "consultantId": consultant,
        "rule": rule,
        "reason": f"supervisor: {rule.lower()}",
        "idempotencyKey": uuid.uuid4().hex,
    }
    result = await api.run(REASSIGN, token, input=given)
    assert result["reassignClient"]["__typename"] == "TriageBoardPayload", result


async def test_a_stand_in_for_a_consultant_who_shares_the_revenue_leaves_the_split(
    api: Api,
) -> None:
    clinic, staff, consultants, journey = await _client_at_triage(api)
    desk, supervisor = staff[Role.FRONT_DESK].token, staff[Role.SUPERVISOR].token
    placed = (await api.run(AUTO_ASSIGN, desk, input={"journeyId": journey}))["autoAssign"]
    assert placed["decision"]["consultantId"] == consultants[0], placed
    # Given the supervisor moved the client to the second consultant as a wrong assignment
    # that was not the first's fault: 50/50
    await _reassign(api, supervisor, journey, consultants[1], "WRONG_ASSIGNMENT_SHARED")

    # When the second is away and the supervisor names the third to stand in for them
    await _set_away(api, desk, consultants[1])
    await _reassign(api, supervisor, journey, consultants[2], "OWNER_STAND_IN")

    # Then the desk's log shows the stand-in serving and the split as it stood
    async def reassigned() -> list[dict[str, Any]]:
        day = clinic_today().isoformat()
        log = (await api.run(LOG, supervisor, clinicId=clinic, date=day))["triageLog"]
        return [entry for entry in log if entry["kind"] == "REASSIGNED"]

    moves = await eventually(reassigned, lambda e: len(e) == 2, timeout=10, what="reassignments")
    stand_in = moves[-1]
    first, second = f"{clinic}-c0", f"{clinic}-c1"
    assert stand_in["details"]["credits"] == [
        {"consultant_id": first, "percent": 50, "rule": "OWNER_STAND_IN"},
        {"consultant_id": second, "percent": 50, "rule": "OWNER_STAND_IN"},
    ]
    assert (stand_in["details"]["transfers_ownership"], stand_in["details"]["owner_id"]) == (
        False,
        None,
    )
    # And the credits the money is shared by name the two, half each, the stand-in not at all
    credits = (
        await RevenueCredit.filter(entry_seq=stand_in["seq"], clinic_id=clinic)
        .order_by("id")
        .values_list("consultant_id", "percent", "rule")
    )
    assert credits == [(first, 50, "OWNER_STAND_IN"), (second, 50, "OWNER_STAND_IN")]
