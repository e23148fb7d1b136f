"""Every GraphQL example of the README runs against the schema SPA teams code against.

Checked against the committed schema.graphql, which `test_schema_export` holds to the code: a
field, argument, input field, enum value or union member renamed in the code and left behind in
the README fails here (tests/unit/readme_graphql.py says what is taken from the README).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import build_schema

from tests.unit.readme_graphql import Checker, Example, examples

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CHECKER = Checker(build_schema((ROOT / "schema.graphql").read_text(encoding="utf-8")))
SHOWN = list(examples(README))
SHOWN_ONCE = set(SHOWN)


def _checked(shown: list[Example]) -> dict[Example, list[str]]:
    """The examples that are GraphQL, with what is wrong with each."""
    found = {example: CHECKER.problems(example) for example in shown}
    return {example: problems for example, problems in found.items() if problems is not None}


def test_every_example_of_the_readme_is_valid_against_the_schema() -> None:
    checked = _checked(SHOWN)
    assert [f"{example}: {problems}" for example, problems in checked.items() if problems] == []
    # The extraction still finds the examples: the walkthrough's operations and the curl
    # upload's query, the inline calls, the journey actions table.
    kinds = [example.kind for example in checked]
    assert kinds.count("operation") >= 11
    assert kinds.count("inline") >= 90
    assert kinds.count("table row") >= 20
    assert any(example.text.startswith("recordPayment(input: {") for example in checked)


def test_the_journey_actions_table_has_one_row_per_mutation() -> None:
    rows = [example.text for example in SHOWN if example.kind == "table row"]
    assert sorted(name for name in set(rows) if rows.count(name) > 1) == []


BROKEN = [
    # a field renamed in a fenced block
    ("computedHash hashMatches }", "computedHash hashMatch }"),
    # a union member the payload union does not have
    ("... on ClientPayload { client { id } }", "... on ClientCreated { client { id } }"),
    # an enum value that does not exist
    ("severity: MODERATE", "severity: MEDIUM"),
    # an inline call's input field renamed
    (
        "startJourney(input: {clientId: $c, recheck: true})",
        "startJourney(input: {clientId: $c, x: 1})",
    ),
    # an argument given where the field takes `input`
    ("by `logout(input: {everywhere: true})`", "by `logout(everywhere: true)`"),
    # an inline fragment on a type the field cannot return
    ("journey(id: $j) { ... on Journey { payments", "journey(id: $j) { ... on Bill { payments"),
    # a call shown without a selection, naming an input field that is gone
    ('handOver(input: {journeyId: $j, aftercare: "no', 'handOver(input: {journeyId: $j, care: "no'),
    # arguments named the prose way that the field does not take
    ("`keyItemRanking(clinicId, month)`", "`keyItemRanking(clinicId, period)`"),
    (
        "exportClientFile(input: {clientId, idempotencyKey})",
        "exportClientFile(input: {clientId, key})",
    ),
    # `Type.field` and `Type { fields }`
    ("`Journey.nextRecheckKeptBy`", "`Journey.recheckKeptBy`"),
    ("`Unavailable {code message retryAfterSeconds}`", "`Unavailable {code message retryAfter}`"),
    # the curl upload's query
    ("photo { id contentType sizeBytes }", "photo { id mimeType sizeBytes }"),
    # a mutation of the journey actions table that the schema lacks
    ("| `closeFollowUps` |", "| `closeAllFollowUps` |"),
]


@pytest.mark.parametrize(("shown", "broken"), BROKEN)
def test_a_broken_example_is_reported(shown: str, broken: str) -> None:
    assert README.count(shown) == 1, "the example this test breaks changed: pick another"
    changed = [
        example for example in examples(README.replace(shown, broken)) if example not in SHOWN_ONCE
    ]
    problems = _checked(changed)
    assert problems and all(problems.values()), problems
