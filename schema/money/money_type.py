"""`Money`: an exact amount and its ISO 4217 currency; the API has no bare amounts."""

from __future__ import annotations

from decimal import Decimal

import strawberry


@strawberry.type(description="An exact amount of money in one currency.")
class Money:
    amount: Decimal = strawberry.field(
        description="The amount in major units, exact, with the currency's decimal places."
    )
    currency: str = strawberry.field(description="The ISO 4217 code, e.g. EUR or PLN.")

    @classmethod
    def minor(cls, amount_minor: int, currency: str) -> Money:
        """From whole minor units (cents)."""
        return cls(amount=Decimal(amount_minor).scaleb(-2), currency=currency)
