"""How many list items an operation may ask for, estimated before anything runs.

The document limits (schema.limits) bound what a document says, not what it asks the server to
build: 30 aliases of `journeys(first: 100) { ... history(first: 500) { ... } }` fit in them and
made a 450 MB answer in 23 s, 2 GB of memory, every other request stalled meanwhile. So every
operation's answer is estimated from the schema and the request's own page sizes, and refused
before execution past `MAX_LIST_ITEMS`, with what to change.

The estimate counts the items of paged lists, as GitHub's API counts connection nodes: a list
field taking `first` holds that many (the request's value, literal or variable, else the
argument's default); a connection's `first` sizes the first list below it (`edges`); each item
multiplies what is asked inside it. Lists without `first` (a journey's follow-ups) are bounded
by what a record holds: their items are not counted, only the paged lists asked inside them;
the few that can be long say how long (`UNPAGED_LIMITS`), or how many one enclosing object
holds in all (`SHARED_LIMITS`: a journey's amendments, over all its events). A field that is
costly to make counts as many items (`WEIGHTS`: a leaflet's PDF). Page sizes are
read as the request gives them: a literal, a variable (a whole float as JSON sends it), the
operation's default for a variable left out, or the argument's default. Fragments are measured
once per page size carried into them, so the estimate is linear in the document, as the limits
are.

Items alone do not bound the time an answer takes: every value of it (each field of each item)
passes the resolvers and the extensions' hooks in one run of the event loop that nothing
interrupts, and every object (a list's item, a field answering an object) costs as much as
several values more: its row is read into a model and its fields are gathered, and an object
field's resolver is often a loader's await. Within the item bound, one request of 49 journeys'
histories (24,500 events, `seq` alone) held every other request of the process 1.4 to 2.5 s.
So the same estimate counts the answer's values too, each field once per item it is asked in,
an object as `OBJECT_WEIGHT` values, and refuses past `MAX_FIELD_VALUES`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_operation_ast,
    is_leaf_type,
    value_from_ast_untyped,
)

from domain.journey.validation import MAX_AMENDMENTS_PER_JOURNEY
from domain.partners.statement import MAX_STATEMENT_LINES
from domain.store.refund_writes import MAX_REFUNDS_PER_PAYMENT
from schema.consents.template_list import LISTED as TEMPLATE_VERSIONS_LISTED
from schema.procedures.publish import LISTED as PROCEDURE_VERSIONS_LISTED
from schema.report_cost import report_refusal

MAX_LIST_ITEMS = 50_000
# What one object costs the loop, in values: measured on every shape of answer (a history's
# events with one field, four or all of them; pages of journeys with twenty fields), an event
# took as much loop time as 8 values more than its fields, and so did an object field (an
# event's actor, a journey's client); with it every shape costs 6 to 7 microseconds a value.
OBJECT_WEIGHT = 8
# About 0.15 s of the event loop, the most one request may hold every other one back (at
# 50,000 flat values the largest accepted requests held the loop 0.3 to 2.5 s). Above a
# screen's: a journey's history page of 500 events with every field of each is about 17,000; a
# page of 100 journeys with twenty fields each, about 5,000; a lot's 1,000 recipients, 22,000.
MAX_FIELD_VALUES = 24_000
# No field takes a larger `first` (a journey's history); a larger one is refused by the field
# itself, with its own typed answer, and costs nothing here.
LARGEST_PAGE = 500
# Lists without `first` that can still be long, with the most they hold: each of their items
# multiplies the paged lists asked inside it (a recall's recipients, each with a client's file).
# A payment's refunds are few (`recordRefund` takes no more), but a page of payments multiplies
# them: before they counted as nothing, and 100 journeys' payments with their refunds passed.
# The version lists answer up to 500 versions each: 30 aliases of `consentTemplates { version }`
# over 500 versions of 140 KB each passed as a few values and held the event loop past the
# request's deadline (each version was read whole then; its texts are now read only when asked).
UNPAGED_LIMITS = {
    ("Query", "lotRecipients"): 1000,
    ("Query", "consentTemplates"): TEMPLATE_VERSIONS_LISTED,
    ("Query", "procedureTypes"): PROCEDURE_VERSIONS_LISTED,
    ("PartnerStatement", "lines"): MAX_STATEMENT_LINES,
    ("Payment", "refunds"): MAX_REFUNDS_PER_PAYMENT,
}
# A version list asked for the newest version of one key holds that one version at most.
NEWEST_OF_ONE_KEY = {
    ("Query", "consentTemplates"): "templateKey",
    ("Query", "procedureTypes"): "typeKey",
}
# Lists without `first` bounded across one enclosing object rather than per item: a journey's
# records take `MAX_AMENDMENTS_PER_JOURNEY` amendments in all, so `amendments` asked in every
# event of a history page holds that many per journey, however many events the page has. Such
# a list counts, per item of the list it is in, its share of the total: the total divided by
# the items of every list between it and the enclosing object.
SHARED_LIMITS = {("JourneyEvent", "amendments"): ("Journey", MAX_AMENDMENTS_PER_JOURNEY)}

# Fields that cost as much as many items, whatever their list: a printed page's PDF (an
# aftercare leaflet, a consultation record) takes up to a second of CPU and 1.6 MB to make
# (`schema.printed_render`).
PDF_WEIGHT = 10_000
WEIGHTS = {
    ("AftercareLeaflet", "pdfBase64"): PDF_WEIGHT,
    ("ClientConsultationRecord", "pdfBase64"): PDF_WEIGHT,
}

_OWNERS = {owner for owner, _most in SHARED_LIMITS.values()}
# For each enclosing object of a shared limit's type (`_OWNERS`), the items of the lists
# between it and the field being measured, multiplied.
Spans = tuple[tuple[str, float], ...]


def _is_list(field: GraphQLField) -> bool:
    kind = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
    return isinstance(kind, GraphQLList)


class AnswerEstimate:
    """List items one operation asks for, with the request's variables."""

    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping,
        count_values: bool = False,
    ) -> None:
        """`count_values`: every field's value counts (one per item it is asked in, an object as
        `OBJECT_WEIGHT`), not only list items."""
        self.schema, self.variables = schema, dict(variables)
        self.count_values = count_values
        self.limit = MAX_FIELD_VALUES if count_values else MAX_LIST_ITEMS
        self.over = self.limit + 1  # counting past this changes no answer
        # A variable the request leaves out takes the operation's own default, as it runs.
        for definition in operation.variable_definitions or ():
            name, default = definition.variable.name.value, definition.default_value
            if name not in self.variables and isinstance(default, IntValueNode):
                self.variables[name] = int(default.value)
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.measured: dict[tuple[str, int | None, Spans], float] = {}
        self.in_progress: set[str] = set()

    def page(self, field: GraphQLField, node: FieldNode) -> int | None:
        """The `first` asked of a field that takes one; None for a field that does not."""
        argument = field.args.get("first")
        if argument is None:
            return None
        given = next((a.value for a in node.arguments or () if a.name.value == "first"), None)
        value: Any = argument.default_value
        if isinstance(given, IntValueNode):
            value = int(given.value)
        elif isinstance(given, VariableNode):
            value = self.variables.get(given.name.value, value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # JSON's 100.0 is the Int 100 to GraphQL
        # Out-of-range values are refused by the field itself; they cost nothing here.
        in_range = isinstance(value, int) and not isinstance(value, bool)
        return value if in_range and 0 < value <= LARGEST_PAGE else 1

    def given(self, node: FieldNode, name: str) -> Any:
        """The value the request gives an argument (a literal, or a variable's), else None."""
        value = next((a.value for a in node.arguments or () if a.name.value == name), None)
        return None if value is None else value_from_ast_untyped(value, self.variables)

    def unpaged_items(self, parent: GraphQLNamedType, node: FieldNode) -> int | None:
        key = NEWEST_OF_ONE_KEY.get((parent.name, node.name.value))
        newest = key is not None and self.given(node, "latestOnly") is True
        if newest and isinstance(self.given(node, key or ""), str):
            return 1
        return UNPAGED_LIMITS.get((parent.name, node.name.value))

    def selections(
        self,
        selection_set: SelectionSetNode | None,
        parent: GraphQLNamedType,
        carried: int | None,
        spans: Spans,
    ) -> float:
        if selection_set is None:
            return 0
        if parent.name in _OWNERS:  # a shared limit's total starts again in each of these
            spans = tuple((owner, n) for owner, n in spans if owner != parent.name)
            spans += ((parent.name, 1.0),)
        total: float = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, carried, spans)
            elif isinstance(selection, FragmentSpreadNode):
                total += self.fragment(selection.name.value, carried, spans)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                total += self.selections(selection.selection_set, inner or parent, carried, spans)
            if total > self.limit:
                return self.over
        return total

    def field(
        self, node: FieldNode, parent: GraphQLNamedType, carried: int | None, spans: Spans
    ) -> float:
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return 0  # a union's __typename, or introspection (bounded by its own depth)
        field = parent.fields.get(node.name.value)
        if field is None:
            return 0  # refused by validation
        weight = WEIGHTS.get((parent.name, node.name.value))
        if weight is not None:
            # Made off the loop (a PDF on its own thread): the item bound bounds that work, and
            # to the loop its answer is one value.
            return 1 if self.count_values else weight
        page, inner = self.page(field, node), get_named_type(field.type)
        # As values: an object (a list's item or a field's answer) costs `OBJECT_WEIGHT`; as
        # items: a list's item is one, the other fields nothing.
        unit = (1 if is_leaf_type(inner) else OBJECT_WEIGHT) if self.count_values else 1
        own = unit if self.count_values else 0
        if not _is_list(field):
            # A connection's page sizes the list below it; any other object passes it on.
            return own + self.selections(node.selection_set, inner, page or carried, spans)
        items: float | None = page or carried or self.unpaged_items(parent, node)
        shared = SHARED_LIMITS.get((parent.name, node.name.value))
        if shared is not None:
            owner, most = shared
            items = most / dict(spans).get(owner, 1.0)
        if items is None:  # bounded by what a record holds: only what it asks inside counts
            return own + self.selections(node.selection_set, inner, None, spans)
        below = tuple((owner, n * items) for owner, n in spans)
        inside = self.selections(node.selection_set, inner, None, below)
        return min(items * (unit + inside), self.over)

    def fragment(self, name: str, carried: int | None, spans: Spans) -> float:
        known = self.measured.get((name, carried, spans))
        if known is not None:
            return known
        definition = self.fragments.get(name)
        if definition is None or name in self.in_progress:
            return 0  # unknown and cyclic spreads are refused by validation
        self.in_progress.add(name)
        condition = self.schema.get_type(definition.type_condition.name.value)
        items = (
            self.selections(definition.selection_set, condition, carried, spans) if condition else 0
        )
        self.in_progress.discard(name)
        self.measured[(name, carried, spans)] = items
        return items

    def operation(self, operation: OperationDefinitionNode) -> float:
        root = self.schema.get_root_type(operation.operation)
        return self.selections(operation.selection_set, root, None, ()) if root else 0


