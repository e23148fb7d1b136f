"""Expected errors are data: every mutation returns its payload or one of these."""

from __future__ import annotations

import strawberry

from domain import errors as domain
from domain.errors import ErrorCode, FieldProblemCode
from domain.journey.stages import Stage
from domain.journey.table import Action
from schema.enums import ErrorCode as ErrorCodeEnum  # noqa: F401  (registers the enum)
from schema.enums import FieldProblemCode as FieldProblemCodeEnum  # noqa: F401  (registers it)


@strawberry.interface(description="An error the client can act on; `code` is stable.")
class UserError:
    code: ErrorCode
    message: str


@strawberry.type(description="The journey's stage does not allow this action now.")
class TransitionNotAllowed(UserError):
    stage: Stage | None = None
    allowed_actions: list[Action] = strawberry.field(default_factory=list)


@strawberry.type(description="Not signed in, or the role may not do this.")
class NotAuthorized(UserError):
    pass


@strawberry.type
class FieldProblem:
    field: str
    message: str
    code: FieldProblemCode


@strawberry.type(description="The input is malformed; one problem per field.")
class ValidationFailed(UserError):
    problems: list[FieldProblem] = strawberry.field(default_factory=list)


@strawberry.type(description="No such object, or not visible to the viewer.")
class NotFound(UserError):
    pass


@strawberry.type(description="Clashes with an earlier request (e.g. an idempotency key reused).")
class Conflict(UserError):
    pass


@strawberry.type(
    description="Too many failed attempts (sign-in, password change) for this username or from "
    "this address: try again after `retryAfterSeconds`. Each further failure doubles the wait."
)
class TooManyAttempts(UserError):
    retry_after_seconds: int = strawberry.field(
        description="Seconds to wait before the next attempt is considered."
    )


@strawberry.type(
    description="Temporal, which runs the journeys and the triage desk, did not answer in time "
    "(or could not be reached): whether this request's change was made is not known yet; or "
    "the server already has as much of this request's work under way as it takes (passwords "
    "being hashed, steps waiting on one journey) and refused it before doing anything; or the "
    "workers are being upgraded and the one that had the step is of the release before, which "
    "does not know it (a payment's correction): it refused it, nothing done. Send "
    "the same request again with the same `idempotencyKey` after `retryAfterSeconds`: it is "
    "then answered as the first attempt was, and the change is made once, never twice."
)
class Unavailable(UserError):
    retry_after_seconds: int = strawberry.field(
        description="Seconds to wait before sending the same request again."
    )


# A suggested pause before the retry: long enough for a worker restart to be under way.
RETRY_UNAVAILABLE_AFTER_SECONDS = 5
# After a step a worker of the release before refused: long enough for a rolling deploy's next
# worker to be up.
RETRY_AFTER_UPGRADE_SECONDS = 30


ErrorType = TransitionNotAllowed | NotAuthorized | ValidationFailed | NotFound | Conflict


def not_authorized(message: str = "sign in first") -> NotAuthorized:
    return NotAuthorized(code=ErrorCode.NOT_AUTHORIZED, message=message)


def not_found(what: str) -> NotFound:
    return NotFound(code=ErrorCode.NOT_FOUND, message=f"{what} not found")


def too_many_attempts(retry_after_seconds: int) -> TooManyAttempts:
    return TooManyAttempts(
        code=ErrorCode.TOO_MANY_ATTEMPTS,
        message=f"too many attempts: try again in {retry_after_seconds} s",
        retry_after_seconds=retry_after_seconds,
    )


def unavailable() -> Unavailable:
    return Unavailable(
        code=ErrorCode.UNAVAILABLE,
        message="not answered in time: send the same request again with the same idempotencyKey",
        retry_after_seconds=RETRY_UNAVAILABLE_AFTER_SECONDS,
    )


def workers_behind() -> Unavailable:
    """A step the journey's worker has no handler for (`workflows.client.WorkersBehind`)."""
    return busy("the journey's workers are being upgraded", RETRY_AFTER_UPGRADE_SECONDS)


def busy(what: str, retry_after_seconds: int) -> Unavailable:
    """Refused before any work or write, as `what` is at its bound: the retry goes afresh."""
    return Unavailable(
        code=ErrorCode.UNAVAILABLE,
        message=f"{what}: nothing was done; send the same request again with the same "
        f"idempotencyKey in {retry_after_seconds} s",
        retry_after_seconds=retry_after_seconds,
    )


def invalid(field_name: str, message: str, code: FieldProblemCode) -> ValidationFailed:
    return from_problem(domain.FieldProblem(field_name, message, code))


def from_problem(problem: domain.FieldProblem) -> ValidationFailed:
    """One field's problem, as the API answers it."""
    failed = from_domain(domain.ValidationFailed([problem]))
    assert isinstance(failed, ValidationFailed)
    return failed


def problem_of(problem: domain.FieldProblem) -> FieldProblem:
    return FieldProblem(field=problem.field, message=problem.message, code=problem.code)


def from_domain(
    error: domain.DomainError, stage: Stage | None = None, allowed: list[Action] | None = None
) -> ErrorType:
    if isinstance(error, domain.ValidationFailed):
        problems = [problem_of(p) for p in error.problems]
        return ValidationFailed(code=error.code, message=error.message, problems=problems)
    if isinstance(error, domain.TransitionNotAllowed):
        return TransitionNotAllowed(
            code=error.code, message=error.message, stage=stage, allowed_actions=allowed or []
        )
    kinds: dict[ErrorCode, type[NotAuthorized | NotFound | Conflict]] = {
        ErrorCode.NOT_AUTHORIZED: NotAuthorized,
        ErrorCode.NOT_FOUND: NotFound,
        ErrorCode.CONFLICT: Conflict,
    }
    return kinds[error.code](code=error.code, message=error.message)
