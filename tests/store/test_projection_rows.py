"""The projection's own SQL (`store.journey_sql`) writes the rows Tortoise reads back unchanged,
and never writes one event over another."""

from __future__ import annotations

import dataclasses
import logging
import uuid
from datetime import timedelta

import pytest
from tortoise.exceptions import IntegrityError

from domain.aftercare.tasks import TaskKind, TaskStatus, task_id
from domain.journey.codec import facts_to_json
from domain.journey.facts import FollowUp, JourneyChange, JourneyEvent
from domain.journey.stages import FollowUpStatus, Stage
from domain.journey.stuck_reasons import StuckReason
from domain.store import records
from domain.store.aftercare import FollowUpTask
from domain.store.models import Journey
from domain.store.models import JourneyEvent as EventRow
from domain.store.projection import apply_change
from tests.store.stage_plan import START, clinic_with_client, opening_facts
from tests.support import CONSULTANT, DESK


async def _opened(journey_id: str) -> JourneyChange:
    clinic_id, client_id = await clinic_with_client("rows")
    facts = dataclasses.replace(opening_facts(journey_id, clinic_id, client_id), event_seq=1)
    opened = JourneyEvent(journey_id, 1, "start", None, Stage.RECEPTION, DESK, START, "opened")
    assert await apply_change(JourneyChange(opened, facts))
    return JourneyChange(opened, facts)


async def test_a_step_reads_back_as_it_was_written(database: str) -> None:
    # Given an open journey
    journey_id = f"rows-{uuid.uuid4()}"
    first = await _opened(journey_id)
    # When a step moves it on, with a consultant, a stuck flag and a record
    at = START + timedelta(minutes=7, microseconds=123456)
    record_id = await records.draft_record(journey_id, "consultation", {"goal": "x"}, "c-1")
    moved = dataclasses.replace(
        first.facts,
        stage=Stage.CONSULTATION,
        stage_entered_at=at,
        consultant_id=CONSULTANT.user_id,
        stuck_since=at,
        stuck_reason="waiting — 10 min",
        stuck_reason_code=StuckReason.STAGE_OVERDUE,
        event_seq=2,
        attached_records=[record_id],
    )
    event = JourneyEvent(
        journey_id, 2, "assign_consultant", Stage.RECEPTION, Stage.CONSULTATION, DESK, at,
        "to Dr Zoë", record_id,
    )  # fmt: skip
    assert await apply_change(JourneyChange(event, moved))
    # Then Tortoise reads back each value as the step wrote it, dates to the microsecond
    row = await Journey.get(id=journey_id)
    assert (row.stage, row.consultant_id, row.active, row.stuck) == (
        "CONSULTATION", CONSULTANT.user_id, True, True,
    )  # fmt: skip
    assert (row.stage_entered_at, row.stuck_since, row.started_at) == (at, at, START)
    assert (row.stuck_reason, row.last_event_seq) == ("waiting — 10 min", 2)
    assert row.stuck_reason_code == "STAGE_OVERDUE"
    assert row.facts == facts_to_json(moved)
    written = await EventRow.get(journey_id=journey_id, seq=2)
    assert (written.at, written.from_stage, written.to_stage) == (at, "RECEPTION", "CONSULTATION")
    assert (written.actor_id, written.actor_role, written.summary) == (
        DESK.user_id, DESK.role.value, "to Dr Zoë",
    )  # fmt: skip
    assert (written.record_id, written.facts) == (record_id, facts_to_json(moved))
    # And the same step written again changes nothing
    assert not await apply_change(JourneyChange(event, moved))
    assert await EventRow.filter(journey_id=journey_id).count() == 2


