"""A domain refusal as the failure a workflow's update raises. Workflow code.

The error's code becomes the failure's type and its field problems the details, so the API turns
it back into the same domain error (`workflows.client.domain_error_from`); never retried, since
the same input would be refused again.

Each problem is a detail `{field, message}`, as the release before wrote and read it (it built
its problems from every dict detail, so a key it does not know would fail it during a rolling
deploy, workers upgraded first); their codes follow in one list, which it passes over. A failure
recorded before codes were kept (a retried update answered from history) has no such list: its
problems read INVALID.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from domain.errors import DomainError, FieldProblem, FieldProblemCode, ValidationFailed


def to_application_error(error: DomainError) -> ApplicationError:
    details: list[Any] = []
    if isinstance(error, ValidationFailed) and error.problems:
        details = [{"field": p.field, "message": p.message} for p in error.problems]
        details.append([p.code.value for p in error.problems])
    return ApplicationError(error.message, *details, type=error.code.value, non_retryable=True)


def problems_from(details: Sequence[Any]) -> list[FieldProblem]:
    """The field problems a refusal's failure carries (`to_application_error`), each with its
    code: INVALID where the failure names none (recorded before codes were kept) or one this
    release does not know."""
    named = [d for d in details if isinstance(d, dict)]
    codes = next((d for d in details if isinstance(d, list)), [])
    return [
        FieldProblem(
            str(d.get("field", "")),
            str(d.get("message", "")),
            FieldProblemCode(codes[index]) if index < len(codes) else FieldProblemCode.INVALID,
        )
        for index, d in enumerate(named)
    ]
