"""A payment of part of a bill as deal lines: the part of each line, and rule 9 decided on the
whole bill line, so a deposit's rounding cannot turn a line sold at 80 % of list special."""

from __future__ import annotations

from domain.money.credit import Movement
from domain.money.partner_split import SplitRule
from domain.partners.statement import signed_split
from domain.store.billing import Bill, BillLine
from domain.store.partner_deals import bill_deal_lines
from tests.store.money_rows import utc


def _bill(subtotal: int, total: int) -> Bill:
    return Bill(id="b", currency="EUR", subtotal_minor=subtotal, total_minor=total)


def _line(position: int, list_price: int, unit: int, minor: bool) -> BillLine:
    return BillLine(
        bill_id="b",
        position=position,
        kind="PROCEDURE",
        quantity=1,
        list_price_minor=list_price,
        unit_price_minor=unit,
        line_total_minor=unit,
        minor_procedure=minor,
        consumable_cost_minor=0,
    )


def _split(amount_minor: int, bill: Bill, lines: list[BillLine]) -> list[tuple[str, str, str]]:
    deal = bill_deal_lines(Movement("j", utc(3), amount_minor, "EUR"), bill, lines)
    splits = [signed_split(line) for line in deal]
    return [(s.rule.value, str(s.line.price_sold), str(s.partner_share)) for s in splits]


def test_a_deposit_takes_its_part_of_each_line_under_the_lines_own_rule() -> None:
    # A minor procedure sold at exactly 80 % of list (400.00 of 500.00) and a 600.00 procedure:
    # a deposit of 333.33 of 1000.00 is 133.33 + 200.00 (the last line takes the rounding).
    # Its list part, 166.67, would put 133.33 under 80 % (133.336): the rule comes from the bill
    # line instead, a normal deal: 133.33 / 2 = 66.665 -> 66.67 (half up); 200.00 / 2 = 100.00
    at_floor = [_line(0, 50000, 40000, True), _line(1, 60000, 60000, False)]
    assert _split(33333, _bill(100000, 100000), at_floor) == [
        ("HALF_AND_HALF", "133.33", "66.67"),
        ("HALF_AND_HALF", "200.00", "100.00"),
    ]
    # Sold at 300.00 of 500.00 (60 %) it is special: 10 % of the price. A refund of 150.00 is
    # half the line: -150.00, taking back -15.00
    special = [_line(0, 50000, 30000, True)]
    assert _split(30000, _bill(30000, 30000), special) == [
        (SplitRule.SPECIAL_PRICE_MINOR.value, "300.00", "30.00")
    ]
    assert _split(-15000, _bill(30000, 30000), special) == [
        (SplitRule.SPECIAL_PRICE_MINOR.value, "-150.00", "-15.00")
    ]
    # A bill discount is spread pro rata: 1000.00 less 100.00, paid in full, sells the line at
    # 900.00, whose list part is 900.00 too: 50:50 -> 450.00
    assert _split(90000, _bill(100000, 90000), [_line(0, 100000, 100000, False)]) == [
        ("HALF_AND_HALF", "900.00", "450.00")
    ]
