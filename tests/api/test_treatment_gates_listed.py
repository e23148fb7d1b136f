"""A page of journeys each showing whether treatment may start (`availableActions`, with the
contraindications that block it) costs the statements of one journey: the final plans, the
catalogue, the clients' records and the overrides are read for the whole page at once. Before,
each journey at the start of treatment cost nine statements or more, so a clinical role's
largest page of journeys cost about a thousand."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from domain.roles import Role
from tests.api.client_file_support import RECORD_PREGNANCY_STATUS, entry
from tests.api.contraindication_support import add_item, at_treatment
from tests.api.flow import JourneyDriver
from tests.api.harness import clinic_today
from tests.sql_statements import statements_naming

FreshClinic = Callable[[], Awaitable[JourneyDriver]]
LISTED = """
query Listed {
  journeys(first: 100) {
    ... on JourneyConnection {
      edges { node { id availableActions { action allowed contraindications { code itemId } } } }
    }
  }
}
"""
# The tables the check reads: plans and overrides, the catalogue, clients and their records.
CHECK_TABLES = ("journey_record", "catalog_item_version", '"client"', "client_entry")


async def _pregnant_client_at_treatment(clinic: JourneyDriver, item_id: str) -> str:
    client = await clinic.register_client("Ewa Zielinska")
    stated = {"pregnant": True, "lactating": False, "statedOn": clinic_today().isoformat()}
    await entry(clinic, RECORD_PREGNANCY_STATUS, Role.NURSE, clientId=client, **stated)
    return await at_treatment(clinic, client, [item_id])


async def _listed(clinic: JourneyDriver) -> tuple[dict[str, list], int]:
    """Each listed journey's START_TREATMENT contraindications, and the statements it took."""
    with statements_naming(*CHECK_TABLES) as statements:
        data = await clinic.api.run(LISTED, clinic.token(Role.NURSE))
    blocked = {}
    for edge in data["journeys"]["edges"]:
        node = edge["node"]
        start = next(a for a in node["availableActions"] if a["action"] == "START_TREATMENT")
        assert start["allowed"] is False, start
        blocked[node["id"]] = start["contraindications"]
    return blocked, len(statements)


async def test_a_page_of_journeys_at_treatment_costs_the_checks_of_one(
    fresh_clinic: FreshClinic,
) -> None:
    # Given a clinic with one pregnant client's journey at treatment, its plan naming a filler
    clinic = await fresh_clinic()
    item = await add_item(clinic)
    journeys = [await _pregnant_client_at_treatment(clinic, item["id"])]
    blocked_one, one = await _listed(clinic)
    # When three more such journeys are listed with it
    journeys += [await _pregnant_client_at_treatment(clinic, item["id"]) for _ in range(3)]
    blocked_four, four = await _listed(clinic)
    # Then each journey's treatment is blocked by the pregnancy, as for one alone
    reason = [{"code": "PREGNANCY", "itemId": item["id"]}]
    assert blocked_one == {journeys[0]: reason}
    assert blocked_four == {journey: reason for journey in journeys}
    # And the four cost the statements of one
    assert four == one, (one, four)
