"""Amounts kept in hundredths whatever their currency, turned into its minor units and back,
exactly (`domain.money.hundredths`)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.money.hundredths import (
    FINER_THAN_HUNDREDTHS,
    as_hundredths,
    as_minor,
    hundredths_problem,
)
from domain.money.money import MoneyError


@pytest.mark.parametrize(
    ("amount", "currency", "problem"),
    [
        ("1000", "JPY", None),
        ("1000.00", "JPY", None),
        ("1000.50", "JPY", "JPY amounts have no decimal places"),
        ("1.250", "KWD", None),
        ("1.255", "KWD", FINER_THAN_HUNDREDTHS),
        ("1200.05", "EUR", None),
        # Two places as always: more than two decimals written is refused, zeros or not
        ("1.250", "EUR", "at most two decimal places"),
        ("12.345", "EUR", "at most two decimal places"),
        # Any size is answered (the size itself is refused by the caller)
        ("1E+30", "JPY", None),
        ("1.5E+30", "KWD", None),
    ],
)
def test_an_amount_kept_in_hundredths_is_one_its_currency_holds(
    amount: str, currency: str, problem: str | None
) -> None:
    assert hundredths_problem(Decimal(amount), currency) == problem


def test_hundredths_turn_into_minor_units_and_back_exactly() -> None:
    assert as_minor(100_000, "JPY") == 1_000
    assert as_minor(125, "KWD") == 1_250
    assert as_minor(120_005, "EUR") == 120_005
    assert as_hundredths(1_000, "JPY") == 100_000
    assert as_hundredths(1_250, "KWD") == 125
    assert as_hundredths(120_005, "EUR") == 120_005


def test_what_one_unit_cannot_hold_is_refused_or_taken_down() -> None:
    # ¥1,000.50, kept before plans and payments were held to whole yen
    with pytest.raises(MoneyError):
        as_minor(100_050, "JPY")
    assert as_minor(100_050, "JPY", floor=True) == 1_000
    # 0.125 KWD is no number of hundredths
    with pytest.raises(MoneyError):
        as_hundredths(125, "KWD")
