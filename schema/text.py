"""Checks on free text from staff: present when required, bounded in length."""

from __future__ import annotations

from domain.errors import FieldProblem

MAX_TEXT = 4000


def check_text(
    field: str, value: str | None, *, required: bool, limit: int = MAX_TEXT
) -> list[FieldProblem]:
    if value is None or not value.strip():
        return [FieldProblem(field, "required")] if required else []
    if len(value) > limit:
        return [FieldProblem(field, f"at most {limit} characters")]
    return []
