"""The read-model writer decodes a journey change by hand: it must read exactly what the
Temporal SDK's own decoder reads from the same payload."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from temporalio.converter import DataConverter

from domain.journey.codec import change_from_json, facts_from_json, facts_to_json
from domain.journey.facts import Actor, FollowUp, JourneyChange, JourneyEvent, JourneyFacts
from domain.journey.stages import (
    ArrivalChannel,
    ConsentKind,
    FollowUpOutcome,
    FollowUpStatus,
    Stage,
    VisitCategory,
)
from domain.journey.stuck_reasons import StuckReason
from domain.roles import Role

AT = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)


def _bare() -> JourneyChange:
    facts = JourneyFacts(
        journey_id="j-1",
        clinic_id="c-1",
        client_id="x-1",
        visit_category=VisitCategory.FIRST_VISIT,
        channel=ArrivalChannel.WALK_IN,
        client_is_minor=False,
        started_at=AT,
        follow_up_offsets=[],
        event_seq=1,
    )
    event = JourneyEvent(
        "j-1", 1, "start_journey", None, Stage.RECEPTION, Actor("u", Role.FRONT_DESK), AT, "opened"
    )
    return JourneyChange(event=event, facts=facts)


def _full() -> JourneyChange:
    change = _bare()
    facts = change.facts
    facts.stage, facts.stage_entered_at = Stage.FOLLOW_UP, AT + timedelta(days=1)
    facts.follow_up_offsets = [7, 30]
    facts.consultant_id, facts.expert_id = "s-1", "s-2"
    facts.consultation_recorded, facts.requires_anesthesia = True, True
    facts.plan_total_minor, facts.currency, facts.paid_minor = 120000, "PLN", 50000
    facts.bill_total_minor, facts.installment_plan, facts.treatment_started = 130000, True, True
    facts.consents_signed = [ConsentKind.PROCEDURE, ConsentKind.PHOTO]
    facts.follow_ups = [
        FollowUp(
            "f-1",
            "7 days",
            AT + timedelta(days=8),
            FollowUpStatus.DONE,
            2,
            FollowUpOutcome.REACHED,
            5,
        ),
        FollowUp("f-2", "30 days", AT + timedelta(days=31)),
    ]
    facts.event_seq, facts.stage_slas = 14, {"CONSULTATION": 3600, "TRIAGE": 600}
    facts.stuck_since, facts.stuck_reason = AT + timedelta(days=2), "sla"
    facts.stuck_reason_code = StuckReason.FOLLOW_UP_CALL_OVERDUE
    facts.attached_records, facts.void_records = ["r-1", "r-2"], ["r-3"]
    facts.linked_journey_id, facts.procedure_type_version_id = "j-0", "p-1"
    event = JourneyEvent(
        "j-1",
        14,
        "record_consultation",
        Stage.CONSULTATION,
        Stage.CONSULTATION,
        Actor("s-1", Role.CONSULTANT),
        AT + timedelta(hours=1),
        "consulted",
        "r-2",
    )
    return JourneyChange(event=event, facts=facts)


@pytest.mark.parametrize("change", [_bare(), _full()], ids=["opening", "every-field-set"])
def test_the_hand_decoder_reads_what_the_sdk_reads(change: JourneyChange) -> None:
    # Given a change as the workflow sends it
    converter = DataConverter.default.payload_converter
    payloads = converter.to_payloads([change])

    # When both decoders read the payload
    by_sdk = converter.from_payloads(payloads, [JourneyChange])[0]
    raw = converter.from_payloads(payloads, [dict])[0]
    by_hand = change_from_json(raw)

    # Then they agree, field by field and type by type
    assert by_hand == by_sdk == change
    assert type(by_hand.facts.stage) is Stage and type(by_hand.event.actor.role) is Role
    assert all(type(kind) is ConsentKind for kind in by_hand.facts.consents_signed)


@pytest.mark.parametrize("change", [_bare(), _full()], ids=["opening", "every-field-set"])
def test_the_facts_column_is_the_json_the_sdk_writes(change: JourneyChange) -> None:
    # Given a journey's facts, as the SDK puts them on the wire
    payload = DataConverter.default.payload_converter.to_payloads([change.facts])[0]

    # When the read model's writer turns them into its column
    column = facts_to_json(change.facts)

    # Then it is that same JSON, and it reads back into the same facts
    assert column == json.loads(payload.data)
    assert facts_from_json(column) == change.facts


def test_facts_kept_before_the_stuck_code_read_as_keeping_none() -> None:
    # Given a stuck journey's facts as a release before the code wrote them (no such key)
    change = _full()
    payloads = DataConverter.default.payload_converter.to_payloads([change])
    raw = json.loads(payloads[0].data)
    del raw["facts"]["stuck_reason_code"]
    old = DataConverter.default.payload_converter.to_payloads([raw])

    # When the SDK (a workflow's input or history) and the writer read them
    by_sdk = DataConverter.default.payload_converter.from_payloads(old, [JourneyChange])[0]
    by_hand = change_from_json(raw)

    # Then both read a journey stuck with its words and no code
    assert by_sdk == by_hand
    assert (by_hand.facts.stuck_reason, by_hand.facts.stuck_reason_code) == ("sla", None)
    assert facts_from_json(raw["facts"]).stuck_reason_code is None


def test_facts_a_newer_release_wrote_read_without_its_new_fields() -> None:
    # Given a journey's facts column as a newer release's worker wrote it, with a field and a
    # call's field this release does not know (an API of this release runs beside newer
    # workers while a deploy rolls)
    change = _full()
    column = facts_to_json(change.facts)
    column["a_field_of_a_newer_release"] = {"any": "value"}
    column["follow_ups"][0]["a_call_field_of_a_newer_release"] = 3

    # When this release's API reads it
    read = facts_from_json(column)

    # Then it reads every field it knows, as written, and leaves the others
    assert read == change.facts
