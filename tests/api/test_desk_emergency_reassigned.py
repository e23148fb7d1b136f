"""Through the real server: an emergency the supervisor placed anew, with reassignClient or by
moving her journey (reassignJourney), stays on the supervisor's pushed board until her new
consultant acts first on her journey, and leaves it then: she is in hand. The log keeps the
EMERGENCY entry, and an ACCEPTED one names who took her."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

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
    anew = {
        "journeyId": journey,
        "consultantId": consultant,
        "rule": "CLIENT_REQUEST",
        "reason": "the client asked for another consultant",
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


@pytest.mark.parametrize(
    "place_anew", [with_reassign_client, with_reassign_journey], ids=lambda p: p.__name__
)
async def test_an_emergency_placed_anew_leaves_the_board_once_her_new_consultant_acts(
    api: Api, place_anew: PlaceAnew
) -> None:
    # Given a client the desk gave the first consultant, marked an emergency (he is free: she
    # stays with him), the supervisor's pushed board calling for her
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

        # When the supervisor places her anew with the second consultant
        await place_anew(driver, journey, consultants[1])
        # (reassignClient's hand-over reaches the journey a moment after the desk's answer)
        await eventually(
            lambda: driver.journey(journey),
            lambda j: j["consultant"]["id"] == consultants[1],
            timeout=30,
            what="the journey naming the second consultant",
        )
        # And the second consultant records the consultation
        await driver.consult(journey)

        # Then her alert leaves the board pushed to the supervisor
        await _board_pushed(pushes, lambda kinds: kinds == [])
    # And the log keeps the emergency, and says the second consultant took her
    [accepted] = await _logged(clinic, ["ACCEPTED"], 1)
    assert accepted.consultant_id == decode_id(consultants[1], "StaffMember")
    assert accepted.journey_id == decode_id(journey, "Journey")
    await _logged(clinic, ["EMERGENCY"], 1)
