"""The document limits: they refuse the floods and none of the project's own documents, and
measuring costs time linear in the document, however much it expands to."""

from __future__ import annotations

import ast
import time
from collections.abc import Iterator
from pathlib import Path

from graphql import (
    OperationDefinitionNode,
    get_introspection_query,
    parse,
    specified_rules,
    validate,
)

from schema.build import schema
from schema.limits import (
    MAX_ALIASES,
    MAX_DEPTH,
    MAX_FIELDS,
    MAX_INTROSPECTION_DEPTH,
    DocumentLimitsRule,
    Measure,
    measure_document,
)
from tests.api.permission_probe import root_document

ROOT = Path(__file__).resolve().parents[2]


def flood(levels: int) -> str:
    fragments = ["fragment F0 on Query { __typename }"]
    fragments += [
        f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)
    ]
    return f"query Flood {{ ...F{levels} }}\n" + "\n".join(fragments)


def within_limits(measure: Measure) -> bool:
    return (
        measure.fields <= MAX_FIELDS
        and measure.aliases <= MAX_ALIASES
        and measure.depth <= MAX_DEPTH
        and measure.introspection_depth <= MAX_INTROSPECTION_DEPTH
    )


def project_documents() -> Iterator[tuple[str, str]]:
    """Every GraphQL operation written as a string in the tests and the benchmarks, and the
    permission probe's documents that ask every field of every root."""
    for folder in ("tests", "bench"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                text = node.value if isinstance(node, ast.Constant) else None
                if isinstance(text, str) and "{" in text:
                    yield f"{path.relative_to(ROOT)}:{node.lineno}", text
    graphql_schema = schema._schema
    for root_type in (graphql_schema.query_type, graphql_schema.mutation_type):
        assert root_type is not None
        for name, field in root_type.fields.items():
            document = root_document(graphql_schema, root_type.name, name, dict(field.args))
            yield f"probe {root_type.name}.{name}", document


def operations(text: str) -> dict[str, Measure] | None:
    try:
        document = parse(text)
    except Exception:
        return None  # not GraphQL: some other string
    if not any(isinstance(d, OperationDefinitionNode) for d in document.definitions):
        return None
    return measure_document(document)


def test_the_projects_own_documents_are_within_the_limits() -> None:
    measured = 0
    for where, text in project_documents():
        for name, measure in (operations(text) or {}).items():
            measured += 1
            # The tests of the limits themselves send documents past them on purpose
            if "hostile" in where or "limits" in where or name in ("Deep", "Wide"):
                continue
            assert within_limits(measure), (where, name, measure)
    assert measured > 100  # the walk found the documents it is meant to check


def test_the_standard_introspection_query_is_within_the_limits() -> None:
    for descriptions in (True, False):
        (measure,) = measure_document(parse(get_introspection_query(descriptions))).values()
        assert within_limits(measure), measure
        assert measure.introspection_depth >= 10  # it is counted, not skipped


def test_a_flood_is_measured_in_time_linear_in_the_document() -> None:
    # Given floods that expand to 2^30 and 2^300 selections
    for levels in (30, 300):
        started = time.perf_counter()
        errors = validate(
            schema._schema, parse(flood(levels)), [*specified_rules, DocumentLimitsRule]
        )
        # Then all the standard rules and the limits together take milliseconds
        assert time.perf_counter() - started < 2.0
        # (graphql-core gives up on 300 nested fragments too: "Validation aborted.")
        message = f"'Flood' selects more than {MAX_FIELDS} fields once its fragments are expanded"
        assert message in [e.message for e in errors]


def test_counts_stop_just_past_the_limits() -> None:
    (measure,) = measure_document(parse(flood(300))).values()
    assert measure == Measure(fields=MAX_FIELDS + 1, aliases=0, depth=0, introspection_depth=0)


def test_depth_is_counted_as_nested_selections() -> None:
    (measure,) = measure_document(parse("query Q { a { b { c } } d }")).values()
    assert measure == Measure(fields=4, aliases=0, depth=2)
    (spread,) = measure_document(
        parse("query Q { ...A ...A } fragment A on Query { x: a { b } }")
    ).values()
    assert spread == Measure(fields=4, aliases=2, depth=1)
