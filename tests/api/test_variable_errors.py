"""A variable's value the schema cannot take (graphql-core refuses it before any resolver runs)
is a GraphQL error whose extensions name the input and the problem, as a refused argument's do
(`InputNotAccepted`): `code` VALIDATION_FAILED, `field` (the variable and the path in it) and
`problemCode`. Before, they were empty, and a client read the message to find its input."""

from __future__ import annotations

from typing import Any

import pytest

from domain.roles import Role
from tests.api import documents
from tests.api.flow import JourneyDriver
from tests.api.hostile import send_graphql

PAYMENT = {"amount": "100.00", "currency": "EUR", "method": "CARD", "kind": "FULL"}
PAGE = "query Page($first: Int!) { journeys(first: $first) { __typename } }"


def _payment(journey_id: str, **changed: Any) -> dict[str, Any]:
    payment = {"journeyId": journey_id, **PAYMENT, **changed}
    return {key: value for key, value in payment.items() if value is not None}


@pytest.mark.parametrize(
    ("changed", "field", "problem"),
    [
        ({"amount": "twelve"}, "input.amount", "BAD_FORMAT"),
        ({"amount": "1E+400"}, "input.amount", "BAD_FORMAT"),
        ({"method": "BARTER"}, "input.method", "UNKNOWN_VALUE"),
        ({"currency": None}, "input.currency", "REQUIRED"),
        ({"tip": "5.00"}, "input.tip", "UNKNOWN_VALUE"),
        ({"tip-x": "5.00"}, "input.tip-x", "UNKNOWN_VALUE"),
        ({"journeyId": ["a", "b"]}, "input.journeyId", "BAD_FORMAT"),
    ],
)
async def test_a_variable_the_schema_cannot_take_names_its_input_and_problem(
    driver: JourneyDriver, changed: dict[str, Any], field: str, problem: str
) -> None:
    # When the cashier sends a payment whose variable the schema cannot take (refused before
    # anything reads the journey it names)
    variables = {"input": _payment("Sm91cm5leTpub25l", **changed)}
    token = driver.token(Role.CASHIER)
    answer = await send_graphql(driver.api, documents.RECORD_PAYMENT, variables, token=token)
    # Then the one error names the input and the problem, its message as graphql-core words it
    body = answer.json()
    assert body.get("data") is None, body
    (error,) = body["errors"]
    assert error["message"].startswith("Variable '$input' has invalid value"), error
    expected = {"code": "VALIDATION_FAILED", "field": field, "problemCode": problem}
    assert error["extensions"] == expected, error


@pytest.mark.parametrize(
    ("first", "problem"),
    [
        (2**31, "OUT_OF_RANGE"),
        ("ten", "BAD_FORMAT"),
        # What the caller sent is quoted in the message: it does not decide the problem
        ("to include required field 'zz'", "BAD_FORMAT"),
    ],
)
async def test_a_whole_variable_refused_names_the_variable(
    driver: JourneyDriver, first: Any, problem: str
) -> None:
    # When a page is asked with a size no Int holds, or no number at all
    token = driver.token(Role.SUPERVISOR)
    answer = await send_graphql(driver.api, PAGE, {"first": first}, token=token)
    # Then the error names the variable itself
    (error,) = answer.json()["errors"]
    assert error["extensions"] == {
        "code": "VALIDATION_FAILED",
        "field": "first",
        "problemCode": problem,
    }, error


async def test_a_required_variable_left_out_is_required(driver: JourneyDriver) -> None:
    answer = await send_graphql(driver.api, PAGE, {}, token=driver.token(Role.SUPERVISOR))
    (error,) = answer.json()["errors"]
    assert error["extensions"]["field"] == "first", error
    assert error["extensions"]["problemCode"] == "REQUIRED", error


async def test_an_unknown_field_s_long_name_is_named_shortened(driver: JourneyDriver) -> None:
    # When a payment names a field a thousand characters long
    variables = {"input": _payment("Sm91cm5leTpub25l", **{"x" * 1000: 1})}
    token = driver.token(Role.CASHIER)
    answer = await send_graphql(driver.api, documents.RECORD_PAYMENT, variables, token=token)
    # Then the error names it cut short, as its message quotes it
    (error,) = answer.json()["errors"]
    field = error["extensions"]["field"]
    assert field.startswith("input.xxx") and field.endswith("…") and len(field) <= 81, field
    assert error["extensions"]["problemCode"] == "UNKNOWN_VALUE", error
