"""A row appended to a bounded set: the count and the write under the owner's lock.

Counting first and writing after lets requests racing at the bound all find room, and each
writes: a journey's 101st amendment, an identity's 201st version. Here the owner's row (the
journey, the client) is locked for the transaction (SELECT ... FOR UPDATE on PostgreSQL; SQLite's
transactions begin IMMEDIATE, one writer at a time, `store.compat`), so the writers of one set
queue, and each counts what the one before it wrote.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.models import Model
from tortoise.transactions import in_transaction

Row = TypeVar("Row", bound=Model)
# The new row's fields, made under the owner's lock from the set as it stands then (a row that
# carries what the one before it said, as a whole identity page does).
FieldsUnderLock = Callable[[BaseDBAsyncClient], Awaitable[dict[str, Any]]]
# What the new row brings about elsewhere, written in its transaction under the owner's lock:
# once with the row, never again for a retry that finds it.
AlongWith = Callable[[Any], Awaitable[None]]


class BroughtAboutFault(Exception):
    """An integrity fault in what a new row brings about. Raised as its own kind: a writer takes
    an integrity fault for its row's insert finding a retry's or a racing request's row, and
    answers with that row or a refusal, which this fault is neither."""


async def bring_about(along_with: AlongWith | None, row: Any) -> None:
    """`along_with(row)`, its integrity fault raised as a `BroughtAboutFault`."""
    if along_with is None:
        return
    try:
        await along_with(row)
    except IntegrityError as fault:
        raise BroughtAboutFault(type(row).__name__) from fault


async def append_within(
    model: type[Row],
    row_id: str,
    fields: dict[str, Any] | FieldsUnderLock,
    *,
    owner: tuple[type[Model], str],
    counted: dict[str, Any],
    bound: int,
    along_with: AlongWith | None = None,
) -> Row | None:
    """The row with this id: the one written before under that id (its request's retry, found
    whatever the count), else a new one when fewer than `bound` rows match `counted`; None when
    the set is full. `owner`: the model and id of the row whose lock the set's writers share;
    `along_with`, given the new row, writes what it brings about (its queries run in the
    transaction)."""
    owner_model, owner_id = owner
    async with in_transaction() as connection:
        await owner_model.filter(id=owner_id).select_for_update().using_db(connection).first()
        existing = await model.filter(id=row_id).using_db(connection).first()
        if existing is not None:
            return existing
        if await model.filter(**counted).using_db(connection).count() >= bound:
            return None
        made = fields if isinstance(fields, dict) else await fields(connection)
        row = await model.create(using_db=connection, id=row_id, **made)
        await bring_about(along_with, row)
        return row
