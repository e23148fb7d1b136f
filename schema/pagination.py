"""Cursor connections (Relay style) over keyset pages: newest first, stable under inserts."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from strawberry.relay import PageInfo
from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

from domain.errors import FieldProblem, FieldProblemCode
from domain.store.per_client import rows_after
from schema.ids import decode_cursor, decode_id, encode_cursor
from schema.input_check import not_in_list

MAX_PAGE = 100
M = TypeVar("M", bound=Model)


__all__ = [
    "MAX_PAGE",
    "PageInfo",
    "client_rows_after",
    "cursor_for",
    "keyset_page",
    "page_problems",
]


def page_problems(first: int, after: str | None) -> list[FieldProblem]:
    problems = []
    if not 1 <= first <= MAX_PAGE:
        problems.append(FieldProblem("first", f"1 to {MAX_PAGE}", FieldProblemCode.OUT_OF_RANGE))
    if after is not None and decode_cursor(after) is None:
        problems.append(
            FieldProblem("after", "not a cursor from this API", FieldProblemCode.BAD_FORMAT)
        )
    return problems


async def keyset_page(
    query: QuerySet[Any],
    time_field: str,
    first: int,
    after: str | None,
    *,
    newest_first: bool = True,
) -> tuple[list[Any], PageInfo]:
    """One page of `query`, ordered by (`time_field`, id), after the cursor. Pages go forward
    only; `hasPreviousPage` says whether rows come before the page (the cursor's row or any
    row before it), as Relay allows for forward pages."""
    has_previous_page = False
    if after is not None:
        position = decode_cursor(after)
        assert position is not None  # page_problems() has rejected bad cursors
        at, raw_id = position
        # The page lies `beyond` the cursor; what lies `before` it includes the cursor's row.
        beyond, before, before_time = ("lt", "gte", "gt") if newest_first else ("gt", "lte", "lt")
        earlier: dict[str, Any] = {f"{time_field}__{beyond}": at}
        same_time_next_id: dict[str, Any] = {time_field: at, f"id__{beyond}": raw_id}
        prior: dict[str, Any] = {f"{time_field}__{before_time}": at}
        same_time_up_to_id: dict[str, Any] = {time_field: at, f"id__{before}": raw_id}
        has_previous_page = await query.filter(Q(**prior) | Q(**same_time_up_to_id)).exists()
        query = query.filter(Q(**earlier) | Q(**same_time_next_id))
    sign = "-" if newest_first else ""
    rows = await query.order_by(f"{sign}{time_field}", f"{sign}id").limit(first + 1)
    page = rows[:first]
    return page, PageInfo(
        has_next_page=len(rows) > first,
        has_previous_page=has_previous_page,
        start_cursor=cursor_for(page[0], time_field) if page else None,
        end_cursor=cursor_for(page[-1], time_field) if page else None,
    )


def cursor_for(row: Any, time_field: str) -> str:
    return encode_cursor(_time(row, time_field), str(row.id))


def _time(row: Any, time_field: str) -> datetime:
    value: datetime = getattr(row, time_field)
    return value


async def client_rows_after(
    model: type[M], time_column: str, client_id: str, after: str, id_type: str, first: int
) -> list[M]:
    """The next `first` of a client's rows after the one whose global id is `after` (a plain
    list's cursor); an id of anything else, or another client's row, is refused."""
    raw = decode_id(after, id_type)
    last = raw and await model.get_or_none(id=raw, client_id=client_id)
    if not last:
        raise not_in_list(f"one of this client's {id_type} rows")
    return await rows_after(model, time_column, client_id, last, first)
