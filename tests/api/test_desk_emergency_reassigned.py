"""Through the real server: an emergency the supervisor placed anew, with reassignClient (a
stand-in too) or by moving her journey (reassignJourney), stays on the supervisor's pushed board
until her new consultant acts first on her journey, and leaves it then: she is in hand. The log
keeps the EMERGENCY entry, and an ACCEPTED one names who took her. Her journey ending before then
takes her off the board too, a RELEASED entry naming the consultant she was placed anew with."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from domain.roles import Role
from schema.ids import decode_id
from tests.api import documents
from tests.api.flow import JourneyDriver
from tests.api.harness import Api, eventually
from tests.api.test_desk_emergency import (
    MARK,
    PUSHED,
    _board_pushed,
    _logged,
    _placed_with_the_first,
)
from tests.api.test_desk_learns import _sign_in
from tests.api.test_desk_unaccepted import _override
from tests.api.test_triage_api import _desk_clinic

PlaceAnew = Callable[[JourneyDriver, str, str], Awaitable[None]]


async def with_reassign_client(driver: JourneyDriver, journey: str, consultant: str) -> None:
    await _reassign_client(driver, journey, consultant, "CLIENT_REQUEST")


async def with_stand_in(driver: JourneyDriver, journey: str, consultant: str) -> None:
    """reassignClient naming a stand-in (OWNER_STAND_IN): her owner keeps her, her journey names
    the stand-in all the same."""
    await _reassign_client(driver, journey, consultant, "OWNER_STAND_IN")


async def _reassign_client(driver: JourneyDriver, journey: str, consultant: str, rule: str) -> None:
    anew = {
        "journeyId": journey,
        "consultantId": consultant,
        "rule": rule,
        "reason": "the supervisor placed her anew",
    }
    board = await _override(driver.api, "reassignClient", driver.token(Role.SUPERVISOR), **anew)
    # Placed anew, but not yet in hand: her emergency still calls the supervisor
    assert [a["kind"] for a in board["alerts"]] == ["EMERGENCY"], board


async def with_reassign_journey(driver: JourneyDriver, journey: str, consultant: str) -> None:
    await driver.ok(
        documents.REASSIGN_JOURNEY,
        Role.SUPERVISOR,
        journeyId=journey,
        consultantId=consultant,
        reason="the client asked for another consultant",
    )


@dataclass
class PlacedAnew:
    """An emergency placed anew with the second consultant, her alert on the supervisor's board."""

    clinic: str
    driver: JourneyDriver  # the second consultant's, with the clinic's other staff
    consultants: list[str]
    journey: str
    pushes: AsyncIterator[Any]


@contextlib.asynccontextmanager
async def _placed_anew(api: Api, place_anew: PlaceAnew) -> AsyncIterator[PlacedAnew]:
    """A client the desk gave the first consultant, marked an emergency (he is free: she stays
    with him), then placed anew with the second by `place_anew`, her journey naming the second.
    For the block, the supervisor's board pushed once it calls for her."""
    clinic, staff, consultants = await _desk_clinic(api)
    desk, supervisor = staff[Role.FRONT_DESK].token, staff[Role.SUPERVISOR].token
    journey = await _placed_with_the_first(api, desk, consultants)
    second = await _sign_in(api, f"{clinic}-c1", Role.CONSULTANT)
    driver = JourneyDriver(api, {**staff, Role.CONSULTANT: second})
    async with api.subscription(PUSHED, supervisor, clinicId=clinic) as stream:
        pushes = aiter(stream)
        mark = {"journeyId": journey, "reason": "OTHER_ACUTE", "idempotencyKey": uuid.uuid4().hex}
        marked = (await api.run(MARK, desk, input=mark))["markEmergency"]
        assert marked["__typename"] == "TriageBoardPayload", marked
        await _board_pushed(pushes, lambda kinds: kinds == ["EMERGENCY"])
        await place_anew(driver, journey, consultants[1])
        # (reassignClient's hand-over reaches the journey a moment after the desk's answer)
        await eventually(
            lambda: driver.journey(journey),
            lambda j: j["consultant"]["id"] == consultants[1],
            timeout=30,
            what="the journey naming the second consultant",
        )
        yield PlacedAnew(clinic, driver, consultants, journey, pushes)


PLACED_ANEW = pytest.mark.parametrize(
    "place_anew",
    [with_reassign_client, with_stand_in, with_reassign_journey],
    ids=lambda p: p.__name__,
)


@PLACED_ANEW
async def test_an_emergency_placed_anew_leaves_the_board_once_her_new_consultant_acts(
    api: Api, place_anew: PlaceAnew
) -> None:
    # Given an emergency the supervisor placed anew with the second consultant, the
    # supervisor's pushed board calling for her
    async with _placed_anew(api, place_anew) as her:
        # When the second consultant records the consultation
        await her.driver.consult(her.journey)

        # Then her alert leaves the board pushed to the supervisor
        await _board_pushed(her.pushes, lambda kinds: kinds == [])
    # And the log keeps the emergency, and says the second consultant took her
    [accepted] = await _logged(her.clinic, ["ACCEPTED"], 1)
    assert accepted.consultant_id == decode_id(her.consultants[1], "StaffMember")
    assert accepted.journey_id == decode_id(her.journey, "Journey")
    await _logged(her.clinic, ["EMERGENCY"], 1)


@PLACED_ANEW
async def test_an_emergency_placed_anew_whose_journey_ends_leaves_the_board(
    api: Api, place_anew: PlaceAnew
) -> None:
    # Given an emergency the supervisor placed anew with the second consultant, the
    # supervisor's pushed board calling for her
    async with _placed_anew(api, place_anew) as her:
        # When her journey is cancelled before the second consultant acts on it
        cancelled = {"journeyId": her.journey, "reason": "taken to hospital"}
        done = await her.driver.api.run(
            documents.CANCEL_JOURNEY, her.driver.token(Role.FRONT_DESK), input=cancelled
        )
        assert done["cancelJourney"]["__typename"] == "JourneyPayload", done

        # Then her alert leaves the board pushed to the supervisor
        await _board_pushed(her.pushes, lambda kinds: kinds == [])
    # And the log keeps the emergency, and says her journey ended with the second consultant's
    [released] = await _logged(her.clinic, ["RELEASED"], 1)
    assert released.consultant_id == decode_id(her.consultants[1], "StaffMember")
    assert released.journey_id == decode_id(her.journey, "Journey")
    await _logged(her.clinic, ["EMERGENCY"], 1)
    assert await _logged(her.clinic, ["ACCEPTED"], 0) == []
