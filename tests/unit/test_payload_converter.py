"""Glowpath's data converter decodes every payload to exactly what the SDK's own decodes to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from temporalio.converter import DataConverter

from domain.journey.facts import (
    ActionDetails,
    ActionRequest,
    ActionResult,
    FollowUp,
    JourneyChange,
    JourneyEvent,
    JourneyStart,
)
from domain.journey.stages import (
    ConsentKind,
    ExpertDecision,
    FollowUpOutcome,
    FollowUpStatus,
    PaymentKind,
    Stage,
    VisitCategory,
)
from domain.journey.table import Action
from domain.money.catalog import PaymentPolicy
from domain.triage.batch import ArriveBatch, arrive_together
from domain.triage.codec import desk_to_json
from domain.triage.commands import ArriveCommand
from domain.triage.desk import DeskState
from tests.support import journey_start, new_facts
from tests.unit.triage_builders import DESK, NOW, client, desk
from workflows.converter import DATA_CONVERTER
from workflows.desk_records import DeskRecord
from workflows.triage import DeskStart

SDK = DataConverter.default.payload_converter
OURS = DATA_CONVERTER.payload_converter


@dataclass
class WithLateField:
    name: str
    total: int = field(init=False, default=0)


def _busy_desk() -> tuple[DeskState, ArriveBatch]:
    state = desk("A", "B:busy", "C:scope=skin")
    batch = ArriveBatch(
        [ArriveCommand(DESK, client(VisitCategory.FIRST_VISIT, "skin")) for _ in range(12)]
    )
    arrive_together(state, batch, NOW)
    return state, batch


def _both(value: Any, hint: Any) -> tuple[Any, Any]:
    payloads = SDK.to_payloads([value])
    return SDK.from_payloads(payloads, [hint])[0], OURS.from_payloads(payloads, [hint])[0]


def test_a_desk_and_its_round_decode_alike() -> None:
    # Given a desk after a round of arrivals (seats, counts, assignments with datetimes, enums)
    state, batch = _busy_desk()
    start = DeskStart("clinic-1", "Europe/Warsaw", state, [])
    # When each payload is decoded by the SDK's converter and by ours
    for value, hint in ((state, DeskState), (batch, ArriveBatch), (start, DeskStart)):
        sdk, ours = _both(value, hint)
        # Then both give equal values, of the same types, equal to what was sent
        assert ours == sdk == value
        assert type(ours) is type(sdk)
    assert len(state.assignments) == 12


def test_the_desk_record_carries_the_board_json_of_before() -> None:
    # Given a record of the whole desk as the desk now sends it (the desk in its JSON form)
    state, _ = _busy_desk()
    record = DeskRecord("clinic-1", [], desk_to_json(state))
    # Then its payload is byte for byte the one a record carrying the dataclass made
    as_dataclass = SDK.to_payloads(
        [{"clinic_id": "clinic-1", "entries": [], "state": state, "based_on": None, "dropped": []}]
    )
    assert OURS.to_payloads([record])[0].data == as_dataclass[0].data
    assert _both(record, DeskRecord)[1] == record
    # And a record scheduled before the board went by changes reads as the whole desk
    before = SDK.to_payloads([{"clinic_id": "clinic-1", "entries": [], "state": state}])
    assert OURS.from_payloads(before, [DeskRecord])[0] == record


def test_fields_outside_the_constructor_and_refusals_match_the_sdk() -> None:
    late = WithLateField("x")
    late.total = 3
    sdk, ours = _both(late, WithLateField)
    assert ours == sdk and ours.total == 3
    # A payload missing a required field is refused by both
    broken = SDK.to_payloads([{"day": "2025-03-03"}])
    with pytest.raises(TypeError):
        SDK.from_payloads(broken, [DeskState])
    with pytest.raises(TypeError):
        OURS.from_payloads(broken, [DeskState])
    # An optional dataclass decodes to None or to the class, as the SDK decodes it
    assert _both(None, DeskState | None) == (None, None)


def _every_detail() -> ActionDetails:
    return ActionDetails(
        consultant_id="c-1",
        plan_total_minor=120_000,
        currency="PLN",
        requires_anesthesia=True,
        decision=ExpertDecision.APPROVE,
        consent_kind=ConsentKind.PROCEDURE,
        payment_kind=PaymentKind.DEPOSIT,
        payment_policy=PaymentPolicy.DEPOSIT,
        follow_up_outcome=FollowUpOutcome.NOT_REACHED,
        satisfaction=4,
        follow_up_offsets=[86_400, 604_800],
    )


def _journey_change() -> JourneyChange:
    facts = new_facts(journey_start())
    facts.follow_ups = [FollowUp("f-1", "day 1", NOW, FollowUpStatus.DUE, 2, None, 5)]
    facts.consents_signed = [ConsentKind.PROCEDURE]
    facts.attached_records = ["r-1", "r-2"]
    event = JourneyEvent(
        facts.journey_id, 2, "check_in", Stage.RECEPTION, Stage.TRIAGE, DESK, NOW, "checked in"
    )
    return JourneyChange(event, facts)


def test_journey_payloads_encode_to_the_sdks_bytes() -> None:
    state, batch = _busy_desk()
    values = [
        ActionRequest(Action.APPROVE_PLAN, DESK, _every_detail(), "r-9"),
        _journey_change(),
        journey_start(),
        state,
        batch,
        WithLateField("x"),
        {"nested": [_every_detail(), {1: NOW}], "set": {3}},
    ]
    for value in values:
        assert OURS.to_payloads([value])[0].data == SDK.to_payloads([value])[0].data


def test_journey_payloads_decode_alike() -> None:
    # Given a step's input with every kind of detail, one with none, its answer, and a change
    # with follow-ups, consents and records
    values = [
        (ActionRequest(Action.APPROVE_PLAN, DESK, _every_detail(), "r-9"), ActionRequest),
        (ActionRequest(Action.CHECK_IN, DESK), ActionRequest),
        (ActionResult(Stage.TRIAGE, 2, None), ActionResult),
        (_journey_change(), JourneyChange),
        (journey_start(), JourneyStart),
    ]
    for value, hint in values:
        # When each is decoded by the SDK's converter and by ours
        sdk, ours = _both(value, hint)
        # Then both give equal values, of the same types, equal to what was sent
        assert ours == sdk == value
        assert type(ours) is type(sdk)
    decoded_details = _both(values[0][0], ActionRequest)[1].details
    assert type(decoded_details.decision) is ExpertDecision
    assert decoded_details.follow_up_offsets == [86_400, 604_800]


# Details as a client might send them wrong: each field's value of another JSON type, or out
# of its enum; and ones the SDK converts (a float for an int, an int for a float).
ODD_DETAILS: list[dict[str, Any]] = [
    {"decision": "MAYBE"},
    {"decision": 3},
    {"consultant_id": 7},
    {"requires_anesthesia": "yes"},
    {"requires_anesthesia": 1},
    {"plan_total_minor": 12.7},
    {"plan_total_minor": "12"},
    {"plan_total_minor": True},
    {"follow_up_offsets": "123"},
    {"follow_up_offsets": [1, "2"]},
    {"follow_up_offsets": [1.5]},
    {"follow_up_offsets": {"a": 1}},
    {"satisfaction": None},
]


@pytest.mark.parametrize("details", ODD_DETAILS, ids=[str(d) for d in ODD_DETAILS])
def test_odd_details_are_refused_or_taken_as_the_sdk_does(details: dict[str, Any]) -> None:
    sent = {"action": "approve_plan", "actor": {"user_id": "u", "role": "CONSULTANT"}}
    payloads = SDK.to_payloads([{**sent, "details": details}])
    try:
        expected: Any = SDK.from_payloads(payloads, [ActionRequest])[0]
    except Exception as error:  # whatever the SDK raises, ours must raise too
        with pytest.raises(type(error)):
            OURS.from_payloads(payloads, [ActionRequest])
        return
    ours = OURS.from_payloads(payloads, [ActionRequest])[0]
    assert ours == expected
    assert [type(v) for v in vars(ours.details).values()] == [
        type(v) for v in vars(expected.details).values()
    ]
