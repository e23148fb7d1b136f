"""Who may read what and call what: the API's permission table, as data.

One row per field of every object type of the GraphQL schema, by the names clients use
(`"Journey": {"history": ...}`), and one per operation (fields of `Query`, `Mutation` and
`Subscription`). One mechanism in the schema layer applies it to every field it resolves; a test
walks the schema and fails for a field without a row, so nothing new ships unguarded.

The table says what a *role* may see. Which rows a viewer sees (their clinic, their journeys) and
who may take a journey step now (the journey's own role table and state machine) are decided
below it; journey mutations take their roles from that table so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping

from domain.permissions.audiences import ANYONE, PHOTO_VIEWERS, Audience
from domain.permissions.operations import MUTATIONS, OPERATIONS, QUERIES, SUBSCRIPTIONS
from domain.permissions.types_client_file import CLIENT_FILE_TYPES
from domain.permissions.types_core import CORE_TYPES
from domain.permissions.types_desk import DESK_TYPES
from domain.permissions.types_journey import JOURNEY_TYPES
from domain.permissions.types_money import MONEY_TYPES
from domain.roles import Role

__all__ = [
    "ANYONE",
    "MUTATIONS",
    "OPERATIONS",
    "PHOTO_VIEWERS",
    "QUERIES",
    "SUBSCRIPTIONS",
    "TABLE",
    "TYPES",
    "WHILE_PASSWORD_MUST_CHANGE",
    "Audience",
    "audience",
    "may_read",
    "operations_for",
    "readable_fields",
]


def _joined(*areas: dict[str, dict[str, Audience]]) -> dict[str, dict[str, Audience]]:
    """The areas' rows as one table; a type given rows in two areas is a mistake, not a merge."""
    table: dict[str, dict[str, Audience]] = {}
    for area in areas:
        twice = sorted(table.keys() & area.keys())
        if twice:
            raise ValueError(f"permission rows given twice: {', '.join(twice)}")
        table.update(area)
    return table


# One module per area of the schema (types_*.py), the operations in operations.py.
TYPES = _joined(CORE_TYPES, CLIENT_FILE_TYPES, JOURNEY_TYPES, DESK_TYPES, MONEY_TYPES)

TABLE: Mapping[str, Mapping[str, Audience]] = {**TYPES, **OPERATIONS}

# An account given a temporary password (created or reset by an administrator) may do only
# this until it has chosen its own.
WHILE_PASSWORD_MUST_CHANGE = frozenset(
    {"Query.me", "Query.myPermissions", "Mutation.changePassword", "Mutation.logout"}
)


def audience(type_name: str, field_name: str) -> Audience | None:
    """The field's row, or None when the table has none (the schema layer refuses those)."""
    return TABLE.get(type_name, {}).get(field_name)


def may_read(type_name: str, field_name: str, role: Role | None) -> bool:
    rule = audience(type_name, field_name)
    return rule is not None and rule.admits(role)


def operations_for(role: Role | None) -> list[str]:
    """`Query.journeys`-style names of every operation `role` may call."""
    return [
        f"{root}.{name}"
        for root, rows in OPERATIONS.items()
        for name, rule in rows.items()
        if rule.admits(role)
    ]


def readable_fields(role: Role | None) -> list[str]:
    """`Journey.history`-style names of every field of a type that `role` may read."""
    return [
        f"{type_name}.{name}"
        for type_name, rows in TYPES.items()
        for name, rule in rows.items()
        if rule.admits(role)
    ]
