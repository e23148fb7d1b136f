"""A retry of a triage request refused because its journey was no longer at triage is refused as
the first time, and the desk hears nothing of it: no turn charged, no assignment left pending.

The first attempt claimed its key and was refused before the desk heard of it, so the key stays
unsettled. Its retry must not pass for one whose first attempt got through (the journey or the
desk took its update, and only its answer was lost): the desk would decide afresh for a client
it cannot place.
"""

from __future__ import annotations

from typing import Any

import pytest

from domain.roles import Role
from domain.store.models import IdempotencyKey
from tests.api import documents
from tests.api.flow import new_key
from tests.api.harness import Api, Staff, eventually
from tests.api.test_triage_api import (
    AUTO_ASSIGN,
    LOG_TIMEOUT,
    UPDATE_SEAT,
    _client_at_triage,
    _log,
)
from tests.api.test_triage_keys import PLACE_VIP
from workflows.client import JourneyGateway, JourneyUnavailable
from workflows.triage_client import TriageGateway

DESK = """
query Desk($clinicId: ID!) {
  triageBoard(clinicId: $clinicId) {
    version nextConsultantId
    seats { consultantId firstVisitTurns owedTurns }
    pending { journeyId consultantId route counted }
  }
}"""

MOVED_ON = ["assigned by hand", "cancelled"]


async def _moved_on(api: Api, staff: dict[Role, Staff], journey: str, how: str, to: str) -> str:
    """The journey taken off triage by the front desk: assigned by hand to `to`, or cancelled.
    The stage it is at now."""
    desk = staff[Role.FRONT_DESK].token
    if how == "cancelled":
        document, data = documents.CANCEL_JOURNEY, {"reason": "left"}
    else:
        document, data = documents.ASSIGN_CONSULTANT, {"consultantId": to}
    result = await api.run(document, desk, input={"journeyId": journey, **data})
    (answer,) = result.values()
    assert answer["__typename"] == "JourneyPayload", answer
    return "CANCELLED" if how == "cancelled" else "CONSULTATION"


async def _taken_off_triage(
    api: Api, how: str
) -> tuple[str, dict[Role, Staff], list[str], str, str]:
    """A desk clinic's client whose journey the front desk took off triage itself (`_moved_on`,
    to the third consultant): (clinic, staff, consultants, journey id, the stage it is at)."""
    clinic, staff, consultants, journey = await _client_at_triage(api)
    stage = await _moved_on(api, staff, journey, how, consultants[2])
    return clinic, staff, consultants, journey, stage


async def _desk(api: Api, clinic: str, staff: dict[Role, Staff], consultant: str) -> Any:
    """The desk as its read model shows it once it caught up with every change so far: a seat
    change that changes nothing is logged after them, and the board waits for it."""
    token = staff[Role.SUPERVISOR].token
    marked = await api.run(
        UPDATE_SEAT, token, input={"consultantId": consultant, "reason": "here", "onDuty": True}
    )
    version = marked["updateTriageSeat"]["board"]["version"]
    board = await eventually(
        lambda: api.run(DESK, token, clinicId=clinic),
        lambda data: data["triageBoard"]["version"] >= version,
        timeout=LOG_TIMEOUT,
        what="the board after the seat change",
    )
    desk = board["triageBoard"]
    log = [e for e in await _log(api, token, clinic) if e["kind"] != "SEAT_CHANGED"]
    return log, desk["seats"], desk["nextConsultantId"], desk["pending"]


@pytest.mark.parametrize("how", MOVED_ON)
async def test_a_refused_autoassign_retried_is_refused_again_and_the_desk_hears_nothing(
    api: Api, how: str
) -> None:
    # Given a journey at triage that the front desk took off triage itself
    clinic, staff, consultants, journey, stage = await _taken_off_triage(api, how)
    token = staff[Role.FRONT_DESK].token
    asked = {"journeyId": journey, "items": ["skin"], "idempotencyKey": new_key()}
    # And the desk's placement of it, refused
    first = (await api.run(AUTO_ASSIGN, token, input=asked))["autoAssign"]
    assert first["__typename"] == "TransitionNotAllowed", first
    assert first["message"] == f"the journey is not at triage ({stage})"
    before = await _desk(api, clinic, staff, consultants[0])
    # When it is retried with its key
    retry = (await api.run(AUTO_ASSIGN, token, input=asked))["autoAssign"]
    # Then it is refused as the first time, and the desk neither logged nor charged anything
    assert retry == first
    assert await _desk(api, clinic, staff, consultants[0]) == before


