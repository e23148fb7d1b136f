"""Inputs at the edges: over-long ids and cursors, absurd amounts, keys reused for other input.

Each is refused with a typed error (or null) at once, and changes nothing.
"""

from __future__ import annotations

import asyncio
import base64

from temporalio.testing import WorkflowEnvironment

from domain.roles import Role
from tests.api import documents
from tests.api.flow import JourneyDriver, assert_unchanged, new_key
from tests.api.harness import Api

RAW_ID_COLUMN = 64  # the id columns' max_length in the read model
ANSWER_WITHIN = 10  # seconds; a refused action answers in milliseconds


def global_id(type_name: str, raw_id: str) -> str:
    return base64.b64encode(f"{type_name}:{raw_id}".encode()).decode()


def cursor(raw_id: str) -> str:
    return base64.urlsafe_b64encode(f"2020-01-01T00:00:00+00:00|{raw_id}".encode()).decode()


async def test_ids_as_long_as_the_column_are_simply_unknown(
    api: Api, driver: JourneyDriver
) -> None:
    token = driver.token(Role.FRONT_DESK)
    longest = global_id("Journey", "x" * RAW_ID_COLUMN)
    assert (await api.run(documents.JOURNEY, token, id=longest))["journey"]["__typename"] == (
        "NotFound"
    )
    assert (await api.run(documents.NODE, token, id=longest))["node"] is None
    page = await api.run(documents.JOURNEYS, token, after=cursor("x" * RAW_ID_COLUMN))
    assert page["journeys"]["__typename"] == "JourneyConnection"


async def test_ids_longer_than_the_column_are_not_found(api: Api, driver: JourneyDriver) -> None:
    # Given well-formed global ids and cursors whose raw id is one character too long
    token = driver.token(Role.FRONT_DESK)
    too_long = global_id("Journey", "x" * (RAW_ID_COLUMN + 1))
    # When they are used, Then they are unknown ids and bad cursors, not server errors
    assert (await api.run(documents.NODE, token, id=too_long))["node"] is None
    journey = (await api.run(documents.JOURNEY, token, id=too_long))["journey"]
    assert journey["__typename"] == "NotFound"
    result = await driver.act(documents.CHECK_IN, Role.FRONT_DESK, journeyId=too_long)
    assert result["__typename"] == "NotFound"
    page = await api.run(documents.JOURNEYS, token, after=cursor("x" * (RAW_ID_COLUMN + 1)))
    assert page["journeys"]["__typename"] == "ValidationFailed"


async def test_an_absurd_amount_is_refused_and_the_journey_goes_on(
    driver: JourneyDriver, temporal_env: WorkflowEnvironment
) -> None:
    # Given a journey waiting for payment
    # (read back as a supervisor, as `assert_unchanged` reads it: the nurse who signed
    # the consent reads no plan price)
    journey = await driver.journey((await driver.drive_to("PAYMENT"))["id"])
    try:
        # When the cashier types an absurd amount (the largest exponent the Decimal scalar
        # lets through; beyond it the scalar refuses the number itself)
        result = await asyncio.wait_for(
            driver.act(
                documents.RECORD_PAYMENT,
                Role.CASHIER,
                journeyId=journey["id"],
                amount="1E+40",
                currency="EUR",
                method="CARD",
                kind="FULL",
            ),
            timeout=ANSWER_WITHIN,
        )
    except TimeoutError:
        # The journey is wedged: end it, so no worker keeps retrying it after this test
        raw_id = base64.b64decode(journey["id"]).decode().partition(":")[2]
        await temporal_env.client.get_workflow_handle(raw_id).terminate("wedged by a test")
        raise
    # Then it is refused as invalid, nothing is paid, and the journey still takes a payment
    assert result["__typename"] == "ValidationFailed", result
    assert [p["field"] for p in result["problems"]] == ["amount"]
    await assert_unchanged(driver, journey)
    assert (await driver.pay(journey["id"]))["stage"] == "TREATMENT"


async def test_a_start_key_reused_for_another_client_is_a_conflict(driver: JourneyDriver) -> None:
    # Given a journey started for one client with an idempotency key
    key = new_key()
    first = await driver.start(await driver.register_client("Ewa First"), idempotencyKey=key)
    other_client = await driver.register_client("Olga Second")
    # When the same key comes with another client
    result = await driver.act(
        documents.START_JOURNEY, Role.FRONT_DESK, clientId=other_client, idempotencyKey=key
    )
    # Then it is a conflict: the first client's journey is not handed back as the second's
    handed_back = (result.get("journey") or {}).get("id")
    assert result["__typename"] == "Conflict", (
        f"handed back {handed_back}, the first client's journey is {first['id']}"
    )
    assert result["code"] == "CONFLICT"
