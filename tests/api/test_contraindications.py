"""Contraindications gate the journey: the catalogue says what rules each item out, the start
of treatment checks the client's record against the final plan, and only the journey's expert
overrides one reason at a time, in the journey's history."""

from __future__ import annotations

from domain.roles import Role
from domain.store.audit_models import AuditEntry
from domain.store.models import JourneyEvent
from schema.ids import decode_id
from schema.journeys.contraindication_check import CONTRAINDICATIONS_READ
from tests.api import documents
from tests.api.audit_support import raw_client
from tests.api.client_file_support import (
    MARK_ENTERED_IN_ERROR,
    RECORD_ALLERGY,
    RECORD_PREGNANCY_STATUS,
    entry,
    write,
)
from tests.api.contraindication_support import (
    BLOCKED,
    CATALOG,
    FILLER,
    OVERRIDE,
    add_item,
    at_treatment,
    new_key,
    run,
    set_item,
    start_treatment,
    yesterday,
)
from tests.api.flow import PLAN, JourneyDriver
from tests.api.harness import clinic_today


async def test_the_catalogue_is_versioned_and_plans_name_only_its_items(
    driver: JourneyDriver,
) -> None:
    # Given an item set by a supervisor
    key = new_key()
    first = await set_item(driver, **FILLER, idempotencyKey=key)
    assert first["__typename"] == "CatalogItemPayload", first
    item = first["item"]
    assert (item["version"], item["ingredients"]) == (1, ["hyaluronic acid", "Lidocaine"])
    # When the request is retried, and the key reused for another request
    again = await set_item(driver, **FILLER, idempotencyKey=key)
    other = await set_item(driver, **{**FILLER, "name": "Filler Y"}, idempotencyKey=key)
    # Then the retry answers the first version, the reuse is a conflict
    assert again["item"] == item
    assert other["__typename"] == "Conflict"
    # When the item changes, it gets its next version under the same id
    changed = await add_item(driver, itemId=item["id"], interactingMedications=["isotretinoin"])
    assert (changed["id"], changed["version"]) == (item["id"], 2)
    listed = await run(driver, CATALOG, Role.NURSE)
    nodes = [edge["node"] for edge in listed["edges"] if edge["node"]["id"] == item["id"]]
    assert nodes == [changed]
    # And the catalogue pages forward, one item at a time
    await add_item(driver, name="Peel")
    first_page = await run(driver, CATALOG, Role.NURSE, first=1)
    after = first_page["pageInfo"]["endCursor"]
    second_page = await run(driver, CATALOG, Role.NURSE, first=1, after=after)
    assert first_page["pageInfo"]["hasNextPage"] is True
    assert second_page["pageInfo"]["hasPreviousPage"] is True
    assert second_page["edges"][0]["node"]["id"] != first_page["edges"][0]["node"]["id"]
    # And a nurse may not change the catalogue; bad names and ages are field errors
    refused = await set_item(driver, Role.NURSE, **FILLER, idempotencyKey=new_key())
    assert refused["__typename"] == "NotAuthorized"
    bad = await set_item(driver, **{**FILLER, "name": " ", "minimumAge": 300})
    assert [p["field"] for p in bad["problems"]] == ["name", "minimumAge"]
    # And a final plan naming an item of no catalogue is refused with its field
    journey = await driver.drive_to("EXPERT_REVIEW")
    unknown = await driver.act(
        documents.COMPLETE_EXPERT_REVIEW,
        Role.EXPERT,
        journeyId=journey["id"],
        decision="APPROVE",
        points="volume in the cheeks, no lips",
        finalPlan={**PLAN, "catalogItemIds": [item["id"], "Q2F0YWxvZ0l0ZW06bm9uZQ=="]},
    )
    assert unknown["__typename"] == "ValidationFailed", unknown
    assert [p["field"] for p in unknown["problems"]] == ["finalPlan.catalogItemIds[1]"]


