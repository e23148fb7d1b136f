"""Two desks registering the same arrival at once open one journey; keys are bounded."""

from __future__ import annotations

import asyncio
from collections import Counter

from domain.roles import Role
from domain.store.models import Journey
from schema.ids import decode_id
from tests.api import documents
from tests.api.flow import JourneyDriver, new_key


async def _start_many(driver: JourneyDriver, client_id: str, keys: list[str | None]) -> list[dict]:  # type: ignore[type-arg]
    async def one(key: str | None) -> dict:  # type: ignore[type-arg]
        extra = {"idempotencyKey": key} if key else {}
        return await driver.act(
            documents.START_JOURNEY, Role.FRONT_DESK, clientId=client_id, **extra
        )

    return list(await asyncio.gather(*(one(key) for key in keys)))


async def test_four_simultaneous_starts_for_one_client_open_one_journey(
    driver: JourneyDriver,
) -> None:
    client_id = await driver.register_client("Maria Równoległa")
    results = await _start_many(driver, client_id, [None, None, None, None])
    kinds = Counter(r["__typename"] for r in results)
    assert kinds["JourneyPayload"] == 1, results
    assert kinds["ValidationFailed"] == 3
    raw_client = decode_id(client_id, "Client")
    assert await Journey.filter(client_id=raw_client, active=True).count() == 1


async def test_three_simultaneous_retries_of_one_start_open_one_journey(
    driver: JourneyDriver,
) -> None:
    client_id = await driver.register_client("Jan Ponowny")
    key = new_key()
    results = await _start_many(driver, client_id, [key, key, key])
    started = {r["journey"]["id"] for r in results if r["__typename"] == "JourneyPayload"}
    assert len(started) == 1, results
    assert all(r["__typename"] in ("JourneyPayload", "Conflict") for r in results)
    # And a later retry with the key answers the same journey
    again = await driver.act(
        documents.START_JOURNEY, Role.FRONT_DESK, clientId=client_id, idempotencyKey=key
    )
    assert again["__typename"] == "JourneyPayload"
    assert again["journey"]["id"] in started
    raw_client = decode_id(client_id, "Client")
    assert await Journey.filter(client_id=raw_client).count() == 1


async def test_an_idempotency_key_longer_than_the_ledger_is_a_validation_error(
    driver: JourneyDriver,
) -> None:
    journey = await driver.start()
    before = await driver.journey(journey["id"])
    result = await driver.act(
        documents.CHECK_IN, Role.FRONT_DESK, journeyId=journey["id"], idempotencyKey="k" * 201
    )
    assert result["__typename"] == "ValidationFailed"
    assert result["problems"][0]["field"] == "idempotencyKey"
    assert len((await driver.journey(journey["id"]))["history"]) == len(before["history"])
