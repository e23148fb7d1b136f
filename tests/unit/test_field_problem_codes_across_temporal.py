"""A field problem's code crosses Temporal with it: in the failure a refused update raises and in
the desk's answer to a round of arrivals. Readers of the release before still read both, and
what was recorded before codes were kept still reads, its codes INVALID."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from temporalio.converter import DataConverter
from temporalio.exceptions import ApplicationError

from domain.errors import ErrorCode, FieldProblem, FieldProblemCode, ValidationFailed
from domain.triage.batch import ArrivalAnswer, DeskRefusal
from domain.triage.commands import DeskReply
from workflows.client import domain_error_from
from workflows.converter import DATA_CONVERTER
from workflows.refusals import to_application_error

REFUSED = ValidationFailed(
    [
        FieldProblem("note", "at most 4000 characters", FieldProblemCode.TOO_LONG),
        FieldProblem("consultantId", "a consultant must be chosen", FieldProblemCode.REQUIRED),
    ]
)


@dataclass(frozen=True)
class ProblemBefore:
    """A field problem as the release before codes declared it."""

    field: str
    message: str


@dataclass
class RefusalBefore:
    code: ErrorCode
    message: str
    problems: list[ProblemBefore] = field(default_factory=list)


@dataclass
class AnswerBefore:
    reply: DeskReply | None = None
    refusal: RefusalBefore | None = None


def test_a_refused_update_carries_each_problem_with_its_code() -> None:
    # When a refusal crosses Temporal as an update's failure
    failure = to_application_error(REFUSED)
    # Then the API reads the same problems, codes included
    error = domain_error_from(failure)
    assert isinstance(error, ValidationFailed)
    assert error.problems == REFUSED.problems
    assert error.message == REFUSED.message


def test_an_api_of_the_release_before_reads_a_new_workers_refusal() -> None:
    # Given a refusal raised by an upgraded worker (workers are upgraded before the API)
    failure = to_application_error(REFUSED)
    # When an API of the release before reads it as it did: every dict detail a problem
    problems = [ProblemBefore(**d) for d in failure.details if isinstance(d, dict)]
    # Then it reads the same fields and messages
    assert problems == [
        ProblemBefore("note", "at most 4000 characters"),
        ProblemBefore("consultantId", "a consultant must be chosen"),
    ]


def test_a_refusal_recorded_before_codes_reads_invalid() -> None:
    # Given a failure as a worker of the release before wrote it (kept in a journey's history
    # and answered again to a retry of its update)
    failure = ApplicationError(
        "note: at most 4000 characters",
        {"field": "note", "message": "at most 4000 characters"},
        type=ErrorCode.VALIDATION_FAILED.value,
        non_retryable=True,
    )
    # When the API reads it
    error = domain_error_from(failure)
    # Then its problem is there, INVALID
    assert isinstance(error, ValidationFailed)
    assert error.problems == [
        FieldProblem("note", "at most 4000 characters", FieldProblemCode.INVALID)
    ]


def test_a_code_this_release_does_not_know_reads_invalid() -> None:
    failure = ApplicationError(
        "note: too loud",
        {"field": "note", "message": "too loud"},
        ["TOO_LOUD"],
        type=ErrorCode.VALIDATION_FAILED.value,
    )
    error = domain_error_from(failure)
    assert isinstance(error, ValidationFailed)
    assert [p.code for p in error.problems] == [FieldProblemCode.INVALID]


# Glowpath's own, which the API and the workers use, and the SDK's, which it decodes as
CONVERTERS = pytest.mark.parametrize(
    "converter", [DATA_CONVERTER, DataConverter.default], ids=["glowpath", "sdk"]
)


@CONVERTERS
async def test_the_desks_answer_carries_codes_and_reads_without_them(
    converter: DataConverter,
) -> None:
    # Given the desk's answer refusing an arrival, as an upgraded worker writes it
    answer = ArrivalAnswer(refusal=DeskRefusal.of(REFUSED))
    [payload] = await converter.encode([answer])
    # Then the API reads the problems with their codes
    [read] = await converter.decode([payload], [ArrivalAnswer])
    assert read.refusal is not None
    assert read.refusal.error().problems == REFUSED.problems  # type: ignore[attr-defined]
    # And an API of the release before reads them without
    [before] = await converter.decode([payload], [AnswerBefore])
    assert before.refusal is not None
    assert before.refusal.problems == [ProblemBefore(p.field, p.message) for p in REFUSED.problems]


@CONVERTERS
async def test_a_desk_answer_recorded_before_codes_reads_invalid(converter: DataConverter) -> None:
    # Given a desk's answer as a worker of the release before wrote it (kept in the desk's
    # history, answered again to a retried round)
    written = RefusalBefore(
        ErrorCode.VALIDATION_FAILED, "reason: say why", [ProblemBefore("reason", "say why")]
    )
    [payload] = await converter.encode([AnswerBefore(refusal=written)])
    # When the API reads it
    [read] = await converter.decode([payload], [ArrivalAnswer])
    # Then its problem reads INVALID
    assert read.refusal is not None
    assert read.refusal.problems == [FieldProblem("reason", "say why", FieldProblemCode.INVALID)]


@CONVERTERS
async def test_a_desk_answer_with_a_code_of_a_later_release_reads_invalid(
    converter: DataConverter,
) -> None:
    # Given a desk's answer naming a code this release does not know (a worker of a later one)
    refusal = DeskRefusal.of(REFUSED)
    [payload] = await converter.encode([ArrivalAnswer(refusal=refusal)])
    later = payload.data.replace(b'"TOO_LONG"', b'"TOO_LOUD"')
    payload.data = later
    # When the API reads it
    [read] = await converter.decode([payload], [ArrivalAnswer])
    # Then that problem reads INVALID, the other keeps its code
    assert read.refusal is not None
    assert [p.code for p in read.refusal.problems] == [
        FieldProblemCode.INVALID,
        FieldProblemCode.REQUIRED,
    ]
