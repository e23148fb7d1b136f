"""A domain refusal as the failure a workflow's update raises. Workflow code.

The error's code becomes the failure's type and its field problems the details, so the API turns
it back into the same domain error (`workflows.client.domain_error_from`); never retried, since
the same input would be refused again.
"""

from __future__ import annotations

from dataclasses import asdict

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from domain.errors import DomainError, ValidationFailed


def to_application_error(error: DomainError) -> ApplicationError:
    details = [asdict(p) for p in error.problems] if isinstance(error, ValidationFailed) else []
    return ApplicationError(error.message, *details, type=error.code.value, non_retryable=True)
