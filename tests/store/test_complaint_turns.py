"""The moments a clinic's complaints turned overdue, read back for a supervisor's board that was
away (`domain.store.complaint_changes`): a complaint turns overdue at its due time when it was
recorded by then and had no answer or resolution by then, each moment said once however many
complaints share it; and the board's next moment to wait for is the earliest due time of those
still unanswered."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from domain.store.complaint_changes import next_turn, turned_overdue
from domain.store.complaints import Complaint, ComplaintEntry
from tests.support import registered_client

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)


async def _complaint(clinic_id: str, client_id: str, due: datetime, recorded: datetime) -> str:
    row = await Complaint.create(
        id=uuid.uuid4().hex,
        clinic_id=clinic_id,
        client_id=client_id,
        channel="PHONE",
        description="she waited an hour",
        received_at=recorded,
        first_answer_due_at=due,
        recorded_by="desk-1",
        recorded_by_role="FRONT_DESK",
        recorded_at=recorded,
    )
    return str(row.id)


async def _answered(clinic_id: str, complaint_id: str, at: datetime, kind: str) -> None:
    await ComplaintEntry.create(
        id=uuid.uuid4().hex,
        clinic_id=clinic_id,
        complaint_id=complaint_id,
        kind=kind,
        outcome="UPHELD" if kind == "RESOLUTION" else None,
        note="called her back",
        recorded_by="sup-1",
        recorded_by_role="SUPERVISOR",
        recorded_at=at,
    )


async def test_each_moment_a_complaint_turned_overdue_is_read_once() -> None:
    clinic_id = f"clinic-{uuid.uuid4().hex[:8]}"
    client_id = await registered_client(f"client-{uuid.uuid4().hex[:8]}", clinic_id)
    first, second, third, fourth = (START + n * DAY for n in (1, 2, 3, 4))
    # Given two complaints due at the first moment, one of them answered before it
    await _complaint(clinic_id, client_id, first, START)
    in_time = await _complaint(clinic_id, client_id, first, START)
    await _answered(clinic_id, in_time, first - HOUR, "RESPONSE")
    # and one due at the second, answered only after it
    late = await _complaint(clinic_id, client_id, second, START)
    await _answered(clinic_id, late, second + HOUR, "RESPONSE")
    # and one due at the third, taken down only after it (a letter entered late)
    await _complaint(clinic_id, client_id, third, third + HOUR)
    # and one due at the fourth, resolved at that very moment
    resolved = await _complaint(clinic_id, client_id, fourth, START)
    await _answered(clinic_id, resolved, fourth, "RESOLUTION")
    # When the moments are read from before the first to after the last
    turned = await turned_overdue(clinic_id, START, fourth + DAY)
    # Then complaints turned overdue at the first moment and the second, each said once
    assert turned == [first, second]
    # and a reading from a moment on starts after it
    assert await turned_overdue(clinic_id, first, fourth + DAY) == [second]
    assert await turned_overdue(clinic_id, second, second) == []


async def test_the_next_moment_is_the_earliest_due_time_still_unanswered() -> None:
    clinic_id = f"clinic-{uuid.uuid4().hex[:8]}"
    client_id = await registered_client(f"client-{uuid.uuid4().hex[:8]}", clinic_id)
    assert await next_turn(clinic_id, START) is None
    answered = await _complaint(clinic_id, client_id, START + DAY, START)
    await _answered(clinic_id, answered, START + HOUR, "RESPONSE")
    await _complaint(clinic_id, client_id, START + 2 * DAY, START)
    await _complaint(clinic_id, client_id, START - DAY, START - 3 * DAY)
    # The answered one waits for nothing, nor the one overdue already
    assert await next_turn(clinic_id, START) == START + 2 * DAY
    assert await next_turn(clinic_id, START + 2 * DAY) is None
