"""Steps past the bound on one journey are refused at once (`schema.journeys.steps_in_flight`):
`Unavailable` with when to come back, before the key is claimed or a draft written, and the
same request goes through later. Before, each waited up to 20 s for its turn holding its
request, its key's claim and its draft: 400 notes at once on one journey left 73 waiting 20 s
only to hear `Unavailable`."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from domain.journey.facts import ActionRequest, ActionResult
from domain.roles import Role
from domain.store.models import IdempotencyKey, JourneyRecord
from schema.ids import decode_id
from schema.journeys.steps_in_flight import MAX_STEPS_IN_FLIGHT, RETRY_AFTER_SECONDS
from tests.api.flow import JourneyDriver, new_key
from tests.api.harness import eventually
from workflows.client import JourneyGateway

NUDGE = """
mutation Nudge($input: SupervisorNoteInput!) {
  nudgeJourney(input: $input) {
    __typename
    ... on UserError { code message }
    ... on Unavailable { retryAfterSeconds }
    ... on JourneyPayload { journey { history { action } } }
  }
}"""
# Bounds every wait of the test: the refusal is at once, the held steps end when released.
WITHIN_SECONDS = 20


class HeldSteps:
    """The journey gateway's `act`, held until released, counting the steps that reached it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.released = asyncio.Event()
        self.reached = 0
        act = JourneyGateway.act

        async def held(
            gateway: JourneyGateway, journey_id: str, request: ActionRequest, update_id: str
        ) -> ActionResult:
            self.reached += 1
            async with asyncio.timeout(WITHIN_SECONDS):
                await self.released.wait()
            return await act(gateway, journey_id, request, update_id)

        monkeypatch.setattr(JourneyGateway, "act", held)


async def test_a_step_past_the_bound_on_a_journey_is_unavailable_at_once_and_writes_nothing(
    driver: JourneyDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    journey = await driver.start()
    raw_id = decode_id(journey["id"], "Journey")
    held = HeldSteps(monkeypatch)
    supervisor = driver.token(Role.SUPERVISOR)

    async def nudge(key: str, n: int) -> dict[str, Any]:
        input = {"journeyId": journey["id"], "note": f"call {n}", "idempotencyKey": key}
        return (await driver.api.run(NUDGE, supervisor, input=input))["nudgeJourney"]  # type: ignore[no-any-return]

    # Given as many notes on one journey as it takes at once, held on their way to Temporal
    try:
        steps = [asyncio.create_task(nudge(new_key(), n)) for n in range(MAX_STEPS_IN_FLIGHT)]

        async def reached() -> int:
            return held.reached

        await eventually(
            reached, lambda n: n == MAX_STEPS_IN_FLIGHT, timeout=WITHIN_SECONDS, what="held"
        )
        drafts = await JourneyRecord.filter(journey_id=raw_id).count()
        # When one more is sent
        key = new_key()
        async with asyncio.timeout(WITHIN_SECONDS):
            refused = await nudge(key, MAX_STEPS_IN_FLIGHT)
        # Then it is told to come back, at once (the others are still held), its key unclaimed
        # and no draft of it written
        assert refused["__typename"] == "Unavailable", refused
        assert refused["retryAfterSeconds"] == RETRY_AFTER_SECONDS
        assert not any(step.done() for step in steps)
        assert not await IdempotencyKey.exists(key=key)
        assert await JourneyRecord.filter(journey_id=raw_id).count() == drafts
    finally:
        held.released.set()
    # And the held notes are made once let go
    async with asyncio.timeout(WITHIN_SECONDS):
        answered = await asyncio.gather(*steps)
    assert {a["__typename"] for a in answered} == {"JourneyPayload"}, answered
    # And the refused one, sent again with its key, is made: the journey took room again
    again = await nudge(key, MAX_STEPS_IN_FLIGHT)
    assert again["__typename"] == "JourneyPayload", again
    notes = [e["action"] for e in again["journey"]["history"]].count("nudge")
    assert notes == MAX_STEPS_IN_FLIGHT + 1
