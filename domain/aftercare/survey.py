"""The phone survey (seed 001 part I): four scores from 1 to 5, and what counts as low."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code

# GraphQL field names of the scores, in the order the caller asks them.
QUESTIONS = ("impression", "trustInDoctor", "priceJustified", "quality")
LOWEST, HIGHEST = 1, 5
# A score at or under this alerts the supervisor.
LOW_SCORE = 2
# A journey that names no procedure type: its answers count under this key.
NO_PROCEDURE_TYPE = "UNSPECIFIED"


def score_problems(scores: Mapping[str, int]) -> list[FieldProblem]:
    return [
        FieldProblem(name, f"a whole number from {LOWEST} to {HIGHEST}", Code.OUT_OF_RANGE)
        for name in QUESTIONS
        if not LOWEST <= scores[name] <= HIGHEST
    ]


def low_scores(scores: Mapping[str, int]) -> list[str]:
    return [name for name in QUESTIONS if scores[name] <= LOW_SCORE]


@dataclass(frozen=True)
class Averages:
    responses: int
    scores: dict[str, float | None]
    low_responses: int


def averages(responses: Iterable[Mapping[str, int]]) -> Averages:
    rows = list(responses)
    means: dict[str, float | None] = {
        name: (round(sum(r[name] for r in rows) / len(rows), 2) if rows else None)
        for name in QUESTIONS
    }
    return Averages(len(rows), means, sum(1 for r in rows if low_scores(r)))


def grouped(
    responses: Iterable[tuple[str, Mapping[str, int]]],
) -> dict[str, Averages]:
    """Averages per group key (a doctor's id, a procedure type), keys sorted."""
    groups: dict[str, list[Mapping[str, int]]] = {}
    for key, scores in responses:
        groups.setdefault(key, []).append(scores)
    return {key: averages(groups[key]) for key in sorted(groups)}


@dataclass(frozen=True)
class MonthResults:
    overall: Averages
    # The treating doctor's id ("" when the answer names none) -> averages, keys sorted.
    by_doctor: dict[str, Averages]
    # The procedure type's key -> averages, keys sorted.
    by_procedure_type: dict[str, Averages]


def month_results(
    answers: Sequence[Mapping[str, Any]], type_keys: Mapping[str, str]
) -> MonthResults:
    """A month's answers (`doctor_id`, `procedure_type`, `scores`), each counted once, folded;
    `type_keys` takes the version ids among the recorded procedure types to their type keys.
    Plain data in and out: a report folds it off the event loop (`domain.report_folds`)."""
    return MonthResults(
        overall=averages(a["scores"] for a in answers),
        by_doctor=grouped((a["doctor_id"] or "", a["scores"]) for a in answers),
        by_procedure_type=grouped(
            (
                type_keys.get(a["procedure_type"], a["procedure_type"]) or NO_PROCEDURE_TYPE,
                a["scores"],
            )
            for a in answers
        ),
    )
