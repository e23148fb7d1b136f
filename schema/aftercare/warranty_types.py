"""The warranty card as staff and the client see it (kept free of the journey types, which
show a journey's card)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import strawberry

from domain.aftercare.warranty import last_day
from domain.errors import ErrorCode
from domain.store.aftercare import WarrantyCard as CardRow
from schema.errors import UserError


@strawberry.type(description="The warranty issued with a treatment (seed 001 'Guarantees').")
class WarrantyCard:
    number: str = strawberry.field(description="The card's number, as printed.")
    issued_at: datetime = strawberry.field(description="When the treatment ended, in UTC.")
    ends_at: datetime = strawberry.field(
        description="When the warranty ends: it covers the whole of this moment's day in the "
        "clinic's calendar (cards issued before this rule end at the treatment's hour)."
    )
    terms: str = strawberry.field(description="What the warranty covers and on what terms.")

    @classmethod
    def from_row(cls, row: CardRow) -> WarrantyCard:
        return cls(number=row.number, issued_at=row.issued_at, ends_at=row.ends_at, terms=row.terms)


@strawberry.type(
    description="The warranty ran out before this claim: nothing was opened. `endedOn` is its "
    "last day, in the clinic's calendar."
)
class WarrantyExpired(UserError):
    ended_on: date = strawberry.field(
        description="The warranty's last day in the clinic's calendar (the leaflet's \"valid "
        'until"): it covered that whole day.'
    )


def warranty_expired(ends_at: datetime, zone: ZoneInfo) -> WarrantyExpired:
    ended_on = last_day(ends_at, zone)
    return WarrantyExpired(
        code=ErrorCode.WARRANTY_EXPIRED,
        message=f"the warranty ended on {ended_on.isoformat()}",
        ended_on=ended_on,
    )
