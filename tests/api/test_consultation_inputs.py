"""What a consultation and an expert review keep is bounded and readable, and a plan's currency is
a currency (found by a review of the inputs: the lists and three of the assessment's texts
reached the record unchecked, and a plan in "XYZ" left a journey no bill could be paid for)."""

from __future__ import annotations

from typing import Any

import pytest

from domain.roles import Role
from tests.api import documents
from tests.api.flow import (
    EARLIER_TREATMENT,
    NEEDS,
    PLAN,
    JourneyDriver,
    assert_unchanged,
    end_journey,
)

ASSESSMENT = {"psychological": "realistic", "spendingCapacity": "medium", "physicalCondition": "ok"}


def _fields(answer: dict[str, Any]) -> list[str]:
    assert answer["__typename"] == "ValidationFailed", answer
    return [problem["field"] for problem in answer["problems"]]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"needs": {**NEEDS, "areas": ["face"] * 21}}, "needs.areas"),
        ({"needs": {**NEEDS, "areas": ["x" * 201]}}, "needs.areas[0]"),
        (
            {
                "needs": {
                    **NEEDS,
                    "earlierTreatments": [{**EARLIER_TREATMENT, "effect": "x" * 4001}],
                }
            },
            "needs.earlierTreatments[0].effect",
        ),
        (
            {"needs": {**NEEDS, "earlierTreatments": [{**EARLIER_TREATMENT, "what": "x" * 201}]}},
            "needs.earlierTreatments[0].what",
        ),
        (
            {"needs": {**NEEDS, "earlierTreatments": [{**EARLIER_TREATMENT, "when": "x" * 101}]}},
            "needs.earlierTreatments[0].when",
        ),
        (
            {"needs": {**NEEDS, "earlierTreatments": [EARLIER_TREATMENT] * 21}},
            "needs.earlierTreatments",
        ),
        ({"assessment": {**ASSESSMENT, "psychological": "x" * 4001}}, "assessment.psychological"),
        (
            {"assessment": {**ASSESSMENT, "spendingCapacity": "a\x1bb"}},
            "assessment.spendingCapacity",
        ),
        ({"plans": [{**PLAN, "items": ["filler"] * 51}]}, "plans[0].items"),
        ({"plans": [{**PLAN, "items": ["\u200b"]}]}, "plans[0].items[0]"),
        ({"plans": [{**PLAN, "currency": "XYZ"}]}, "plans[0].currency"),
        ({"plans": [{**PLAN, "currency": "XTS"}]}, "plans[0].currency"),  # ISO's test code
        ({"plans": [{**PLAN, "currency": "HRK"}]}, "plans[0].currency"),  # withdrawn in 2023
        ({"occupation": "x" * 201}, "occupation"),
    ],
)
async def test_a_consultation_past_its_bounds_is_refused_and_keeps_nothing(
    driver: JourneyDriver, change: dict[str, Any], field: str
) -> None:
    journey = await driver.assign((await driver.start())["id"])
    consultation = {"occupation": "architect", "needs": NEEDS, "assessment": ASSESSMENT}
    refused = await driver.act(
        documents.RECORD_CONSULTATION,
        Role.CONSULTANT,
        journeyId=journey["id"],
        **{**consultation, "plans": [PLAN], **change},
    )
    assert _fields(refused) == [field]
    await assert_unchanged(driver, journey)
    await end_journey(driver, journey["id"])


async def test_a_briefing_s_proposed_items_are_bounded(driver: JourneyDriver) -> None:
    journey = await driver.consult((await driver.assign((await driver.start())["id"]))["id"])
    briefing = {
        "goal": "look rested",
        "expectation": "natural",
        "history": "none",
        "helpWanted": "confirm the plan",
    }
    refused = await driver.act(
        documents.REQUEST_EXPERT_REVIEW,
        Role.CONSULTANT,
        journeyId=journey["id"],
        expertId=driver.staff[Role.EXPERT].global_id,
        briefing={**briefing, "proposedItems": ["filler"] * 51, "priceProtection": "a\x07b"},
    )
    assert _fields(refused) == ["briefing.priceProtection", "briefing.proposedItems"]
    await assert_unchanged(driver, journey)
    await end_journey(driver, journey["id"])
