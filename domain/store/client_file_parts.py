"""What every part of the client's copy is read with: the reading (whose file, as of when) and
the bound a part is read within. A part past its bound refuses the copy whole, never cuts it: a
copy that left rows out would not be the file (`domain.client_file.export`)."""

from __future__ import annotations

from dataclasses import dataclass
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
