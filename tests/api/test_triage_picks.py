"""Through the real server: a recheck sent to the desk raises no alert, and the supervisor's own
pick for a return visit whose owner is away reaches the desk, logged and credited to the owner."""

from __future__ import annotations

import uuid
from typing import Any

from domain.roles import Role
from domain.store.triage_models import RevenueCredit, TriageEntry
from tests.api import documents
from tests.api.flow import JourneyDriver
from tests.api.harness import Api, eventually
from tests.api.test_desk_learns import _board
from tests.api.test_triage_api import AUTO_ASSIGN, UPDATE_SEAT, _desk_clinic
from tests.api.test_triage_policy import SET_POLICY

CLOSE_FOLLOW_UPS = documents.action("closeFollowUps", "CloseJourneyInput")


async def _back_for_a_recheck(driver: JourneyDriver) -> dict[str, Any]:
    """A client treated before, her follow-ups closed, back for a recheck at triage: her journey."""
    client_id = await driver.register_client()
    treated = await driver.drive_to("FOLLOW_UP", await driver.start(client_id))
    await driver.ok(CLOSE_FOLLOW_UPS, Role.SUPERVISOR, journeyId=treated["id"], reason="done")
    recheck = await driver.ok(
        documents.START_JOURNEY, Role.FRONT_DESK, clientId=client_id, recheck=True
    )
    assert recheck["visitCategory"] == "RECHECK"
    return recheck


async def test_a_recheck_through_auto_assign_is_refused_without_an_alert(api: Api) -> None:
    clinic, staff, _ = await _desk_clinic(api)
    driver = JourneyDriver(api, staff)
    desk = staff[Role.FRONT_DESK].token
    # Given a client treated before (the clinic's own consultant, outside the rotation)
    recheck = await _back_for_a_recheck(driver)
    before = await _board(api, desk, clinic)

    # When the front desk sends the recheck through autoAssign
    refused = (await api.run(AUTO_ASSIGN, desk, input={"journeyId": recheck["id"]}))["autoAssign"]

    # Then it hears where a recheck goes, and the desk has nothing to alert about
    assert refused["__typename"] == "TransitionNotAllowed"
    assert "treating doctor or nurse" in refused["message"]
    after = await _board(api, desk, clinic)
    assert (after["alerts"], after["version"]) == ([], before["version"])
    assert not await TriageEntry.filter(clinic_id=clinic, kind="SUPERVISOR_ALERT").exists()


async def _set_away(api: Api, token: str, consultant: str) -> None:
    result = await api.run(
        UPDATE_SEAT, token, input={"consultantId": consultant, "reason": "off", "status": "AWAY"}
    )
    assert result["updateTriageSeat"]["__typename"] == "TriageBoardPayload", result


async def test_the_supervisors_stand_in_for_an_absent_owner_reaches_the_desk(api: Api) -> None:
    clinic, staff, consultants = await _desk_clinic(api)
    driver = JourneyDriver(api, staff)
    desk, supervisor = staff[Role.FRONT_DESK].token, staff[Role.SUPERVISOR].token
    policy = {"name": "supervisor arranges", "reason": "handbook C", "standInForAbsentOwner": False}
    assert (await api.run(SET_POLICY, supervisor, input=policy))["setRotationPolicy"][
        "__typename"
    ] == "TriageBoardPayload"
    # Given a client the first consultant owns (their first visit), back for a return visit
    client_id = await driver.register_client()
    first = await driver.start(client_id)
    owned = (await api.run(AUTO_ASSIGN, desk, input={"journeyId": first["id"]}))["autoAssign"]
    assert owned["decision"]["consultantId"] == consultants[0], owned
    await driver.ok(documents.CANCEL_JOURNEY, Role.FRONT_DESK, journeyId=first["id"], reason="x")
    back = await driver.ok(documents.START_JOURNEY, Role.FRONT_DESK, clientId=client_id)
    assert back["visitCategory"] == "RETURN_VISIT"
    # ... while the owner is away: the desk calls the supervisor
    await _set_away(api, desk, consultants[0])
    called = (await api.run(AUTO_ASSIGN, desk, input={"journeyId": back["id"]}))["autoAssign"]
    assert "owner away" in called["message"], called
    await eventually(
        lambda: _board(api, desk, clinic), lambda b: b["alerts"], timeout=10, what="alert"
    )

    # When the supervisor picks the third consultant
    picked = await driver.ok(
        documents.ASSIGN_CONSULTANT,
        Role.SUPERVISOR,
        journeyId=back["id"],
        consultantId=consultants[2],
        idempotencyKey=uuid.uuid4().hex,
    )

    # Then the journey is theirs, the desk logged the stand-in and credits the owner
    assert picked["consultant"]["id"] == consultants[2]
    board = await eventually(
        lambda: _board(api, desk, clinic), lambda b: not b["alerts"], timeout=10, what="board"
    )
    assert [s["firstVisitTurns"] for s in board["seats"]] == [1, 0, 0, 0, 0]
    entry = await _logged_stand_in(clinic)
    assert (entry.details["route"], entry.policy) == ("OWNER_STAND_IN", "supervisor arranges v2")
    credits = await RevenueCredit.filter(journey_id=entry.journey_id).values_list(
        "consultant_id", "percent", "rule"
    )
    assert credits == [(f"{clinic}-c0", 100, "OWNER_STAND_IN")]


async def _logged_stand_in(clinic: str) -> Any:
    async def probe() -> Any:
        return await TriageEntry.filter(clinic_id=clinic, kind="ASSIGNED", counted=False).first()

    entry = await eventually(probe, lambda e: e is not None, timeout=10, what="stand-in entry")
    assert entry.consultant_id == f"{clinic}-c2"
    assert "supervisor" in entry.reason
    return entry
