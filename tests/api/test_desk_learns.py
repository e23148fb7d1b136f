"""Through the real server: the desk learns acceptance from the consultant's first action on the
journey, and a journey that ends releases its pending assignment (no 10-minute hand-over)."""

from __future__ import annotations

from typing import Any

from domain.roles import Role
from server.seed import DEMO_PASSWORD
from tests.api import documents
from tests.api.flow import JourneyDriver
from tests.api.harness import Api, Staff, eventually
from tests.api.test_triage_api import AUTO_ASSIGN, _desk_clinic, _journey_at_triage

DESK_STATE = """
query Board($clinicId: ID!) {
  triageBoard(clinicId: $clinicId) {
    version
    pending { journeyId consultantId }
    alerts { message }
    seats { consultantId firstVisitTurns owedTurns }
  }
}"""


async def _sign_in(api: Api, username: str, role: Role) -> Staff:
    data = await api.run(documents.LOGIN, input={"username": username, "password": DEMO_PASSWORD})
    payload = data["login"]
    assert payload["__typename"] == "LoginPayload", payload
    staff = payload["staff"]
    return Staff(f"{username}", staff["id"], username, role, payload["token"])


async def _board(api: Api, token: str, clinic: str) -> dict[str, Any]:
    return (await api.run(DESK_STATE, token, clinicId=clinic))["triageBoard"]  # type: ignore[no-any-return]


async def _assigned(api: Api) -> tuple[str, str, JourneyDriver, str]:
    """A first visit the desk gave to the first consultant; that consultant signs in."""
    clinic, staff, consultants = await _desk_clinic(api)
    desk = staff[Role.FRONT_DESK].token
    journey = await _journey_at_triage(api, desk, 1)
    assigned = (await api.run(AUTO_ASSIGN, desk, input={"journeyId": journey}))["autoAssign"]
    assert assigned["decision"]["consultantId"] == consultants[0], assigned
    consultant = await _sign_in(api, f"{clinic}-c0", Role.CONSULTANT)
    driver = JourneyDriver(api, {**staff, Role.CONSULTANT: consultant})
    # The board is the desk's read model, written after its answer: on a busy machine a moment later
    await eventually(
        lambda: _board(api, desk, clinic),
        lambda b: [p["journeyId"] for p in b["pending"]] == [journey],
        timeout=10,
        what="the pending assignment on the board",
    )
    return clinic, journey, driver, desk


async def test_recording_the_consultation_is_the_acceptance(api: Api) -> None:
    clinic, journey, driver, desk = await _assigned(api)

    # When the consultant records the consultation without pressing acceptClient
    await driver.consult(journey)

    # Then the desk no longer waits for them (the 10-minute rule will not hand the client on)
    board = await eventually(
        lambda: _board(api, desk, clinic), lambda b: not b["pending"], timeout=10, what="board"
    )
    assert board["alerts"] == []
    assert [s["firstVisitTurns"] for s in board["seats"]] == [1, 0, 0, 0, 0]
    accepted = await driver.act(
        """mutation A($input: AcceptClientInput!) {
          acceptClient(input: $input) { __typename ... on UserError { code message } } }""",
        Role.CONSULTANT,
        journeyId=journey,
    )
    assert (accepted["__typename"], accepted["message"]) == (
        "TransitionNotAllowed",
        "already accepted",
    )


async def test_a_cancelled_journey_releases_its_pending_assignment(api: Api) -> None:
    clinic, journey, driver, desk = await _assigned(api)

    # When the front desk cancels the journey before the consultant came
    await driver.ok(documents.CANCEL_JOURNEY, Role.FRONT_DESK, journeyId=journey, reason="left")

    # Then the assignment is released: nobody will be handed the client, nobody owes a turn
    board = await eventually(
        lambda: _board(api, desk, clinic), lambda b: not b["pending"], timeout=10, what="board"
    )
    assert board["alerts"] == []
    assert [s["owedTurns"] for s in board["seats"]] == [0] * 5
