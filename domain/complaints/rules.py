"""A complaint and what the clinic answered: its codes, its checks, its state and when its first
answer is due.

A complaint is taken by whoever the client tells (the desk, a nurse, a consultant, the callers,
a supervisor) and answered and resolved by a supervisor, as the handbooks give unhappy clients
to the on-site supervisor (seed 004: "可由现场主管协助处理"). Nothing is edited: each answer
and the resolution is an entry of its own, and the complaint's state is read from its entries.

The first answer is due by the end of the second working day (Monday to Friday but the days
the clinic listed as closed, `domain.clinic_days`, in the clinic's time zone) after the day the
complaint was received. No handbook gives a bound
("及时处理", promptly): two working days is this release's choice, for each clinic to confirm.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime, time, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from domain.clinic_days import is_working_day
from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.text import text_problem

DESCRIPTION_LIMIT = 4000
NOTE_LIMIT = 4000
FIRST_ANSWER_WORKING_DAYS = 2
# A complaint entered after it was received (a letter, a call taken down later) says when.
RECEIVED_WITHIN_DAYS = 30
# A client's complaints, and a complaint's answers with its resolution: her copy carries them
# all, so each is bounded where it is written (a complaint a month for eight years).
MAX_COMPLAINTS_PER_CLIENT = 100
MAX_ENTRIES_PER_COMPLAINT = 20


class ComplaintChannel(str, Enum):
    """How the complaint reached the clinic."""

    IN_PERSON = "IN_PERSON"
    PHONE = "PHONE"
    LETTER = "LETTER"
    EMAIL = "EMAIL"
    ONLINE = "ONLINE"  # the clinic's website, a review site, social media
    FOLLOW_UP_CALL = "FOLLOW_UP_CALL"  # heard on one of the clinic's follow-up calls


class ComplaintCategory(str, Enum):
    """What the complaint is about."""

    CONSULTANT = "CONSULTANT"  # her consultant: a change of consultant is `reassignClient`
    STAFF_CONDUCT = "STAFF_CONDUCT"
    TREATMENT_RESULT = "TREATMENT_RESULT"
    COMPLICATION = "COMPLICATION"  # a complication itself is `reportComplicationCall`
    BILLING = "BILLING"
    WAITING = "WAITING"
    PRIVACY = "PRIVACY"
    OTHER = "OTHER"


class ComplaintEntryKind(str, Enum):
    RESPONSE = "RESPONSE"  # what the clinic answered the client
    RESOLUTION = "RESOLUTION"  # how it ended; the last entry


class ComplaintOutcome(str, Enum):
    """How a complaint ended."""

    UPHELD = "UPHELD"
    PARTLY_UPHELD = "PARTLY_UPHELD"
    NOT_UPHELD = "NOT_UPHELD"
    WITHDRAWN = "WITHDRAWN"


class ComplaintStatus(str, Enum):
    OPEN = "OPEN"  # no answer yet
    ANSWERED = "ANSWERED"  # answered, not resolved
    RESOLVED = "RESOLVED"


def status_of(kinds: Sequence[str]) -> ComplaintStatus:
    """The state its entries give it (their `ComplaintEntryKind` values, any order)."""
    if ComplaintEntryKind.RESOLUTION.value in kinds:
        return ComplaintStatus.RESOLVED
    if kinds:
        return ComplaintStatus.ANSWERED
    return ComplaintStatus.OPEN


def first_answer_due(
    received_at: datetime, zone: ZoneInfo, days_off: Collection[date] = frozenset()
) -> datetime:
    """The end of the `FIRST_ANSWER_WORKING_DAYS`-th working day after the day it was received,
    in the clinic's time zone, `days_off` (the clinic's closed days) not counted."""
    day = received_at.astimezone(zone).date()
    counted = 0
    while counted < FIRST_ANSWER_WORKING_DAYS:
        day += timedelta(days=1)
        if is_working_day(day, days_off):
            counted += 1
    return datetime.combine(day + timedelta(days=1), time.min, zone)


def is_overdue(status: ComplaintStatus, due_at: datetime, now: datetime) -> bool:
    """Unanswered past its due time; the resolution answers it too."""
    return status is ComplaintStatus.OPEN and now >= due_at


def complaint_problems(
    description: str, received_at: datetime | None, now: datetime
) -> list[FieldProblem]:
    problems = []
    problem = text_problem("description", description, required=True, limit=DESCRIPTION_LIMIT)
    if problem:
        problems.append(problem)
    if received_at is not None:
        if received_at > now:
            problems.append(FieldProblem("receivedAt", "not in the future", Code.OUT_OF_RANGE))
        elif received_at < now - timedelta(days=RECEIVED_WITHIN_DAYS):
            problems.append(
                FieldProblem(
                    "receivedAt", f"within the last {RECEIVED_WITHIN_DAYS} days", Code.OUT_OF_RANGE
                )
            )
    return problems


def note_problems(note: str) -> list[FieldProblem]:
    problem = text_problem("note", note, required=True, limit=NOTE_LIMIT)
    return [problem] if problem else []


def already_resolved(at: datetime) -> str:
    return f"resolved at {at.isoformat()}: a new complaint is recorded anew (recordComplaint)"


def too_many_complaints() -> str:
    return f"the client has {MAX_COMPLAINTS_PER_CLIENT} complaints, as many as her file takes"


def too_many_entries() -> str:
    return f"the complaint has {MAX_ENTRIES_PER_COMPLAINT} entries, as many as it takes"
