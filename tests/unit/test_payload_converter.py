"""Glowpath's data converter decodes every payload to exactly what the SDK's own decodes to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from temporalio.converter import DataConverter

from domain.journey.stages import VisitCategory
from domain.triage.batch import ArriveBatch, arrive_together
from domain.triage.codec import desk_to_json
from domain.triage.commands import ArriveCommand
from domain.triage.desk import DeskState
from tests.unit.triage_builders import DESK, NOW, client, desk
from workflows.converter import DATA_CONVERTER
from workflows.triage import DeskRecord, DeskStart

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
    # Given a record as the desk now sends it (the desk in its JSON form)
    state, _ = _busy_desk()
    record = DeskRecord("clinic-1", [], desk_to_json(state))
    # Then its payload is byte for byte the one a record carrying the dataclass made
    as_dataclass = SDK.to_payloads([{"clinic_id": "clinic-1", "entries": [], "state": state}])
    assert OURS.to_payloads([record])[0].data == as_dataclass[0].data
    assert _both(record, DeskRecord)[1] == record


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