def refusal(
    schema: GraphQLSchema, document: DocumentNode, name: str | None, variables: Mapping | None
) -> GraphQLError | None:
    """Why the operation asks for too much, or None."""
    operation = get_operation_ast(document, name)
    if operation is None:
        return None  # no single operation: validation and the operation choice answer it
    label = operation.name.value if operation.name else "anonymous"
    try:
        # Reports cost what they read, not what they answer: weighed on their own.
        too_many_reports = report_refusal(document, operation, label)
        if too_many_reports is not None:
            return too_many_reports
        items = AnswerEstimate(schema, document, operation, variables or {}).operation(operation)
        values = AnswerEstimate(schema, document, operation, variables or {}, count_values=True)
        values_asked = values.operation(operation) if items <= MAX_LIST_ITEMS else 0
    except RecursionError:  # fragments nested thousands deep: refused by the limits
        return None
    if items > MAX_LIST_ITEMS:
        return GraphQLError(
            f"'{label}' would answer more than {MAX_LIST_ITEMS:,} list items: ask for smaller "
            "pages (`first`), fewer aliases or fewer nested lists",
            operation,
        )
    if values_asked > MAX_FIELD_VALUES:
        return GraphQLError(
            f"'{label}' would answer more than {MAX_FIELD_VALUES:,} values (an object counts as "
            f"{OBJECT_WEIGHT}): ask for smaller pages (`first`), fewer fields in each item or "
            "fewer aliases",
            operation,
        )
    return None
