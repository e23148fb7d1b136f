"""Checks on free text from staff: present when required, readable, bounded in length."""

from __future__ import annotations

import re
import unicodedata

from domain.errors import FieldProblem

MAX_TEXT = 4000

# Control characters other than tab and line breaks draw nothing and can rewrite what a
# terminal or a printed record shows; explicit direction embeddings, overrides and isolates make
# a name read as something else on screen ("Ewa" stored, "awE" seen). Right-to-left text needs
# none of them: the Unicode bidirectional algorithm orders it, and the marks U+200E/U+200F stay.
_UNREADABLE = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What shows nothing on its own: whitespace, format characters (zero-width space and joiners,
# marks, the byte-order mark) and combining marks with nothing to sit on.
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me"})


def has_visible_text(value: str) -> bool:
    return any(unicodedata.category(c) not in _INVISIBLE_CATEGORIES for c in value)


def check_text(
    field: str, value: str | None, *, required: bool, limit: int = MAX_TEXT
) -> list[FieldProblem]:
    if value is None or not has_visible_text(value):
        if required:
            return [FieldProblem(field, "required")]
        return [FieldProblem(field, "shows nothing")] if value and value.strip() else []
    if len(value) > limit:
        return [FieldProblem(field, f"at most {limit} characters")]
    if _UNREADABLE.search(value):
        return [FieldProblem(field, "contains a control or text-direction character")]
    return []
