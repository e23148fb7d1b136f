"""Descriptions of the schema's elements that the code does not describe where it declares them.

An SPA developer reads the schema in an IDE: every type, field, argument and enum value needs
words. Most are written next to the code (`description=`); these tables hold the rest, keyed by
the names clients see, like the permission table (`domain.permissions`): `"Journey"`,
`"Journey.stage"`, `"Query.journeys(first)"`, `"JourneyStage.TRIAGE"`. The enums come from
`domain/`, which cannot import Strawberry, so their values are described here; so are the
many small input and payload fields. A description in the code wins: a table entry for an
element described there, or for no element at all, is reported by `stale_entries` (a test
fails on one), so the tables cannot drift from the schema.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
)

from schema.descriptions import desk, enums, journeys, money, operations, partners, procedures

DESCRIPTIONS: Mapping[str, str] = {
    **enums.DESCRIPTIONS,
    **journeys.DESCRIPTIONS,
    **desk.DESCRIPTIONS,
    **money.DESCRIPTIONS,
    **operations.DESCRIPTIONS,
    **procedures.DESCRIPTIONS,
    **partners.DESCRIPTIONS,
}


def _members(name: str, kind: GraphQLNamedType) -> Iterator[tuple[str, Any]]:
    """(path, element) of a named type, its fields, their arguments and its enum values."""
    yield name, kind
    if isinstance(kind, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)):
        for field_name, field in kind.fields.items():
            yield f"{name}.{field_name}", field
            for arg_name, arg in getattr(field, "args", {}).items():
                yield f"{name}.{field_name}({arg_name})", arg
    elif isinstance(kind, GraphQLEnumType):
        for value_name, value in kind.values.items():
            yield f"{name}.{value_name}", value


def elements(schema: GraphQLSchema) -> dict[str, Any]:
    """Every describable element of the schema by path, introspection's own types left out."""
    found: dict[str, Any] = {}
    for name, kind in schema.type_map.items():
        if not name.startswith("__"):
            found.update(_members(name, kind))
    return found


def stale_entries(schema: GraphQLSchema, coded: Mapping[str, str | None]) -> list[str]:
    """Table entries naming no element, or an element the code already describes (`coded`:
    the descriptions as the code gave them, before `describe`)."""
    present = elements(schema)
    return [path for path in DESCRIPTIONS if path not in present or coded.get(path)]


def describe(schema: GraphQLSchema) -> dict[str, str | None]:
    """Fills in the tables' descriptions where the code gave none; returns the code's own."""
    present = elements(schema)
    coded = {path: element.description for path, element in present.items()}
    for path, text in DESCRIPTIONS.items():
        element = present.get(path)
        if element is not None and not element.description:
            element.description = text
    return coded
