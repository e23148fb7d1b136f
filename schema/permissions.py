"""The one mechanism that applies the permission table (domain.permissions) to every field.

`PermissionGuard` wraps the resolution of every field of every operation. A field the viewer's
role may not read is not resolved at all:
- an operation whose result is a union with `NotAuthorized` answers that typed error;
- any other field answers null with an error entry whose `extensions.code` is `NOT_AUTHORIZED`
  (fields some readers of their type may not see are nullable for this reason).
A field missing from the table is refused for everyone: forgetting a row fails closed.
Subscriptions are checked when they start (`guard_subscription`) and on every push.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Callable
from typing import Any, TypeVar

from graphql import GraphQLError, GraphQLNonNull, GraphQLResolveInfo, GraphQLUnionType
from strawberry.extensions import SchemaExtension
from strawberry.types import Info

from domain.errors import ErrorCode
from domain.permissions import OPERATIONS, WHILE_PASSWORD_MUST_CHANGE, audience
from domain.roles import Role
from schema.errors import NotAuthorized

T = TypeVar("T")


def viewer_role(context: Any) -> Role | None:
    claims = getattr(context, "claims", None)
    return claims.role if claims is not None else None


def refusal_message(type_name: str, field_name: str, role: Role | None) -> str:
    rule = audience(type_name, field_name)
    if rule is None:
        return f"{type_name}.{field_name} is not open to anyone"
    if role is None:
        return "sign in first"
    needs = ", ".join(name for name in rule.names() if name != "SIGNED_OUT")
    return f"{type_name}.{field_name} needs one of: {needs}"


MUST_CHANGE_PASSWORD = "choose your own password first (changePassword)"


def _must_change_password(context: Any) -> bool:
    """Whether the signed-in account still has the temporary password it was given."""
    session = getattr(context, "session", None)
    account = getattr(session, "account", None) if session else None
    return bool(viewer_role(context) and getattr(account, "must_change_password", False))


def denied(type_name: str, field_name: str, role: Role | None) -> bool:
    if type_name.startswith("__") or field_name.startswith("__"):
        return False  # introspection: governed by the introspection setting and the limits
    rule = audience(type_name, field_name)
    return rule is None or not rule.admits(role)


def _answers_not_authorized(info: GraphQLResolveInfo) -> bool:
    result_type = info.return_type
    if isinstance(result_type, GraphQLNonNull):
        result_type = result_type.of_type
    return isinstance(result_type, GraphQLUnionType) and any(
        member.name == "NotAuthorized" for member in result_type.types
    )


class FieldNotPermitted(GraphQLError):
    """The error entry of a refused field: shown to the client as it is, never masked."""

    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": ErrorCode.NOT_AUTHORIZED.value})


class PermissionGuard(SchemaExtension):
    # Who is asking, read once per operation after the session check (schema.auth.session)
    # ran: the token and the account are checked once, not per field.
    _viewer: tuple[Role | None, bool] | None = None

    def _who(self, context: Any) -> tuple[Role | None, bool]:
        if self._viewer is None:
            self._viewer = (viewer_role(context), _must_change_password(context))
        return self._viewer

    def resolve(
        self,
        _next: Callable[..., Any],
        root: Any,
        info: GraphQLResolveInfo,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        role, must_change_password = self._who(info.context)
        type_name, field_name = info.parent_type.name, info.field_name
        message = None
        if denied(type_name, field_name, role):
            message = refusal_message(type_name, field_name, role)
        elif (
            must_change_password
            and type_name in OPERATIONS
            and f"{type_name}.{field_name}" not in WHILE_PASSWORD_MUST_CHANGE
        ):
            message = MUST_CHANGE_PASSWORD
        if message is not None:
            if _answers_not_authorized(info):
                return NotAuthorized(code=ErrorCode.NOT_AUTHORIZED, message=message)
            raise FieldNotPermitted(message)
        return _next(root, info, *args, **kwargs)


async def guard_subscription(
    info: Info[Any, None], source: AsyncIterator[T]
) -> AsyncGenerator[T, None]:
    """Ends a subscription the viewer may not open with a GraphQL error, before anything runs."""
    role = viewer_role(info.context)
    if denied("Subscription", info.field_name, role):
        raise FieldNotPermitted(refusal_message("Subscription", info.field_name, role))
    # As every other operation of an account given a temporary password: it stayed open,
    # waiting, each push refused as it came.
    if _must_change_password(info.context):
        raise FieldNotPermitted(MUST_CHANGE_PASSWORD)
    async for item in source:
        yield item
