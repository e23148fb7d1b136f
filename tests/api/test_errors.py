"""Every error member of the JourneyResult union, and that a refused action changes nothing."""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable

import pytest

from domain.roles import Role
from tests.api import documents
from tests.api.flow import NEEDS, PLAN, JourneyDriver, assert_unchanged, new_key
from tests.api.harness import Api


async def test_payment_at_triage_is_not_allowed(driver: JourneyDriver) -> None:
    # Given a journey waiting at triage
    journey = await driver.start()
    # When the cashier records a payment
    result = await driver.act(
        documents.RECORD_PAYMENT,
        Role.CASHIER,
        journeyId=journey["id"],
        amount="10.00",
        currency="EUR",
        method="CASH",
        kind="FULL",
    )
    # Then it is refused with the stage and what the cashier may do there (nothing)
    assert result == {
        "__typename": "TransitionNotAllowed",
        "code": "TRANSITION_NOT_ALLOWED",
        "message": "not possible in stage TRIAGE",
        "stage": "TRIAGE",
        "allowedActions": [],
    }
    await assert_unchanged(driver, journey)


async def test_a_refusal_lists_the_actions_the_viewer_may_take(driver: JourneyDriver) -> None:
    journey = await driver.start()
    result = await driver.act(documents.MARK_NO_SHOW, Role.FRONT_DESK, journeyId=journey["id"])
    assert result["__typename"] == "TransitionNotAllowed"
    assert result["stage"] == "TRIAGE"
    assert result["allowedActions"] == ["ASSIGN_CONSULTANT", "DECLINE", "CANCEL"]
    await assert_unchanged(driver, journey)


async def test_the_cashier_may_not_assign_a_consultant(driver: JourneyDriver) -> None:
    journey = await driver.start()
    result = await driver.act(
        documents.ASSIGN_CONSULTANT,
        Role.CASHIER,
        journeyId=journey["id"],
        consultantId=driver.staff[Role.CONSULTANT].global_id,
    )
    assert result == {
        "__typename": "NotAuthorized",
        "code": "NOT_AUTHORIZED",
        "message": "Mutation.assignConsultant needs one of: FRONT_DESK, SUPERVISOR",
    }
    await assert_unchanged(driver, journey)


async def test_without_a_valid_token_nothing_is_done(api: Api, driver: JourneyDriver) -> None:
    journey = await driver.start()
    variables = {
        "journeyId": journey["id"],
        "consultantId": driver.staff[Role.CONSULTANT].global_id,
    }
    forged = driver.token(Role.SUPERVISOR)[:-4] + "AAAA"
    for token in (None, forged, "not-a-token"):
        data = await api.run(documents.ASSIGN_CONSULTANT, token, input=variables)
        assert data["assignConsultant"] == {
            "__typename": "NotAuthorized",
            "code": "NOT_AUTHORIZED",
            "message": "sign in first",
        }, token
    await assert_unchanged(driver, journey)


# A plan naming a catalogue item that does not exist: each plan's check reads the price list and
# the catalogue, and 2,500 such plans took 27.6 s before the count was checked first.
UNKNOWN_ITEM_PLAN = {**PLAN, "catalogItemIds": ["Q2F0YWxvZ0l0ZW06bm9uZQ=="]}


@pytest.mark.parametrize("plans", [[], [UNKNOWN_ITEM_PLAN] * 400], ids=["none", "400"])
async def test_a_consultation_proposes_one_to_three_plans_counted_before_any_is_checked(
    driver: JourneyDriver, plans: list[dict[str, object]]
) -> None:
    journey = await driver.drive_to("CONSULTATION")
    result = await driver.act(
        documents.RECORD_CONSULTATION,
        Role.CONSULTANT,
        journeyId=journey["id"],
        occupation="architect",
        needs=NEEDS,
        assessment={"psychological": "p", "spendingCapacity": "s", "physicalCondition": "c"},
        plans=plans,
    )
    # The count alone is the answer: no plan was checked
    assert result == {
        "__typename": "ValidationFailed",
        "code": "VALIDATION_FAILED",
        "message": "plans: propose one to three plans",
        "problems": [{"field": "plans", "message": "propose one to three plans"}],
    }
    await assert_unchanged(driver, journey)


