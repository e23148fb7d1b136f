"""Business errors. Their codes cross every layer: Temporal failures carry the code as their
type, and the GraphQL API turns each into a member of the mutation's result union."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class ErrorCode(str, Enum):
    TRANSITION_NOT_ALLOWED = "TRANSITION_NOT_ALLOWED"
    NOT_AUTHORIZED = "NOT_AUTHORIZED"
    VALIDATION_FAILED = "VALIDATION_FAILED"
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    TOO_MANY_ATTEMPTS = "TOO_MANY_ATTEMPTS"
    CONTRAINDICATION_FOUND = "CONTRAINDICATION_FOUND"
    WARRANTY_EXPIRED = "WARRANTY_EXPIRED"
    CHECKLIST_INCOMPLETE = "CHECKLIST_INCOMPLETE"
    UNAVAILABLE = "UNAVAILABLE"
    ALREADY_REGISTERED = "ALREADY_REGISTERED"
    SHARING_CONSENT_MISSING = "SHARING_CONSENT_MISSING"
    SENIOR_TITLE_REQUIRED = "SENIOR_TITLE_REQUIRED"


class FieldProblemCode(str, Enum):
    """What kind of problem a field has, for a client to act on without reading the message
    (which stays the words a person reads). Described for the API in `schema.descriptions`."""

    REQUIRED = "REQUIRED"
    TOO_LONG = "TOO_LONG"
    TOO_SHORT = "TOO_SHORT"
    TOO_MANY = "TOO_MANY"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    BAD_FORMAT = "BAD_FORMAT"
    UNKNOWN_VALUE = "UNKNOWN_VALUE"
    NOT_ALLOWED_NOW = "NOT_ALLOWED_NOW"
    DUPLICATE = "DUPLICATE"
    INCONSISTENT = "INCONSISTENT"
    INVALID = "INVALID"

    @classmethod
    def _missing_(cls, value: object) -> FieldProblemCode:
        """A code this release does not know (one a newer worker wrote, read by an API of the
        release before it) reads as INVALID: the message still says what is wrong."""
        return cls.INVALID


@dataclass(frozen=True)
class FieldProblem:
    """One field's problem. `code` INVALID by default: a problem recorded before codes were
    kept (a failure in a journey's history, a desk's answer) reads so; every check names it
    (`tests/unit/test_field_problem_codes_named.py`)."""

    field: str
    message: str
    code: FieldProblemCode = FieldProblemCode.INVALID


class DomainError(Exception):
    """An expected refusal; `message` is safe to show to the user."""

    code: ErrorCode = ErrorCode.VALIDATION_FAILED

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TransitionNotAllowed(DomainError):
    code = ErrorCode.TRANSITION_NOT_ALLOWED


class NotAuthorized(DomainError):
    code = ErrorCode.NOT_AUTHORIZED


class NotFound(DomainError):
    code = ErrorCode.NOT_FOUND


class Conflict(DomainError):
    code = ErrorCode.CONFLICT


@dataclass
class ValidationFailed(DomainError):
    problems: list[FieldProblem] = field(default_factory=list)
    code = ErrorCode.VALIDATION_FAILED

    def __post_init__(self) -> None:
        text = "; ".join(f"{p.field}: {p.message}" for p in self.problems)
        DomainError.__init__(self, text or "invalid input")

    @classmethod
    def one(cls, field_name: str, message: str, code: FieldProblemCode) -> ValidationFailed:
        return cls([FieldProblem(field_name, message, code)])
