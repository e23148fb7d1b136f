"""Money is exact: amounts at minor units, one rounding rule, bill totals by a hand rule."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import FieldProblemCode as Code
from domain.journey.validation import MAX_MINOR_UNITS
from domain.money.bills import LineRequest, PricedItem, discount_needs_supervisor, draft_bill
from domain.money.catalog import PriceItemKind
from domain.money.formatting import format_money
from domain.money.money import MAX_AMOUNT, Money, MoneyError, in_use, is_currency, minor_units


def test_amounts_keep_their_currency_minor_units() -> None:
    assert minor_units("EUR") == 2 and minor_units("JPY") == 0 and minor_units("KWD") == 3
    assert Money(Decimal("5"), "EUR").amount == Decimal("5.00")
    assert str(Money(Decimal("5"), "EUR").amount) == "5.00"
    with pytest.raises(MoneyError):
        Money(Decimal("1.005"), "EUR")
    with pytest.raises(MoneyError):
        Money(Decimal("1.5"), "JPY")
    with pytest.raises(MoneyError):
        Money(1.5, "EUR")  # type: ignore[arg-type]
    with pytest.raises(MoneyError):
        Money(Decimal(1), "XYZ")
    with pytest.raises(MoneyError):
        Money(Decimal(1), "EUR") + Money(Decimal(1), "PLN")


def test_rounding_is_half_up_once() -> None:
    # 12.5 % of 0.20 EUR is 0.025: half-up gives 0.03 (banker's would give 0.02).
    assert Money(Decimal("0.20"), "EUR").share(Decimal("0.125")).amount == Decimal("0.03")
    assert Money(Decimal("0.20"), "EUR").share(Decimal("0.075")).amount == Decimal("0.02")
    assert Money.rounded(Decimal("2.5"), "JPY").amount == Decimal("3")
    assert Money.from_minor(123456, "EUR").amount == Decimal("1234.56")
    assert Money(Decimal("1234.56"), "EUR").minor == 123456


def test_formatted_for_people_in_the_clinic_locale() -> None:
    # Babel writes a no-break space between groups in Polish.
    assert format_money(Money(Decimal("1200"), "PLN"), "pl_PL").replace("\xa0", " ") == (
        "1 200,00 zł"
    )
    assert format_money(Money(Decimal("1200"), "EUR"), "de_DE").replace("\xa0", " ") == (
        "1.200,00 €"
    )
    assert format_money(Money(Decimal("7"), "EUR"), "no-such-locale") != ""


KINDS = list(PriceItemKind)
lines = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=10_000_000),  # list price in cents
        st.one_of(st.none(), st.integers(min_value=0, max_value=10_000_000)),  # special
        st.integers(min_value=1, max_value=100),  # quantity
        st.booleans(),  # at the special price when there is one
        st.sampled_from(KINDS),
    ),
    min_size=1,
    max_size=20,
)


@settings(max_examples=150, deadline=None)
@given(lines=lines, discount_cents=st.integers(min_value=0, max_value=10**9))
def test_bill_totals_are_exact_and_follow_the_hand_rule(
    lines: list[tuple[int, int | None, int, bool, PriceItemKind]], discount_cents: int
) -> None:
    requests = []
    expected_subtotal = 0  # the hand rule, in whole cents: sum of unit price x quantity
    for index, (list_cents, special_cents, quantity, special, kind) in enumerate(lines):
        item = PricedItem(
            item_id=f"i{index}",
            code=f"c{index}",
            kind=kind,
            name="item",
            list_price=Money.from_minor(list_cents, "EUR"),
            special_price=None if special_cents is None else Money.from_minor(special_cents, "EUR"),
        )
        at_special = special and special_cents is not None
        requests.append(LineRequest(item, quantity, at_special))
        expected_subtotal += (special_cents if at_special else list_cents) * quantity  # type: ignore[operator]
    discount = Money.from_minor(discount_cents, "EUR") if discount_cents else None
    bill, problems = draft_bill(requests, discount, "EUR")
    if discount_cents > expected_subtotal:
        assert bill is None and [p.field for p in problems] == ["discount.amount"]
        return
    if discount_cents == expected_subtotal:  # nothing to pay: never payable, refused
        assert bill is None and [p.message for p in problems] == [
            "the bill must leave something to pay"
        ]
        return
    assert bill is not None and problems == []
    for amount in [bill.subtotal, bill.total, bill.discount, *(ln.line_total for ln in bill.lines)]:
        assert type(amount.amount) is Decimal
        assert amount.amount.as_tuple().exponent == -2
    assert bill.subtotal.minor == expected_subtotal
    assert bill.total.minor == expected_subtotal - discount_cents
    threshold = 10
    assert discount_needs_supervisor(bill, threshold) == (
        discount_cents * 100 > expected_subtotal * threshold
    )


def test_a_bill_that_leaves_nothing_to_pay_is_refused() -> None:
    # A payment is positive: a bill of nothing would hold its journey at PAYMENT for good
    item = PricedItem("i", "c", PriceItemKind.PROCEDURE, "x", Money(Decimal(500), "EUR"))
    bill, problems = draft_bill([LineRequest(item, 1)], Money(Decimal(500), "EUR"), "EUR")
    assert bill is None
    assert [(p.field, p.message) for p in problems] == [
        ("discount.amount", "the bill must leave something to pay")
    ]
    bill, problems = draft_bill([LineRequest(item, 1)], Money(Decimal("499.99"), "EUR"), "EUR")
    assert bill is not None and bill.total == Money(Decimal("0.01"), "EUR")


def test_bill_refuses_what_it_cannot_price() -> None:
    item = PricedItem("i", "c", PriceItemKind.PRODUCT, "x", Money(Decimal(10), "EUR"))
    bill, problems = draft_bill([LineRequest(item, 0), LineRequest(item, 1, True)], None, "EUR")
    assert bill is None
    assert [p.field for p in problems] == ["lines[0].quantity", "lines[1].atSpecialPrice"]
    bill, problems = draft_bill([LineRequest(item, 1)], None, "PLN")
    assert bill is None and problems[0].field == "lines[0].priceItemId"


def test_a_bill_whose_lines_add_up_past_any_amount_is_refused_not_a_fault() -> None:
    # Each price is within what an amount holds; two of them together are not
    dearest = PricedItem("i", "c", PriceItemKind.PROCEDURE, "x", Money(MAX_AMOUNT, "EUR"))
    for requests in ([LineRequest(dearest, 2)], [LineRequest(dearest, 1)] * 2):
        bill, problems = draft_bill(requests, None, "EUR")
        assert bill is None
        assert [p.field for p in problems] == ["lines"]


def test_a_bill_no_payment_could_settle_is_refused() -> None:
    # Given prices each within what an amount holds, past what one payment may be together
    most = Money.from_minor(MAX_MINOR_UNITS, "EUR")
    dear = PricedItem("i", "c", PriceItemKind.PROCEDURE, "x", most)
    # When a bill of one of them is drafted, and of two of them
    alone, none = draft_bill([LineRequest(dear, 1)], None, "EUR")
    both, problems = draft_bill([LineRequest(dear, 2)], None, "EUR")
    # Then one is a bill, and two are refused: no payment could ever settle them in full
    assert alone is not None and alone.total == most and none == []
    assert both is None
    assert [(p.field, p.code) for p in problems] == [("lines", Code.OUT_OF_RANGE)]
    assert "100,000,000.00 EUR" in problems[0].message


def test_each_payment_kind_has_its_place_on_a_bill() -> None:
    from domain.journey.stages import PaymentKind as K
    from domain.money.payments import BillState, payment_problems

    fresh = BillState(total=1000, paid=0, kinds=frozenset(), currency="EUR")
    deposited = BillState(total=1000, paid=300, kinds=frozenset({K.DEPOSIT}), currency="EUR")
    planned = BillState(total=1000, paid=250, kinds=frozenset({K.INSTALLMENT_PLAN}), currency="EUR")
    ok = [
        (fresh, K.FULL, 1000),
        (fresh, K.DEPOSIT, 300),
        (fresh, K.PARTIAL, 1),
        (fresh, K.INSTALLMENT_PLAN, 250),
        (deposited, K.TOP_UP, 700),
        (planned, K.INSTALLMENT, 250),
    ]
    for bill, kind, amount in ok:
        assert payment_problems(bill, kind, amount) == [], (kind, amount)
    refused = [
        (fresh, K.FULL, 999, "kind"),
        (fresh, K.DEPOSIT, 1000, "kind"),
        (fresh, K.TOP_UP, 10, "kind"),
        (deposited, K.FULL, 700, "kind"),
        (deposited, K.TOP_UP, 701, "amount"),
        (fresh, K.INSTALLMENT, 100, "kind"),
        (fresh, K.PARTIAL, 0, "amount"),
    ]
    for bill, kind, amount, field in refused:
        assert [p.field for p in payment_problems(bill, kind, amount)] == [field], (kind, amount)


def test_billing_history_adds_up_by_hand() -> None:
    from domain.money.history import (
        BillFigures,
        LineBought,
        Movement,
        by_month,
        most_bought,
        standings,
    )

    moves = [
        Movement("2026-11", 30000, "b1"),
        Movement("2026-12", 70000, "b1"),
        Movement("2026-12", 20000, "b2"),
        Movement("2026-12", -5000, "b2"),
        Movement("2026-12", 1000, None),  # paid before itemised bills
    ]
    assert [(m.month, m.paid_minor, m.refunded_minor) for m in by_month(moves)] == [
        ("2026-11", 30000, 0),
        ("2026-12", 91000, 5000),
    ]
    lines = [
        LineBought("b1", "HA", "Filler", "PRODUCT", 2, 80000),
        LineBought("b1", "CAN", "Cannula", "CONSUMABLE", 2, 20000),
        LineBought("b2", "HA", "Filler", "PRODUCT", 1, 40000),
        LineBought("b3", "IV", "Drip", "IV", 9, 9000),  # never paid: not bought
    ]
    top = most_bought(lines, {"b1", "b2"})
    assert [(i.code, i.quantity, i.spent_minor) for i in top] == [
        ("HA", 3, 120000),
        ("CAN", 2, 20000),
    ]
    bills = [BillFigures("b1", "j1", 100000, False), BillFigures("b2", "j2", 60000, True)]
    bills.append(BillFigures("b3", "j3", 9000, False, closed=True))
    figures = standings(bills, [*moves, Movement("2026-12", 100, "b3")])
    assert [(s.paid_minor, s.refunded_minor, s.outstanding_minor) for s in figures] == [
        (100000, 0, 0),
        (20000, 5000, 45000),
        (100, 0, 0),
    ]


def test_new_amounts_take_currencies_in_use_and_kept_ones_still_read() -> None:
    # Currencies some country takes today, the CFA francs and the CFP franc among them
    for code in ("EUR", "PLN", "USD", "JPY", "XAF", "XOF", "XPF", "XCD"):
        assert in_use(code), code
    # Neither ISO's test and "no currency" codes, nor gold, nor currencies withdrawn
    for code in ("XTS", "XXX", "XAU", "XDR", "HRK", "DEM", "CUC", "XYZ"):
        assert not in_use(code), code
    # An amount kept in a currency withdrawn since still has its minor units
    assert is_currency("HRK") and minor_units("HRK") == 2
