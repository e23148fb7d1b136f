"""Documents and steps of the contraindication tests: the catalogue, a plan that names its
items, and a journey brought to the start of treatment."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from domain.roles import Role
from tests.api import documents
from tests.api.flow import CHECKS, JourneyDriver
from tests.api.harness import clinic_today

ITEM_FIELDS = (
    "id version name kind ingredients allergens interactingMedications excludedStates minimumAge"
)
SET_CATALOG_ITEM = f"""
mutation Set($input: SetCatalogItemInput!) {{
  setCatalogItem(input: $input) {{
    __typename
    ... on CatalogItemPayload {{ item {{ {ITEM_FIELDS} }} }}
    ... on UserError {{ code message }}
    ... on ValidationFailed {{ problems {{ field message }} }}
  }}
}}
"""
CATALOG = f"""
query Catalog($first: Int! = 100, $after: String) {{
  catalog(first: $first, after: $after) {{
    __typename
    ... on CatalogItemConnection {{
      edges {{ cursor node {{ {ITEM_FIELDS} }} }}
      pageInfo {{ hasNextPage hasPreviousPage endCursor }}
    }}
  }}
}}
"""
REASONS = "reasons { code key itemId itemName detail }"
START_TREATMENT = documents.START_TREATMENT.replace(
    "... on UserError { code message }",
    f"... on UserError {{ code message }} ... on ContraindicationFound {{ {REASONS} }}",
    1,
)
OVERRIDE = documents.action("overrideContraindication", "OverrideContraindicationInput")
BLOCKED = """
query Blocked($id: ID!) {
  journey(id: $id) {
    ... on Journey {
      availableActions { action allowed reason contraindications { code key itemId } }
      history { action summary details }
    }
  }
}
"""
FILLER = {
    "name": "Filler X",
    "kind": "PRODUCT",
    "ingredients": ["hyaluronic acid", "Lidocaine"],
    "excludedStates": ["PREGNANCY", "LACTATION"],
    "minimumAge": 18,
}


def new_key() -> str:
    return f"gate-{uuid.uuid4().hex}"


async def run(driver: JourneyDriver, document: str, role: Role, **variables: Any) -> Any:
    data = await driver.api.run(document, driver.token(role), **variables)
    (result,) = data.values()
    return result


async def set_item(driver: JourneyDriver, role: Role = Role.SUPERVISOR, **input: Any) -> Any:
    return await run(driver, SET_CATALOG_ITEM, role, input=input)


async def add_item(driver: JourneyDriver, **input: Any) -> dict[str, Any]:
    result = await set_item(driver, **{**FILLER, "idempotencyKey": new_key(), **input})
    assert result["__typename"] == "CatalogItemPayload", result
    return result["item"]  # type: ignore[no-any-return]


def yesterday() -> str:
    return (clinic_today() - timedelta(days=1)).isoformat()


async def at_treatment(driver: JourneyDriver, client_id: str, item_ids: list[str]) -> str:
    """A journey whose approved plan names `item_ids`, consented and paid: in TREATMENT."""
    journey = await driver.drive_to("EXPERT_REVIEW", await driver.start(client_id))
    approved = await driver.approve(journey["id"], catalogItemIds=item_ids)
    treated = await driver.drive_to("TREATMENT", approved)
    return treated["id"]  # type: ignore[no-any-return]


async def start_treatment(driver: JourneyDriver, journey_id: str, **extra: Any) -> Any:
    return await run(
        driver,
        START_TREATMENT,
        Role.NURSE,
        input={"journeyId": journey_id, "checks": CHECKS, **extra},
    )
