"""Live journeys over graphql-transport-ws: timer-driven changes reach the subscriber."""

from __future__ import annotations

import asyncio
from typing import Any

from gql.graphql_request import GraphQLRequest

from domain.roles import Role
from tests.api import documents
from tests.api.flow import JourneyDriver
from tests.api.harness import Api

WAIT = 30  # seconds; the first follow-up falls due 2 s after handover


async def first_matching(stream: Any, accept: Any) -> dict[str, Any]:
    """The first pushed journey `accept` takes (bounded); then unsubscribes."""

    async def scan() -> dict[str, Any]:
        async for result in stream:
            journey = result["journeyChanged"]
            if accept(journey):
                return journey  # type: ignore[no-any-return]
        raise AssertionError("the subscription ended first")

    try:
        return await asyncio.wait_for(scan(), timeout=WAIT)
    finally:
        await stream.aclose()  # sends `complete`; the connection then closes at once


async def test_a_follow_up_falling_due_is_pushed(api: Api, driver: JourneyDriver) -> None:
    # Given a journey just handed over, its follow-ups scheduled
    journey = await driver.drive_to("FOLLOW_UP")
    assert [f["status"] for f in journey["followUps"]] == ["SCHEDULED", "SCHEDULED"]
    handed_over = len(journey["history"])

    # When follow-up staff open it and watch it (nobody calls a mutation from now on)
    async with api.websocket(driver.token(Role.FOLLOW_UP_STAFF)) as session:
        # Reading the journey on the same connection first keeps clear of the bug that
        # test_the_first_change_reaches_a_new_subscriber exposes (its history is then cached).
        opened = await session.execute(
            GraphQLRequest(documents.JOURNEY, variable_values={"id": journey["id"]})
        )
        assert opened["journey"]["history"] == journey["history"]
        stream = session.subscribe(
            GraphQLRequest(documents.JOURNEY_CHANGED, variable_values={"id": journey["id"]})
        )
        # Then the change the first follow-up's timer makes arrives by itself
        pushed = await first_matching(
            stream, lambda j: j["history"][-1]["action"] == "follow_up_due"
        )
        await stream.aclose()  # or the connection's close waits for it to hear its end

    assert_first_follow_up_due(pushed, journey, handed_over)


async def test_the_first_change_reaches_a_new_subscriber(api: Api, driver: JourneyDriver) -> None:
    # Given a journey just handed over
    journey = await driver.drive_to("FOLLOW_UP")
    handed_over = len(journey["history"])
    # When someone subscribes to it straight away, on a connection of its own
    caller = driver.token(Role.FOLLOW_UP_STAFF)
    async with api.subscription(documents.JOURNEY_CHANGED, caller, id=journey["id"]) as stream:
        # Then the timer's change is pushed to them
        pushed = await first_matching(
            stream, lambda j: j["history"][-1]["action"] == "follow_up_due"
        )
    assert_first_follow_up_due(pushed, journey, handed_over)


def assert_first_follow_up_due(
    pushed: dict[str, Any], journey: dict[str, Any], handed_over: int
) -> None:
    assert pushed["id"] == journey["id"]
    assert pushed["stage"] == "FOLLOW_UP"
    assert [f["status"] for f in pushed["followUps"]] == ["DUE", "SCHEDULED"]
    due = pushed["history"][-1]
    assert due["seq"] == handed_over + 1
    assert (due["action"], due["actorRole"], due["actorId"]) == (
        "follow_up_due",
        "SYSTEM",
        "system",
    )
    assert due["summary"] == "follow-up due: 2s"
    assert pushed["history"][:handed_over] == journey["history"]
