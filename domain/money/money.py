"""Exact money: a Decimal amount and an ISO 4217 currency, rounded by one rule.

The rounding rule, stated once:
- every amount is kept at its currency's minor units (EUR and PLN 2 places, JPY 0, KWD 3),
  from the ISO 4217 data that Babel carries (`minor_units`);
- an amount that must be rounded (a percentage of a price, a share of a split) is rounded
  ROUND_HALF_UP, once, at the end of the computation. Half-up is what a client checks with a
  pocket calculator and what a receipt shows; banker's rounding (half-even) only pays off when
  many roundings are summed, and here each bill line and share is rounded on its own.
Amounts are never floats: a float is refused where a Money is made.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.core import get_global
from babel.numbers import get_currency_precision, get_territory_currencies, list_currencies

ROUNDING = ROUND_HALF_UP
# Far above any treatment's price (10^11 in major units), far inside what Decimal holds exactly.
MAX_AMOUNT = Decimal(10) ** 11
_CURRENCIES = frozenset(list_currencies())


@functools.lru_cache(maxsize=2)
def _in_use_on(day: date) -> frozenset[str]:
    """The codes some country or territory takes as legal tender on `day` (CLDR's data, as
    Babel carries it): not the funds, test and no-currency codes (XTS), precious metals (XAU), or
    currencies withdrawn (HRK since the euro, CUC). Per day: a changeover is seen the day it
    happens, by a process running through it."""
    territories = get_global("territory_currencies")
    return frozenset(
        code
        for territory in territories
        for code in get_territory_currencies(territory, day, tender=True)
    )


class MoneyError(ValueError):
    """An amount that is not money: a float, too many decimals, an unknown currency."""


def is_currency(code: str) -> bool:
    return code in _CURRENCIES


def in_use(code: str) -> bool:
    """A currency new amounts may be in: on ISO 4217's list and legal tender somewhere today.
    `is_currency` still reads amounts kept in one withdrawn since."""
    return code in _in_use_on(date.today())


def minor_units(currency: str) -> int:
    """Decimal places of the currency's minor unit (ISO 4217)."""
    if not is_currency(currency):
        raise MoneyError(f"{currency!r} is not an ISO 4217 currency code")
    return _precision(currency)


# Babel looks the precision up anew on every call, and a month's report asks for it for every
# payment of the month, in a handful of currencies. Only ISO 4217 codes reach it, so the
# cache holds a few hundred entries at most.
@functools.cache
def _precision(currency: str) -> int:
    return int(get_currency_precision(currency))


def _quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_units(currency))


@dataclass(frozen=True, order=False)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal) or isinstance(self.amount, bool):
            raise MoneyError("an amount is a Decimal, never a float")
        if not self.amount.is_finite():
            raise MoneyError("an amount is a finite number")
        if abs(self.amount) > MAX_AMOUNT:
            raise MoneyError(f"an amount is at most {MAX_AMOUNT:,}")
        quantum = _quantum(self.currency)
        if self.amount != self.amount.quantize(quantum, rounding=ROUNDING):
            places = minor_units(self.currency)
            raise MoneyError(f"{self.currency} amounts have at most {places} decimal places")
        # Stored at exactly the minor units: 5 EUR is 5.00, so equal amounts print alike.
        object.__setattr__(self, "amount", self.amount.quantize(quantum))

    # --- making -------------------------------------------------------------------------------

    @classmethod
    def rounded(cls, amount: Decimal, currency: str) -> Money:
        """The one place an inexact amount becomes money: the rule above."""
        return cls(amount.quantize(_quantum(currency), rounding=ROUNDING), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    @classmethod
    def from_minor(cls, minor: int, currency: str) -> Money:
        return cls(Decimal(minor).scaleb(-minor_units(currency)), currency)

    @property
    def minor(self) -> int:
        """Whole minor units (cents): how the database stores an amount, exactly."""
        return int(self.amount.scaleb(minor_units(self.currency)))

    # --- arithmetic: same currency only ------------------------------------------------------

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise MoneyError(f"cannot mix {self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def times(self, quantity: int) -> Money:
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            raise MoneyError("a quantity is a whole number")
        return Money(self.amount * quantity, self.currency)

    def share(self, rate: Decimal) -> Money:
        """`rate` of this amount (0.5 for half), rounded by the rule."""
        if not isinstance(rate, Decimal):
            raise MoneyError("a rate is a Decimal, never a float")
        return Money.rounded(self.amount * rate, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.amount >= other.amount

    @property
    def is_zero(self) -> bool:
        return self.amount == 0


def total(amounts: list[Money], currency: str) -> Money:
    result = Money.zero(currency)
    for amount in amounts:
        result = result + amount
    return result
