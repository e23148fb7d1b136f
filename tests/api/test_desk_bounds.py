"""A desk change that would make the clinic's desk too large for Temporal is refused as bad input
before the desk hears of it (`domain.triage.bounds`): one request must not be able to end the
desk's run. Without the bounds, one `autoAssign` whose items filled the request body, or one
correction of a million make-up turns, went to the desk as it was."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from temporalio.testing import WorkflowEnvironment

from domain.errors import ValidationFailed
from domain.journey.stages import VisitCategory
from domain.roles import Role
from domain.store.triage_models import TriageBoard as BoardRow
from domain.store.triage_models import TriageEntry
from domain.triage.alerts import ALERTS_KEPT
from domain.triage.bounds import MAX_ASKED_ITEMS, MAX_CONSULTANTS_NAMED
from domain.triage.commands import ArriveCommand, SeatCommand
from domain.triage.decision import Arrival
from schema.ids import decode_id
from tests.api.conftest import TASK_QUEUE
from tests.api.documents import ASSIGN_CONSULTANT
from tests.api.flow import new_key
from tests.api.harness import Api, create_clinic, eventually, sign_in_all
from tests.api.price_codes import list_codes
from tests.api.test_desk_notes import ASSIGN_PROBLEMS, SEAT_PROBLEMS, answer
from tests.api.test_triage_api import (
    AUTO_ASSIGN,
    UPDATE_SEAT,
    _desk_clinic,
    _journey_at_triage,
)
from tests.support import DESK
from workflows.triage_client import TriageGateway

CORRECT_PROBLEMS = answer("correctDeskRecord", "DeskOverrideInput")
ASSIGN_REASON = """mutation M($input: AutoAssignInput!) {
  autoAssign(input: $input) { __typename ... on AutoAssignPayload { decision { reason } } }
}"""
SEAT_VERSION = """mutation M($input: SeatInput!) {
  updateTriageSeat(input: $input) { __typename ... on TriageBoardPayload { board { version } } }
}"""
POLICY_PROBLEMS = answer("setRotationPolicy", "RotationPolicyInput")
ORDER_PROBLEMS = answer("setRotationOrder", "RotationOrderInput")
RANKING_PROBLEMS = answer("setKeyItemPriority", "KeyItemPriorityInput")


def codes(count: int, length: int = 8) -> list[str]:
    return [f"c{n:0{length - 1}d}" for n in range(count)]  # item codes are words: a letter first


def problems(answer: dict[str, Any]) -> list[tuple[str, str]]:
    outcome = next(iter(answer.values()))
    assert outcome["__typename"] == "ValidationFailed", outcome
    return [(p["field"], p["message"]) for p in outcome["problems"]]


async def test_an_arrival_asking_too_many_items_is_refused_and_the_desk_decides_nothing(
    api: Api,
) -> None:
    clinic, staff, _ = await _desk_clinic(api)
    await list_codes(clinic, *codes(50))
    desk = staff[Role.FRONT_DESK].token
    journey = await _journey_at_triage(api, desk, 1)
    for items, message in (
        (codes(51), "at most 50 item codes"),
        (["x" * 65], "an item code has at most 64 characters"),
        (
            ["Anna Kowalska 600100200"],
            "an item code is one word with a letter: letters, digits, _ . or -",
        ),
    ):
        refused = await api.run(ASSIGN_PROBLEMS, desk, input={"journeyId": journey, "items": items})
        assert problems(refused) == [("items", message)]
    # At the bound, the desk decides, for the first time: no refused arrival had reached it
    taken = await api.run(ASSIGN_REASON, desk, input={"journeyId": journey, "items": codes(50)})
    assert taken["autoAssign"]["__typename"] == "AutoAssignPayload"
    assert taken["autoAssign"]["decision"]["reason"] != "already decided for this journey"


async def test_a_seat_scope_a_correction_and_a_policy_past_their_bounds_are_refused(
    api: Api,
) -> None:
    clinic, staff, consultants = await _desk_clinic(api)
    await list_codes(clinic, *codes(50))
    desk, supervisor = staff[Role.FRONT_DESK].token, staff[Role.SUPERVISOR].token
    seat = {"consultantId": consultants[0], "reason": "items she sees", "scope": codes(51)}
    before = await api.run(SEAT_VERSION, desk, input={**seat, "scope": codes(2)})
    version = before["updateTriageSeat"]["board"]["version"]
    correction = {"consultantId": consultants[0], "amendsSeq": 1, "reason": "miscount"}
    policy = {"name": "long", "reason": "every item", "acceptanceMinutes": 10}
    refused = [
        await api.run(SEAT_PROBLEMS, desk, input=seat),
        await api.run(CORRECT_PROBLEMS, supervisor, input={**correction, "makeupDelta": 2**31 - 1}),
        await api.run(CORRECT_PROBLEMS, supervisor, input={**correction, "turnsDelta": -51}),
        await api.run(POLICY_PROBLEMS, supervisor, input={**policy, "keyItems": codes(501)}),
    ]
    assert [problems(answer) for answer in refused] == [
        [("scope", "at most 50 item codes")],
        [("makeupDelta", "from -50 to 50")],
        [("turnsDelta", "from -50 to 50")],
        [("keyItems", "at most 500 item codes")],
    ]
    # Then, at the bound, the seat's scope is taken: the desk's next entry, so none of the
    # refused changes reached the desk
    taken = await api.run(SEAT_VERSION, desk, input={**seat, "scope": codes(50)})
    assert taken["updateTriageSeat"]["board"]["version"] == version + 1


async def test_a_list_of_consultants_too_long_or_with_repeats_is_refused_before_any_lookup(
    api: Api,
) -> None:
    _, staff, consultants = await _desk_clinic(api)
    supervisor = staff[Role.SUPERVISOR].token
    order, ranking = ORDER_PROBLEMS, RANKING_PROBLEMS
    ranking_reason = {"reason": "June's key items"}
    past_the_bound = [consultants[0]] * (MAX_CONSULTANTS_NAMED + 1)
    repeated = [*consultants, consultants[0]]
    refused = [
        await api.run(order, supervisor, input={"consultantIds": past_the_bound}),
        await api.run(order, supervisor, input={"consultantIds": repeated}),
        await api.run(ranking, supervisor, input={**ranking_reason, "consultantIds": repeated}),
    ]
    assert [problems(answer) for answer in refused] == [
        [("consultantIds", f"at most {MAX_CONSULTANTS_NAMED} consultants")],
        [("consultantIds", "name each consultant once")],
        [("consultantIds", "name each consultant once")],
    ]
    # Each consultant named once is taken
    taken = await api.run(order, supervisor, input={"consultantIds": consultants[::-1]})
    assert taken["setRotationOrder"]["__typename"] == "TriageBoardPayload", taken


async def test_the_desk_itself_refuses_input_past_its_bounds_from_any_caller(
    temporal_env: WorkflowEnvironment,
) -> None:
    # Given a clinic's desk reached without the API (whose checks come first)
    gateway = TriageGateway(temporal_env.client, TASK_QUEUE)
    clinic = f"bounds-{uuid.uuid4().hex[:8]}"
    await gateway.change_seat(clinic, SeatCommand(DESK, "c0", "note-1", on_duty=True), new_key())
    # When a seat's scope, and an arrival in a round, name too many items
    too_wide = SeatCommand(DESK, "c0", "note-2", scope=codes(MAX_ASKED_ITEMS + 1))
    arrival = Arrival("journey-b", "client-b", VisitCategory.FIRST_VISIT, items=tuple(codes(51)))
    # Then the desk's validators refuse each, naming the field
    with pytest.raises(ValidationFailed, match=r"^scope: at most 50 item codes$"):
        await gateway.change_seat(clinic, too_wide, new_key())
    with pytest.raises(ValidationFailed, match=r"^items: at most 50 item codes$"):
        await gateway.queue_arrival(clinic, ArriveCommand(DESK, arrival))
    # And the desk took neither: its one change is the seat that opened it
    assert (await gateway.desk(clinic)).seq == 1


async def test_one_journey_nobody_can_take_sent_again_and_again_alerts_the_supervisor_once(
    api: Api, temporal_env: WorkflowEnvironment
) -> None:
    # (found by a review: each call added an alert and a log entry, carried whole in the desk's
    # state, its records and every board; 14,600 calls passed Temporal's 2 MB payload limit and
    # the clinic's desk took no change from then on)
    # Given a desk with nobody on duty, and one journey at triage
    clinic = f"alerts-{uuid.uuid4().hex[:6]}"
    await create_clinic(clinic, prefix=f"{clinic}-")
    desk_token = (await sign_in_all(api, prefix=f"{clinic}-"))[Role.FRONT_DESK].token
    journey = await _journey_at_triage(api, desk_token, 0)
    await list_codes(clinic, "x")
    # When the front desk asks the desk to place it again and again
    for _ in range(5):
        sent = await api.run(AUTO_ASSIGN, desk_token, input={"journeyId": journey, "items": ["x"]})
        assert sent["autoAssign"]["__typename"] == "TransitionNotAllowed", sent
    # Then the desk holds one alert for it, and logged one, whatever the number of calls
    desk = await TriageGateway(temporal_env.client, TASK_QUEUE).desk(clinic)
    assert [decode_id(journey, "Journey")] == [alert.journey_id for alert in desk.alerts]
    assert desk.seq == 1


async def test_the_supervisors_pick_for_a_journey_whose_alert_left_the_board_reaches_the_desk(
    api: Api, temporal_env: WorkflowEnvironment
) -> None:
    # Given a desk whose consultants are all away, and a journey it called the supervisor for
    clinic, staff, consultants = await _desk_clinic(api)
    desk_token, supervisor = staff[Role.FRONT_DESK].token, staff[Role.SUPERVISOR].token
    for consultant in consultants:
        away = {"consultantId": consultant, "reason": "off", "status": "AWAY"}
        assert (await api.run(UPDATE_SEAT, desk_token, input=away))["updateTriageSeat"]
    journey = await _journey_at_triage(api, desk_token, 0)
    called = await api.run(AUTO_ASSIGN, desk_token, input={"journeyId": journey})
    assert called["autoAssign"]["__typename"] == "TransitionNotAllowed", called
    # ... whose alert then left the board, ALERTS_KEPT clients nobody could take after it
    gateway = TriageGateway(temporal_env.client, TASK_QUEUE)
    crowd = [
        ArriveCommand(DESK, Arrival(f"crowd-{n}", f"client-{n}", VisitCategory.FIRST_VISIT))
        for n in range(ALERTS_KEPT)
    ]
    await asyncio.gather(*(gateway.queue_arrival(clinic, arrival) for arrival in crowd))
    await eventually(
        lambda: BoardRow.get(clinic_id=clinic),
        lambda row: row.state.get("alerts_dropped") == 1,
        timeout=20,
        what="the board without the journey's alert",
    )

    # When the supervisor picks a consultant for it
    pick = {"journeyId": journey, "consultantId": consultants[2], "idempotencyKey": new_key()}
    picked = await api.run(ASSIGN_CONSULTANT, supervisor, input=pick)
    assert picked["assignConsultant"]["journey"]["consultant"]["id"] == consultants[2], picked

    # Then the desk logged the pick as the supervisor's placement, as for an alert on the board
    entry = await eventually(
        lambda: TriageEntry.get_or_none(
            clinic_id=clinic, kind="ASSIGNED", journey_id=decode_id(journey, "Journey")
        ),
        lambda row: row is not None,
        timeout=10,
        what="the desk's entry of the pick",
    )
    assert entry.details["route"] == "SUPERVISOR"