async def test_a_record_another_event_attached_is_not_logged_again_and_the_clash_is_told(
    database: str, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a journey whose second event attached a record
    journey_id = f"rows-{uuid.uuid4()}"
    first = await _opened(journey_id)
    record_id = await records.draft_record(journey_id, "note", {"note": "x"}, "c-1")
    at = START + timedelta(minutes=1)
    noted = JourneyEvent(journey_id, 2, "note", Stage.RECEPTION, Stage.RECEPTION, DESK, at, "")
    second = dataclasses.replace(first.facts, event_seq=2)
    noted = dataclasses.replace(noted, record_id=record_id)
    assert await apply_change(JourneyChange(noted, second))
    # When a third event names the same record (as a workflow task Temporal lost can leave it)
    later = dataclasses.replace(noted, seq=3, at=at + timedelta(minutes=1))
    third = dataclasses.replace(first.facts, event_seq=3, stage=Stage.TRIAGE)
    with caplog.at_level(logging.ERROR, logger="domain.store.projection"):
        assert await apply_change(JourneyChange(later, third))
    # Then it is not taken for a repeat: the log keeps its two events, the writer says what
    # clashed (instead of failing every retry for good), and the row follows the journey
    assert await EventRow.filter(journey_id=journey_id).count() == 2
    row = await Journey.get(id=journey_id)
    assert (row.last_event_seq, row.stage) == (3, "TRIAGE")
    assert f"journey {journey_id}: the read model's log at event 3 does not match" in caplog.text
    assert f"(2, 'note', '{DESK.user_id}', '{record_id}')" in caplog.text


async def test_a_record_another_journey_attached_is_refused_and_nothing_is_written(
    database: str,
) -> None:
    # Given a record attached by one journey's second event
    journey_id, other_id = f"rows-{uuid.uuid4()}", f"rows-{uuid.uuid4()}"
    first = await _opened(journey_id)
    other = await _opened(other_id)
    record_id = await records.draft_record(journey_id, "note", {"note": "x"}, "c-1")
    at = START + timedelta(minutes=1)
    noted = JourneyEvent(journey_id, 2, "note", Stage.RECEPTION, Stage.RECEPTION, DESK, at, "")
    noted = dataclasses.replace(noted, record_id=record_id)
    assert await apply_change(JourneyChange(noted, dataclasses.replace(first.facts, event_seq=2)))
    # When another journey's event names it: a fault, not what a lost workflow task leaves
    theirs = dataclasses.replace(noted, journey_id=other_id)
    with pytest.raises(IntegrityError):
        await apply_change(JourneyChange(theirs, dataclasses.replace(other.facts, event_seq=2)))
    # Then nothing of it is written
    assert await EventRow.filter(journey_id=other_id).count() == 1
    assert (await Journey.get(id=other_id)).last_event_seq == 1


async def test_an_event_a_lost_task_logged_in_another_order_is_told_and_the_row_follows(
    database: str, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a journey whose second event, a note, was logged by a workflow task Temporal lost
    journey_id = f"rows-{uuid.uuid4()}"
    first = await _opened(journey_id)
    at = START + timedelta(minutes=1)
    lost = JourneyEvent(journey_id, 2, "note", Stage.RECEPTION, Stage.RECEPTION, DESK, at, "")
    assert await apply_change(JourneyChange(lost, dataclasses.replace(first.facts, event_seq=2)))
    # When the journey's own second event (another step, applied first on the retry) is written
    own = JourneyEvent(
        journey_id, 2, "assign_consultant", Stage.RECEPTION, Stage.CONSULTATION, DESK, at, ""
    )
    second = dataclasses.replace(first.facts, event_seq=2, stage=Stage.CONSULTATION)
    with caplog.at_level(logging.ERROR, logger="domain.store.projection"):
        assert await apply_change(JourneyChange(own, second))
    # Then the writer says the log does not match there, and writes nothing over it
    assert "the read model's log at event 2 does not match the journey's event" in caplog.text
    logged = await EventRow.filter(journey_id=journey_id).order_by("seq").values_list("action")
    assert logged == [("start",), ("note",)]
    # And the journey's row is where the journey is, so staff act on the right stage
    row = await Journey.get(id=journey_id)
    assert (row.last_event_seq, row.stage) == (2, "CONSULTATION")
    # And the same change written again (a retried attempt) is told again and changes nothing
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="domain.store.projection"):
        await apply_change(JourneyChange(own, second))
    assert "the read model's log at event 2 does not match the journey's event" in caplog.text
    assert (await Journey.get(id=journey_id)).stage == "CONSULTATION"
    assert await EventRow.filter(journey_id=journey_id).count() == 2


async def test_a_step_that_brings_a_call_due_writes_its_task_and_a_plain_step_writes_none(
    database: str,
) -> None:
    # Given an open journey, with a follow-up call scheduled
    journey_id = f"rows-{uuid.uuid4()}"
    first = await _opened(journey_id)
    due_at = START + timedelta(days=1)
    call = FollowUp("call-1", "day-1 call", due_at)
    at = START + timedelta(minutes=1)
    noted = JourneyEvent(journey_id, 2, "note", Stage.RECEPTION, Stage.RECEPTION, DESK, at, "")
    scheduled = dataclasses.replace(first.facts, event_seq=2, follow_ups=[call])
    # When a step that moves no stage and leaves the call scheduled is written
    assert await apply_change(JourneyChange(noted, scheduled))
    # Then no task is written for it (the write skips the after-care, in one trip on SQLite)
    call_task = task_id(journey_id, "call-1", TaskKind.FOLLOW_UP_CALL)
    assert not await FollowUpTask.exists(id=call_task)
    # And when the next step, again at the same stage, brings the call due
    due = dataclasses.replace(noted, seq=3, action="follow_up_due", at=due_at)
    fallen_due = dataclasses.replace(
        scheduled, event_seq=3, follow_ups=[dataclasses.replace(call, status=FollowUpStatus.DUE)]
    )
    assert await apply_change(JourneyChange(due, fallen_due))
    # Then its call task is written with the event and the row
    task = await FollowUpTask.get(id=call_task)
    assert (task.status, task.journey_seq) == (TaskStatus.OPEN.value, 3)
    assert (await Journey.get(id=journey_id)).last_event_seq == 3
