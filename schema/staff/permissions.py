"""`myPermissions`: what the viewer may read and do, so an SPA can hide what it cannot use."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from domain.permissions import operations_for, readable_fields
from domain.roles import Role
from schema.context import Context
from schema.permissions import viewer_role


@strawberry.type(
    description="What the viewer may do, from the API's permission table. Signed out, only "
    "what needs no sign-in (`Mutation.login`, `Query.me`, error types)."
)
class Permissions:
    role: Role | None = strawberry.field(description="The viewer's role; null when signed out.")
    operations: list[str] = strawberry.field(
        description="Operations the viewer may call, as `Query.journeys`, `Mutation.checkIn`, "
        "`Subscription.journeyChanged`. A call outside this list answers `NotAuthorized`."
    )
    readable_fields: list[str] = strawberry.field(
        description="Fields the viewer may read, as `Journey.history`. Any other field answers "
        "null with an error whose `extensions.code` is `NOT_AUTHORIZED`."
    )


def my_permissions(info: Info[Context, None]) -> Permissions:
    role = viewer_role(info.context)
    return Permissions(
        role=role, operations=operations_for(role), readable_fields=readable_fields(role)
    )
