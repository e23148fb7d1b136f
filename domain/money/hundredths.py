"""Amounts kept in hundredths whatever their currency, and the currency's own minor units.

The final plan's price and a payment without a bill have been kept in hundredths since before
amounts followed ISO 4217 (¥1,000 is 100000, 1.25 KWD is 125); a bill, its payments and every
refund are kept at the currency's minor units (¥1,000 is 1000, 1.250 KWD is 1250). Stored
journeys and recorded histories hold the hundredths, so they stay; what compares or sums the
two turns one into the other here, exactly (Decimal), and an amount neither unit can hold is
refused where it is typed (`hundredths_problem`).
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from domain.money.money import MoneyError, is_currency, minor_units

HUNDREDTHS = 2
FINER_THAN_HUNDREDTHS = (
    "at most two decimal places: a price, and a payment without a bill, are kept in hundredths"
)


def places_of(currency: str) -> int:
    """The currency's minor units; a code not on ISO 4217's list is taken for hundredths, as
    it always was."""
    return minor_units(currency) if is_currency(currency) else HUNDREDTHS


def hundredths_problem(amount: Decimal, currency: str) -> str | None:
    """Why `amount` cannot be kept in hundredths of `currency`, or None. Both units must hold
    it exactly: ¥1,000.50 is no amount of yen, 1.255 KWD no number of hundredths; 1.250 KWD,
    written at the dinar's places, is 1.25 exactly and is kept. Two-place currencies are read
    as always: more than two decimals written is refused."""
    places = places_of(currency)
    if not amount.is_finite():
        return "at most two decimal places"
    if places == HUNDREDTHS:
        written = -int(amount.as_tuple().exponent)
        return "at most two decimal places" if written > HUNDREDTHS else None
    if not _exact_at(amount, min(places, HUNDREDTHS)):
        if places > HUNDREDTHS:
            return FINER_THAN_HUNDREDTHS
        if places == 0:
            return f"{currency} amounts have no decimal places"
        return f"{currency} amounts have at most {places} decimal place"
    return None


def _exact_at(amount: Decimal, places: int) -> bool:
    """Whether `amount` has no digit beyond `places` decimals but zeros; read from its digits,
    so a number of any size is answered (quantize would overflow the context's precision)."""
    _, digits, exponent = amount.as_tuple()
    beyond = -int(exponent) - places
    return beyond <= 0 or not any(digits[-beyond:])


def as_minor(hundredths: int, currency: str, *, floor: bool = False) -> int:
    """An amount kept in hundredths at the currency's minor units. One the currency cannot
    hold (¥1,000.50, kept before plans and payments were held to it) raises, or with `floor`
    is taken down to what it can (¥1,000): never more than was kept."""
    amount = Decimal(hundredths).scaleb(-HUNDREDTHS)
    minor = amount.scaleb(places_of(currency))
    if minor != minor.to_integral_value():
        if not floor:
            raise MoneyError(f"{amount} {currency} is not a whole number of its minor units")
        minor = minor.to_integral_value(rounding=ROUND_FLOOR)
    return int(minor)


def as_hundredths(minor: int, currency: str) -> int:
    """An amount at the currency's minor units in hundredths; raises if it is finer (0.125 KWD)."""
    hundredths = Decimal(minor).scaleb(HUNDREDTHS - places_of(currency))
    if hundredths != hundredths.to_integral_value():
        raise MoneyError(f"{minor} minor units of {currency} are finer than hundredths")
    return int(hundredths)