async def test_payments_need_the_bills_currency(driver: JourneyDriver) -> None:
    # Given a journey whose approved plan is billed in EUR
    # (read back as a supervisor, as `assert_unchanged` reads it: the nurse who signed
    # the consent reads no plan price)
    journey = await driver.journey((await driver.drive_to("PAYMENT"))["id"])
    for currency, problem in [
        ("eur", "an ISO 4217 code such as EUR or PLN"),  # refused by the API
        ("USD", "the bill is in EUR"),  # refused by the journey itself
    ]:
        # When the cashier pays in another currency
        result = await driver.act(
            documents.RECORD_PAYMENT,
            Role.CASHIER,
            journeyId=journey["id"],
            amount=PLAN["price"],
            currency=currency,
            method="CARD",
            kind="FULL",
        )
        # Then the field is named, and nothing is paid
        assert result["__typename"] == "ValidationFailed", result
        assert result["code"] == "VALIDATION_FAILED"
        assert result["problems"] == [{"field": "currency", "message": problem}]
    await assert_unchanged(driver, journey)


async def test_satisfaction_is_one_to_five(driver: JourneyDriver) -> None:
    journey = await driver.drive_to("FOLLOW_UP")
    journey = await driver.wait_until_due(journey["id"], count=1)
    result = await driver.act(
        documents.COMPLETE_FOLLOW_UP,
        Role.FOLLOW_UP_STAFF,
        journeyId=journey["id"],
        followUpId="fu-1",
        outcome="REACHED",
        satisfaction=7,
    )
    assert result == {
        "__typename": "ValidationFailed",
        "code": "VALIDATION_FAILED",
        "message": "satisfaction: a reached client's satisfaction is 1 to 5",
        "problems": [
            {"field": "satisfaction", "message": "a reached client's satisfaction is 1 to 5"}
        ],
    }
    after = await driver.journey(journey["id"])
    assert after["followUps"][0]["status"] == "DUE"
    assert after["followUps"][0]["attempts"] == 0
    assert after["history"][-1]["action"] == "follow_up_due"
    assert after["stage"] == "FOLLOW_UP"


async def test_unknown_journeys_are_not_found(
    driver: JourneyDriver, fresh_clinic: Callable[[], Awaitable[JourneyDriver]]
) -> None:
    journey = await driver.start()
    client_id = await driver.register_client()  # a well-formed id, of another type
    elsewhere = await (await fresh_clinic()).start()
    unknown = base64.b64encode(b"Journey:no-such-journey").decode()
    for journey_id in ("garbage", unknown, client_id, elsewhere["id"]):
        result = await driver.act(documents.CHECK_IN, Role.FRONT_DESK, journeyId=journey_id)
        assert result == {
            "__typename": "NotFound",
            "code": "NOT_FOUND",
            "message": "journey not found",
        }, journey_id
    await assert_unchanged(driver, journey)


async def test_a_key_reused_for_another_action_is_a_conflict(driver: JourneyDriver) -> None:
    # Given an assignment made with an idempotency key
    key = new_key()
    journey = await driver.assign((await driver.start())["id"], idempotencyKey=key)
    # When the same key comes with a different action
    result = await driver.act(
        documents.CANCEL_JOURNEY,
        Role.FRONT_DESK,
        journeyId=journey["id"],
        reason="changed mind",
        idempotencyKey=key,
    )
    # Then it is a conflict, and the journey is not cancelled
    assert result == {
        "__typename": "Conflict",
        "code": "CONFLICT",
        "message": "this idempotency key was used for another request",
    }
    await assert_unchanged(driver, journey)


async def test_a_retried_action_is_done_once(driver: JourneyDriver) -> None:
    # Given an assignment made with an idempotency key
    key = new_key()
    first = await driver.assign((await driver.start())["id"], idempotencyKey=key)
    assert [e["action"] for e in first["history"]][-1] == "assign_consultant"
    # When the client retries it with the same key (the answer was lost on the way)
    again = await driver.assign(first["id"], idempotencyKey=key)
    # Then the same journey comes back and no event is added
    assert again == first
    await assert_unchanged(driver, first)


async def test_a_retried_start_opens_one_journey(driver: JourneyDriver) -> None:
    key = new_key()
    client_id = await driver.register_client()
    first = await driver.start(client_id, idempotencyKey=key)
    again = await driver.start(client_id, idempotencyKey=key)
    assert again == first
    assert len(first["history"]) == 2