async def test_a_pregnant_client_is_refused_until_the_journeys_expert_overrides(
    driver: JourneyDriver,
) -> None:
    # Given a client who stated a pregnancy, and a plan with a filler that rules it out
    client = await driver.register_client("Ewa Zielinska")
    stated = {"pregnant": True, "lactating": False, "statedOn": clinic_today().isoformat()}
    await entry(driver, RECORD_PREGNANCY_STATUS, Role.NURSE, clientId=client, **stated)
    item = await add_item(driver)
    journey = await at_treatment(driver, client, [item["id"]])
    before = await driver.journey(journey)
    # When the nurse starts the treatment
    refused = await start_treatment(driver, journey, idempotencyKey=new_key())
    # Then it is refused, naming the reason, and nothing happened
    assert refused["__typename"] == "ContraindicationFound", refused
    assert refused["code"] == "CONTRAINDICATION_FOUND"
    (reason,) = refused["reasons"]
    assert (reason["code"], reason["itemId"], reason["itemName"]) == (
        "PREGNANCY",
        item["id"],
        "Filler X",
    )
    assert clinic_today().isoformat() in reason["detail"]
    assert await driver.journey(journey) == before
    # And availableActions says why treatment is blocked
    data = await driver.api.run(BLOCKED, driver.token(Role.NURSE), id=journey)
    start = next(a for a in data["journey"]["availableActions"] if a["action"] == "START_TREATMENT")
    assert start["allowed"] is False
    assert "PREGNANCY (Filler X)" in start["reason"]
    assert start["contraindications"] == [
        {"code": "PREGNANCY", "key": reason["key"], "itemId": item["id"]}
    ]
    # When a nurse tries to override, or the expert names no reason of this plan
    why = "early pregnancy confirmed safe by the obstetrician; no anaesthetic used"
    nurse = await driver.act(
        OVERRIDE, Role.NURSE, journeyId=journey, reasonKey=reason["key"], justification=why
    )
    unknown = await driver.act(
        OVERRIDE, Role.EXPERT, journeyId=journey, reasonKey="AGE:x", justification=why
    )
    # Then neither is accepted
    assert nurse["__typename"] == "NotAuthorized", nurse
    assert unknown["__typename"] == "ValidationFailed", unknown
    assert await driver.journey(journey) == before
    # When the journey's expert overrides the reason
    key = new_key()
    overridden = await driver.act(
        OVERRIDE,
        Role.EXPERT,
        journeyId=journey,
        reasonKey=reason["key"],
        justification=why,
        idempotencyKey=key,
    )
    # Then the override is the journey's latest event, its record holding reason and why
    assert overridden["__typename"] == "JourneyPayload", overridden
    assert overridden["journey"]["stage"] == "TREATMENT"
    data = await driver.api.run(BLOCKED, driver.token(Role.EXPERT), id=journey)
    last = data["journey"]["history"][-1]
    assert last["action"] == "override_contraindication"
    assert last["details"]["reason_key"] == reason["key"]
    assert last["details"]["code"] == "PREGNANCY"
    assert last["details"]["justification"] == why
    # And the treatment starts now
    started = await start_treatment(driver, journey)
    assert started["__typename"] == "JourneyPayload", started
    actions = [event["action"] for event in started["journey"]["history"]]
    assert actions[-2:] == ["override_contraindication", "start_treatment"]
    raw = decode_id(journey, "Journey")
    overrides = JourneyEvent.filter(journey_id=raw, action="override_contraindication")
    assert await overrides.count() == 1


async def test_a_filler_waits_for_pregnancy_to_be_stated_on_the_day_of_treatment(
    driver: JourneyDriver,
) -> None:
    # Given a client who said yesterday she was neither pregnant nor breastfeeding, and a plan
    # with a filler that rules both out
    client = await driver.register_client("Iwona Lis")
    stated = {"pregnant": False, "lactating": False, "statedOn": yesterday()}
    await entry(driver, RECORD_PREGNANCY_STATUS, Role.NURSE, clientId=client, **stated)
    journey = await at_treatment(driver, client, [(await add_item(driver))["id"]])
    # When the nurse starts the treatment, it is refused: not stated today
    refused = await start_treatment(driver, journey, idempotencyKey=new_key())
    assert refused["__typename"] == "ContraindicationFound", refused
    (reason,) = refused["reasons"]
    assert reason["code"] == "PREGNANCY" and "not stated today" in reason["detail"]
    # When she says so again today, the treatment starts
    today = {**stated, "statedOn": clinic_today().isoformat()}
    await entry(driver, RECORD_PREGNANCY_STATUS, Role.NURSE, clientId=client, **today)
    started = await start_treatment(driver, journey, idempotencyKey=new_key())
    assert started["__typename"] == "JourneyPayload", started


async def test_an_allergy_to_an_ingredient_of_a_planned_product_blocks(
    driver: JourneyDriver,
) -> None:
    # Given a client allergic to lidocaine, an ingredient of the planned filler
    client = await driver.register_client("Olga Nowicka")
    allergy = {"substance": "lidocaine", "reaction": "hives", "severity": "SEVERE"}
    recorded = await entry(driver, RECORD_ALLERGY, Role.NURSE, clientId=client, **allergy)
    item = await add_item(driver, excludedStates=[])
    journey = await at_treatment(driver, client, [item["id"]])
    # When the nurse starts the treatment
    refused = await start_treatment(driver, journey)
    # Then it is refused for the allergy, naming the item and the substance
    assert refused["__typename"] == "ContraindicationFound", refused
    assert [(r["code"], r["itemId"]) for r in refused["reasons"]] == [("ALLERGY", item["id"])]
    assert "Lidocaine" in refused["reasons"][0]["detail"]
    # And the check's read of the client file is in the audit trail
    reads = AuditEntry.filter(client_id=raw_client(client), action=CONTRAINDICATIONS_READ)
    assert await reads.count() == 1
    # When the allergy turns out to have been entered in error
    marked = await write(
        driver,
        MARK_ENTERED_IN_ERROR,
        Role.NURSE,
        entryId=recorded["id"],
        reason="another client's allergy",
    )
    assert marked["__typename"] == "ClientEntryPayload", marked
    # Then it no longer counts: the treatment starts
    started = await start_treatment(driver, journey)
    assert started["__typename"] == "JourneyPayload", started
