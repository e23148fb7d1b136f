"""Seed 003's partner split, one worked example per rule; every expected amount is worked out
by hand in the comment above it, never by the code under test."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal as D

import pytest

from domain.money.partner_split import (
    DealLine,
    PriceItemKind,
    SplitRule,
    StaffTreatment,
    split_deal,
    split_line,
)
from domain.partners.statement import PartnerDeal, statement_lines, to_csv, totals


def test_a_normal_deal_is_split_half_and_half_without_anesthesia_labs_stay_and_iv() -> None:
    deal = split_deal(
        [
            DealLine(PriceItemKind.PROCEDURE, list_price=D("12000.00"), price_sold=D("10000.00")),
            DealLine(PriceItemKind.PRODUCT, list_price=D("450.00"), price_sold=D("401.15")),
            DealLine(PriceItemKind.ANESTHESIA, list_price=D("1500.00"), price_sold=D("1500.00")),
            DealLine(PriceItemKind.LAB_TEST, list_price=D("300.00"), price_sold=D("300.00")),
            DealLine(PriceItemKind.HOSPITAL_STAY, list_price=D("800.00"), price_sold=D("800.00")),
            DealLine(PriceItemKind.IV, list_price=D("200.00"), price_sold=D("200.00")),
        ]
    )
    rules = [s.rule for s in deal.lines]
    assert rules == [SplitRule.HALF_AND_HALF] * 2 + [SplitRule.EXCLUDED_ITEM] * 4
    # 10000.00 / 2 = 5000.00; 401.15 / 2 = 200.575 -> 200.58 (half up); the rest 0.
    assert [s.partner_share for s in deal.lines] == [D("5000.00"), D("200.58")] + [D("0")] * 4
    # 5000.00 + 200.58 = 5200.58 of 10000 + 401.15 + 1500 + 300 + 800 + 200 = 13201.15
    assert (deal.partner_share, deal.price_sold) == (D("5200.58"), D("13201.15"))
    # The clinic keeps the excluded lines whole: 1500.00 of anesthesia.
    assert deal.lines[2].clinic_share == D("1500.00")


def test_high_cost_consumables_come_off_before_the_split() -> None:
    # Thread lift sold at 18000.00 with threads costing 4200.00:
    # (18000.00 - 4200.00) / 2 = 13800.00 / 2 = 6900.00
    threads = DealLine(
        PriceItemKind.PROCEDURE, D("20000.00"), D("18000.00"), consumable_cost=D("4200.00")
    )
    # Implants billed as their own line: sold 9000.00, cost 6500.00 -> 2500.00 / 2 = 1250.00
    implants = DealLine(
        PriceItemKind.CONSUMABLE, D("9000.00"), D("9000.00"), consumable_cost=D("6500.00")
    )
    deal = split_deal([threads, implants])
    assert [(s.base, s.partner_share) for s in deal.lines] == [
        (D("13800.00"), D("6900.00")),
        (D("2500.00"), D("1250.00")),
    ]
    # 6900.00 + 1250.00 = 8150.00; the clinic keeps 18000.00 - 6900.00 = 11100.00 of the first
    assert deal.partner_share == D("8150.00")
    assert deal.lines[0].clinic_share == D("11100.00")


def test_special_price_minor_procedures_pay_ten_percent_below_eighty_percent_of_list() -> None:
    # List 2000.00, sold at 1299.99 (< 0.8 * 2000.00 = 1600.00): 10 % of 1299.99 = 129.999
    # -> 130.00 (half up)
    below = split_line(DealLine(PriceItemKind.PROCEDURE, D("2000.00"), D("1299.99"), **_minor()))
    assert (below.rule, below.partner_share) == (SplitRule.SPECIAL_PRICE_MINOR, D("130.00"))
    # One cent under the line: 1599.99 < 1600.00, 10 % = 159.999 -> 160.00
    just_under = split_line(
        DealLine(PriceItemKind.PROCEDURE, D("2000.00"), D("1599.99"), **_minor())
    )
    assert (just_under.rule, just_under.partner_share) == (
        SplitRule.SPECIAL_PRICE_MINOR,
        D("160.00"),
    )


def test_a_special_price_at_exactly_eighty_percent_of_list_is_split_half_and_half() -> None:
    # 0.8 * 2000.00 = 1600.00 exactly: not below it, so 1600.00 / 2 = 800.00
    at = split_line(DealLine(PriceItemKind.PROCEDURE, D("2000.00"), D("1600.00"), **_minor()))
    assert (at.rule, at.partner_share) == (SplitRule.HALF_AND_HALF, D("800.00"))
    # At full list price: 2000.00 / 2 = 1000.00
    full = split_line(DealLine(PriceItemKind.PROCEDURE, D("2000.00"), D("2000.00"), **_minor()))
    assert (full.rule, full.partner_share) == (SplitRule.HALF_AND_HALF, D("1000.00"))


def test_partner_staff_pay_forty_or_forty_five_percent_of_list_and_nothing_is_shared() -> None:
    # No consumables: 0.40 * 15000.00 = 6000.00
    plain = split_line(
        DealLine(
            PriceItemKind.PROCEDURE,
            D("15000.00"),
            D("6000.00"),
            staff_treatment=StaffTreatment.WITHOUT_CONSUMABLES,
        )
    )
    # With consumables: 0.45 * 30000.00 = 13500.00
    implants = split_line(
        DealLine(
            PriceItemKind.PROCEDURE,
            D("30000.00"),
            D("13500.00"),
            consumable_cost=D("7000.00"),
            staff_treatment=StaffTreatment.WITH_CONSUMABLES,
        )
    )
    assert (plain.rule, plain.staff_price, plain.partner_share) == (
        SplitRule.PARTNER_STAFF_PRICE,
        D("6000.00"),
        D("0"),
    )
    assert (implants.staff_price, implants.partner_share) == (D("13500.00"), D("0"))
    # 0.45 * 999.99 = 449.9955 -> 450.00 (half up)
    odd = split_line(
        DealLine(
            PriceItemKind.PROCEDURE,
            D("999.99"),
            D("450.00"),
            staff_treatment=StaffTreatment.WITH_CONSUMABLES,
        )
    )
    assert odd.staff_price == D("450.00")


def test_edge_cases_never_owe_a_negative_share_and_refuse_negative_amounts() -> None:
    # Consumables costing more than the price sold: base max(500.00 - 800.00, 0) = 0
    loss = split_line(DealLine(PriceItemKind.PROCEDURE, D("500.00"), D("500.00"), D("800.00")))
    assert (loss.base, loss.partner_share, loss.clinic_share) == (D("0"), D("0.00"), D("500.00"))
    # Excluded kinds stay excluded whatever the flags: an IV sold on special price.
    iv = split_line(DealLine(PriceItemKind.IV, D("300.00"), D("100.00"), **_minor()))
    assert (iv.rule, iv.partner_share) == (SplitRule.EXCLUDED_ITEM, D("0"))
    # A free item: 0.00 sold, 0.00 shared
    assert split_line(DealLine(PriceItemKind.PRODUCT, D("0"), D("0"))).partner_share == D("0.00")
    with pytest.raises(ValueError, match="price_sold"):
        split_line(DealLine(PriceItemKind.PROCEDURE, D("100.00"), D("-1.00")))
    with pytest.raises(ValueError, match="consumable_cost"):
        split_line(DealLine(PriceItemKind.PROCEDURE, D("100.00"), D("100.00"), D("NaN")))


def _minor() -> dict[str, bool]:
    return {"special_price_minor": True}


def test_a_statement_takes_back_a_refunds_share_and_totals_per_currency() -> None:
    sold = DealLine(PriceItemKind.PROCEDURE, D("18000.00"), D("18000.00"), D("4200.00"))
    # Half of the thread lift refunded: -9000.00 sold, consumables stay with the sale
    refund = DealLine(PriceItemKind.PROCEDURE, D("18000.00"), D("-9000.00"))
    anesthesia = DealLine(PriceItemKind.ANESTHESIA, D("900.00"), D("900.00"))
    at = datetime(2026, 11, 5, 10, tzinfo=UTC)
    lines = statement_lines(
        [
            PartnerDeal("j1", at, "PLN", (sold, anesthesia)),
            PartnerDeal("j1", at + timedelta(days=3), "PLN", (refund,)),
            PartnerDeal(
                "j2", at, "EUR", (DealLine(PriceItemKind.PRODUCT, D("99.99"), D("99.99")),)
            ),
        ]
    )
    # (18000.00 - 4200.00) / 2 = 6900.00; anesthesia 0; the refund -9000.00 / 2 = -4500.00;
    # 99.99 / 2 = 49.995 -> 50.00 (half up)
    assert [(s.journey_id, s.split.partner_share) for s in lines] == [
        ("j1", D("6900.00")),
        ("j1", D("0")),
        ("j2", D("50.00")),
        ("j1", D("-4500.00")),
    ]
    # PLN: sold 18000.00 + 900.00 - 9000.00 = 9900.00, owed 6900.00 - 4500.00 = 2400.00
    assert totals(lines) == {
        "EUR": (D("99.99"), D("50.00")),
        "PLN": (D("9900.00"), D("2400.00")),
    }
    rows = to_csv(lines).splitlines()
    assert rows[0].startswith("journey_id,paid_at,item_kind,rule")
    assert rows[-2:] == ["TOTAL,,,,,99.99,,,50.00,EUR", "TOTAL,,,,,9900.00,,,2400.00,PLN"]


def test_a_statement_rounds_each_share_to_its_currencys_minor_unit() -> None:
    # Given deals in yen (no minor unit) and in dinars (three places)
    at = datetime(2026, 11, 5, 10, tzinfo=UTC)
    yen = DealLine(PriceItemKind.PROCEDURE, D("12345"), D("12345"))
    refund = DealLine(PriceItemKind.PROCEDURE, D("12345"), D("-1"))
    dinars = DealLine(PriceItemKind.PROCEDURE, D("1.005"), D("1.005"))
    lines = statement_lines(
        [
            PartnerDeal("j1", at, "JPY", (yen,)),
            PartnerDeal("j1", at + timedelta(days=1), "JPY", (refund,)),
            PartnerDeal("j2", at, "KWD", (dinars,)),
        ]
    )
    # Then 12345 / 2 = 6172.5 -> ¥6173 (half up), the ¥1 refund takes back ¥1 (0.5 -> 1), and
    # 1.005 / 2 = 0.5025 -> 0.503 KWD: never a fraction of a yen, never a fils lost
    assert [str(s.split.partner_share) for s in lines] == ["6173", "0.503", "-1"]
    assert totals(lines) == {"JPY": (D("12344"), D("6172")), "KWD": (D("1.005"), D("0.503"))}
    rows = to_csv(lines).splitlines()
    assert rows[1].split(",")[8] == "6173"
    assert rows[-2:] == ["TOTAL,,,,,12344,,,6172,JPY", "TOTAL,,,,,1.005,,,0.503,KWD"]
