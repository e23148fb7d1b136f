"""Which records reads may show, and which drafts are still open, on the real database."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from domain.store.drafts import attached_record, unsettled_drafts, void_but_attached, void_drafts
from domain.store.models import JourneyEvent, JourneyRecord, JourneyRecordVoid
from domain.store.records import draft_record

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


async def _event(journey_id: str, seq: int, record_id: str | None) -> None:
    await JourneyEvent.create(
        journey_id=journey_id,
        seq=seq,
        action="step",
        to_stage="TRIAGE",
        actor_id="desk-1",
        actor_role="FRONT_DESK",
        at=NOW,
        summary="step",
        record_id=record_id,
    )


async def test_only_the_record_an_event_attached_is_read() -> None:
    # Given a start tried twice under one journey id: the first draft's answer was lost, the
    # second start opened the journey with its own draft
    journey_id = f"journey-{uuid.uuid4()}"
    lost = await draft_record(journey_id, "reception", {"category_reason": "lost"}, "desk-1")
    opened = await draft_record(journey_id, "reception", {"category_reason": "opened"}, "desk-1")
    await _event(journey_id, 1, opened)
    # When the journey's reception record is read
    found = await attached_record(journey_id, "reception")
    # Then it is the attached one, never the draft, which is still unsettled
    assert found is not None and found.id == opened
    assert await unsettled_drafts([journey_id]) == {journey_id: [lost]}


async def test_unsettled_drafts_leave_out_attached_void_and_amending_records() -> None:
    # Given a journey with an attached record, its amendment, a voided draft and an open one
    journey_id = f"journey-{uuid.uuid4()}"
    attached = await draft_record(journey_id, "consultation", {}, "c-1")
    await _event(journey_id, 1, attached)
    await JourneyRecord.create(
        id=str(uuid.uuid4()),
        journey_id=journey_id,
        kind="consultation_amendment",
        body={"reason": "typo", "correction": {}},
        author_id="c-1",
        amends_id=attached,
    )
    voided = await draft_record(journey_id, "payment", {}, "cashier-1")
    await void_drafts([voided], "refused")
    still_open = await draft_record(journey_id, "payment", {}, "cashier-1")
    # Then only the open draft is unsettled
    assert await unsettled_drafts([journey_id]) == {journey_id: [still_open]}
    # And voiding twice keeps the first reason
    await void_drafts([voided], "again")
    assert [v.reason for v in await JourneyRecordVoid.filter(record_id=voided)] == ["refused"]


async def test_a_void_draft_an_event_attached_after_all_is_reported() -> None:
    # Given a draft voided while its start was still on the way, then attached by it
    journey_id = f"journey-{uuid.uuid4()}"
    draft = await draft_record(journey_id, "reception", {}, "desk-1")
    await void_drafts([draft], "no workflow exists for this journey")
    await _event(journey_id, 1, draft)
    # Then it is reported, and it is not unsettled
    found = [f for f in await void_but_attached() if f.journey_id == journey_id]
    assert [(f.record_id, f.seq) for f in found] == [(draft, 1)]
    assert await unsettled_drafts([journey_id]) == {}
