"""A client nobody accepted in time, nobody free to hand her on to, through the real server: the
supervisor's pushed board calls for her (UNACCEPTED) until the desk no longer waits on her
assignment, and then no longer: the supervisor places her anew (reassignClient) or moves her
journey to another consultant (reassignJourney), her consultant is said to have taken her
(acceptClient), or her journey ends. The log keeps the call."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from domain.roles import Role
from schema.ids import decode_id
from tests.api import documents
from tests.api.harness import Api
from tests.api.test_desk_emergency import (
    ACCEPT,
    PUSHED,
    _board_pushed,
    _logged,
    _placed_with_the_first,
    _seat,
)
from tests.api.test_triage_api import _desk_clinic

OVERRIDE = """
mutation {name}($input: DeskOverrideInput!) {{
  {name}(input: $input) {{
    __typename
    ... on UserError {{ code message }}
    ... on TriageBoardPayload {{ board {{ version alerts {{ kind journeyId }} }} }}
  }}
}}"""


@dataclass
class Unaccepted:
    """A client nobody accepted in time, and the supervisor's pushed board calling for her."""

    clinic: str
    desk: str  # the front desk's token
    supervisor: str  # the supervisor's
    consultants: list[str]
    journey: str
    pushes: AsyncIterator[Any]


async def _override(api: Api, name: str, token: str, **given: Any) -> dict[str, Any]:
    """The answer's board of the desk override `name` (reassignClient, consultantLeft)."""
    done = await api.run(OVERRIDE.format(name=name), token, input=given)
    assert done[name]["__typename"] == "TriageBoardPayload", done
    return dict(done[name]["board"])


@contextlib.asynccontextmanager
async def _unaccepted_on_the_board(api: Api) -> AsyncIterator[Unaccepted]:
    """A client the desk gave the first consultant, who then left the clinic with every other
    consultant busy: handed on at once to nobody, the supervisor called. For the block, the
    supervisor's board pushed once it calls for her."""
    clinic, staff, consultants = await _desk_clinic(api)
    desk, supervisor = staff[Role.FRONT_DESK].token, staff[Role.SUPERVISOR].token
    journey = await _placed_with_the_first(api, desk, consultants)
    for consultant in consultants[1:]:
        await _seat(api, desk, consultant, status="BUSY")
    async with api.subscription(PUSHED, supervisor, clinicId=clinic) as stream:
        pushes = aiter(stream)
        left = {"consultantId": consultants[0], "reason": "left the clinic"}
        board = await _override(api, "consultantLeft", supervisor, **left)
        assert board["alerts"] == [{"kind": "UNACCEPTED", "journeyId": journey}], board
        # (the board is read from the desk's log, which lags the desk's answer)
        await _board_pushed(pushes, lambda kinds: kinds == ["UNACCEPTED"])
        yield Unaccepted(clinic, desk, supervisor, consultants, journey, pushes)


async def placed_anew(api: Api, her: Unaccepted) -> list[Any] | None:
    anew = {
        "journeyId": her.journey,
        "consultantId": her.consultants[1],
        "rule": "CLIENT_REQUEST",
        "reason": "the supervisor found her a consultant",
    }
    return list((await _override(api, "reassignClient", her.supervisor, **anew))["alerts"])


async def taken(api: Api, her: Unaccepted) -> list[Any] | None:
    done = await api.run(ACCEPT, her.desk, input={"journeyId": her.journey})
    assert done["acceptClient"]["__typename"] == "TriageBoardPayload", done
    return list(done["acceptClient"]["board"]["alerts"])


async def ended(api: Api, her: Unaccepted) -> list[Any] | None:
    cancelled = {"journeyId": her.journey, "reason": "could not wait any longer"}
    done = await api.run(documents.CANCEL_JOURNEY, her.desk, input=cancelled)
    assert done["cancelJourney"]["__typename"] == "JourneyPayload", done
    return None  # the journey's answer holds no board


async def moved(api: Api, her: Unaccepted) -> list[Any] | None:
    elsewhere = {
        "journeyId": her.journey,
        "consultantId": her.consultants[1],
        "reason": "the supervisor moved her journey",
    }
    done = await api.run(documents.REASSIGN_JOURNEY, her.supervisor, input=elsewhere)
    assert done["reassignJourney"]["__typename"] == "JourneyPayload", done
    return None  # the journey's answer holds no board


Settled = Callable[[Api, Unaccepted], Awaitable[list[Any] | None]]


@pytest.mark.parametrize("settle", [placed_anew, taken, ended, moved], ids=lambda s: s.__name__)
async def test_a_client_nobody_accepted_leaves_the_pushed_board_once_settled(
    api: Api, settle: Settled
) -> None:
    # Given a client nobody accepted in time, nobody free to hand her on to: the supervisor's
    # pushed board calls for her
    async with _unaccepted_on_the_board(api) as her:
        # When the supervisor places her anew or moves her journey, she is said to be taken, or
        # her journey ends
        answered = await settle(api, her)

        # Then the answer's board, where there is one, and the board pushed to the supervisor
        # no longer call for her
        assert answered in (None, [])
        await _board_pushed(her.pushes, lambda kinds: kinds == [])
    # And the log still keeps the supervisor's call
    [call] = await _logged(her.clinic, ["SUPERVISOR_ALERT"], 1)
    assert call.journey_id == decode_id(her.journey, "Journey")
