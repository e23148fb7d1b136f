"""One response path asked again and again: refused before graphql-core compares every pair.

Found by a hostile pass: 400 copies of `__schema { __typename }` (8 KB, 1,600 tokens, within every
other limit) took 1.1 s of validation on the event loop, without a token, and eight such requests
at once held /healthz for 8.7 s. Each test failed before: the document ran and was answered.
"""

from __future__ import annotations

from graphql import FieldNode, GraphQLSchema, ValidationContext, ValidationRule, parse

from schema.build import schema
from schema.document_gate import DocumentCaches
from schema.limits import DocumentLimitsRule
from schema.repeated_paths import MAX_REPEATS
from tests.api.harness import Api
from tests.api.hostile import send_graphql

REFUSED = (
    f"'Repeats' selects one response path more than {MAX_REPEATS} times"
    " once its fragments are expanded"
)


def repeated(copies: int, selection: str = "__schema { __typename }") -> str:
    return "query Repeats { " + " ".join([selection] * copies) + " }"


async def test_a_field_asked_hundreds_of_times_is_refused(api: Api) -> None:
    # Given the finding's document, sent without a token
    document = repeated(400)
    assert len(document) < 10_000  # within the 2,000 tokens
    # When it is sent, Then it is refused for its repeats, nothing run
    answer = await send_graphql(api, document)
    assert answer.error_messages() == [REFUSED]
    assert answer.json().get("data") is None


async def test_repeats_are_counted_through_fragments_and_nested_fields(api: Api) -> None:
    # Given 6 copies of a field each holding 3 copies of another: 18 at one path, as merged
    nested = repeated(6, "__schema { " + " ".join(["queryType { name }"] * 3) + " }")
    # And a fragment spread one time past the bound through inline fragments
    spread = (
        "query Repeats { "
        + " ".join(["... on Query { ...S }"] * (MAX_REPEATS + 1))
        + " } fragment S on Query { __schema { __typename } }"
    )
    for document in (nested, spread):
        # Then each is refused
        assert (await send_graphql(api, document)).error_messages() == [REFUSED]


async def test_a_few_repeats_and_any_number_of_leaves_run(api: Api) -> None:
    # Given the bound's number of copies, and 600 copies of a leaf (compared cheaply)
    for document in (repeated(MAX_REPEATS), repeated(600, "__typename")):
        # Then each runs, its copies merged into one answer
        answer = await send_graphql(api, document)
        assert answer.status == 200
        assert "errors" not in answer.json(), answer.json()


class ComparedPairs(ValidationRule):
    """Records that the full validation ran on the document."""

    ran: list[str] = []

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        ComparedPairs.ran.append("ran")

    def enter_field(self, node: FieldNode, *_: object) -> None:
        return None


def test_a_document_past_the_limits_skips_the_other_rules() -> None:
    # Given the gate's caches, the limits checked first
    caches = DocumentCaches(first=(DocumentLimitsRule,))
    graphql_schema: GraphQLSchema = schema._schema
    ComparedPairs.ran.clear()
    # When a document past them is validated with the other rules
    errors = caches.validate(graphql_schema, parse(repeated(400)), (ComparedPairs,))
    # Then only the limits ran, and refused it (graphql-core runs every rule in one walk)
    assert [e.message for e in errors] == [REFUSED]
    assert ComparedPairs.ran == []
    # And a document within them is validated in full
    assert caches.validate(graphql_schema, parse(repeated(2)), (ComparedPairs,)) == []
    assert ComparedPairs.ran == ["ran"]
