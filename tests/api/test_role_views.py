"""What a reader's role may not read on one field it may not read on another either: an event's
summary and record, and what a client search matches (found by a review: a payment's amount
and a follow-up call's satisfaction in every role's history, a payment's record and the client's
occupation in a nurse's, and a nurse recovering a client's phone number digit by digit from
what `clients(search:)` found)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from domain.roles import Role
from schema.journeys.told import record_for, summary_for
from tests.api.flow import JourneyDriver

Clinic = Callable[[], Awaitable[JourneyDriver]]
HISTORY = """
query History($id: ID!, $clinical: Boolean!) {
  journey(id: $id) {
    ... on Journey {
      history {
        seq action summary
        details @include(if: $clinical)
        amendments @include(if: $clinical) { correction }
      }
    }
  }
}"""
AMEND = """
mutation Amend($input: AmendRecordInput!) { amendRecord(input: $input) { __typename } }
"""
SEARCH = """
query Search($term: String!) {
  clients(search: $term) { ... on ClientConnection { edges { node { fullName } } } }
}"""


async def _events(driver: JourneyDriver, role: Role, jid: str) -> dict[str, dict[str, Any]]:
    """The history by action; with each record for the clinical roles, who may read records."""
    clinical = role is not Role.CASHIER
    data = await driver.api.run(HISTORY, driver.token(role), id=jid, clinical=clinical)
    return {event["action"]: event for event in data["journey"]["history"]}


async def test_a_payment_and_an_occupation_in_the_history_as_each_role_may_read_them(
    fresh_clinic: Clinic,
) -> None:
    # Given a journey paid in full, after a consultation that recorded the client's occupation
    driver = await fresh_clinic()
    jid = (await driver.drive_to("TREATMENT"))["id"]
    # Then the cashier reads the payment's amount in its summary, the nurse that it was paid
    paid_for_cashier = (await _events(driver, Role.CASHIER, jid))["record_payment"]
    assert "EUR" in paid_for_cashier["summary"], paid_for_cashier
    nurse = await _events(driver, Role.NURSE, jid)
    assert nurse["record_payment"]["summary"] == "payment recorded"
    # And the payment's record is the supervisor's to read, not the nurse's
    assert nurse["record_payment"]["details"] is None
    supervisor = await _events(driver, Role.SUPERVISOR, jid)
    assert supervisor["record_payment"]["details"]["amount"]
    # And the consultation's record shows the occupation to the expert, not to the nurse
    expert = await _events(driver, Role.EXPERT, jid)
    assert expert["record_consultation"]["details"]["occupation"] == "architect"
    assert "occupation" not in nurse["record_consultation"]["details"]
    assert nurse["record_consultation"]["details"]["needs"]
    # And so do its corrections
    correction = {"occupation": "teacher", "note": "was a typo"}
    amend = {"journeyId": jid, "seq": expert["record_consultation"]["seq"], "reason": "typo"}
    amended = await driver.api.run(
        AMEND, driver.token(Role.SUPERVISOR), input={**amend, "correction": correction}
    )
    assert amended["amendRecord"]["__typename"] == "AmendmentPayload", amended
    read_by_nurse = (await _events(driver, Role.NURSE, jid))["record_consultation"]
    assert read_by_nurse["amendments"] == [{"correction": {"note": "was a typo"}}]
    read_by_expert = (await _events(driver, Role.EXPERT, jid))["record_consultation"]
    assert read_by_expert["amendments"] == [{"correction": correction}]
    # And a payment's corrections are no more the nurse's than the payment's record
    paid = {**amend, "seq": supervisor["record_payment"]["seq"], "correction": {"method": "CASH"}}
    amended = await driver.api.run(AMEND, driver.token(Role.SUPERVISOR), input=paid)
    assert amended["amendRecord"]["__typename"] == "AmendmentPayload", amended
    assert (await _events(driver, Role.NURSE, jid))["record_payment"]["amendments"] == []
    after = await _events(driver, Role.SUPERVISOR, jid)
    assert after["record_payment"]["amendments"] == [{"correction": {"method": "CASH"}}]


@pytest.mark.parametrize(
    ("role", "told"),
    [
        (Role.FOLLOW_UP_STAFF, "follow-up 2w done, satisfaction 2"),
        (Role.NURSE, "follow-up 2w done, satisfaction 2"),
        (Role.FRONT_DESK, "follow-up call recorded"),
        (Role.CASHIER, "follow-up call recorded"),
    ],
)
def test_how_a_follow_up_call_went_is_the_care_teams_to_read(role: Role, told: str) -> None:
    summary = "follow-up 2w done, satisfaction 2"
    assert summary_for(role, "complete_follow_up", summary) == told
    assert record_for(role, "complete_follow_up", {"note": "fine"}) == {"note": "fine"}


async def test_a_phone_number_finds_clients_only_for_those_who_may_read_it(
    fresh_clinic: Clinic,
) -> None:
    # Given a client registered with her phone number
    driver = await fresh_clinic()
    await driver.register_client("Anna Nowak")
    found = {"edges": [{"node": {"fullName": "Anna Nowak"}}]}
    for role, by_phone in ((Role.FRONT_DESK, found), (Role.NURSE, {"edges": []})):
        # Then the desk finds her by part of it, and a nurse does not (nor learns it so)
        data = await driver.api.run(SEARCH, driver.token(role), term="600 100")
        assert data["clients"] == by_phone, role
        # And both find her by her name
        data = await driver.api.run(SEARCH, driver.token(role), term="Nowak")
        assert data["clients"] == found, role
