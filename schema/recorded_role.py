"""A role as a record stored it (who witnessed a consent, who recorded a disclosure), answered as
the `Role` enum, as the journey's events answer `actorRole`."""

from __future__ import annotations

import logging

from graphql import GraphQLError

from domain.roles import Role

log = logging.getLogger(__name__)


def recorded_role(stored: str) -> Role:
    """The role a record names. Every writer stores the signed-in actor's `Role`; a value this
    release does not know (written by a later release that added a role, read after a rollback)
    is an error of the field alone, saying so, and a warning in the log: the answer around it
    stands as far as GraphQL's non-null rules let it, never masked as a fault."""
    try:
        return Role(stored)
    except ValueError:
        log.warning("a record names a role this release does not know: %r", stored)
        raise GraphQLError(f"a role this release does not know: {stored}") from None
