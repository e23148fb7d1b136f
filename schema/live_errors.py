"""How a subscription that cannot start ends: with a GraphQL error, never `null` then complete.

Shown to the client as it is (a `GraphQLError` is not masked) and not logged as a fault: it is
the caller's mistake. Unknown and not visible (another clinic's) answer alike, as queries do.
"""

from __future__ import annotations

from graphql import GraphQLError

from domain.errors import ErrorCode


class SubscriptionRefused(GraphQLError):
    def __init__(self, message: str, code: ErrorCode) -> None:
        super().__init__(message, extensions={"code": code.value})


def nothing_to_watch(what: str) -> SubscriptionRefused:
    """A journey of another clinic, or none: "no such journey in your clinic"; a clinic other
    than the caller's: "not your clinic"."""
    message = "not your clinic" if what == "clinic" else f"no such {what} in your clinic"
    return SubscriptionRefused(message, ErrorCode.NOT_FOUND)
