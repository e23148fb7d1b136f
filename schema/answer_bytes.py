"""How large an answer may grow, counted while it is built.

The answer-size estimate (`schema.answer_size`) bounds how many items an operation asks for,
before it runs; it cannot know how large each one is. A journey's record is staff text of up to
about 120 KB, and a history page holds up to 500 of them: 30 aliases of one journey's
`history { details }` (15 such records) answered 54 MB within every item bound, and a journey
holding its 1,000 records could have made the same request answer gigabytes. So every value the
answer carries is counted as it is completed (its characters as the answer sends them, escapes
included; the field names around them are not counted), and past `MAX_ANSWER_CHARS` the rest
is completed empty and the operation is answered with one error and no data. What the
resolvers read stays bounded by the estimate; what the answer holds, by this. Each subscription
push is counted on its own: graphql-core completes each with a copy of the subscription's
executor, which completed nothing itself.
"""

from __future__ import annotations

import json
from typing import Any

from graphql import ExecutionResult, GraphQLError, GraphQLLeafType
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

# Above the largest answer one field gives (a client's whole file, at most 16 MiB) and far above
# any screen's.
MAX_ANSWER_CHARS = 32 * 1024 * 1024
# What a number, a boolean or an enum adds, near enough.
_SMALL = 8


def _chars(value: Any) -> int:
    """As the answer sends it: JSON with every character past ASCII escaped (`\\u0430`, six
    characters for one Cyrillic letter), as the view encodes it."""
    if isinstance(value, str):
        return len(value) if value.isascii() else len(json.dumps(value))
    if isinstance(value, dict | list):
        return len(json.dumps(value, default=str))
    return _SMALL


def _empty_like(value: Any) -> Any:
    """A stand-in of the same kind that costs nothing: the answer is dropped in the end."""
    if isinstance(value, str):
        return ""
    if isinstance(value, dict | list):
        return type(value)()
    return value


class AnswerTooLarge(GraphQLError):
    def __init__(self) -> None:
        super().__init__(
            f"the answer would hold more than {MAX_ANSWER_CHARS:,} characters: ask for smaller "
            "pages (`first`), fewer aliases or fewer large fields (a history's `details` and "
            "`amendments`, a leaflet's `html` and `pdfBase64`)"
        )


class BoundedAnswerExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor, counting the answer's characters as its values complete."""

    answer_chars = 0

    # graphql-core's is a static method, called through the executor: an instance's counts here.
    def complete_leaf_value(  # type: ignore[override]
        self, return_type: GraphQLLeafType, result: Any
    ) -> Any:
        value = super().complete_leaf_value(return_type, result)
        if self.answer_chars > MAX_ANSWER_CHARS:
            return _empty_like(value)
        self.answer_chars += _chars(value)
        return value

    def build_response(self, data: dict[str, Any] | None) -> Any:
        response = super().build_response(data)
        if self.answer_chars > MAX_ANSWER_CHARS:
            return ExecutionResult(None, [AnswerTooLarge()])
        return response
