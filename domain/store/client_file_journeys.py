"""Reading the records the client's journeys kept for her copy: treatments, complications
reported on calls, and the records from consultation to follow-up call
(`domain.client_file.journey_records`), each with its amendments up to the copy's moment."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any

from tortoise.expressions import Subquery

from domain.client_file import export as x
from domain.client_file import file_records as records
from domain.client_file.journey_records import StaffNamed
from domain.store.client_file_parts import Reading, whole
from domain.store.models import Journey, JourneyEvent, JourneyRecord
from domain.store.staff_names import account_named, names_through_time


@dataclass(frozen=True)
class Taken:
    """The journey event that took a record in: when, and who acted."""

    at: datetime
    by: str
    role: str


@dataclass(frozen=True)
class JourneyRecords:
    """A listed part kept in journey records of one `kind`: those the client's journeys took in
    up to the moment (a refused draft is none, nor is a correction), oldest first, each made a
    record with the event that took it in and its amendments up to the moment.

    The client's journeys and their events are a subquery, never a list of ids sent with the
    statement: they grow with her history, and a statement binds at most 32,766 values
    (SQLite's default, asyncpg's 32,767). What is sent as a list is the part's own rows,
    bounded by the part."""

    kind: str
    record: Callable[[JourneyRecord, Taken, list[records.RecordAmendment]], Any]
    # The record's fields naming staff, by the body's key of each (`journey_records.STAFF`).
    staff: Mapping[str, str] = field(default_factory=dict)

    async def __call__(self, reading: Reading, part: x.Part[Any]) -> list[Any]:
        journeys = Journey.filter(client_id=reading.client.id).values("id")
        taken_in = JourneyEvent.filter(
            journey_id__in=Subquery(journeys), record_id__not_isnull=True, at__lte=reading.as_of
        ).values("record_id")
        kept = JourneyRecord.filter(id__in=Subquery(taken_in), kind=self.kind, amends_id=None)
        rows = await whole(kept.order_by("created_at", "id"), part.most(), part.what)
        ids = [row.id for row in rows]
        events = await JourneyEvent.filter(record_id__in=ids).values_list(
            "record_id", "at", "actor_id", "actor_role"
        )
        taken = {str(record): Taken(at, by, role) for record, at, by, role in events}
        amended = await _amendments(ids, reading.as_of, part)
        made = [self.record(row, taken[row.id], amended.get(row.id, [])) for row in rows]
        return await _staff_named(made, rows, self.staff) if self.staff else made


async def _staff_named(
    made: list[Any], rows: list[JourneyRecord], staff: Mapping[str, str]
) -> list[Any]:
    """Each record with the staff its body names, by account id and the name each had when the
    record was taken in (its event's time): a copy made again is the same copy, a colleague
    renamed since or not. One read of names for the whole part."""
    bodies = [row.body if isinstance(row.body, dict) else {} for row in rows]
    accounts = [
        {name: account_named(body.get(key)) for name, key in staff.items()} for body in bodies
    ]
    names = await names_through_time({a for named in accounts for a in named.values() if a})
    return [
        replace(
            record,
            **{
                name: StaffNamed(account, names.at_moment(account, record.at)) if account else None
                for name, account in named.items()
            },
        )
        for record, named in zip(made, accounts, strict=True)
    ]


async def _amendments(
    ids: list[str], as_of: datetime, part: x.Part[Any]
) -> dict[str, list[records.RecordAmendment]]:
    """The amendments of the records `ids` up to the moment, oldest first, by the record each
    corrects: a retried export (its moment kept with its key) reads the same ones, as they are
    append-only. Beyond `MAX_RECORD_AMENDMENTS` for the part, the copy is refused."""
    rows = await whole(
        JourneyRecord.filter(amends_id__in=ids, created_at__lte=as_of).order_by("created_at", "id"),
        x.MAX_RECORD_AMENDMENTS,
        f"amendments of {part.what}",
    )
    amended: dict[str, list[records.RecordAmendment]] = {}
    for row in rows:
        amended.setdefault(str(row.amends_id), []).append(amendment_of(row))
    return amended


def amendment_of(row: JourneyRecord) -> records.RecordAmendment:
    """An amendment's record (`amendRecord`) as the copy and the printed pages read it."""
    body = row.body if isinstance(row.body, dict) else {}
    return records.RecordAmendment(
        id=row.id,
        by=row.author_id,
        reason=body.get("reason", ""),
        correction=body.get("correction", {}),
        at=row.created_at,
    )


def treatment(
    row: JourneyRecord, taken: Taken, amendments: list[records.RecordAmendment]
) -> records.Treatment:
    return records.Treatment(
        id=row.id,
        journey_id=row.journey_id,
        procedure=row.body.get("procedure", ""),
        products=row.body.get("products", []),
        notes=row.body.get("notes"),
        performer_id=row.body.get("performer_id"),
        amendments=amendments,
        at=taken.at,
    )


def follow_up_complication(
    row: JourneyRecord, taken: Taken, amendments: list[records.RecordAmendment]
) -> records.FollowUpComplication:
    """The record `reportComplication` kept of the call (its input: the call and the note), and
    the event of the call's outcome: who made the call, and when."""
    return records.FollowUpComplication(
        id=row.id,
        journey_id=row.journey_id,
        follow_up_id=row.body.get("follow_up_id", ""),
        note=row.body.get("note", ""),
        by=taken.by,
        author_role=taken.role,
        amendments=amendments,
        at=taken.at,
    )


# The fields of a journey's record (`domain.client_file.journey_records`) that are not read from
# its body: its own id and journey, its amendments, and the event's who and when.
_NOT_IN_THE_BODY = frozenset({"id", "journey_id", "by", "author_role", "amendments", "at"})


def kept(record: type[Any]) -> JourneyRecords:
    """The part of the records of `record.KIND`, each made `record` with its own fields read from
    the record's body by their names (absent: None), those naming staff (`STAFF`) named."""
    staff: Mapping[str, str] = getattr(record, "STAFF", {})
    own = [f.name for f in fields(record) if f.name not in _NOT_IN_THE_BODY | staff.keys()]

    def build(row: JourneyRecord, taken: Taken, amendments: list[records.RecordAmendment]) -> Any:
        body = row.body if isinstance(row.body, dict) else {}
        return record(
            id=row.id,
            journey_id=row.journey_id,
            **{name: body.get(name) for name in own},
            by=taken.by,
            author_role=taken.role,
            amendments=amendments,
            at=taken.at,
        )

    return JourneyRecords(record.KIND, build, staff)
