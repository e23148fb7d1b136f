"""The phone survey (seed 001 part I): four scores from 1 to 5, and what counts as low."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from domain.errors import FieldProblem

# GraphQL field names of the scores, in the order the caller asks them.
QUESTIONS = ("impression", "trustInDoctor", "priceJustified", "quality")
LOWEST, HIGHEST = 1, 5
# A score at or under this alerts the supervisor.
LOW_SCORE = 2


def score_problems(scores: Mapping[str, int]) -> list[FieldProblem]:
    return [
        FieldProblem(name, f"a whole number from {LOWEST} to {HIGHEST}")
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
