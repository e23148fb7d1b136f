"""What changed the clinic's complaint counts, for the supervisor's board: the complaint register's
changes (`ComplaintChange`, one per complaint recorded, answered or resolved), and the moments a
complaint turned overdue with time alone, which no row marks.

A complaint turns overdue at its first answer's due time when it was recorded by then and had
no answer or resolution by then: the moment it first counts among `overdue_count`. A board
waiting for that moment and one reading it back later judge it by the same rule, so a board
back with its cursor hears what a board that stayed heard, once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from domain.store.complaints import Complaint, ComplaintChange, ComplaintEntry, unresolved

# The complaints falling due in one reading of the moments at most: past them, the reader is
# told there are more than it can say (a board reads the whole board again).
DUE_AT_MOST = 2_000


async def newest_change_id() -> int:
    newest = await ComplaintChange.all().order_by("-id").only("id").first()
    return int(newest.id) if newest else 0


async def changes_missed(
    clinic_id: str, after: int, upto: int, unsaid: Iterable[int], at_most: int
) -> list[ComplaintChange]:
    """The clinic's changes with an id in (`after`, `upto`] (the oldest `at_most` of them) or
    among `unsaid`, oldest first."""
    since = ComplaintChange.filter(clinic_id=clinic_id, id__gt=after, id__lte=upto)
    found = {row.id: row for row in await since.order_by("id").limit(at_most)}
    named = sorted(set(unsaid) - set(found))
    if named:
        among = ComplaintChange.filter(clinic_id=clinic_id, id__in=named)
        found.update({row.id: row for row in await among})
    return [found[change_id] for change_id in sorted(found)]


async def change_of(clinic_id: str, change_id: int) -> ComplaintChange | None:
    return await ComplaintChange.get_or_none(id=change_id, clinic_id=clinic_id)


async def turned_overdue(clinic_id: str, after: datetime, upto: datetime) -> list[datetime] | None:
    """The moments in (`after`, `upto`] at which complaints of the clinic turned overdue, each
    once, earliest first; None when more than `DUE_AT_MOST` complaints fell due in between."""
    if upto <= after:
        return []
    due = Complaint.filter(
        clinic_id=clinic_id, first_answer_due_at__gt=after, first_answer_due_at__lte=upto
    )
    rows = (
        await due.order_by("first_answer_due_at")
        .limit(DUE_AT_MOST + 1)
        .values_list("id", "first_answer_due_at", "recorded_at")
    )
    if len(rows) > DUE_AT_MOST:
        return None
    answered: dict[str, datetime] = {}  # each complaint's first answer or resolution
    if rows:
        entries = ComplaintEntry.filter(complaint_id__in=[row[0] for row in rows])
        for complaint_id, at in await entries.values_list("complaint_id", "recorded_at"):
            answered[complaint_id] = min(at, answered.get(complaint_id, at))
    # (an answer recorded at the very moment is in time: `overdue_count` counts it answered)
    moments = set()
    for complaint_id, due_at, recorded_at in rows:
        first = answered.get(complaint_id)
        if recorded_at <= due_at and (first is None or first > due_at):
            moments.add(due_at)
    return sorted(moments)


async def next_turn(clinic_id: str, after: datetime) -> datetime | None:
    """The earliest due time after `after` of the clinic's complaints not answered yet: the next
    moment one may turn overdue."""
    waiting = unresolved(clinic_id, answered=False).filter(first_answer_due_at__gt=after)
    first = await waiting.order_by("first_answer_due_at").only("id", "first_answer_due_at").first()
    return first.first_answer_due_at if first else None
