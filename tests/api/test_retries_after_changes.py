"""A retry is answered as the first time even when the clinic changed since.

Each request below passes its checks, is answered, and then something it was checked against
changes (the price list, the billing settings, the staff). A retry with the same key must be
answered with the first result, not refused by the check as it would now decide; a new key with
the same input shows the check does refuse now.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError

from domain.roles import Role
from domain.store.aftercare import WarrantyCard, WarrantyClaim
from domain.store.models import IdempotencyKey, StaffAccount
from domain.store.models import Journey as JourneyRow
from schema.aftercare import warranty
from schema.ids import decode_id
from tests.api import aftercare_documents as aftercare
from tests.api import documents
from tests.api.client_file_support import MARK_ENTERED_IN_ERROR, RECORD_ALLERGY, entry, write
from tests.api.contraindication_support import OVERRIDE, add_item, at_treatment, start_treatment
from tests.api.flow import PLAN, JourneyDriver, new_key
from tests.api.harness import Api
from tests.api.money_support import (
    CREATE_BILL,
    EUR_SETTINGS,
    SET_ITEM,
    SET_SETTINGS,
    eur,
    money_call,
    set_item,
)
from tests.api.test_desk_bounds import ORDER_PROBLEMS
from tests.api.test_idempotency import LEAD_CONTACT
from tests.api.test_triage_api import UPDATE_SEAT, _desk_clinic, _journey_at_triage
from tests.api.test_triage_keys import PLACE_VIP
from workflows.client import JourneyUnavailable
from workflows.triage_client import TriageGateway

Clinic = Callable[[], Awaitable[JourneyDriver]]


async def test_an_approval_retried_after_its_price_item_changed_is_answered(
    fresh_clinic: Clinic,
) -> None:
    # Given an expert's approval naming a price-list item, answered
    driver, approval = await _approval_of_an_item(fresh_clinic, "EXPERT_REVIEW")
    first = await driver.act(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **approval)
    assert first["__typename"] == "JourneyPayload", first
    # When the item gets a new version (the approved one is no longer in force) and the
    # approval is retried with its key
    retry = await _retried_after_a_new_price(driver, approval)
    # Then it is answered as the first time
    assert retry == first
    # While the same approval under a new key is refused on the line
    fresh = {**approval, "idempotencyKey": new_key()}
    refused = await driver.act(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **fresh)
    assert refused["__typename"] == "ValidationFailed", refused
    assert [p["field"] for p in refused["problems"]] == ["finalPlan.priceLines[0].priceItemId"]


async def test_an_approval_whose_answer_was_lost_is_answered_though_its_item_changed_since(
    fresh_clinic: Clinic,
) -> None:
    # Given an expert's approval naming a price-list item, done, whose answer was lost (the
    # process died before recording it under the key: the key stays claimed)
    driver, approval = await _approval_of_an_item(fresh_clinic, "EXPERT_REVIEW")
    first = await driver.act(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **approval)
    assert first["__typename"] == "JourneyPayload", first
    await _lose_answer(driver, Role.EXPERT, approval["idempotencyKey"])
    # When the item gets a new version and the approval is retried with its key
    retry = await _retried_after_a_new_price(driver, approval)
    # Then it is answered as the first time (the journey took it), and approved once
    assert retry == first
    history = (await driver.journey(approval["journeyId"]))["history"]
    assert [e["action"] for e in history].count("approve_plan") == 1


async def test_a_step_the_journey_never_took_is_judged_afresh_on_retry(
    fresh_clinic: Clinic,
) -> None:
    # Given an approval sent before the journey reached its expert (refused by the journey,
    # which keeps no trace of it; the key stays claimed)
    driver, approval = await _approval_of_an_item(fresh_clinic, "CONSULTATION")
    early = await driver.act(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **approval)
    assert early["__typename"] == "TransitionNotAllowed", early
    # When the item gets a new version and the approval is retried with its key
    retry = await _retried_after_a_new_price(driver, approval)
    # Then its check decides as it would now: there is no first answer to give
    assert retry["__typename"] == "ValidationFailed", retry
    assert [p["field"] for p in retry["problems"]] == ["finalPlan.priceLines[0].priceItemId"]


async def _approval_of_an_item(
    fresh_clinic: Clinic, stage: str
) -> tuple[JourneyDriver, dict[str, Any]]:
    """A fresh clinic's journey brought to `stage`, and an expert's approval (with a key) naming
    an item of its price list, which is not sent."""
    driver = await fresh_clinic()
    filler = await set_item(driver, code="HA", listPrice=eur("900.00"))
    journey = await driver.drive_to(stage)
    return driver, {
        "journeyId": journey["id"],
        "decision": "APPROVE",
        "points": "volume in the cheeks, no lips",
        "finalPlan": {**PLAN, "priceLines": [{"priceItemId": filler["id"]}]},
        "idempotencyKey": new_key(),
    }


async def _retried_after_a_new_price(
    driver: JourneyDriver, approval: dict[str, Any]
) -> dict[str, Any]:
    """The approval sent again with its key, once its item has a new version (the one it
    names is no longer in force)."""
    await set_item(driver, code="HA", listPrice=eur("950.00"))
    return await driver.act(documents.COMPLETE_EXPERT_REVIEW, Role.EXPERT, **approval)


async def _lose_answer(driver: JourneyDriver, role: Role, key: str) -> None:
    account = driver.staff[role].account_id
    assert await IdempotencyKey.filter(account_id=account, key=key).update(result_id="") == 1


@pytest.mark.parametrize("lost", [False, True], ids=["answered", "answer-lost"])
async def test_a_price_retried_after_the_clinic_changed_its_currency_is_answered(
    fresh_clinic: Clinic, lost: bool
) -> None:
    # Given a price set in the clinic's currency, answered (or its answer lost: the key claimed,
    # never settled)
    driver = await fresh_clinic()
    item = {
        "code": "PEEL",
        "kind": "PROCEDURE",
        "name": "Chemical peel",
        "listPrice": eur("300.00"),
        "validFrom": "2020-01-01",
        "idempotencyKey": new_key(),
    }
    first = await money_call(driver, SET_ITEM, Role.SUPERVISOR, **item)
    assert first["__typename"] == "PriceListItemPayload", first
    if lost:
        await _lose_answer(driver, Role.SUPERVISOR, str(item["idempotencyKey"]))
    # When the clinic bills in another currency from now on, and the price is retried
    changed = await money_call(
        driver, SET_SETTINGS, Role.SUPERVISOR, **EUR_SETTINGS | {"currency": "PLN"}
    )
    assert changed["__typename"] == "BillingSettingsPayload", changed
    retry = await money_call(driver, SET_ITEM, Role.SUPERVISOR, **item)
    # Then it is the first answer, and no second version was set
    assert retry == first
    refused = await money_call(
        driver, SET_ITEM, Role.SUPERVISOR, **item | {"idempotencyKey": new_key()}
    )
    assert refused["__typename"] == "ValidationFailed", refused
    assert [p["field"] for p in refused["problems"]] == ["listPrice.currency"]


@pytest.mark.parametrize("lost", [False, True], ids=["answered", "answer-lost"])
async def test_a_bill_retried_after_the_discount_threshold_fell_is_answered(
    fresh_clinic: Clinic, lost: bool
) -> None:
    # Given a cashier's bill with a discount within the clinic's threshold, answered (or not)
    driver = await fresh_clinic()
    threshold = {**EUR_SETTINGS, "discountThresholdPercent": 20}
    await money_call(driver, SET_SETTINGS, Role.SUPERVISOR, **threshold)
    item = await set_item(driver, listPrice=eur("1000.00"))
    journey = await driver.drive_to("PAYMENT")
    bill = {
        "journeyId": journey["id"],
        "lines": [{"priceItemId": item["id"]}],
        "discount": {"amount": eur("150.00"), "reason": "loyal client"},
        "idempotencyKey": new_key(),
    }
    first = await money_call(driver, CREATE_BILL, Role.CASHIER, **bill)
    assert first["__typename"] == "BillPayload", first
    if lost:
        await _lose_answer(driver, Role.CASHIER, bill["idempotencyKey"])
    # When the threshold falls below the discount and the bill is retried
    await money_call(
        driver, SET_SETTINGS, Role.SUPERVISOR, **{**threshold, "discountThresholdPercent": 5}
    )
    retry = await money_call(driver, CREATE_BILL, Role.CASHIER, **bill)
    # Then it is the bill made the first time; a new request would need a supervisor
    assert retry == first
    fresh = await money_call(
        driver, CREATE_BILL, Role.CASHIER, **bill | {"idempotencyKey": new_key()}
    )
    assert fresh["__typename"] == "NotAuthorized", fresh


@pytest.mark.parametrize("lost", [False, True], ids=["answered", "answer-lost"])
async def test_a_lead_contact_retried_after_its_consultant_left_is_answered(
    fresh_clinic: Clinic, lost: bool
) -> None:
    # Given a phone lead's contact with a consultant, answered (or not)
    driver = await fresh_clinic()
    client_id = await driver.register_client("Lena Telefon")
    consultant = driver.staff[Role.CONSULTANT]
    contact: dict[str, Any] = {
        "clientId": client_id,
        "consultantId": consultant.global_id,
        "channel": "PHONE",
        "idempotencyKey": new_key(),
    }
    token = driver.token(Role.FRONT_DESK)
    first = await driver.api.run(LEAD_CONTACT, token, input=contact)
    assert first["recordLeadContact"]["__typename"] == "LeadContactPayload", first
    if lost:
        await _lose_answer(driver, Role.FRONT_DESK, contact["idempotencyKey"])
    # When the consultant leaves the clinic (set here as an administrator's deactivation
    # leaves it) and the contact is retried
    await StaffAccount.filter(id=consultant.account_id).update(active=False)
    retry = await driver.api.run(LEAD_CONTACT, token, input=contact)
    # Then it is answered as the first time; a new contact naming them is refused
    assert retry == first
    fresh = await driver.api.run(
        LEAD_CONTACT, token, input={**contact, "idempotencyKey": new_key()}
    )
    assert fresh["recordLeadContact"]["__typename"] == "ValidationFailed", fresh


@pytest.mark.parametrize("lost", [False, True], ids=["answered", "answer-lost"])
async def test_desk_changes_retried_after_their_consultant_left_are_answered(
    api: Api, lost: bool
) -> None:
    # Given a seat change and a VIP placement naming consultants, each answered (or not)
    _, staff, consultants = await _desk_clinic(api)
    supervisor = staff[Role.SUPERVISOR].token
    seat = {"consultantId": consultants[0], "reason": "lunch", "onDuty": False}
    seat["idempotencyKey"] = new_key()
    first_seat = await api.run(UPDATE_SEAT, supervisor, input=seat)
    assert first_seat["updateTriageSeat"]["__typename"] == "TriageBoardPayload", first_seat
    journey = await _journey_at_triage(api, staff[Role.FRONT_DESK].token, 1)
    vip = {"journeyId": journey, "consultantId": consultants[1], "reason": "official"}
    vip["idempotencyKey"] = new_key()
    first_vip = await api.run(PLACE_VIP, supervisor, input=vip)
    assert first_vip["placeVip"]["__typename"] == "AutoAssignPayload", first_vip
    if lost:
        unsettled = IdempotencyKey.filter(
            account_id=staff[Role.SUPERVISOR].account_id,
            key__in=[seat["idempotencyKey"], vip["idempotencyKey"]],
        )
        assert await unsettled.update(result_id="") == 2
    # When both consultants leave the clinic and each request is retried
    left = [decode_id(c, "StaffMember") for c in consultants[:2]]
    await StaffAccount.filter(id__in=left).update(active=False)
    seat_retry = await api.run(UPDATE_SEAT, supervisor, input=seat)
    vip_retry = await api.run(PLACE_VIP, supervisor, input=vip)
    # Then each is answered as a retry, not refused
    assert seat_retry["updateTriageSeat"]["__typename"] == "TriageBoardPayload", seat_retry
    assert vip_retry == first_vip
    # While a new seat change naming a consultant who left is refused
    fresh = await api.run(UPDATE_SEAT, supervisor, input={**seat, "idempotencyKey": new_key()})
    assert fresh["updateTriageSeat"]["__typename"] == "ValidationFailed", fresh


async def test_a_rotation_order_retried_after_a_consultant_changed_role_is_answered(
    api: Api,
) -> None:
    _, staff, consultants = await _desk_clinic(api)
    supervisor = staff[Role.SUPERVISOR].token
    order = {"consultantIds": consultants[::-1], "idempotencyKey": new_key()}
    first = await api.run(ORDER_PROBLEMS, supervisor, input=order)
    assert first["setRotationOrder"]["__typename"] == "TriageBoardPayload", first
    # When one of them becomes an expert (no longer a consultant) and the order is retried
    await StaffAccount.filter(id=decode_id(consultants[0], "StaffMember")).update(role="EXPERT")
    retry = await api.run(ORDER_PROBLEMS, supervisor, input=order)
    fresh = await api.run(ORDER_PROBLEMS, supervisor, input={**order, "idempotencyKey": new_key()})
    # Then the retry is answered with the board; the same order under a new key is refused
    assert retry["setRotationOrder"]["__typename"] == "TriageBoardPayload", retry
    assert fresh["setRotationOrder"]["__typename"] == "ValidationFailed", fresh


async def test_an_assignment_retried_after_its_consultant_left_is_answered(
    fresh_clinic: Clinic,
) -> None:
    driver = await fresh_clinic()
    journey = await driver.start()
    consultant = driver.staff[Role.CONSULTANT]
    assignment = {
        "journeyId": journey["id"],
        "consultantId": consultant.global_id,
        "idempotencyKey": new_key(),
    }
    first = await driver.act(documents.ASSIGN_CONSULTANT, Role.FRONT_DESK, **assignment)
    assert first["__typename"] == "JourneyPayload", first
    await StaffAccount.filter(id=consultant.account_id).update(active=False)
    retry = await driver.act(documents.ASSIGN_CONSULTANT, Role.FRONT_DESK, **assignment)
    assert retry == first


async def test_an_override_retried_after_its_reason_was_marked_in_error_is_answered(
    fresh_clinic: Clinic,
) -> None:
    # Given a treatment blocked by an allergy, and the expert's override of it, answered
    driver = await fresh_clinic()
    client = await driver.register_client("Olga Nowicka")
    allergy = {"substance": "lidocaine", "reaction": "hives", "severity": "SEVERE"}
    recorded = await entry(driver, RECORD_ALLERGY, Role.NURSE, clientId=client, **allergy)
    item = await add_item(driver, excludedStates=[])
    journey = await at_treatment(driver, client, [item["id"]])
    (reason,) = (await start_treatment(driver, journey))["reasons"]
    override = {
        "journeyId": journey,
        "reasonKey": reason["key"],
        "justification": "tested: no reaction",
        "idempotencyKey": new_key(),
    }
    first = await driver.act(OVERRIDE, Role.EXPERT, **override)
    assert first["__typename"] == "JourneyPayload", first
    # When the allergy is marked entered in error (the reason is gone) and the override retried
    marked = await write(
        driver, MARK_ENTERED_IN_ERROR, Role.NURSE, entryId=recorded["id"], reason="not hers"
    )
    assert marked["__typename"] == "ClientEntryPayload", marked
    retry = await driver.act(OVERRIDE, Role.EXPERT, **override)
    # Then it is answered as the first time
    assert retry == first


async def test_a_refused_desk_retry_whose_first_attempt_the_desk_cannot_say_is_unavailable(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a seat change whose answer was lost, and its consultant gone since
    _, staff, consultants = await _desk_clinic(api)
    supervisor = staff[Role.SUPERVISOR]
    seat = {"consultantId": consultants[0], "reason": "lunch", "onDuty": False}
    seat["idempotencyKey"] = new_key()
    first = await api.run(UPDATE_SEAT, supervisor.token, input=seat)
    assert first["updateTriageSeat"]["__typename"] == "TriageBoardPayload", first
    unsettled = IdempotencyKey.filter(account_id=supervisor.account_id, key=seat["idempotencyKey"])
    assert await unsettled.update(result_id="") == 1
    await StaffAccount.filter(id=decode_id(consultants[0], "StaffMember")).update(active=False)

    # When the retry comes while Temporal does not answer whether the desk took it
    async def silent(*args: object) -> bool:
        raise JourneyUnavailable("no answer")

    monkeypatch.setattr(TriageGateway, "update_ran", silent)
    retry = await api.run(UPDATE_SEAT, supervisor.token, input=seat)
    # Then it hears to try again (typed, the key still open), neither refused nor an error
    assert retry["updateTriageSeat"]["__typename"] == "Unavailable", retry
    assert await unsettled.filter(result_id="").exists()


@pytest.mark.parametrize("lost", [False, True], ids=["answered", "answer-lost"])
async def test_a_warranty_claim_retried_after_the_card_ended_is_answered(
    fresh_clinic: Clinic, monkeypatch: pytest.MonkeyPatch, lost: bool
) -> None:
    # Given a treated client coming in for the recheck an earlier claim opened, and a second
    # claim on the card, which that recheck serves, answered (or lost before the claim was
    # written: it opened nothing of its own, and left only its key claimed)
    driver = await fresh_clinic()
    journey = await driver.drive_to("HANDOVER")
    token = driver.token(Role.FRONT_DESK)
    data = await driver.api.run(aftercare.WARRANTY_OF, token, id=journey["id"])
    number = data["journey"]["warrantyCard"]["number"]
    earlier = {"warrantyNumber": number, "reason": "asymmetry", "idempotencyKey": new_key()}
    coming = (await driver.api.run(aftercare.CLAIM_WARRANTY, token, input=earlier))["claimWarranty"]
    claim = {**earlier, "reason": "a lump", "idempotencyKey": new_key()}
    first = None
    if lost:
        with monkeypatch.context() as dying, pytest.raises(TransportQueryError):
            dying.setattr(WarrantyClaim, "create", _dies)
            await driver.api.run(aftercare.CLAIM_WARRANTY, token, input=claim)
    else:
        first = (await driver.api.run(aftercare.CLAIM_WARRANTY, token, input=claim))[
            "claimWarranty"
        ]
    # When the card's period has ended by the time the desk retries
    ended = datetime.now(UTC)
    monkeypatch.setattr(warranty, "covers", lambda ends_at, moment, zone: moment < ended)
    retry = (await driver.api.run(aftercare.CLAIM_WARRANTY, token, input=claim))["claimWarranty"]
    # Then it is the claim, served by the recheck the client had coming, and no other opened
    assert retry["__typename"] == "WarrantyClaimed", retry
    assert retry["recheckJourney"]["id"] == coming["recheckJourney"]["id"]
    assert first is None or retry == first
    client = (await WarrantyCard.get(number=number)).client_id
    assert await JourneyRow.filter(client_id=client, visit_category="RECHECK").count() == 1
    assert await WarrantyClaim.filter(card_id=number).count() == 2
    # While the same claim under a new key is refused: the period has ended
    fresh = {**claim, "idempotencyKey": new_key()}
    refused = await driver.api.run(aftercare.CLAIM_WARRANTY, token, input=fresh)
    assert refused["claimWarranty"]["__typename"] == "WarrantyExpired", refused


async def _dies(*args: object, **kwargs: object) -> None:
    raise RuntimeError("the process died here")
