"""Checks on free text from staff: present when required, readable, bounded in length (the
character rules are `domain.text`'s)."""

from __future__ import annotations

from domain.errors import FieldProblem, FieldProblemCode
from domain.text import text_problem

MAX_TEXT = 4000


def check_text(
    field: str, value: str | None, *, required: bool, limit: int = MAX_TEXT
) -> list[FieldProblem]:
    problem = text_problem(field, value, required=required, limit=limit)
    return [problem] if problem else []


def check_list(
    field: str, values: list[str] | None, *, most: int, limit: int
) -> list[FieldProblem]:
    """A list of short texts (items, areas): at most `most` of them, each present and readable."""
    if values is None:
        return []
    if len(values) > most:
        return [FieldProblem(field, f"at most {most}", FieldProblemCode.TOO_MANY)]
    problems: list[FieldProblem] = []
    for index, value in enumerate(values):
        problems += check_text(f"{field}[{index}]", value, required=True, limit=limit)
    return problems
