"""The GraphQL the README shows, taken out of it and checked against a schema.

Fenced ```graphql blocks, and the `"query"` of a request a shell block sends, are whole
operations. Inline code spans are checked when they open with an operation keyword, or with a
field of the schema followed by `(` or `{`: the smallest document that can hold them is built
around them (an operation on the root type that has the field, else a fragment on a type that
has it), variables left undeclared and a call shown without a selection asked for its
`__typename`. A span that is not GraphQL but names a field's arguments the way the prose does
(`myTasks(due, overdue)`, `login(input: {username, password})`, `startJourney(partnerId)` for a
field of its input) has each name looked up instead. `Type { ... }` and `Type.field` spans name
a type of the schema, and the journey actions table names mutations. Other spans (Python, SQL,
settings, metric names) are not GraphQL and are left alone.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from graphql import (
    GraphQLArgument,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
    is_composite_type,
    parse,
    specified_rules,
    validate,
)
from graphql.validation import (
    NoUndefinedVariablesRule,
    NoUnusedFragmentsRule,
    NoUnusedVariablesRule,
)

_FENCE = re.compile(r"^[ \t]*```(\w*)[ \t]*\n(.*?)^[ \t]*```[ \t]*$", re.S | re.M)
_SPAN = re.compile(r"`([^`]+)`")
_SENT_QUERY = re.compile(r'"query":\s*("(?:[^"\\]|\\.)*")')
_ACTIONS_TABLE = re.compile(r"^\| mutation \| who \| moves the journey \|\n(?:\|.*\n)+", re.M)
_TABLE_ROW = re.compile(r"^\| `(\w+)` \|", re.M)
_OPERATION = re.compile(r"(query|mutation|subscription)\b\s*(\w+\s*)?[({]")
_FIELD_CALL = re.compile(r"(?:\w+\s*:\s*)?(\w+)\s*[({]")
_ARGUMENT_NAMES = re.compile(r"(\w+)\(([\w\s,:{}]*)\)")
_TYPE_SELECTION = re.compile(r"([A-Z]\w*)\s*(\{.*\})", re.S)
_TYPE_FIELD = re.compile(r"([A-Z]\w*)\.(\w+)(?:\((\w+):\))?")

# Inline examples leave their variables undeclared; a fragment on a type is unused by design.
_INLINE_RULES = tuple(
    rule
    for rule in specified_rules
    if rule not in (NoUndefinedVariablesRule, NoUnusedVariablesRule, NoUnusedFragmentsRule)
)


@dataclass(frozen=True)
class Example:
    kind: str  # "operation" (whole, variables declared), "inline" or "table row"
    text: str
    line: int

    def __str__(self) -> str:
        return f"README.md:{self.line} ({self.kind}): {self.text[:90]}"


def examples(readme: str) -> Iterator[Example]:
    """What the README shows as GraphQL, or might: `Checker` decides what it is."""
    line_starts = [0] + [at + 1 for at, char in enumerate(readme) if char == "\n"]

    def line(offset: int) -> int:
        return bisect.bisect_right(line_starts, offset)

    prose_from = 0
    prose: list[tuple[int, str]] = []
    for fence in _FENCE.finditer(readme):
        prose.append((prose_from, readme[prose_from : fence.start()]))
        prose_from = fence.end()
        language, body = fence.groups()
        if language == "graphql":
            yield Example("operation", body, line(fence.start(2)))
        for sent in _SENT_QUERY.finditer(body):
            yield Example("operation", json.loads(sent.group(1)), line(fence.start(2)))
    prose.append((prose_from, readme[prose_from:]))
    for offset, text in prose:
        for span in _SPAN.finditer(text):
            yield Example("inline", " ".join(span.group(1).split()), line(offset + span.start()))
    table = _ACTIONS_TABLE.search(readme)
    if table is not None:
        for row in _TABLE_ROW.finditer(table.group(0)):
            yield Example("table row", row.group(1), line(table.start() + row.start()))


class Checker:
    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema
        roots = [
            ("query", schema.query_type),
            ("mutation", schema.mutation_type),
            ("subscription", schema.subscription_type),
        ]
        self.roots = [(op, root) for op, root in roots if root is not None]
        root_names = {root.name for _, root in self.roots}
        self.types = [
            kind
            for name, kind in schema.type_map.items()
            if isinstance(kind, GraphQLObjectType | GraphQLInterfaceType)
            and not name.startswith("__")
            and name not in root_names
        ]

    def problems(self, example: Example) -> list[str] | None:
        """What is wrong with the example; None when it is not GraphQL at all."""
        if example.kind == "operation":
            return _errors(self.schema, example.text, specified_rules)
        if example.kind == "table row":
            mutations = self.schema.mutation_type
            return [] if mutations and example.text in mutations.fields else ["no such mutation"]
        # `seq: <the event's seq>`: a value the reader supplies, a variable here
        text = re.sub(r"<[^<>]*>", "$given", example.text)
        text = re.sub(r",\s*\.\.\.(?=\s*[\]}])", "", text)  # `[{...}, ...]`
        if _OPERATION.match(text):
            return _errors(self.schema, text, _INLINE_RULES)
        if (call := _FIELD_CALL.match(text)) and self._hosts(call.group(1)):
            return self._field_call(text, call.group(1))
        named = _TYPE_SELECTION.fullmatch(text)
        if named and named.group(1) in self.schema.type_map:
            fragment = f"fragment Example on {named.group(1)} {named.group(2)}"
            return _errors(self.schema, fragment, _INLINE_RULES)
        dotted = _TYPE_FIELD.fullmatch(text)
        if dotted and dotted.group(1) in self.schema.type_map:
            return self._type_field(*dotted.groups())
        return None

    def _hosts(self, name: str) -> list[tuple[str, GraphQLObjectType | GraphQLInterfaceType]]:
        roots = [(op, root) for op, root in self.roots if name in root.fields]
        return roots + [("fragment", kind) for kind in self.types if name in kind.fields]

    def _field_call(self, text: str, name: str) -> list[str]:
        try:
            parse("{ " + text + " }")
        except GraphQLError:
            return self._argument_names(text)
        first_errors: list[str] = []
        for op, host in self._hosts(name):
            asked = text
            if not text.endswith("}") and is_composite_type(get_named_type(host.fields[name].type)):
                asked += " { __typename }"  # a call shown by its arguments alone
            if op == "fragment":
                document = f"fragment Example on {host.name} {{ {asked} }}"
            else:
                document = f"{op} {{ {asked} }}"
            errors = _errors(self.schema, document, _INLINE_RULES)
            if not errors:
                return []
            first_errors = first_errors or errors
        return first_errors

    def _argument_names(self, text: str) -> list[str]:
        shown = _ARGUMENT_NAMES.fullmatch(text)
        if shown is None:
            return ["neither GraphQL nor a field with its argument names"]
        name, inside = shown.groups()
        unknown = [_unknown_names(host.fields[name].args, inside) for _, host in self._hosts(name)]
        if any(not names for names in unknown):
            return []
        return [f"{name} has no argument or input field {', '.join(unknown[0])}"]

    def _type_field(self, type_name: str, name: str, argument: str | None) -> list[str]:
        fields = getattr(self.schema.type_map[type_name], "fields", {})
        if name not in fields:
            return [f"{type_name} has no field {name}"]
        if argument and argument not in fields[name].args:
            return [f"{type_name}.{name} takes no argument {argument}"]
        return []


def _unknown_names(arguments: dict[str, GraphQLArgument], inside: str) -> list[str]:
    """`a, b` name arguments (or fields of the `input` argument); `arg: {c, d}` fields of arg."""
    known = set(arguments)
    if "input" in arguments:
        known |= set(_input_fields(arguments["input"]))
    unknown = []
    for argument, fields in re.findall(r"(\w+):\s*\{([^}]*)\}", inside):
        given = [each.strip() for each in fields.split(",") if each.strip()]
        allowed = _input_fields(arguments[argument]) if argument in arguments else set()
        unknown += [f"{argument}.{each}" for each in given if each not in allowed]
    bare = re.sub(r"\w+:\s*\{[^}]*\}", "", inside)
    names = [each.strip().rstrip(":").strip() for each in bare.split(",")]
    return unknown + [each for each in names if each and each not in known]


def _input_fields(argument: GraphQLArgument) -> set[str]:
    named = get_named_type(argument.type)
    return set(named.fields) if isinstance(named, GraphQLInputObjectType) else set()


def _errors(schema: GraphQLSchema, document: str, rules: object) -> list[str]:
    try:
        parsed = parse(document)
    except GraphQLError as error:
        return [error.message]
    return [error.message for error in validate(schema, parsed, rules)]  # type: ignore[arg-type]
