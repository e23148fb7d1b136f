"""Every check of a document before it runs, as one schema extension: its tokens, its parse and
validation (each cached per document), its variables' size, its answer's size and which operation
runs.

Strawberry builds every extension afresh for each operation and wraps each of its hooks in a
context manager of its own for each stage: as eight extensions these checks cost about 50
microseconds more per operation than as one. In one they keep their order, written out once: the
token bound before parsing, an integer too long to read (`schema.long_integers`) and the
document's rules in its validation, then, on a document found valid, the variables counted
(`schema.variable_size`) and the answer estimated (`schema.answer_size`), and the operation
chosen (`schema.operation_choice`), its refusal joining the document's errors.

A document that does not parse is left to Strawberry's own parse: the parsing hook runs outside
the subscription path's error handling, so a syntax error sent over the WebSocket escaped as an
exception there (an ERROR traceback each, and the client heard only `complete`). Parsed again by
Strawberry inside its handling, the syntax error (or the token limit) is answered as a GraphQL
error on both paths; only documents that do not parse are parsed twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from graphql import (
    ASTValidationRule,
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    get_operation_ast,
    validate,
)
from graphql.language.parser import parse
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from schema.answer_size import refusal
from schema.long_integers import long_integer_refusal
from schema.operation_choice import operation_problem
from schema.variable_size import MAX_VARIABLE_VALUES, values_within

CACHED_DOCUMENTS = 256


class DocumentCaches:
    """One schema's documents parsed and their validation: SPAs send the same few documents
    over and over. `first`: rules checked alone before the others, which run only on a document
    they pass. graphql-core runs every rule in one walk and reports all they find, so a document
    the limits refuse was still validated whole: 400 copies of `__schema { __typename }`, refused
    for its repeats, still took the rule that fields can be merged 0.9 s on the event loop."""

    def __init__(
        self,
        maxsize: int = CACHED_DOCUMENTS,
        first: tuple[type[ASTValidationRule], ...] = (),
    ) -> None:
        self.first = first
        self.parse = lru_cache(maxsize=maxsize)(parse)
        self.validate = lru_cache(maxsize=maxsize)(self._validate_after_first)

    def _validate_after_first(
        self,
        schema: GraphQLSchema,
        document: DocumentNode | None,
        rules: tuple[type[ASTValidationRule], ...],
    ) -> list[GraphQLError]:
        if self.first and document is not None:
            refused = validate(schema, document, self.first)
            if refused:
                return refused
        return validate_document(schema, document, rules)  # type: ignore[arg-type]


class DocumentGate(SchemaExtension):
    """Pass a factory (`functools.partial`) with the schema's caches: one instance per
    operation."""

    def __init__(
        self,
        *,
        max_tokens: int,
        rules: tuple[type[ASTValidationRule], ...],
        caches: DocumentCaches,
    ) -> None:
        self.max_tokens, self.rules, self.caches = max_tokens, rules, caches

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.parse_options["max_tokens"] = self.max_tokens
        context.validation_rules = context.validation_rules + self.rules
        yield

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        try:
            context.graphql_document = self.caches.parse(context.query, **context.parse_options)
        except GraphQLError:
            context.graphql_document = None  # Strawberry parses it again and reports why not
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        too_long = long_integer_refusal(context.query, context.graphql_document)
        context.pre_execution_errors = (
            [too_long]
            if too_long is not None
            else self.caches.validate(
                context.schema._schema, context.graphql_document, context.validation_rules
            )
        )
        if not context.pre_execution_errors:
            refused = self._variables_refusal() or self._answer_refusal()
            if refused is not None:
                context.pre_execution_errors = [refused]
        # After the others, joining their errors rather than replacing them.
        problem = operation_problem(context)
        if problem is not None:
            errors = context.pre_execution_errors or []
            context.pre_execution_errors = [*errors, GraphQLError(problem)]
        yield

    def _variables_refusal(self) -> GraphQLError | None:
        """Refused before execution (which coerces the variables): more than
        `MAX_VARIABLE_VALUES` values in them."""
        context = self.execution_context
        variables, document = context.variables, context.graphql_document
        if not variables or document is None or values_within(variables, MAX_VARIABLE_VALUES):
            return None
        operation = get_operation_ast(document, context.operation_name)
        label = operation.name.value if operation and operation.name else "anonymous"
        return GraphQLError(
            f"'{label}' sends more than {MAX_VARIABLE_VALUES:,} values in its "
            "variables: send fewer or shorter lists"
        )

    def _answer_refusal(self) -> GraphQLError | None:
        """Refused before execution: an answer too large, or reports costing too much."""
        context = self.execution_context
        document = context.graphql_document
        if document is None:
            return None
        return refusal(context.schema._schema, document, context.operation_name, context.variables)
