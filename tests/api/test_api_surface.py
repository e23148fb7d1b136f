"""What an SPA developer meets at the edge of the API: numbers the `Decimal` scalar refuses,
who hears `NotAuthorized` first, and how refused requests are logged."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from graphql import GraphQLError

from domain.roles import Role
from schema.build import schema
from tests.api import documents
from tests.api.flow import NEEDS, PLAN, JourneyDriver, assert_unchanged
from tests.api.harness import Api
from tests.api.hostile import send_graphql

NOT_FINITE = ("NaN", "-NaN", "sNaN", "Infinity", "-Infinity", "inf")
HUGE = ("1e999999", "1E+400", "1e9999999999999999999999", 1e308)
FINITE_REQUIRED = "a finite number is required (no NaN or Infinity)"


def consultation(journey_id: str, price: Any, name: str = "architect") -> dict[str, Any]:
    return {
        "journeyId": journey_id,
        "occupation": name,
        "needs": NEEDS,
        "assessment": {
            "psychological": "realistic",
            "spendingCapacity": "medium",
            "physicalCondition": "good",
        },
        "plans": [{**PLAN, "price": price}],
    }


def payment(journey_id: str, amount: Any) -> dict[str, Any]:
    return {
        "journeyId": journey_id,
        "amount": amount,
        "currency": "EUR",
        "method": "CARD",
        "kind": "FULL",
    }


@pytest.mark.parametrize("signed_in", [True, False])
async def test_a_plan_price_that_is_not_finite_is_refused_by_the_scalar(
    driver: JourneyDriver, signed_in: bool
) -> None:
    # Given a journey in consultation
    journey = await driver.drive_to("CONSULTATION")
    token = driver.token(Role.CONSULTANT) if signed_in else None
    for price in NOT_FINITE + HUGE:
        # When a plan is priced NaN, Infinity or with an absurd exponent
        variables = {"input": consultation(journey["id"], price)}
        answer = await send_graphql(
            driver.api, documents.RECORD_CONSULTATION, variables, token=token
        )
        # Then the scalar refuses the variable, naming the field and why; nothing runs
        (message,) = answer.error_messages()
        assert "at .plans[0].price: Decimal cannot represent" in message, (price, message)
        why = FINITE_REQUIRED if price in NOT_FINITE else "the exponent is beyond ±40"
        assert message.endswith(f"{why}."), (price, message)
    await assert_unchanged(driver, journey)


async def test_a_payment_amount_that_is_not_finite_says_so(driver: JourneyDriver) -> None:
    # Given a journey waiting for payment
    # (read back as a supervisor, as `assert_unchanged` reads it: the nurse who signed
    # the consent reads no plan price)
    journey = await driver.journey((await driver.drive_to("PAYMENT"))["id"])
    for amount in ("NaN", "sNaN", "-Infinity"):
        # When the cashier records a NaN or infinite amount
        variables = {"input": payment(journey["id"], amount)}
        answer = await send_graphql(
            driver.api, documents.RECORD_PAYMENT, variables, token=driver.token(Role.CASHIER)
        )
        # Then the answer says the number must be finite (not "at most two decimal places")
        (message,) = answer.error_messages()
        assert message == (
            f"Variable '$input' has invalid value at .amount: "
            f'Decimal cannot represent "{amount}": {FINITE_REQUIRED}.'
        )
    await assert_unchanged(driver, journey)


async def test_a_finite_price_still_reaches_the_rules(driver: JourneyDriver) -> None:
    journey = await driver.drive_to("CONSULTATION")
    result = await driver.act(
        documents.RECORD_CONSULTATION, Role.CONSULTANT, **consultation(journey["id"], "12.345")
    )
    assert result["__typename"] == "ValidationFailed"
    assert result["problems"] == [
        {"field": "plans[0].price", "message": "at most two decimal places"}
    ]


async def test_a_caller_not_signed_in_hears_not_authorized_before_input_problems(
    api: Api, driver: JourneyDriver
) -> None:
    # Given a journey in consultation
    journey = await driver.drive_to("CONSULTATION")
    # When someone not signed in records a consultation with problems in every field
    broken = consultation(journey["id"], "-1.001", name="")
    broken["plans"] = []
    for name in ("\x00", ""):
        variables = {"input": {**broken, "occupation": name}}
        answer = await send_graphql(api, documents.RECORD_CONSULTATION, variables)
        # Then the answer is NotAuthorized, not a list of what the input lacks
        result = answer.json()["data"]["recordConsultation"]
        assert result["__typename"] == "NotAuthorized", result
    await assert_unchanged(driver, journey)


async def test_refused_requests_are_logged_at_info_with_the_operation_name(
    api: Api, driver: JourneyDriver, caplog: pytest.LogCaptureFixture
) -> None:
    token = driver.token(Role.SUPERVISOR)
    caplog.set_level(logging.INFO)
    caplog.clear()
    # When a client sends an unknown field, a wrongly typed variable and a NaN amount
    await send_graphql(api, "query Typo { journeys(first: 1) { nope } }", token=token)
    await send_graphql(
        api,
        "query Many($n: Int!) { journeys(first: $n) { __typename } }",
        {"n": "many"},
        token=token,
    )
    await send_graphql(api, documents.RECORD_PAYMENT, {"input": payment("x", "NaN")}, token=token)
    # Then nothing is logged at ERROR, and each refusal is logged at INFO with its operation
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    refused = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(refused) == 3, refused
    assert refused[0].startswith("operation Typo refused: Cannot query field 'nope'")
    assert refused[1].startswith("operation Many refused: Variable '$n' has invalid value")
    assert refused[2].startswith("operation Act refused: Variable '$input' has invalid value")


def test_a_fault_is_still_logged_at_error(caplog: pytest.LogCaptureFixture) -> None:
    # Given an error raised by a resolver's own bug (masked for the client)
    fault = GraphQLError("boom", original_error=RuntimeError("boom"))
    refusal = GraphQLError("Cannot query field 'nope' on type 'Query'.")
    # When the schema processes it together with a caller's mistake
    with caplog.at_level(logging.INFO):
        schema.process_errors([fault, refusal])
    # Then the fault is at ERROR with its traceback, the mistake at INFO
    levels = [(r.levelno, r.exc_info is not None) for r in caplog.records]
    assert sorted(levels) == [(logging.INFO, False), (logging.ERROR, True)]
