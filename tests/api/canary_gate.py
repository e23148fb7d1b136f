"""The canary's pass through the contraindication gate: a catalogue item (its names marked), a
stated pregnancy, the refused start of treatment, and the expert's override (its justification
marked). None of the words may reach the journey's workflow."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from domain.roles import Role
from tests.api.flow import CHECKS
from tests.api.harness import clinic_today

if TYPE_CHECKING:
    from tests.api.canary_visits import Visit

ITEM = "... on CatalogItemPayload { item { id } }"
REFUSED = "... on ContraindicationFound { reasons { key code } }"
ENTRY = "... on ClientEntryPayload { entry { ... on PregnancyStatusEntry { id } } }"


async def gated_plan(visit: Visit, client: str, plan: dict[str, Any]) -> dict[str, Any]:
    """`plan` naming a new catalogue item that a pregnancy rules out; the client is pregnant."""
    item = await visit.call(
        Role.SUPERVISOR,
        "setCatalogItem",
        "CatalogItemPayload",
        ITEM,
        kind="PRODUCT",
        excludedStates=["PREGNANCY"],
    )
    stated = {"pregnant": True, "lactating": False, "statedOn": clinic_today().isoformat()}
    await visit.call(
        Role.NURSE, "recordPregnancyStatus", "ClientEntryPayload", ENTRY, clientId=client, **stated
    )
    return {**plan, "catalogItemIds": [item["item"]["id"]]}


async def pass_the_gate(visit: Visit, journey: str) -> None:
    """The start of treatment is refused for the pregnancy; the journey's expert overrides."""
    refused = await visit.call(
        Role.NURSE,
        "startTreatment",
        "ContraindicationFound",
        REFUSED,
        journeyId=journey,
        checks=CHECKS,
    )
    (reason,) = refused["reasons"]
    assert reason["code"] == "PREGNANCY", refused
    await visit.step(Role.EXPERT, "overrideContraindication", journey, reasonKey=reason["key"])
