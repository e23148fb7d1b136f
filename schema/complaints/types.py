"""The complaint register's types: a complaint with its answers, its inputs and answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.complaints import rules
from domain.roles import Role
from domain.store.complaints import Complaint as ComplaintRow
from domain.store.complaints import ComplaintEntry as EntryRow
from schema import idempotency
from schema.context import Context
from schema.errors import Conflict, NotAuthorized, NotFound, ValidationFailed
from schema.ids import encode_id
from schema.pagination import PageInfo
from schema.recorded_role import recorded_role
from schema.staff.types import StaffMember, staff_member

ComplaintChannel = strawberry.enum(rules.ComplaintChannel)
ComplaintCategory = strawberry.enum(rules.ComplaintCategory)
ComplaintEntryKind = strawberry.enum(rules.ComplaintEntryKind)
ComplaintOutcome = strawberry.enum(rules.ComplaintOutcome)
ComplaintStatus = strawberry.enum(rules.ComplaintStatus)

ID_TYPE = "Complaint"
COMPLAINT_ID = "The complaint (a `Complaint` id)."
NOTE = f"What the clinic told the client, or did (at most {rules.NOTE_LIMIT} characters)."


@strawberry.type(
    description="An answer to a complaint, or its resolution, as a supervisor recorded it; "
    "never edited."
)
class ComplaintAnswer:
    id: strawberry.ID = strawberry.field(description="The entry's id.")
    kind: ComplaintEntryKind = strawberry.field(  # type: ignore[valid-type]
        description="An answer, or the resolution (the last entry)."
    )
    outcome: ComplaintOutcome | None = strawberry.field(  # type: ignore[valid-type]
        description="How it ended (the resolution's); null for an answer."
    )
    note: str = strawberry.field(description="What the clinic told the client, or did.")
    recorded_by_id: str = strawberry.field(description="The account id of who recorded it.")
    stored_role: strawberry.Private[str]
    recorded_at: datetime = strawberry.field(description="When it was recorded, in UTC.")

    @strawberry.field(description="Their role then.")
    def recorded_by_role(self) -> Role:
        return recorded_role(self.stored_role)

    @strawberry.field(description="Who recorded it; null if the account is gone.")
    async def recorded_by(self, info: Info[Context, None]) -> StaffMember | None:
        return await staff_member(info, self.recorded_by_id)

    @classmethod
    def from_row(cls, row: EntryRow) -> ComplaintAnswer:
        return cls(
            id=strawberry.ID(row.id),
            kind=rules.ComplaintEntryKind(row.kind),
            outcome=rules.ComplaintOutcome(row.outcome) if row.outcome else None,
            note=row.note,
            recorded_by_id=row.recorded_by,
            stored_role=row.recorded_by_role,
            recorded_at=row.recorded_at,
        )


@strawberry.type(
    description="A client's complaint (seed 003 art. 20): how it came, what about, what she "
    "said, and what the clinic answered; its state comes from its answers, never from edits."
)
class Complaint:
    id: strawberry.ID = strawberry.field(
        description="The complaint's id (`respondToComplaint` and `resolveComplaint` take it)."
    )
    client_id: strawberry.ID = strawberry.field(description="The client (a `Client` id).")
    journey_id: strawberry.ID | None = strawberry.field(
        description="The journey it is about (a `Journey` id); null: none named."
    )
    channel: ComplaintChannel = strawberry.field(  # type: ignore[valid-type]
        description="How it reached the clinic."
    )
    category: ComplaintCategory | None = strawberry.field(  # type: ignore[valid-type]
        description="What it is about; null: not said."
    )
    description: str = strawberry.field(description="What the client said, as taken down.")
    received_at: datetime = strawberry.field(description="When the clinic received it, in UTC.")
    first_answer_due_at: datetime = strawberry.field(
        description="When the first answer is due: the end of the second working day (Monday "
        "to Friday, the clinic's time zone) after the day it was received."
    )
    status: ComplaintStatus = strawberry.field(  # type: ignore[valid-type]
        description="OPEN until answered, ANSWERED, then RESOLVED."
    )
    overdue: bool = strawberry.field(description="Not answered, and `firstAnswerDueAt` has passed.")
    answers: list[ComplaintAnswer] = strawberry.field(
        description=f"The answers and the resolution, oldest first (at most "
        f"{rules.MAX_ENTRIES_PER_COMPLAINT})."
    )
    recorded_by_id: str = strawberry.field(description="The account id of who took it.")
    stored_role: strawberry.Private[str]
    recorded_at: datetime = strawberry.field(description="When it was recorded, in UTC.")

    @strawberry.field(description="Their role then.")
    def recorded_by_role(self) -> Role:
        return recorded_role(self.stored_role)

    @strawberry.field(description="Who took it; null if the account is gone.")
    async def recorded_by(self, info: Info[Context, None]) -> StaffMember | None:
        return await staff_member(info, self.recorded_by_id)

    @classmethod
    def from_row(cls, row: ComplaintRow, entries: Sequence[EntryRow], now: datetime) -> Complaint:
        status = rules.status_of([entry.kind for entry in entries])
        return cls(
            id=strawberry.ID(encode_id(ID_TYPE, row.id)),
            client_id=strawberry.ID(encode_id("Client", str(row.client_id))),
            journey_id=strawberry.ID(encode_id("Journey", row.journey_id))
            if row.journey_id
            else None,
            channel=rules.ComplaintChannel(row.channel),
            category=rules.ComplaintCategory(row.category) if row.category else None,
            description=row.description,
            received_at=row.received_at,
            first_answer_due_at=row.first_answer_due_at,
            status=status,
            overdue=rules.is_overdue(status, row.first_answer_due_at, now),
            answers=[ComplaintAnswer.from_row(entry) for entry in entries],
            recorded_by_id=row.recorded_by,
            stored_role=row.recorded_by_role,
            recorded_at=row.recorded_at,
        )


@strawberry.input(description="A client's complaint, as she made it.")
class RecordComplaintInput:
    client_id: strawberry.ID = strawberry.field(description="The client (a `Client` id).")
    journey_id: strawberry.ID | None = strawberry.field(
        default=None, description="The journey of hers it is about, if any (a `Journey` id)."
    )
    channel: ComplaintChannel = strawberry.field(  # type: ignore[valid-type]
        description="How it reached the clinic."
    )
    category: ComplaintCategory | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="What it is about, if known."
    )
    description: str = strawberry.field(
        description=f"What she said (at most {rules.DESCRIPTION_LIMIT} characters)."
    )
    received_at: datetime | None = strawberry.field(
        default=None,
        description="When the clinic received it, within the last "
        f"{rules.RECEIVED_WITHIN_DAYS} days (a letter entered later); omitted: now.",
    )
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input(description="What the clinic answered the client.")
class RespondToComplaintInput:
    complaint_id: strawberry.ID = strawberry.field(description=COMPLAINT_ID)
    note: str = strawberry.field(description=NOTE)
    idempotency_key: str | None = idempotency.key_field()


@strawberry.input(description="How the complaint ended.")
class ResolveComplaintInput:
    complaint_id: strawberry.ID = strawberry.field(description=COMPLAINT_ID)
    outcome: ComplaintOutcome = strawberry.field(  # type: ignore[valid-type]
        description="Upheld, partly, not upheld, or withdrawn by the client."
    )
    note: str = strawberry.field(description=NOTE)
    idempotency_key: str | None = idempotency.key_field()


@strawberry.type(description="The complaint as it stands after the request.")
class ComplaintPayload:
    complaint: Complaint = strawberry.field(description="The complaint, with its answers.")


ComplaintResult = Annotated[
    ComplaintPayload | NotAuthorized | ValidationFailed | NotFound | Conflict,
    strawberry.union(
        "ComplaintResult",
        description="The complaint, or why not: not allowed, a problem per field (a resolved "
        "complaint takes nothing more: on `complaintId`), no such client, journey or "
        "complaint in your clinic, or a key used for another request.",
    ),
]


@strawberry.type(description="One complaint in a page.")
class ComplaintEdge:
    cursor: str = strawberry.field(description="Where the next page starts after this one.")
    node: Complaint = strawberry.field(description="The complaint.")


@strawberry.type(description="A page of complaints.")
class ComplaintConnection:
    edges: list[ComplaintEdge] = strawberry.field(description="The complaints.")
    page_info: PageInfo = strawberry.field(description="Whether more pages follow.")


ComplaintsResult = Annotated[
    ComplaintConnection | ValidationFailed | NotAuthorized | NotFound,
    strawberry.union(
        "ComplaintsResult",
        description="The page, or why not: a bad `first`/`after`, not allowed, no such client.",
    ),
]
