"""The audit trail as the SPA sees it: a client's entries, as a cursor connection."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from domain.roles import Role
from domain.store.audit_models import AuditEntry as AuditEntryRow
from schema.context import Context
from schema.ids import encode_id
from schema.pagination import PageInfo
from schema.recorded_role import recorded_role
from schema.staff.types import StaffMember, staff_member


@strawberry.type(
    description="Who read or changed a client's data, when, and in which request. Entries are "
    "never edited; each carries the hash of the one before it in the clinic's chain "
    "(`glowpath audit verify` recomputes the chains)."
)
class AuditEntry:
    id: strawberry.ID = strawberry.field(description="The entry's id.")
    seq: int = strawberry.field(description="Its position in the clinic's chain, from 1.")
    at: datetime = strawberry.field(description="When it was recorded, in UTC.")
    actor_id: str = strawberry.field(description="Raw account id of the member of staff.")
    stored_actor_role: strawberry.Private[str]
    client_id: strawberry.ID = strawberry.field(
        description="The client (a `Client` id); for administration, `clinic:<id>` or "
        "`staff:<account id>`."
    )
    action: str = strawberry.field(
        description="What was done: `client.read`, `journey.read`, `journey.history.read`, "
        "`audit.read`, or the name of the mutation that changed the client's data (e.g. "
        "`registerClient`, `recordConsultation`). Never the data itself."
    )
    request_id: str | None = strawberry.field(
        description="The HTTP request's `X-Request-Id` (the same id is in the server's logs)."
    )
    prev_hash: str = strawberry.field(
        description="sha256 (hex) of the entry before it in the chain; 64 zeros for the first."
    )
    hash: str = strawberry.field(description="sha256 (hex) of this entry's fields and prevHash.")

    @strawberry.field(description="Their role when they did it.")
    def actor_role(self) -> Role:
        return recorded_role(self.stored_actor_role)

    @strawberry.field(description="The member of staff; null if the account is gone.")
    async def actor(self, info: Info[Context, None]) -> StaffMember | None:
        return await staff_member(info, self.actor_id)

    @classmethod
    def from_row(cls, row: AuditEntryRow) -> AuditEntry:
        return cls(
            id=strawberry.ID(row.id),
            seq=row.seq,
            at=row.at,
            actor_id=row.actor_id,
            stored_actor_role=row.actor_role,
            client_id=strawberry.ID(encode_id("Client", row.client_id)),
            action=row.action,
            request_id=row.request_id,
            prev_hash=row.prev_hash,
            hash=row.hash,
        )


@strawberry.type(description="One audit entry and the cursor just after it.")
class AuditLogEdge:
    cursor: str = strawberry.field(description="Pass as `after` for the entries older than this.")
    node: AuditEntry = strawberry.field(description="The entry.")


@strawberry.type(description="A page of a client's audit entries, newest first.")
class AuditLogConnection:
    edges: list[AuditLogEdge] = strawberry.field(description="The entries of this page.")
    page_info: PageInfo = strawberry.field(description="Whether older entries follow, and where.")
