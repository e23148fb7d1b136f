"""The finished stays in a stage that the board's medians read, written with the event that
ends each one, in the projection's transaction (`store.projection`).

A change of stage ends the stay that the change before it began. Events can be projected out of
order (concurrent updates, retries): when a later change is already written, its stay began at
this event, so it is timed again from here. Written as a plan (`store.one_trip`), so a step that
changes stage is still one trip to SQLite.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from domain.journey.facts import JourneyEvent as EventFact
from domain.store.models import JourneyEvent, StageStay
from domain.store.one_trip import Plan, Unread
from domain.store.sql import db_values, marks

_STAY_COLUMNS = ("clinic_id", "journey_id", "seq", "stage", "ended_at", "seconds")


@functools.cache
def _changes(postgres: bool) -> str:
    """The journey's changes of stage other than one seq's, in order."""
    journey, seq = marks(postgres, 2)
    return (
        "SELECT seq, from_stage, at FROM journey_event WHERE journey_id = "
        f"{journey} AND seq <> {seq} AND (from_stage IS NULL OR from_stage <> to_stage) "
        "ORDER BY seq"
    )


@functools.cache
def _write_stay(postgres: bool) -> str:
    names = ", ".join(_STAY_COLUMNS)
    return (
        f"INSERT INTO stage_stay ({names}) VALUES ({', '.join(marks(postgres, 6))})"
        " ON CONFLICT (journey_id, seq) DO UPDATE SET seconds = excluded.seconds"
    )


def stays_to_record(event: EventFact) -> bool:
    """Whether `stays_recorded` has anything to write for `event`: only a change of stage ends
    a stay."""
    came = event.from_stage.value if event.from_stage else None
    return _changes_stage(came, event.to_stage.value)


def stays_recorded(postgres: bool, event: EventFact, clinic_id: str) -> Plan[None]:
    """Writes the stay `event` ends, timed from the change before it, and re-times the stay of
    the next change already written, which began here."""
    if not stays_to_record(event):
        return
    changes = yield _changes(postgres), [event.journey_id, event.seq]
    earlier = [row for row in changes if row["seq"] < event.seq]
    following = next((row for row in changes if row["seq"] > event.seq), None)
    if event.from_stage is not None and earlier:
        began = _at(earlier[-1])
        yield _stay(postgres, clinic_id, event, event.seq, event.from_stage.value, began, event.at)
    if following is not None and following["from_stage"] is not None:
        seq, stage = following["seq"], following["from_stage"]
        yield _stay(postgres, clinic_id, event, seq, stage, event.at, _at(following))


def _stay(
    postgres: bool,
    clinic_id: str,
    event: EventFact,
    seq: int,
    stage: str,
    began: datetime,
    ended: datetime,
) -> Unread:
    """The stay in `stage` that the journey's event `seq` ended: written, or re-timed."""
    row = {
        "clinic_id": clinic_id,
        "journey_id": event.journey_id,
        "seq": seq,
        "stage": stage,
        "ended_at": ended,
        "seconds": (ended - began).total_seconds(),
    }
    return Unread(_write_stay(postgres), db_values(StageStay, row, _STAY_COLUMNS))


def _changes_stage(came: str | None, went: str) -> bool:
    return came is None or came != went


def _at(row: Any) -> datetime:
    """An event's time as Tortoise reads it (SQLite keeps it as text)."""
    at: datetime = JourneyEvent._meta.fields_map["at"].to_python_value(row["at"])
    return at
