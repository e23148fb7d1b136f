"""Recheck reminders written by the first release that wrote them, moved to a day before the
recheck (migration 0032).

That release made a booked recheck's reminder due at the recheck itself: `myTasks(due: true)`
showed it only once the visit had passed, too late to remind anyone. Reminders are now due
`recheck_booking.reminder_due` (24 hours before, never before the handover), which is always
before the booking: an open reminder due exactly at its booking was written by the old rule. It
moves to where the reminder is written now. That release also kept a correction of the booking
and moved nothing with it, so a reminder still due at the time the handover's record first
booked, a correction naming another time since, is one of them too, and follows the booking as
last corrected, as a correction does now (`recheck_tasks.follow_booking_correction`).

Nothing else is touched: a closed reminder stays as it was closed, one due at any other time was
written or moved by the current rule (or put off on purpose), and one whose booking cannot be
read has no time to move to. Each move is logged in `task_change`, as a correction's move is,
so an SPA listening on `tasksChanged` reads the reminder again. Running it again moves nothing:
a moved reminder is due before its booking.

Plain SQL on the migration's own connection, read at the schema 0031 left (the models follow
the current schema): parameter markers and values as `domain.store.sql` writes them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.aftercare.recheck_booking import booked_recheck, booking_as_corrected, reminder_due
from domain.aftercare.tasks import TaskKind, TaskStatus
from domain.journey.table import Action
from domain.store.recheck_tasks import recheck_task_id
from domain.store.sql import is_postgres, marks

# Each open recheck reminder with its journey's handover (the first, should there be two: the
# reminder was written with it) and the record that booked the recheck.
_OPEN_REMINDERS = """
SELECT t.id, t.clinic_id, t.journey_id, t.due_at, e.at AS handed_over_at,
       r.id AS record_id, r.body
FROM follow_up_task t
JOIN journey_event e ON e.journey_id = t.journey_id AND e.action = {action}
JOIN journey_record r ON r.id = e.record_id
WHERE t.kind = {kind} AND t.status = {status}
ORDER BY t.id, e.seq
"""
# The corrections of those records, oldest first (as `recheck_tasks.booking_of` reads them).
_CORRECTIONS = """
SELECT a.amends_id, a.body
FROM journey_record a
JOIN journey_event e ON e.record_id = a.amends_id AND e.action = {action}
JOIN follow_up_task t ON t.journey_id = e.journey_id
WHERE t.kind = {kind} AND t.status = {status}
ORDER BY a.created_at, a.id
"""
# Still open: a reminder closed meanwhile keeps what it was closed as (as a correction's move).
_MOVE = "UPDATE follow_up_task SET due_at = {}, updated_at = {} WHERE id = {} AND status = {}"
_LOG = "INSERT INTO task_change (clinic_id, task_id, at) VALUES ({}, {}, {})"


@dataclass
class _Reminder:
    task_id: str
    clinic_id: str
    due_at: datetime
    handed_over_at: datetime
    record_body: Any
    corrections: list[Any] = field(default_factory=list)

    def moved_due(self) -> datetime | None:
        """Where the reminder goes; None when it stays (not written by the old rule, or its
        booking cannot be read)."""
        first = booked_recheck(self.record_body)
        booked = booking_as_corrected(self.record_body, self.corrections)
        if booked is None or self.due_at not in (booked, first):
            return None
        due = reminder_due(booked, self.handed_over_at)
        return due if due != self.due_at else None


def _time(value: Any) -> datetime:
    """A timestamp as the driver reads it (SQLite: text), as an aware time in UTC."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def _open_reminders(db: BaseDBAsyncClient) -> list[_Reminder]:
    postgres = is_postgres(db)
    action, kind, status = marks(postgres, 3)
    keys = [Action.HAND_OVER.value, TaskKind.RECHECK.value, TaskStatus.OPEN.value]
    query = _OPEN_REMINDERS.format(action=action, kind=kind, status=status)
    reminders: dict[str, _Reminder] = {}
    by_record: dict[str, _Reminder] = {}
    for row in await db.execute_query_dict(query, keys):
        # Another kind's id never is a recheck reminder's; the first handover wrote it.
        if row["id"] != recheck_task_id(row["journey_id"]) or row["id"] in reminders:
            continue
        reminder = _Reminder(
            task_id=row["id"],
            clinic_id=row["clinic_id"],
            due_at=_time(row["due_at"]),
            handed_over_at=_time(row["handed_over_at"]),
            record_body=_json(row["body"]),
        )
        reminders[reminder.task_id] = by_record[row["record_id"]] = reminder
    corrected: dict[str, list[Any]] = defaultdict(list)
    query = _CORRECTIONS.format(action=action, kind=kind, status=status)
    for row in await db.execute_query_dict(query, keys):
        body = _json(row["body"])
        correction = body.get("correction") if isinstance(body, dict) else None
        corrected[row["amends_id"]].append(correction)
    for record_id, reminder in by_record.items():
        reminder.corrections = corrected[record_id]
    return list(reminders.values())


async def move_old_recheck_reminders(db: BaseDBAsyncClient, now: datetime) -> int:
    """Moves the open reminders the old rule wrote (see above), in `db`'s transaction; returns
    how many moved."""
    postgres = is_postgres(db)
    move = _MOVE.format(*marks(postgres, 4))
    log = _LOG.format(*marks(postgres, 3))
    moved = 0
    for reminder in await _open_reminders(db):
        due = reminder.moved_due()
        if due is None:
            continue
        await db.execute_query(move, [due, now, reminder.task_id, TaskStatus.OPEN.value])
        await db.execute_query(log, [reminder.clinic_id, reminder.task_id, now])
        moved += 1
    return moved
