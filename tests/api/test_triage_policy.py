"""A clinic chooses its reading of the rotation handbooks; decisions name the policy version."""

from __future__ import annotations

from domain.roles import Role
from tests.api.harness import Api
from tests.api.test_triage_api import AUTO_ASSIGN, BOARD, _desk_clinic, _journey_at_triage

SET_POLICY = """
mutation Policy($input: RotationPolicyInput!) {
  setRotationPolicy(input: $input) {
    __typename
    ... on TriageBoardPayload { board { policy } }
    ... on UserError { code message }
  }
}"""


async def test_supervisor_sets_the_policy_and_decisions_name_its_version(api: Api) -> None:
    clinic, staff, _ = await _desk_clinic(api)
    policy = {
        "name": "strict",
        "reason": "handbook B",
        "absentMakeup": True,
        "acceptanceMinutes": 5,
    }

    # Only the supervisor may change the rules, and nonsense is refused
    refused = await api.run(SET_POLICY, staff[Role.FRONT_DESK].token, input=policy)
    assert refused["setRotationPolicy"]["__typename"] == "NotAuthorized"
    bad = await api.run(
        SET_POLICY, staff[Role.SUPERVISOR].token, input={**policy, "acceptanceMinutes": 0}
    )
    assert bad["setRotationPolicy"]["__typename"] == "ValidationFailed"
    board = await api.run(BOARD, staff[Role.SUPERVISOR].token, clinicId=clinic)
    assert board["triageBoard"]["policy"] == "default v1"

    # When the supervisor sets it, the version counts up
    changed = await api.run(SET_POLICY, staff[Role.SUPERVISOR].token, input=policy)
    assert changed["setRotationPolicy"] == {
        "__typename": "TriageBoardPayload",
        "board": {"policy": "strict v2"},
    }

    # Then the next decision names it
    desk = staff[Role.FRONT_DESK].token
    jid = await _journey_at_triage(api, desk, 1)
    assigned = (await api.run(AUTO_ASSIGN, desk, input={"journeyId": jid}))["autoAssign"]
    assert assigned["decision"]["policy"] == "strict v2"
