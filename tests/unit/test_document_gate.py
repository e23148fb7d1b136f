"""The document checks as one extension, in their order: a document parsed and validated once is
still refused for the variables that make its answer too large or that are too many, and the
operation is still chosen."""

from __future__ import annotations

from typing import Any

from schema.build import build_schema
from schema.variable_size import MAX_VARIABLE_VALUES

SCHEMA = build_schema()
STEP = (
    "mutation Step($input: RecordConsultationInput!) { recordConsultation(input: $input) {"
    " __typename ... on JourneyPayload { journey { id stage } } } }"
)
PAGED = (
    "query Q($n: Int!) { journeys(first: $n) { ... on JourneyConnection { edges { node {"
    " id history(first: 500) { seq } } } } } }"
)
PAGED_BY_DEFAULT = PAGED.replace("$n: Int!", "$n: Int = 100")
NEWEST_TEMPLATE = (
    'query Q($latest: Boolean!) { a: consentTemplates(latestOnly: $latest, templateKey: "k")'
    " { version } }"
)


async def _errors(document: str, variables: dict[str, Any] | None = None) -> list[str]:
    result = await SCHEMA.execute(document, variables, context_value=object())
    return [error.message for error in result.errors or []]


def _too_large(messages: list[str]) -> bool:
    return any("would answer more than" in message for message in messages)


async def test_a_document_accepted_for_small_pages_is_refused_for_large_ones() -> None:
    assert not _too_large(await _errors(PAGED, {"n": 5}))
    assert _too_large(await _errors(PAGED, {"n": 100}))
    assert not _too_large(await _errors(PAGED_BY_DEFAULT, {"n": 5}))
    assert _too_large(await _errors(PAGED_BY_DEFAULT))  # its default of 100 takes over


async def test_a_remembered_document_still_has_its_variables_counted() -> None:
    variables = {"input": {"journeyId": "x"}}
    assert not _too_large(await _errors(STEP, variables))
    assert not _too_large(await _errors(STEP, variables))  # from memory now
    flood = {"input": {"journeyId": "x", "plans": [{}] * MAX_VARIABLE_VALUES}}
    assert any("values in its variables" in m for m in await _errors(STEP, flood))


async def test_the_operation_is_still_chosen_and_validated_from_memory() -> None:
    two = "query A { me { __typename } } query B { me { __typename } }"
    for _ in range(2):
        assert any("name one in `operationName`" in m for m in await _errors(two))
        assert any("Cannot query field" in m for m in await _errors("query Q { nope }"))
