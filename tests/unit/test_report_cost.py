"""The reports' weight, counted as graphql-core runs them: once per response key, however many
fragments select it; aliases and fragments of their own each count."""

from __future__ import annotations

import pytest
from graphql import DocumentNode, OperationDefinitionNode, parse

from schema.report_cost import MAX_REPORT_WEIGHT, REPORT_WEIGHTS, report_refusal, report_weight

FIGURES = 'consultantFigures(clinicId: "c", month: "2026-03") { firstVisits }'
HISTORY = 'billingHistory(clientId: "x") { paid { amount } }'
FIGURES_WEIGHT, HISTORY_WEIGHT = (
    REPORT_WEIGHTS["consultantFigures"],
    REPORT_WEIGHTS["billingHistory"],
)


def _operation(document: str) -> tuple[DocumentNode, OperationDefinitionNode]:
    parsed = parse(document)
    (operation,) = (d for d in parsed.definitions if isinstance(d, OperationDefinitionNode))
    return parsed, operation


def _weight(document: str) -> int:
    return report_weight(*_operation(document))


@pytest.mark.parametrize(
    ("document", "weight"),
    [
        ("{ me { __typename } }", 0),
        ("{ " + FIGURES + " }", FIGURES_WEIGHT),
        # The same field twice under one key runs once
        ("{ " + FIGURES + " " + FIGURES + " }", FIGURES_WEIGHT),
        # Aliases each run
        ("{ a: " + FIGURES + " b: " + FIGURES + " " + HISTORY + " }", 2 * FIGURES_WEIGHT + 1),
        # A fragment spread twice, and an inline fragment selecting its key again, run once
        (
            "{ ...F ...F ... on Query { "
            + FIGURES
            + " } } fragment F on Query { "
            + FIGURES
            + " }",
            FIGURES_WEIGHT,
        ),
        # Fragments spreading others: each alias counted once
        (
            "{ ...G } fragment G on Query { ...F ...F x: " + HISTORY + " }"
            " fragment F on Query { y: " + HISTORY + " z: " + HISTORY + " }",
            3 * HISTORY_WEIGHT,
        ),
        # Nested below the root, a name is another type's field, not a report
        ("{ me { ... on StaffMember { consultantFigures: id } } }", 0),
        # Mutations and subscriptions hold no report
        ("mutation { " + FIGURES + " }", 0),
    ],
)
def test_weight_is_counted_per_response_key(document: str, weight: int) -> None:
    assert _weight(document) == weight


def test_past_the_weight_the_refusal_says_what_to_change() -> None:
    allowed = MAX_REPORT_WEIGHT // FIGURES_WEIGHT
    within = "query Q { " + " ".join(f"a{n}: {FIGURES}" for n in range(allowed)) + " }"
    past = "query Q { " + " ".join(f"a{n}: {FIGURES}" for n in range(allowed + 1)) + " }"
    assert report_refusal(*_operation(within), "Q") is None
    refused = report_refusal(*_operation(past), "Q")
    assert refused is not None
    assert refused.message.startswith(
        f"'Q' asks for reports weighing {(allowed + 1) * FIGURES_WEIGHT} in all, more than "
        f"{MAX_REPORT_WEIGHT} (consultantFigures {FIGURES_WEIGHT}, "
    )
