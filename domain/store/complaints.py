"""The complaint register: a client's complaints and what the clinic answered, append-only.

A complaint is never edited: each answer and its resolution is a `ComplaintEntry` of its own,
and its state is read from them (`domain.complaints.rules.status_of`). Entries are written under
the complaint's row lock, so two supervisors resolving at once resolve it once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

from tortoise import fields
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from domain.complaints.rules import ComplaintEntryKind
from domain.store.models import AppendOnlyModel, Client


class Complaint(AppendOnlyModel):
    """A client's complaint as it was taken: how it came, what about, what she said."""

    id = fields.CharField(primary_key=True, max_length=64)
    clinic_id = fields.CharField(max_length=64)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="complaints", on_delete=fields.RESTRICT
    )
    client_id: str
    journey_id = fields.CharField(max_length=64, null=True)
    channel = fields.CharField(max_length=32)
    category = fields.CharField(max_length=32, null=True)
    description = fields.TextField()
    received_at = fields.DatetimeField()
    first_answer_due_at = fields.DatetimeField()
    recorded_by = fields.CharField(max_length=64)
    recorded_by_role = fields.CharField(max_length=32)
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "complaint"
        indexes = (("client_id", "recorded_at"), ("clinic_id", "first_answer_due_at"))


class ComplaintEntry(AppendOnlyModel):
    """An answer to a complaint, or its resolution (with its outcome)."""

    id = fields.CharField(primary_key=True, max_length=64)
    clinic_id = fields.CharField(max_length=64)
    complaint: fields.ForeignKeyRelation[Complaint] = fields.ForeignKeyField(
        "models.Complaint", related_name="entries", on_delete=fields.RESTRICT
    )
    complaint_id: str
    kind = fields.CharField(max_length=32)
    outcome = fields.CharField(max_length=32, null=True)
    note = fields.TextField()
    recorded_by = fields.CharField(max_length=64)
    recorded_by_role = fields.CharField(max_length=32)
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "complaint_entry"
        indexes = (("complaint_id", "recorded_at"), ("clinic_id", "kind"))


# What a `ComplaintChange` says happened to its complaint (an entry's own kind, or this).
RECORDED = "RECORDED"


class ComplaintChange(AppendOnlyModel):
    """A complaint recorded, answered or resolved, written in the same transaction as its row:
    the live feed reads it by id, as it reads journey events, so the supervisor's board can say
    the clinic's complaint counts changed (`supervisorBoard(complaintCounts: true)`)."""

    id = fields.IntField(primary_key=True)
    clinic_id = fields.CharField(max_length=64)
    complaint_id = fields.CharField(max_length=64)
    kind = fields.CharField(max_length=32)  # RECORDED, or the entry's `ComplaintEntryKind`
    at = fields.DatetimeField()

    class Meta:
        table = "complaint_change"
        indexes = (("clinic_id", "id"),)


@asynccontextmanager
async def complaint_locked(complaint_id: str) -> AsyncIterator[BaseDBAsyncClient]:
    """A transaction holding the complaint's row (SELECT ... FOR UPDATE on PostgreSQL; SQLite's
    transactions begin IMMEDIATE): its entries are counted and checked, then written, in it."""
    async with in_transaction() as connection:
        await Complaint.filter(id=complaint_id).select_for_update().using_db(connection).first()
        yield connection


@asynccontextmanager
async def client_locked(client_id: str) -> AsyncIterator[BaseDBAsyncClient]:
    """A transaction holding the client's row: her complaints are counted, then one written."""
    async with in_transaction() as connection:
        await Client.filter(id=client_id).select_for_update().using_db(connection).first()
        yield connection


def _with_entry(clinic_id: str, kind: ComplaintEntryKind) -> Subquery:
    entries = ComplaintEntry.filter(clinic_id=clinic_id, kind=kind.value)
    return Subquery(entries.values("complaint_id"))


def unresolved(clinic_id: str, *, answered: bool) -> QuerySet[Complaint]:
    """The clinic's complaints not resolved: answered (`answered`) or unanswered."""
    open_ones = Complaint.filter(clinic_id=clinic_id).exclude(
        id__in=_with_entry(clinic_id, ComplaintEntryKind.RESOLUTION)
    )
    answers = _with_entry(clinic_id, ComplaintEntryKind.RESPONSE)
    if answered:
        return open_ones.filter(id__in=answers)
    return open_ones.exclude(id__in=answers)


async def unresolved_count(clinic_id: str) -> int:
    """How many of the clinic's complaints are not resolved, answered or not."""
    resolved = _with_entry(clinic_id, ComplaintEntryKind.RESOLUTION)
    return await Complaint.filter(clinic_id=clinic_id).exclude(id__in=resolved).count()


async def overdue_count(clinic_id: str, now: datetime) -> int:
    """How many of the clinic's complaints are unanswered past their first answer's due time
    (`domain.complaints.rules.is_overdue`)."""
    late = unresolved(clinic_id, answered=False).filter(first_answer_due_at__lte=now)
    return await late.count()


async def entries_of(complaint_ids: list[str]) -> dict[str, list[ComplaintEntry]]:
    """Each complaint's entries, oldest first, in one query (each complaint takes a bounded
    number: `MAX_ENTRIES_PER_COMPLAINT`)."""
    found: dict[str, list[ComplaintEntry]] = {i: [] for i in complaint_ids}
    if complaint_ids:
        rows = ComplaintEntry.filter(complaint_id__in=complaint_ids)
        for row in await rows.order_by("recorded_at", "id"):
            found[row.complaint_id].append(row)
    return found


# Where a page of open complaints starts after: (0 unanswered / 1 answered, due time, id).
OpenPosition = tuple[int, datetime, str]


async def open_page(
    clinic_id: str, first: int, after: OpenPosition | None
) -> tuple[list[tuple[int, Complaint]], bool]:
    """The clinic's complaints not resolved, the unanswered first (those overdue, due the
    earliest, before any other), then the answered, each by due time: `first` of them after
    `after`, and whether more follow. Two queries at the most."""
    found: list[tuple[int, Complaint]] = []
    start = after[0] if after else 0
    for group in (0, 1):
        if group < start or len(found) > first:
            continue
        query = unresolved(clinic_id, answered=bool(group))
        if after is not None and group == after[0]:
            _, at, raw_id = after
            query = query.filter(
                Q(first_answer_due_at__gt=at) | Q(first_answer_due_at=at, id__gt=raw_id)
            )
        rows = await query.order_by("first_answer_due_at", "id").limit(first + 1 - len(found))
        found.extend((group, row) for row in rows)
    return found[:first], len(found) > first


async def open_before(clinic_id: str, at: OpenPosition) -> bool:
    """Whether a complaint not resolved comes at or before the position in `open_page`'s
    order (the cursor's complaint counts while it stays open, any unanswered one comes before
    every answered one): two queries at the most."""
    group, due_at, raw_id = at
    if group == 1 and await unresolved(clinic_id, answered=False).exists():
        return True
    up_to = Q(first_answer_due_at__lt=due_at) | Q(first_answer_due_at=due_at, id__lte=raw_id)
    return await unresolved(clinic_id, answered=bool(group)).filter(up_to).exists()
