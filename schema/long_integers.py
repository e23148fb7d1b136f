"""An integer written in a document longer than Python converts, refused in the API's words.

A body's JSON is refused so (`server.request_body`); a document's own literal (`first:
9999...`) is read by the Int scalar in validation, whose `int()` raised a ValueError telling the
caller to call `sys.set_int_max_str_digits()`: masked as "Unexpected error." and logged as a
fault, which any caller could make at will. Looked for before validation, and only in a
document longer than the limit, as no shorter one can hold such a literal.
"""

from __future__ import annotations

import sys
from typing import Any

from graphql import BREAK, DocumentNode, GraphQLError, IntValueNode, Visitor, visit


class _FirstTooLong(Visitor):
    def __init__(self, digits: int) -> None:
        super().__init__()
        self.digits = digits
        self.found: IntValueNode | None = None

    def enter_int_value(self, node: IntValueNode, *_: Any) -> Any:
        if len(node.value.lstrip("-")) > self.digits:
            self.found = node
            return BREAK
        return None


def long_integer_refusal(query: str | None, document: DocumentNode | None) -> GraphQLError | None:
    """The error for the document's first integer longer than Python converts, or None."""
    digits = sys.get_int_max_str_digits()
    if not digits or query is None or document is None or len(query) <= digits:
        return None
    visitor = _FirstTooLong(digits)
    visit(document, visitor)
    if visitor.found is None:
        return None
    return GraphQLError(
        f"an integer in the document has more than {digits} digits", nodes=visitor.found
    )
