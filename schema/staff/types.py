from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry
from strawberry import relay
from strawberry.types import Info

from domain.roles import Role
from domain.store.models import StaffAccount
from schema.recorded_role import recorded_role

if TYPE_CHECKING:
    from schema.context import Context


@strawberry.type(description="A member of the clinic's staff.")
class StaffMember(relay.Node):
    id: relay.NodeID[str]
    username: str
    display_name: str
    senior_title: bool = strawberry.field(
        description="A doctor holding a senior professional title (高级职称), as an administrator "
        "or a supervisor set it (`setSeniorTitle`): only such a doctor starts a complex "
        "procedure (seed 004 三.4). false for everyone else."
    )
    stored_role: strawberry.Private[str]
    clinic_id: strawberry.ID

    @strawberry.field
    def role(self) -> Role:
        return recorded_role(self.stored_role)

    @classmethod
    def from_row(cls, row: StaffAccount) -> StaffMember:
        return cls(
            id=row.id,
            username=row.username,
            display_name=row.display_name,
            senior_title=row.senior_title,
            stored_role=row.role,
            clinic_id=strawberry.ID(row.clinic_id),
        )


async def staff_row(info: Info[Context, None], account_id: str | None) -> StaffAccount | None:
    """The account a record's raw account id names, of the asking clinic only, read with the
    request's others in one query; None for no id, `system`, an account that is gone or is
    another clinic's, and for a caller not signed in."""
    claims = info.context.claims
    if not account_id or claims is None:
        return None
    return await info.context.loaders.staff.load((claims.clinic_id, account_id))


async def staff_member(info: Info[Context, None], account_id: str | None) -> StaffMember | None:
    """The member of staff a record's raw account id names (`staff_row`)."""
    row = await staff_row(info, account_id)
    return StaffMember.from_row(row) if row else None
