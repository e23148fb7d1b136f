"""The `Money` type: an exact amount with its currency, and the same for people to read."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from domain.money.formatting import DEFAULT_LOCALE, format_money
from domain.money.money import Money as MoneyValue


@strawberry.type(
    name="Money",
    description="An exact amount of money: a decimal string at the currency's minor units "
    '("1200.00" EUR, "5000" JPY), never a float.',
)
class Money:
    amount: Decimal = strawberry.field(description="The amount at the currency's minor units.")
    currency: str = strawberry.field(description="The ISO 4217 code, such as EUR or PLN.")
    locale: strawberry.Private[str]

    @strawberry.field(description='For people, in the clinic\'s locale (e.g. "1 200,00 zł").')
    def formatted(self) -> str:
        return format_money(MoneyValue(self.amount, self.currency), self.locale)

    @classmethod
    def of(cls, value: MoneyValue, locale: str = DEFAULT_LOCALE) -> Money:
        return cls(amount=value.amount, currency=value.currency, locale=locale)

    @classmethod
    def minor(cls, minor: int, currency: str, locale: str = DEFAULT_LOCALE) -> Money:
        return cls.of(MoneyValue.from_minor(minor, currency), locale)


@strawberry.input(name="MoneyInput", description="An amount and its currency.")
class MoneyInput:
    amount: Decimal = strawberry.field(
        description="At most the currency's minor units of decimals, e.g. 1200.00 EUR."
    )
    currency: str = strawberry.field(description="The ISO 4217 code, such as EUR or PLN.")
