"""Cursor connections (Relay style) over keyset pages: newest first, stable under inserts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from domain.errors import FieldProblem
from schema.ids import decode_cursor, encode_cursor

MAX_PAGE = 100


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


def page_problems(first: int, after: str | None) -> list[FieldProblem]:
    problems = []
    if not 1 <= first <= MAX_PAGE:
        problems.append(FieldProblem("first", f"1 to {MAX_PAGE}"))
    if after is not None and decode_cursor(after) is None:
        problems.append(FieldProblem("after", "not a cursor from this API"))
    return problems


async def keyset_page(
    query: QuerySet[Any],
    time_field: str,
    first: int,
    after: str | None,
    *,
    newest_first: bool = True,
) -> tuple[list[Any], PageInfo]:
    """One page of `query`, ordered by (`time_field`, id), after the cursor."""
    if after is not None:
        position = decode_cursor(after)
        assert position is not None  # page_problems() has rejected bad cursors
        at, raw_id = position
        beyond = "lt" if newest_first else "gt"
        earlier: dict[str, Any] = {f"{time_field}__{beyond}": at}
        same_time_next_id: dict[str, Any] = {time_field: at, f"id__{beyond}": raw_id}
        query = query.filter(Q(**earlier) | Q(**same_time_next_id))
    sign = "-" if newest_first else ""
    rows = await query.order_by(f"{sign}{time_field}", f"{sign}id").limit(first + 1)
    page = rows[:first]
    end = page[-1] if page else None
    end_cursor = encode_cursor(_time(end, time_field), str(end.id)) if end else None
    return page, PageInfo(has_next_page=len(rows) > first, end_cursor=end_cursor)


def cursor_for(row: Any, time_field: str) -> str:
    return encode_cursor(_time(row, time_field), str(row.id))


def _time(row: Any, time_field: str) -> datetime:
    value: datetime = getattr(row, time_field)
    return value
