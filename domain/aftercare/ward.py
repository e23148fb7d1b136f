"""The ward's tasks after an operation (seed 003's surgical flow): the readings the ward owes
and the doctor's round of the next day, each a task of its own so that one missed shows.

- A reading of the vital signs once an hour ("一个小时记录生命体征一次") through the first hours
  after the operation, those a general anaesthesia keeps the client flat and fasting
  ("全麻术后去枕平卧 6 小时、禁食 6 小时"): the reading of hour k is due k hours after the
  operation's end, answered by an observation taken within half an hour either side of it (the
  ward's round every 15 to 30 minutes, "15-30 分钟巡视一次"), and late once that half hour after
  it has passed without one.
- The doctor's round on the next day ("医生/医助第二天须到病房去查看"): due from the clinic's
  midnight that begins the day after the operation, late from the midnight that ends it.

A task is late by its own schedule, not by the clinic's allowance for calls (a day by default,
by when every reading of the ward would long be missed). Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

READING_HOURS = 6
READING_EVERY = timedelta(hours=1)
READING_LEEWAY = timedelta(minutes=30)


@dataclass(frozen=True)
class WardDue:
    """One task of the ward's schedule: its code (stable, for the task's id), its label on the
    list (`2h`; the round's day) and when it is due."""

    code: str
    label: str
    due_at: datetime


def readings_due(ended_at: datetime) -> list[WardDue]:
    """The hourly readings after an operation that ended at `ended_at`."""
    return [
        WardDue(f"ward-reading:{hour}", f"{hour}h", ended_at + hour * READING_EVERY)
        for hour in range(1, READING_HOURS + 1)
    ]


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    """The clinic's midnight that begins `day`, in UTC (as every instant of the read model is
    kept: SQLite compares them as text)."""
    return datetime.combine(day, time.min, zone).astimezone(UTC)


def round_due(ended_at: datetime, zone: ZoneInfo) -> WardDue:
    """The round of the day after the operation, in the clinic's calendar: due at its midnight."""
    day = ended_at.astimezone(zone).date() + timedelta(days=1)
    return WardDue("ward-round", day.isoformat(), _midnight(day, zone))


def answered_between(observed_at: datetime) -> tuple[datetime, datetime]:
    """The due times of the readings an observation at `observed_at` answers: after the first,
    up to the second (half an hour either side of the reading's hour)."""
    return observed_at - READING_LEEWAY, observed_at + READING_LEEWAY


def reading_late_at(due_at: datetime) -> datetime:
    return due_at + READING_LEEWAY


def round_late_at(due_at: datetime, zone: ZoneInfo) -> datetime:
    """The midnight that ends the round's day."""
    return _midnight(due_at.astimezone(zone).date() + timedelta(days=1), zone)


def rounds_late_before(now: datetime, zone: ZoneInfo) -> datetime:
    """A round due before this moment (the midnight that began the clinic's current day) is
    late: its day has ended."""
    return _midnight(now.astimezone(zone).date(), zone)
