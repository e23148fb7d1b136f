"""Documents generated from the schema that ask for every field, and a check of each answer
against the permission table: the role-by-field matrix, asked over real HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import aiohttp
from graphql import (
    GraphQLArgument,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    OperationType,
    get_named_type,
)
from graphql.pyutils import Undefined

from domain.permissions import may_read
from domain.roles import Role

# Deep enough for Journey -> history -> amendments / actor, well inside the server's depth limit.
MAX_NESTING = 5
# Roots asked fewer levels deep: a lot's 1,000 recipients (a list without pages) with every field
# of each client's file would pass the answer's bound on values; those fields are asked through
# the client's own root.
SHALLOWER = {("Query", "lotRecipients"): 3}


def selection(schema: GraphQLSchema, kind: GraphQLNamedType, path: tuple[str, ...]) -> str:
    """Every field of `kind` (and of each member of a union or interface), recursively."""
    if isinstance(kind, GraphQLUnionType | GraphQLInterfaceType):
        members = schema.get_possible_types(kind)
        parts = [f"... on {m.name} {selection(schema, m, path)}" for m in members]
        return "{ __typename " + " ".join(parts) + " }"
    assert isinstance(kind, GraphQLObjectType)
    parts = ["__typename"]
    for name, definition in kind.fields.items():
        if any(_required(a) for a in definition.args.values()):
            continue  # the roots that take arguments are asked one by one
        parts.append(_field(schema, name, definition, (*path, kind.name)))
    return "{ " + " ".join(p for p in parts if p) + " }"


def _required(argument: GraphQLArgument) -> bool:
    """An argument a document must pass: non-null, with no default (`first: Int! = 20` isn't)."""
    return isinstance(argument.type, GraphQLNonNull) and argument.default_value is Undefined


def _field(
    schema: GraphQLSchema, name: str, definition: GraphQLField, path: tuple[str, ...]
) -> str:
    named = get_named_type(definition.type)
    if not isinstance(named, GraphQLObjectType | GraphQLUnionType | GraphQLInterfaceType):
        return name
    if named.name in path or len(path) >= MAX_NESTING:
        return ""  # a cycle (Journey -> client -> ...) or deep enough
    # Pages of one: every field is still asked, and the answer stays within the size limit
    # (a lot's 1,000 recipients with each client's whole file would not).
    paged = "(first: 1)" if "first" in definition.args and "(" not in name else ""
    return f"{name}{paged} {selection(schema, named, path)}"


def root_document(schema: GraphQLSchema, root: str, name: str, args: dict[str, Any]) -> str:
    """`query Probe($a: T!) { name(a: $a) { ...every field } }`."""
    root_type = schema.get_root_type(_OPERATION_TYPES[root])
    assert root_type is not None
    definition = root_type.fields[name]
    declared = ", ".join(f"${arg}: {definition.args[arg].type}" for arg in args)
    passed = ", ".join(f"{arg}: ${arg}" for arg in args)
    head = f"{root.lower()} Probe({declared})" if args else f"{root.lower()} Probe"
    call = f"{name}({passed})" if args else name
    path = (root,) + ("",) * SHALLOWER.get((root, name), 0)
    return f"{head} {{ {_field(schema, call, definition, path) or call} }}"


_OPERATION_TYPES = {
    "Query": OperationType.QUERY,
    "Mutation": OperationType.MUTATION,
    "Subscription": OperationType.SUBSCRIPTION,
}


def dummy_input(kind: Any) -> Any:
    """A value of the right shape for every required input field: enough to pass validation."""
    if isinstance(kind, GraphQLNonNull):
        return dummy_input(kind.of_type)
    if isinstance(kind, GraphQLList):
        return []
    if isinstance(kind, GraphQLInputObjectType):
        return {
            name: dummy_input(f.type)
            for name, f in kind.fields.items()
            if isinstance(f.type, GraphQLNonNull) and f.default_value is Undefined
        }
    values = getattr(kind, "values", None)
    if values:
        return next(iter(values))
    return {
        "Int": 1,
        "Float": 1.0,
        "Boolean": False,
        "Date": "2000-01-01",
        "DateTime": "2000-01-01T00:00:00+00:00",
        "Decimal": "1.00",
        "JSON": {},
    }.get(kind.name, "probe-unknown")


@dataclass
class Verdicts:
    """Every (type, field) answered, and what went wrong."""

    asked: set[tuple[str, str, str]] = field(default_factory=set)  # (role, type, field)
    problems: list[str] = field(default_factory=list)


async def post(url: str, token: str | None, document: str, variables: dict[str, Any]) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with aiohttp.ClientSession() as session:
        async with session.post(
            url, json={"query": document, "variables": variables}, headers=headers
        ) as response:
            assert response.status == 200, await response.text()
            return await response.json()


def check_answer(answer: dict[str, Any], root: str, role: Role | None, verdicts: Verdicts) -> None:
    """Each field in the answer against the table: allowed fields carry no refusal; refused
    ones are null with a NOT_AUTHORIZED error at their own path, or the typed error."""
    refusals = {
        tuple(error["path"])
        for error in answer.get("errors", [])
        if error.get("extensions", {}).get("code") == "NOT_AUTHORIZED"
    }
    others = [e for e in answer.get("errors", []) if tuple(e.get("path") or ()) not in refusals]
    who = role.value if role else "SIGNED_OUT"
    if others:
        verdicts.problems.append(f"{who}: unexpected errors {others}")
    seen: set[tuple[Any, ...]] = set()
    _walk(answer.get("data") or {}, root, (), role, refusals, seen, verdicts)
    unexplained = refusals - seen
    if unexplained:
        verdicts.problems.append(f"{who}: refusals at paths not asked: {sorted(unexplained)}")


def _walk(
    value: Any,
    type_name: str,
    path: tuple[Any, ...],
    role: Role | None,
    refusals: set[tuple[Any, ...]],
    seen: set[tuple[Any, ...]],
    verdicts: Verdicts,
) -> None:
    who = role.value if role else "SIGNED_OUT"
    for name, child in value.items():
        if name == "__typename":
            continue
        here = (*path, name)
        allowed = may_read(type_name, name, role)
        verdicts.asked.add((who, type_name, name))
        if here in refusals:
            seen.add(here)
        if allowed and here in refusals:
            verdicts.problems.append(f"{who}: {type_name}.{name} refused at {here}")
        typed_refusal = isinstance(child, dict) and child.get("__typename") == "NotAuthorized"
        if not allowed and not (here in refusals and child is None) and not typed_refusal:
            verdicts.problems.append(f"{who}: {type_name}.{name} answered {child!r:.80}")
        if allowed:
            _descend(child, here, role, refusals, seen, verdicts)


def _descend(
    child: Any,
    path: tuple[Any, ...],
    role: Role | None,
    refusals: set[tuple[Any, ...]],
    seen: set[tuple[Any, ...]],
    verdicts: Verdicts,
) -> None:
    if isinstance(child, list):
        for index, item in enumerate(child):
            _descend(item, (*path, index), role, refusals, seen, verdicts)
    elif isinstance(child, dict) and "__typename" in child:
        _walk(child, child["__typename"], path, role, refusals, seen, verdicts)
