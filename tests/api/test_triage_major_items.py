"""The items that decide for a client who names several are the clinic's own codes (seed 004
八.3: "如咨询多个项目,以主要项目为准"), set with the rotation policy as its key items are. Before,
the codes were fixed (breast, liposuction and a surgical list): a clinic whose price list says
`breast_aug` never had the major item decide."""

from __future__ import annotations

from domain.roles import Role
from schema.triage.item_catalog import UNKNOWN_CODE
from tests.api.harness import Api
from tests.api.price_codes import list_codes
from tests.api.test_desk_bounds import POLICY_PROBLEMS, problems
from tests.api.test_triage_api import _desk_clinic, _journey_at_triage
from tests.api.test_triage_policy import SET_POLICY, SET_PRIORITY

ASSIGN = """
mutation Auto($input: AutoAssignInput!) {
  autoAssign(input: $input) {
    __typename
    ... on AutoAssignPayload { decision { consultantId route counted majorItem } }
    ... on UserError { code message }
  }
}"""


async def test_a_clinics_own_major_item_decides_for_a_client_who_names_several(api: Api) -> None:
    # Given a clinic whose price list names its breast augmentation breast_aug, a key item whose
    # priority consultant is the last one, and a policy that makes it the major item
    clinic, staff, consultants = await _desk_clinic(api)
    supervisor, desk = staff[Role.SUPERVISOR].token, staff[Role.FRONT_DESK].token
    await list_codes(clinic, "breast_aug", "eyelid_lift")
    policy = {
        "name": "ours",
        "reason": "our price list",
        "keyItems": ["breast_aug"],
        "majorItems": ["Breast_Aug"],
        "surgicalItems": ["breast_aug", "eyelid_lift"],
    }
    changed = await api.run(SET_POLICY, supervisor, input=policy)
    assert changed["setRotationPolicy"]["__typename"] == "TriageBoardPayload", changed
    chosen = consultants[-1]
    ranked = await api.run(
        SET_PRIORITY, supervisor, input={"consultantIds": [chosen], "reason": "best last month"}
    )
    assert ranked["setKeyItemPriority"]["__typename"] == "TriageBoardPayload"

    # When a client asks about skin first, then breast_aug
    journey = await _journey_at_triage(api, desk, 1)
    assigned = await api.run(
        ASSIGN, desk, input={"journeyId": journey, "items": ["skin", "breast_aug"]}
    )

    # Then breast_aug decides: the key item's priority consultant receives them, a counted turn
    decision = assigned["autoAssign"]["decision"]
    assert decision == {
        "consultantId": chosen,
        "route": "KEY_ITEM",
        "counted": True,
        "majorItem": "breast_aug",
    }

    # And a surgical item of the clinic's decides over a non-surgical one
    journey = await _journey_at_triage(api, desk, 2)
    assigned = await api.run(
        ASSIGN, desk, input={"journeyId": journey, "items": ["skin", "eyelid_lift"]}
    )
    assert assigned["autoAssign"]["decision"]["majorItem"] == "eyelid_lift"


async def test_major_and_surgical_items_must_be_codes_of_the_clinics_price_list(api: Api) -> None:
    # Given a clinic whose price list does not name thread-lift (nor liposuction)
    _clinic, staff, _ = await _desk_clinic(api)
    supervisor = staff[Role.SUPERVISOR].token
    policy = {"name": "ours", "reason": "our price list", "acceptanceMinutes": 10}

    # When a policy names it as a major or a surgical item
    refused = [
        await api.run(POLICY_PROBLEMS, supervisor, input={**policy, "majorItems": ["thread-lift"]}),
        await api.run(
            POLICY_PROBLEMS, supervisor, input={**policy, "surgicalItems": ["thread-lift"]}
        ),
    ]

    # Then each is refused on its field; omitted, the default codes need no listing
    assert [problems(answer) for answer in refused] == [
        [("majorItems", UNKNOWN_CODE)],
        [("surgicalItems", UNKNOWN_CODE)],
    ]
    taken = await api.run(POLICY_PROBLEMS, supervisor, input=policy)
    assert next(iter(taken.values()))["__typename"] == "TriageBoardPayload"
