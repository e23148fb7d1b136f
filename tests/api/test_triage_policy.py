"""A clinic chooses its reading of the rotation handbooks; decisions name the policy version."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.roles import Role
from tests.api import documents
from tests.api.harness import Api, clinic_month
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


SET_PRIORITY = """
mutation Priority($input: KeyItemPriorityInput!) {
  setKeyItemPriority(input: $input) { __typename ... on UserError { code message } }
}"""
RANKING = """
query Ranking($clinicId: ID!, $month: String!) {
  keyItemRanking(clinicId: $clinicId, month: $month) {
    consultantId consultations deals conversionRate averageTicket
  }
}"""


async def test_key_items_follow_the_months_priority_staff_and_feed_the_next_ranking(
    api: Api,
) -> None:
    clinic, staff, consultants = await _desk_clinic(api)
    supervisor, desk = staff[Role.SUPERVISOR].token, staff[Role.FRONT_DESK].token
    policy = {"name": "key items", "reason": "monthly review", "keyItems": ["Breast"]}
    assert (await api.run(SET_POLICY, supervisor, input=policy))["setRotationPolicy"][
        "__typename"
    ] == "TriageBoardPayload"
    # Given the supervisor ranks the last consultant first for key items
    chosen = consultants[-1]
    ranked = await api.run(
        SET_PRIORITY, supervisor, input={"consultantIds": [chosen], "reason": "best last month"}
    )
    assert ranked["setKeyItemPriority"]["__typename"] == "TriageBoardPayload"
    refused = await api.run(
        SET_PRIORITY, desk, input={"consultantIds": [chosen], "reason": "not mine to set"}
    )
    assert refused["setKeyItemPriority"]["__typename"] == "NotAuthorized"

    # When a breast client arrives, the priority consultant receives them, as a counted turn
    jid = await _journey_at_triage(api, desk, 1)
    assigned = await api.run(AUTO_ASSIGN, desk, input={"journeyId": jid, "items": ["breast"]})
    decision = assigned["autoAssign"]["decision"]
    assert (decision["consultantId"], decision["route"], decision["counted"]) == (
        chosen,
        "KEY_ITEM",
        True,
    )

    # Then this month's ranking counts that consultation (no deal yet)
    month = clinic_month()
    standings = (await api.run(RANKING, supervisor, clinicId=clinic, month=month))["keyItemRanking"]
    assert standings == [
        {
            "consultantId": chosen,
            "consultations": 1,
            "deals": 0,
            "conversionRate": 0.0,
            "averageTicket": "0.00",
        }
    ]
    assert (await api.run(RANKING, supervisor, clinicId=clinic, month="2026-13"))[
        "keyItemRanking"
    ] == []


RECORD_LEAD = """
mutation Lead($input: LeadContactInput!) {
  recordLeadContact(input: $input) {
    __typename ... on LeadContactPayload { ownerId } ... on UserError { code message }
  }
}"""


async def _lead(api: Api, desk: str) -> str:
    client = await api.run(
        documents.REGISTER_CLIENT,
        desk,
        input={
            "fullName": "Lead",
            "birthDate": "1990-01-01",
            "phone": "600700800",
            "dataConsent": True,
            "registerAnyway": True,  # shared test data, another person
        },
    )
    return str(client["registerClient"]["client"]["id"])


async def test_the_earliest_recorded_contact_owns_a_phone_lead(api: Api) -> None:
    _clinic, staff, consultants = await _desk_clinic(api)
    desk = staff[Role.FRONT_DESK].token
    client_id = await _lead(api, desk)
    now = datetime.now(ZoneInfo("UTC"))

    async def contact(consultant: str, hours_ago: int) -> str:
        result = await api.run(
            RECORD_LEAD,
            desk,
            input={
                "clientId": client_id,
                "consultantId": consultant,
                "channel": "PHONE",
                "at": (now - timedelta(hours=hours_ago)).isoformat(),
            },
        )
        payload = result["recordLeadContact"]
        assert payload["__typename"] == "LeadContactPayload", payload
        return str(payload["ownerId"])

    # Given calls with the lead by two consultants, the later one recorded first
    assert await contact(consultants[1], hours_ago=2) == consultants[1]
    # When an earlier contact by another consultant is recorded, it wins ownership
    assert await contact(consultants[3], hours_ago=5) == consultants[3]
    # Then on the first visit the desk gives the client to that consultant, not as a turn
    started = await api.run(documents.START_JOURNEY, desk, input={"clientId": client_id})
    jid = started["startJourney"]["journey"]["id"]
    decision = (await api.run(AUTO_ASSIGN, desk, input={"journeyId": jid}))["autoAssign"][
        "decision"
    ]
    assert (decision["consultantId"], decision["route"], decision["counted"]) == (
        consultants[3],
        "OWNER",
        False,
    )


async def test_a_contact_dated_long_ago_is_refused_and_owns_nobody(api: Api) -> None:
    # Given a lead whose first contact was with one consultant
    _clinic, staff, consultants = await _desk_clinic(api)
    desk = staff[Role.FRONT_DESK].token
    client_id = await _lead(api, desk)
    lead = {"clientId": client_id, "channel": "PHONE"}
    first = await api.run(RECORD_LEAD, desk, input={**lead, "consultantId": consultants[0]})
    assert first["recordLeadContact"]["ownerId"] == consultants[0]
    # When contacts with another consultant are dated before the last 30 days, or at a time the
    # database cannot hold
    month_ago = datetime.now(ZoneInfo("UTC")) - timedelta(days=31)
    for at in (month_ago.isoformat(), "1900-01-01T00:00:00+00:00"):
        answer = await api.run(
            RECORD_LEAD, desk, input={**lead, "consultantId": consultants[1], "at": at}
        )
        # Then each is refused, naming the field
        assert answer["recordLeadContact"] == {
            "__typename": "ValidationFailed",
            "code": "VALIDATION_FAILED",
            "message": "at: a time in the last 30 days, with its UTC offset",
        }
    # And a time past UTC's calendar is refused by the DateTime scalar, naming the field
    past = {**lead, "consultantId": consultants[1], "at": "0001-01-01T00:00:00+14:00"}
    with pytest.raises(TransportQueryError, match="DateTime cannot represent"):
        await api.run(RECORD_LEAD, desk, input=past)
    # And the first consultant still owns the client
    again = await api.run(RECORD_LEAD, desk, input={**lead, "consultantId": consultants[0]})
    assert again["recordLeadContact"]["ownerId"] == consultants[0]