@pytest.mark.parametrize("how", MOVED_ON)
async def test_a_refused_vip_placement_retried_is_refused_again_and_the_desk_hears_nothing(
    api: Api, how: str
) -> None:
    # Given a journey the front desk took off triage, and its VIP placement, refused
    clinic, staff, consultants, journey, stage = await _taken_off_triage(api, how)
    supervisor = staff[Role.SUPERVISOR].token
    vip = {"journeyId": journey, "consultantId": consultants[1], "reason": "official"}
    vip["idempotencyKey"] = new_key()
    first = (await api.run(PLACE_VIP, supervisor, input=vip))["placeVip"]
    assert first == {
        "__typename": "TransitionNotAllowed",
        "code": "TRANSITION_NOT_ALLOWED",
        "message": f"the journey is not at triage ({stage})",
    }
    before = await _desk(api, clinic, staff, consultants[0])
    # When it is retried with its key
    retry = (await api.run(PLACE_VIP, supervisor, input=vip))["placeVip"]
    # Then it is refused as the first time, and the desk placed nobody
    assert retry == first
    assert await _desk(api, clinic, staff, consultants[0]) == before


async def test_an_autoassign_whose_answer_was_lost_is_answered_though_past_triage(
    api: Api,
) -> None:
    # Given a client the desk placed (the journey now at consultation), the answer lost
    clinic, staff, consultants, journey = await _client_at_triage(api)
    desk = staff[Role.FRONT_DESK]
    asked = {"journeyId": journey, "items": ["skin"], "idempotencyKey": new_key()}
    first = (await api.run(AUTO_ASSIGN, desk.token, input=asked))["autoAssign"]
    assert first["__typename"] == "AutoAssignPayload", first
    assert first["journey"]["stage"] == "CONSULTATION"
    lost = IdempotencyKey.filter(account_id=desk.account_id, key=asked["idempotencyKey"])
    assert await lost.update(result_id="") == 1
    before = await _desk(api, clinic, staff, consultants[0])
    # When it is retried with its key
    retry = (await api.run(AUTO_ASSIGN, desk.token, input=asked))["autoAssign"]
    # Then it is answered as the first time (the journey took it), and no turn is charged again
    assert retry == first
    assert await _desk(api, clinic, staff, consultants[0]) == before


@pytest.mark.parametrize("mutation", ["autoAssign", "placeVip"])
async def test_a_refused_retry_whose_first_attempt_temporal_cannot_place_is_unavailable(
    api: Api, monkeypatch: pytest.MonkeyPatch, mutation: str
) -> None:
    # Given a placement refused as the journey was cancelled
    clinic, staff, consultants, journey, _ = await _taken_off_triage(api, "cancelled")
    supervisor = staff[Role.SUPERVISOR].token
    asked: dict[str, Any] = {"journeyId": journey, "idempotencyKey": new_key()}
    if mutation == "placeVip":
        document, asked = PLACE_VIP, {**asked, "consultantId": consultants[1], "reason": "vip"}
    else:
        document, asked = AUTO_ASSIGN, {**asked, "items": ["skin"]}
    first = (await api.run(document, supervisor, input=asked))[mutation]
    assert first["__typename"] == "TransitionNotAllowed", first
    before = await _desk(api, clinic, staff, consultants[0])

    # When it is retried while Temporal does not answer whether its first attempt went through
    async def silent(*args: object) -> bool:
        raise JourneyUnavailable("no answer")

    monkeypatch.setattr(JourneyGateway, "update_ran", silent)
    monkeypatch.setattr(TriageGateway, "update_ran", silent)
    retry = (await api.run(document, supervisor, input=asked))[mutation]
    # Then it hears to try again, and the desk heard nothing
    assert retry["__typename"] == "Unavailable", retry
    monkeypatch.undo()
    assert await _desk(api, clinic, staff, consultants[0]) == before
