from __future__ import annotations

import strawberry
from strawberry import relay

from domain.roles import Role
from domain.store.models import StaffAccount


@strawberry.type(description="A member of the clinic's staff.")
class StaffMember(relay.Node):
    id: relay.NodeID[str]
    username: str
    display_name: str
    role: Role
    clinic_id: strawberry.ID

    @classmethod
    def from_row(cls, row: StaffAccount) -> StaffMember:
        return cls(
            id=row.id,
            username=row.username,
            display_name=row.display_name,
            role=Role(row.role),
            clinic_id=strawberry.ID(row.clinic_id),
        )
