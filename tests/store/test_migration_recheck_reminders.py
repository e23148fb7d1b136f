"""Migration 0032 moves the open recheck reminders the first release wrote due at the recheck
itself to a day before it (as corrected), and touches nothing else (on a database of its own,
of the session's kind)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise import connections
from tortoise.migrations.api import migrate

from domain.aftercare.tasks import TaskKind, TaskStatus
from domain.journey.table import Action
from domain.store.aftercare import FollowUpTask, TaskChangeLog
from domain.store.models import JourneyEvent, JourneyRecord
from domain.store.recheck_tasks import HANDOVER_CORRECTION, HANDOVER_RECORD, recheck_task_id
from tests.migration_templates import MigrationTemplates
from tests.store.migrated import old_row

BEFORE = "models.0031_recheck_kept"
# The migration alone: the tables it reads and writes are as the ORM's models have them since
MIGRATION = "models.0032_recheck_reminders_ahead"
HANDED_OVER = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
BOOKED = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)
DAY = timedelta(hours=24)


async def _handover(
    journey: str, booked: str, due: datetime, status: TaskStatus = TaskStatus.OPEN
) -> str:
    """A journey handed over with its record booking `booked`, and its reminder due at `due`."""
    record = await JourneyRecord.create(
        id=f"{journey}-handover",
        journey_id=journey,
        kind=HANDOVER_RECORD,
        body={"summary": "handed over", "next_recheck_at": booked},
        author_id="doctor-1",
    )
    await old_row(
        JourneyEvent,
        journey_id=journey,
        seq=7,
        action=Action.HAND_OVER.value,
        from_stage="PROCEDURE",
        to_stage="AFTERCARE",
        actor_id="doctor-1",
        actor_role="DOCTOR",
        at=HANDED_OVER,
        summary="handed over",
        record_id=record.id,
    )
    task = recheck_task_id(journey)
    await FollowUpTask.create(
        id=task,
        clinic_id="clinic-1",
        journey_id=journey,
        kind=TaskKind.RECHECK.value,
        status=status.value,
        due_at=due,
        assignee_role="FOLLOW_UP_STAFF",
        journey_seq=7,
        updated_at=HANDED_OVER,
    )
    return task


async def _correct(journey: str, booked: str) -> None:
    await JourneyRecord.create(
        id=f"{journey}-amendment-{booked}",
        journey_id=journey,
        kind=HANDOVER_CORRECTION,
        body={"correction": {"next_recheck_at": booked}, "reason": "the client asked"},
        author_id="doctor-1",
        amends_id=f"{journey}-handover",
    )


async def _rows() -> dict[str, dict[str, Any]]:
    """The reminders as the database holds them (SQLite compares times as text: the text too)."""
    rows = await connections.get("default").execute_query_dict(
        "SELECT id, status, due_at, updated_at FROM follow_up_task"
    )
    return {row["id"]: row for row in rows}


async def _due(task: str) -> datetime:
    return (await FollowUpTask.get(id=task)).due_at


async def test_old_reminders_move_a_day_before_the_recheck_as_corrected_and_nothing_else(
    migration_templates: MigrationTemplates,
) -> None:
    # Given a database as 0031 left it, with reminders of every sort
    async with migration_templates.migrated_to(BEFORE) as config:
        old = await _handover("j-old", "2026-03-14T09:00:00Z", BOOKED)
        new = await _handover("j-new", "2026-03-14T10:00:00+01:00", BOOKED - DAY)
        closed = await _handover("j-closed", "2026-03-14T09:00:00Z", BOOKED, TaskStatus.DONE)
        # a booking corrected later: the reminder is due at the time it now books
        corrected = await _handover("j-corrected", "2026-03-14T09:00:00Z", BOOKED + DAY)
        await _correct("j-corrected", "2026-03-16T09:00:00Z")
        await _correct("j-corrected", "2026-03-15T09:00:00Z")
        # a correction the old release kept and moved nothing with
        ignored = await _handover("j-ignored", "2026-03-14T09:00:00Z", BOOKED)
        await _correct("j-ignored", "2026-03-20T09:00:00Z")
        # a recheck sooner than a day after the handover: reminded at the handover
        soon = await _handover("j-soon", "2026-01-05T20:00:00Z", HANDED_OVER + timedelta(hours=11))
        unreadable = await _handover("j-unreadable", "next week", BOOKED)
        before = await _rows()

        # When the migration runs
        await migrate(config=config, target=MIGRATION)

        # Then the old reminders are due a day before the recheck as last corrected
        assert await _due(old) == BOOKED - DAY
        assert await _due(corrected) == BOOKED
        assert await _due(ignored) == BOOKED + 5 * DAY
        assert await _due(soon) == HANDED_OVER
        after = await _rows()
        # written as Tortoise writes the time (a reminder written due there reads the same text)
        assert after[old]["due_at"] == after[new]["due_at"]
        # And the others are as they were
        for untouched in (new, closed, unreadable):
            assert after[untouched] == before[untouched]
        # And each move is logged for tasksChanged
        logged = await TaskChangeLog.all().values_list("task_id", flat=True)
        assert sorted(logged) == sorted([old, corrected, ignored, soon])

        # When the migration runs again
        await migrate(config=config, target=BEFORE)
        await migrate(config=config, target=MIGRATION)

        # Then nothing moves again
        assert await _rows() == after
        assert await TaskChangeLog.all().count() == len(logged)
