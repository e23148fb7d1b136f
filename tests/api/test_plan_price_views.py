"""A plan's price in the journey's history is read only by those the permission table lets read
it: who reads money (a bill's total) and who prices plans (the consultant, the expert). Found by
a probe: "plan approved at 1200.00 EUR" was in every clinic role's history, the desk's, the
nurse's and the follow-up staff's, and the nurse read the plans' prices in their records."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from domain.roles import Role
from schema.journeys.told import summary_for
from tests.api import documents
from tests.api.flow import NEEDS, PLAN, JourneyDriver
from tests.api.procedure_support import pdf_text, squeeze
from tests.api.test_role_views import AMEND, HISTORY

Clinic = Callable[[], Awaitable[JourneyDriver]]
CLINICAL = {Role.CONSULTANT, Role.EXPERT, Role.NURSE, Role.SUPERVISOR}
PRICED = "plan approved at 1200.00 EUR"


async def _approved_with_a_price_promised(driver: JourneyDriver) -> str:
    """A journey whose consultant promised the client a price, its plan approved at 1200.00."""
    jid = (await driver.drive_to("CONSULTATION"))["id"]
    await driver.consult(jid)
    briefing = {
        "goal": "look rested",
        "expectation": "natural",
        "history": "none",
        "proposedItems": PLAN["items"],
        "priceProtection": "quoted 1100.00 EUR on the phone",
        "helpWanted": "confirm the plan",
    }
    await driver.ok(
        documents.REQUEST_EXPERT_REVIEW,
        Role.CONSULTANT,
        journeyId=jid,
        expertId=driver.staff[Role.EXPERT].global_id,
        briefing=briefing,
    )
    await driver.approve(jid)
    return jid


async def _history(driver: JourneyDriver, role: Role, jid: str) -> dict[str, dict[str, Any]]:
    data = await driver.api.run(HISTORY, driver.token(role), id=jid, clinical=role in CLINICAL)
    return {event["action"]: event for event in data["journey"]["history"]}


def _prices_in(event: dict[str, Any]) -> bool:
    told = json.dumps([event.get("details"), event.get("amendments")])
    return any(word in told for word in ('"price"', '"price_protection"', "1100.00", "1200.00"))


async def test_a_plans_price_is_read_only_by_who_reads_money_or_prices_plans(
    fresh_clinic: Clinic,
) -> None:
    # Given a journey whose plan was approved at a price, its consultation's prices corrected
    driver = await fresh_clinic()
    jid = await _approved_with_a_price_promised(driver)
    consulted = (await _history(driver, Role.SUPERVISOR, jid))["record_consultation"]
    correction = {"plans": [{"title": "Cheeks only", "price": "1100.00"}]}
    amend = {"journeyId": jid, "seq": consulted["seq"], "reason": "price agreed"}
    amended = await driver.api.run(
        AMEND, driver.token(Role.SUPERVISOR), input={**amend, "correction": correction}
    )
    assert amended["amendRecord"]["__typename"] == "AmendmentPayload", amended
    for role in (Role.FRONT_DESK, Role.NURSE, Role.FOLLOW_UP_STAFF):
        # Then the desk, the nurse and the follow-up staff read that the plan was approved
        history = await _history(driver, role, jid)
        assert history["approve_plan"]["summary"] == "plan approved", role
        # And no price in any event's summary, nor in the records the nurse reads
        assert not any("EUR" in event["summary"] for event in history.values()), history
        assert not any(_prices_in(event) for event in history.values()), history
    nurse = await _history(driver, Role.NURSE, jid)
    assert nurse["approve_plan"]["details"]["final_plan"]["title"] == PLAN["title"]
    assert nurse["record_consultation"]["amendments"] == [
        {"correction": {"plans": [{"title": "Cheeks only"}]}}
    ]
    for role in (Role.SUPERVISOR, Role.CASHIER, Role.EXPERT, Role.CONSULTANT):
        # And the supervisor, the cashier and those who price plans read the price
        history = await _history(driver, role, jid)
        assert history["approve_plan"]["summary"] == PRICED, role
    supervisor = await _history(driver, Role.SUPERVISOR, jid)
    assert supervisor["approve_plan"]["details"]["final_plan"]["price"] == "1200.00"
    promised = supervisor["request_expert_review"]["details"]["briefing"]["price_protection"]
    assert promised == "quoted 1100.00 EUR on the phone"
    assert supervisor["record_consultation"]["amendments"] == [{"correction": correction}]


PRINTED = """
query Record($id: ID!) {
  clientConsultationRecord(journeyId: $id, language: "en") {
    __typename
    ... on ClientConsultationRecord { html pdfBase64 }
    ... on UserError { code }
  }
}"""


async def _printed(driver: JourneyDriver, role: Role, jid: str) -> dict[str, Any]:
    data = await driver.api.run(PRINTED, driver.token(role), id=jid)
    return data["clientConsultationRecord"]  # type: ignore[no-any-return]


async def test_the_printed_consultation_tells_each_role_what_its_record_tells_them(
    fresh_clinic: Clinic,
) -> None:
    # Given a journey whose consultation proposed a plan at 1200.00 EUR
    driver = await fresh_clinic()
    jid = await _approved_with_a_price_promised(driver)
    # When the nurse prints the client's copy of the consultation
    nurse = await _printed(driver, Role.NURSE, jid)
    # Then it gives the plan and her needs, as her record does, but not its price
    assert nurse["__typename"] == "ClientConsultationRecord", nurse
    assert PLAN["risks"] in nurse["html"] and NEEDS["goal"] in nurse["html"]
    for told in (nurse["html"], squeeze(pdf_text(nurse["pdfBase64"]))):
        assert "1200.00" not in told and "Price" not in told, told
    # And the follow-up staff, who read no consultation's record, are refused it
    caller = await _printed(driver, Role.FOLLOW_UP_STAFF, jid)
    assert (caller["__typename"], caller["code"]) == ("NotAuthorized", "NOT_AUTHORIZED")
    # While the consultant, who priced it, prints it with its price
    consultant = await _printed(driver, Role.CONSULTANT, jid)
    assert "Price: 1200.00 EUR" in consultant["html"], consultant


@pytest.mark.parametrize(
    ("role", "told"),
    [
        (Role.EXPERT, "plan approved at 150000 JPY, with anesthesia"),
        (Role.CASHIER, "plan approved at 150000 JPY, with anesthesia"),
        (Role.NURSE, "plan approved, with anesthesia"),
        (Role.FRONT_DESK, "plan approved, with anesthesia"),
    ],
)
def test_an_approval_without_its_price_still_says_the_plan_needs_anesthesia(
    role: Role, told: str
) -> None:
    summary = "plan approved at 150000 JPY, with anesthesia"
    assert summary_for(role, "approve_plan", summary) == told
