"""Checks on free text from staff: present when required, readable, bounded in length (the
character rules are `domain.text`'s)."""

from __future__ import annotations

from domain.errors import FieldProblem
from domain.text import has_visible_text, unreadable_problem

MAX_TEXT = 4000


def check_text(
    field: str, value: str | None, *, required: bool, limit: int = MAX_TEXT
) -> list[FieldProblem]:
    if value is None or not has_visible_text(value):
        if required:
            return [FieldProblem(field, "required")]
        return [FieldProblem(field, "shows nothing")] if value and value.strip() else []
    if len(value) > limit:
        return [FieldProblem(field, f"at most {limit} characters")]
    unreadable = unreadable_problem(value)
    return [FieldProblem(field, unreadable)] if unreadable else []


def check_list(
    field: str, values: list[str] | None, *, most: int, limit: int
) -> list[FieldProblem]:
    """A list of short texts (items, areas): at most `most` of them, each present and readable."""
    if values is None:
        return []
    if len(values) > most:
        return [FieldProblem(field, f"at most {most}")]
    problems: list[FieldProblem] = []
    for index, value in enumerate(values):
        problems += check_text(f"{field}[{index}]", value, required=True, limit=limit)
    return problems
