"""The desk's clients it could not place, emergencies or not, through the real server (seed 004:
rotation rules item 9, triage rules art. 8): the supervisor's board pushed no longer calls for a
client already placed, in hand or gone. A client nobody could take leaves UNPLACED once a
consultant receives her, or the supervisor places her as a VIP; an emergency leaves EMERGENCY
once she is taken, and both when her journey ends or she is placed as a VIP; a recheck
emergency, routed to her treating doctor or nurse (the desk never places a recheck), alerts the
supervisor and leaves once her doctor has her."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

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
from tests.api.test_triage_keys import PLACE_VIP
from tests.api.test_triage_picks import _back_for_a_recheck

BURN = "FRESH_EXTENSIVE_BURN"


@dataclass
class Unplaced:
    """An emergency nobody could take, and the supervisor's pushed board calling for her."""

    clinic: str
    desk: str  # the front desk's token
    supervisor: str  # the supervisor's
    consultants: list[str]
    urgent: dict[str, Any]  # her autoAssign input
    pushes: AsyncIterator[Any]


@contextlib.asynccontextmanager
async def _unplaced_on_the_board(api: Api, emergency: str | None = BURN) -> AsyncIterator[Unplaced]:
    """An emergency arrival (a client who is none when `emergency` is None) while every
    consultant is busy, nobody could take her, for the block, and the supervisor's board pushed
    once it calls for a consultant and, for an emergency, for her."""
    opening = await _emergency_nobody_could_take(api, emergency)
    clinic, desk, supervisor, consultants, urgent = opening
    async with api.subscription(PUSHED, supervisor, clinicId=clinic) as stream:
        pushes = aiter(stream)
        # (the board is read from the desk's log, which lags the desk's answer)
        called = ["UNPLACED", "EMERGENCY"] if emergency else ["UNPLACED"]
        await _board_pushed(pushes, lambda kinds: kinds == called)
        yield Unplaced(clinic, desk, supervisor, consultants, urgent, pushes)


async def test_an_emergency_nobody_could_take_leaves_the_pushed_board_once_placed_and_taken(
    api: Api,
) -> None:
    # Given an emergency arrival while every consultant is busy: nobody could take her
    async with _unplaced_on_the_board(api) as unplaced:
        clinic, desk, consultants = unplaced.clinic, unplaced.desk, unplaced.consultants
        urgent, pushes, burnt = unplaced.urgent, unplaced.pushes, unplaced.urgent["journeyId"]

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


@pytest.mark.parametrize("emergency", [BURN, None], ids=["emergency", "plain"])
async def test_a_client_nobody_could_take_leaves_the_pushed_board_when_her_journey_ends(
    api: Api, emergency: str | None
) -> None:
    # Given an arrival, an emergency or not, while every consultant is busy: nobody could take her
    async with _unplaced_on_the_board(api, emergency) as unplaced:
        # When her journey ends (the front desk cancels it)
        cancelled = {"journeyId": unplaced.urgent["journeyId"], "reason": "went to A&E"}
        ended = await api.run(documents.CANCEL_JOURNEY, unplaced.desk, input=cancelled)
        assert ended["cancelJourney"]["__typename"] == "JourneyPayload", ended

        # Then the board pushed to the supervisor no longer calls for her, nor for a consultant
        await _board_pushed(unplaced.pushes, lambda kinds: kinds == [])
    # And the log still keeps the supervisor's call, and the emergency
    await _the_log_keeps_the_call(unplaced, emergency)


async def _the_log_keeps_the_call(unplaced: Unplaced, emergency: str | None) -> None:
    rows = await TriageEntry.filter(
        clinic_id=unplaced.clinic, kind__in=["SUPERVISOR_ALERT", "EMERGENCY"]
    )
    called = ["EMERGENCY", "SUPERVISOR_ALERT"] if emergency else ["SUPERVISOR_ALERT"]
    assert sorted(row.kind for row in rows) == called


async def test_a_client_nobody_could_take_leaves_the_pushed_board_once_placed(api: Api) -> None:
    # Given an arrival who is no emergency while every consultant is busy: nobody could take her
    async with _unplaced_on_the_board(api, emergency=None) as unplaced:
        # When the first consultant is free again and the front desk sends her again
        await _seat(api, unplaced.desk, unplaced.consultants[0], status="AVAILABLE")
        placed = (await api.run(AUTO_ASSIGN, unplaced.desk, input=unplaced.urgent))["autoAssign"]

        # Then the consultant receives her, and the board pushed no longer calls for her
        assert placed["decision"]["consultantId"] == unplaced.consultants[0], placed
        await _board_pushed(unplaced.pushes, lambda kinds: kinds == [])
    await _the_log_keeps_the_call(unplaced, None)


async def test_an_emergency_nobody_could_take_placed_as_a_vip_leaves_the_pushed_board(
    api: Api,
) -> None:
    # Given an emergency arrival while every consultant is busy: nobody could take her
    async with _unplaced_on_the_board(api) as unplaced:
        # When the supervisor places her as a VIP with the first consultant
        vip = {
            "journeyId": unplaced.urgent["journeyId"],
            "consultantId": unplaced.consultants[0],
            "reason": "the burns unit's referral",
        }
        placed = await api.run(PLACE_VIP, unplaced.supervisor, input=vip)

        # Then the board pushed calls neither for a consultant nor for a doctor for her
        assert placed["placeVip"]["__typename"] == "AutoAssignPayload", placed
        await _board_pushed(unplaced.pushes, lambda kinds: kinds == [])
    await _the_log_keeps_the_call(unplaced, BURN)


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
