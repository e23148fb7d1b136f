"""The error entry of an argument a plain list or a report refuses (`InputNotAccepted`): no
`ValidationFailed` in its type, so the entry itself names the argument and the problem's code."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

import pytest
from gql.transport.exceptions import TransportQueryError


def refusal(field: str, message: str, problem_code: str) -> dict[str, str]:
    """The entry's message and extensions, as an SPA reads them."""
    return {
        "message": message,
        "code": "VALIDATION_FAILED",
        "field": field,
        "problemCode": problem_code,
    }


async def refused_input(answer: Awaitable[Any]) -> dict[str, Any]:
    """The one error entry of a request refused for its input: its message and extensions."""
    with pytest.raises(TransportQueryError) as refused:
        await answer
    (error,) = refused.value.errors or []
    return {"message": error["message"], **error["extensions"]}
