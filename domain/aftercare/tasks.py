"""Follow-up tasks: who calls, when, and what three missed calls or a complication lead to.

A task is derived from the journey's follow-up as the workflow left it (status, attempts,
outcome) and the clinic's after-care setting, so writing it again gives the same row.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from domain.aftercare import call_windows, ward
from domain.journey.facts import FollowUp
from domain.journey.stages import FollowUpOutcome, FollowUpStatus
from domain.roles import Role


class TaskKind(str, Enum):
    FOLLOW_UP_CALL = "FOLLOW_UP_CALL"
    COMPLICATION = "COMPLICATION"
    LOW_SURVEY_SCORE = "LOW_SURVEY_SCORE"
    PHOTO = "PHOTO"
    INVITATION = "INVITATION"
    RECHECK = "RECHECK"
    WARD_READING = "WARD_READING"
    WARD_ROUND = "WARD_ROUND"


class TaskStatus(str, Enum):
    OPEN = "OPEN"
    DONE = "DONE"
    CLOSED = "CLOSED"
    # A photo reminder closed, or written closed, because the client took back the consent
    # she had given to the clinical record, which its photo needs.
    NO_PHOTO_CONSENT = "NO_PHOTO_CONSENT"


class FollowUpAssignee(str, Enum):
    """The clinic's choice of who makes its follow-up calls."""

    FOLLOW_UP_STAFF = "FOLLOW_UP_STAFF"
    OWNING_CONSULTANT = "OWNING_CONSULTANT"


# A missed call is tried again after these waits (the last one repeats); the third miss in a
# row hands the call to a supervisor.
RETRY_BACKOFF = (timedelta(hours=2), timedelta(hours=24))
MISSES_TO_ESCALATE = 3
# A consultation that did not convert ends its journey, and the consultant invites the client
# back (seed 003: follow them up by phone or messenger, invite them again) this long after.
INVITE_BACK_AFTER = timedelta(days=7)
# A task still open this long after its due time counts as overdue (the clinic may change it).
DEFAULT_OVERDUE_AFTER = timedelta(hours=24)


_TASK_IDS = uuid.UUID("0d4c4f7e-5a0b-4c56-9a55-7f7c1f6b2a22")


def task_id(journey_id: str, follow_up_id: str | None, kind: TaskKind) -> str:
    """Stable: writing a journey's task again finds the same row."""
    return str(uuid.uuid5(_TASK_IDS, f"{journey_id}:{follow_up_id}:{kind.value}"))


@dataclass(frozen=True)
class Assignment:
    role: Role
    account_id: str | None  # None: anyone of the role in the clinic


def retry_wait(misses: int) -> timedelta:
    return RETRY_BACKOFF[min(max(misses, 1), len(RETRY_BACKOFF)) - 1]


def caller_assignment(consultant_id: str | None, policy: FollowUpAssignee) -> Assignment:
    """Who calls the client under the clinic's after-care setting."""
    if policy is FollowUpAssignee.OWNING_CONSULTANT and consultant_id:
        return Assignment(Role.CONSULTANT, consultant_id)
    return Assignment(Role.FOLLOW_UP_STAFF, None)


def call_assignment(
    follow_up: FollowUp, consultant_id: str | None, policy: FollowUpAssignee
) -> Assignment:
    if follow_up.outcome is FollowUpOutcome.NOT_REACHED and follow_up.attempts >= (
        MISSES_TO_ESCALATE
    ):
        return Assignment(Role.SUPERVISOR, None)
    return caller_assignment(consultant_id, policy)


def is_escalated(follow_up: FollowUp) -> bool:
    return (
        follow_up.outcome is FollowUpOutcome.NOT_REACHED
        and follow_up.attempts >= MISSES_TO_ESCALATE
    )


def call_status(follow_up: FollowUp) -> TaskStatus:
    if follow_up.status is FollowUpStatus.DONE:
        return TaskStatus.DONE
    if follow_up.status is FollowUpStatus.CLOSED:
        return TaskStatus.CLOSED
    return TaskStatus.OPEN


def call_due_at(follow_up: FollowUp, last_miss_at: datetime | None) -> datetime:
    """Due when the follow-up fell due; after a miss, when the back-off has passed."""
    if follow_up.outcome is FollowUpOutcome.NOT_REACHED and last_miss_at is not None:
        return last_miss_at + retry_wait(follow_up.attempts)
    return follow_up.due_at


def is_overdue(due_at: datetime, now: datetime, overdue_after: timedelta) -> bool:
    return due_at + overdue_after <= now


@dataclass(frozen=True)
class Lateness:
    """When an open task is overdue: a ward's task by its own schedule (`domain.aftercare.ward`),
    a call by its handbook window where it has one (`domain.aftercare.call_windows`), any other
    once the clinic's allowance past its due time has passed."""

    overdue_after: timedelta
    zone: ZoneInfo

    def late_at(self, kind: TaskKind, due_at: datetime, label: str | None = None) -> datetime:
        if kind is TaskKind.WARD_READING:
            return ward.reading_late_at(due_at)
        if kind is TaskKind.WARD_ROUND:
            return ward.round_late_at(due_at, self.zone)
        if kind is TaskKind.FOLLOW_UP_CALL:
            return due_at + call_windows.call_grace(label, self.overdue_after)
        return due_at + self.overdue_after

    def is_overdue(
        self, kind: TaskKind, due_at: datetime, now: datetime, label: str | None = None
    ) -> bool:
        return self.late_at(kind, due_at, label) <= now

    def bounds(self, now: datetime) -> dict[TaskKind | None, tuple[datetime, bool]]:
        """For the database: a task of the kind (None: any other) is overdue when its due time
        is at most the bound (before it, when the flag says strictly); a call held by a
        handbook window by `call_bounds` instead."""
        return {
            TaskKind.WARD_READING: (now - ward.READING_LEEWAY, False),
            TaskKind.WARD_ROUND: (ward.rounds_late_before(now, self.zone), True),
            None: (now - self.overdue_after, False),
        }

    def call_bounds(self, now: datetime) -> dict[str, datetime]:
        """For the database: a call with the label (of whole hours) is overdue when its due time
        is at most the bound."""
        return {
            label: now - min(grace, self.overdue_after)
            for label, grace in call_windows.windowed_labels().items()
        }

    def under_an_hour_bound(self, now: datetime) -> datetime:
        """For the database: a call under an hour after the treatment (labelled by its seconds)
        is overdue when its due time is at most the bound."""
        return now - call_windows.call_grace("0s", self.overdue_after)
