"""The desk's emergencies it could not place, through the real server (seed 004: rotation rules
item 9, triage rules art. 8): the supervisor's board pushed no longer calls for a client already
placed or in hand. An emergency nobody could take leaves UNPLACED once a consultant receives
her, and EMERGENCY once she is taken; a recheck emergency, routed to her treating doctor or
nurse (the desk never places a recheck), alerts the supervisor and leaves once her doctor has
her."""

from __future__ import annotations

from domain.roles import Role
from domain.store.triage_models import TriageEntry
from tests.api import documents
from tests.api.flow import JourneyDriver
from tests.api.harness import Api
from tests.api.test_desk_emergency import (
    ACCEPT,
    PUSHED,
    _board_pushed,
    _emergency_nobody_could_take,
    _logged,
    _seat,
)
from tests.api.test_triage_api import AUTO_ASSIGN, _desk_clinic
from tests.api.test_triage_picks import _back_for_a_recheck


async def test_an_emergency_nobody_could_take_leaves_the_pushed_board_once_placed_and_taken(
    api: Api,
) -> None:
    # Given an emergency arrival while every consultant is busy: nobody could take her
    clinic, desk, supervisor, consultants, urgent = await _emergency_nobody_could_take(api)
    burnt = urgent["journeyId"]
    async with api.subscription(PUSHED, supervisor, clinicId=clinic) as stream:
        # (the board is read from the desk's log, which lags the desk's answer)
        pushes = aiter(stream)
        await _board_pushed(pushes, lambda kinds: kinds == ["UNPLACED", "EMERGENCY"])

        # When the first consultant is free again and the front desk sends her again
        await _seat(api, desk, consultants[0], status="AVAILABLE")
        placed = (await api.run(AUTO_ASSIGN, desk, input=urgent))["autoAssign"]

        # Then the consultant receives her, and the board pushed calls only for the doctor
        assert placed["__typename"] == "AutoAssignPayload", placed
        assert placed["decision"]["consultantId"] == consultants[0], placed
        alerts = await _board_pushed(pushes, lambda kinds: kinds == ["EMERGENCY"])
        assert [a["journeyId"] for a in alerts] == [burnt]

        # When her consultant has taken her
        taken = await api.run(ACCEPT, desk, input={"journeyId": burnt})

        # Then the board pushed holds no alert for her
        assert taken["acceptClient"]["__typename"] == "TriageBoardPayload", taken
        assert taken["acceptClient"]["board"]["alerts"] == []
        await _board_pushed(pushes, lambda kinds: kinds == [])
    # And the log still keeps the supervisor's call and the emergency
    rows = await TriageEntry.filter(clinic_id=clinic, kind__in=["SUPERVISOR_ALERT", "EMERGENCY"])
    assert sorted(row.kind for row in rows) == ["EMERGENCY", "EMERGENCY", "SUPERVISOR_ALERT"]


async def test_a_recheck_emergency_alerts_the_supervisor_until_her_doctor_has_her(
    api: Api,
) -> None:
    # Given a client treated before, back for a recheck at triage
    clinic, staff, _ = await _desk_clinic(api)
    driver = JourneyDriver(api, staff)
    desk, supervisor = staff[Role.FRONT_DESK].token, staff[Role.SUPERVISOR].token
    recheck = await _back_for_a_recheck(driver)
    async with api.subscription(PUSHED, supervisor, clinicId=clinic) as stream:
        pushes = aiter(stream)

        # When the front desk sends her to autoAssign as an emergency, her condition worse
        urgent = {"journeyId": recheck["id"], "emergency": "CONDITION_WORSENED"}
        routed = (await api.run(AUTO_ASSIGN, desk, input=urgent))["autoAssign"]

        # Then she hears where a recheck goes, and the supervisor's board is pushed the
        # emergency, to fetch a doctor at once
        assert routed["__typename"] == "TransitionNotAllowed", routed
        assert "treating doctor or nurse" in routed["message"]
        alerts = await _board_pushed(pushes, lambda kinds: kinds == ["EMERGENCY"])
        assert [a["journeyId"] for a in alerts] == [recheck["id"]]

        # When the front desk assigns her the doctor who treats her
        doctor = staff[Role.EXPERT].global_id
        await driver.ok(
            documents.ASSIGN_CONSULTANT,
            Role.FRONT_DESK,
            journeyId=recheck["id"],
            consultantId=doctor,
        )

        # Then the board pushed no longer calls for a doctor for her
        await _board_pushed(pushes, lambda kinds: kinds == [])
    # And the log keeps the emergency and her route to the doctor
    rows = await _logged(clinic, ["EMERGENCY", "ROUTED"], 3)
    assert sorted(row.kind for row in rows) == ["EMERGENCY", "ROUTED", "ROUTED"]
    assert {row.details.get("rule") for row in rows if row.kind == "EMERGENCY"} == {
        "CONDITION_WORSENED"
    }
