"""What every part of the client's copy is read with: the reading (whose file, as of when) and
the bound a part is read within. A part past its bound refuses the copy whole, never cuts it: a
copy that left rows out would not be the file (`domain.client_file.export`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

from domain.client_file.export import Part
from domain.store.models import Client

Row = TypeVar("Row", bound=Model)


@dataclass(frozen=True)
class TooLarge:
    """The part of the file beyond its limit."""

    part: str
    limit: int


class PartTooLarge(Exception):
    def __init__(self, too_large: TooLarge) -> None:
        super().__init__(too_large.part)
        self.too_large = too_large


async def whole(query: QuerySet[Row], most: int, part: str) -> list[Row]:
    """A part's rows, `most` at the most: past that the copy is refused, never cut short (a copy
    that left rows out would not be the file)."""
    rows = await query.limit(most + 1)
    if len(rows) > most:
        raise PartTooLarge(TooLarge(part, most))
    return list(rows)


@dataclass(frozen=True)
class Reading:
    """One client's file being read as of a moment."""

    client: Client
    as_of: datetime

    async def rows(self, model: type[Row], at: str, part: Part[Any]) -> list[Row]:
        """The part's rows of `model` that are hers up to the moment, oldest first: `at` is the
        column of each row's moment (the copy's cut, and the order)."""
        cut = {"client_id": self.client.id, f"{at}__lte": self.as_of}
        return await whole(model.filter(**cut).order_by(at, "id"), part.most(), part.what)


@dataclass(frozen=True)
class ByClient:
    """A listed part read from its model by client: `at` is the column of each row's moment
    (the copy's cut, and the order), `by` and `role` those of who wrote it and their role (None:
    the record keeps none); the record's other fields are columns of the same names."""

    record: type[Any]
    model: type[Model]
    at: str
    by: str
    role: str | None
    # The record's fields kept in a column of another name (field: column).
    renamed: Mapping[str, str] = field(default_factory=dict)
    # The record's fields made from the whole row rather than read from a column (field: how).
    made: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)

    async def __call__(self, reading: Reading, part: Part[Any]) -> list[Any]:
        rows = await reading.rows(self.model, self.at, part)
        return [self._record(row) for row in rows]

    def _record(self, row: Model) -> Any:
        named = {"at": self.at, "by": self.by, "author_role": self.role, **self.renamed}
        values = {}
        for name in (f.name for f in fields(self.record)):
            made = self.made.get(name)
            values[name] = made(row) if made else getattr(row, named.get(name) or name)
        return self.record(**values)
