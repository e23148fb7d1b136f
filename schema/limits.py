"""How much work one GraphQL document may ask for, measured before anything runs.

Depth, alias and token limits alone do not bound the work: fragments that each spread the
previous one twice (``fragment F1 on Query { ...F0 ...F0 }`` ... ``F22``) fit in a kilobyte and
expand to millions of selections. So one validation rule measures every operation as it would be
executed, fragments expanded, and refuses it past any of three limits:

- **fields**: field selections once every fragment spread is replaced by its fragment;
- **depth**: fields nested in fields; introspection (``__schema``, ``__type``) has a limit of its
  own, a little deeper than the data's so that the standard introspection query passes;
- **aliases**: aliased fields, fragments expanded too;
- **repeats**: fields with selections answering at one response path, counted once the other
  limits pass (``schema.repeated_paths``: the work of graphql-core's rule that fields can be
  merged grows with their square).

Each fragment is measured once and its measure reused wherever it is spread, so the measuring
itself is linear in the size of the document, and the counts stop growing just past their
limits, so the numbers stay small whatever the document. This matters because validation is
synchronous: no timeout could interrupt it, so it must be cheap by construction.

It replaces Strawberry's ``QueryDepthLimiter`` and ``MaxAliasesLimiter``: both walk every spread
of every fragment again (exponential on the document above) and the depth limiter skips
introspection fields.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)

from schema.repeated_paths import MAX_REPEATS, PathCounter

MAX_DEPTH = 10
# Introspection (`__schema`, `__type`) has a depth limit of its own: the standard introspection
# query that GraphiQL and client generators send is 14 deep (it nests `ofType` nine times).
MAX_INTROSPECTION_DEPTH = 16
MAX_ALIASES = 30
MAX_FIELDS = 1000


_DEPTH_CAP = max(MAX_DEPTH, MAX_INTROSPECTION_DEPTH) + 1


@dataclass(frozen=True)
class Measure:
    """What a selection set costs once expanded. `depth` counts levels of nested selections
    below it (a leaf field adds none), as Strawberry's depth limiter did, so ``{ a { b } }``
    has depth 1."""

    fields: int = 0
    aliases: int = 0
    depth: int = 0
    introspection_depth: int = 0

    def capped(self) -> Measure:
        # One past the limit is enough to refuse: the rest need not be counted.
        return Measure(
            min(self.fields, MAX_FIELDS + 1),
            min(self.aliases, MAX_ALIASES + 1),
            # Depth below an introspection root is counted as depth until the root is reached.
            min(self.depth, _DEPTH_CAP),
            min(self.introspection_depth, _DEPTH_CAP),
        )


_NOTHING = Measure()
# The fields whose subtrees are introspection; `__typename` is a leaf and costs one field.
INTROSPECTION_ROOTS = frozenset({"__schema", "__type"})


class DocumentMeasurer:
    """Measures selection sets, each named fragment once."""

    def __init__(self, document: DocumentNode) -> None:
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.measured: dict[str, Measure] = {}
        self.in_progress: set[str] = set()

    def fragment(self, name: str) -> Measure:
        known = self.measured.get(name)
        if known is not None:
            return known
        definition = self.fragments.get(name)
        # Unknown and cyclic spreads are refused by the standard rules; they cost nothing here.
        if definition is None or name in self.in_progress:
            return _NOTHING
        self.in_progress.add(name)
        measure = self.selections(definition.selection_set)
        self.in_progress.discard(name)
        self.measured[name] = measure
        return measure

    def most_repeated(self, selection_set: SelectionSetNode) -> int:
        """The most fields with selections answering at one response path (run only on a
        document within the field limit)."""
        counter = PathCounter(self.fragments, lambda name: self.fragment(name).fields > 0)
        return counter.most_repeated(selection_set)

    def selections(self, selection_set: SelectionSetNode | None) -> Measure:
        if selection_set is None:
            return _NOTHING
        fields = aliases = depth = introspection_depth = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                child = self.selections(selection.selection_set)
                fields += 1 + child.fields
                aliases += (selection.alias is not None) + child.aliases
                nested = child.depth + 1 if selection.selection_set is not None else 0
                if selection.name.value in INTROSPECTION_ROOTS:
                    introspection_depth = max(introspection_depth, nested)
                else:
                    depth = max(depth, nested)
                    introspection_depth = max(introspection_depth, child.introspection_depth)
                continue
            if isinstance(selection, FragmentSpreadNode):
                child = self.fragment(selection.name.value)
            elif isinstance(selection, InlineFragmentNode):
                child = self.selections(selection.selection_set)
            else:  # pragma: no cover  (no other kind of selection exists)
                continue
            fields += child.fields
            aliases += child.aliases
            depth = max(depth, child.depth)
            introspection_depth = max(introspection_depth, child.introspection_depth)
        return Measure(fields, aliases, depth, introspection_depth).capped()


def problems(name: str, measure: Measure) -> list[str]:
    found = []
    if measure.depth > MAX_DEPTH:
        found.append(f"'{name}' exceeds maximum operation depth of {MAX_DEPTH}")
    if measure.introspection_depth > MAX_INTROSPECTION_DEPTH:
        found.append(f"'{name}' exceeds maximum introspection depth of {MAX_INTROSPECTION_DEPTH}")
    if measure.aliases > MAX_ALIASES:
        found.append(f"'{name}' uses more than {MAX_ALIASES} aliases")
    if measure.fields > MAX_FIELDS:
        found.append(
            f"'{name}' selects more than {MAX_FIELDS} fields once its fragments are expanded"
        )
    return found


class DocumentLimitsRule(ValidationRule):
    """Reports each operation of the document that exceeds a limit, with what to fix."""

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        document = context.document
        measurer = DocumentMeasurer(document)
        for definition in document.definitions:
            if not isinstance(definition, OperationDefinitionNode):
                continue
            name = definition.name.value if definition.name else "anonymous"
            try:
                measure = measurer.selections(definition.selection_set)
            except RecursionError:  # fragments nested thousands deep
                measure = Measure(depth=MAX_DEPTH + 1)
            found = problems(name, measure)
            if not found and measurer.most_repeated(definition.selection_set) > MAX_REPEATS:
                found.append(
                    f"'{name}' selects one response path more than {MAX_REPEATS} times once its"
                    " fragments are expanded"
                )
            for message in found:
                context.report_error(GraphQLError(message, definition))


def measure_document(document: DocumentNode) -> dict[str, Measure]:
    """Each operation's measure, by name: for tests and for sizing the limits."""
    measurer = DocumentMeasurer(document)
    return {
        (d.name.value if d.name else "anonymous"): measurer.selections(d.selection_set)
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
    }
