from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.store.models import StaffAccount
from schema.context import Context
from schema.errors import NotAuthorized, not_authorized
from schema.staff.types import StaffMember

MeResult = Annotated[StaffMember | NotAuthorized, strawberry.union("MeResult")]


async def me(info: Info[Context, None]) -> MeResult:
    claims = info.context.claims
    account = claims and await StaffAccount.get_or_none(id=claims.account_id, active=True)
    return StaffMember.from_row(account) if account else not_authorized()
