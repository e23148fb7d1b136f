from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from schema.context import Context
from schema.errors import NotAuthorized, not_authorized
from schema.staff.types import StaffMember

MeResult = Annotated[
    StaffMember | NotAuthorized,
    strawberry.union(
        "MeResult", description="You, or NotAuthorized if your token no longer works."
    ),
]


async def me(info: Info[Context, None]) -> MeResult:
    # The account as this request's session check loaded it: no second query.
    session = info.context.session
    if session is None or session.claims is None or session.account is None:
        return not_authorized()
    return StaffMember.from_row(session.account)
