"""An itemised bill from price-list items: line totals, the discount and its granter, the total.

Pure: the schema layer loads the items and writes the result. Quantities are whole numbers and
prices are at minor units, so a line is rounded only at a partner's staff price (its unit, once,
half up); the rules that decide are the discount threshold (above it a supervisor grants) and
seed 003's rule 10: a referring partner's own staff or relatives pay 40 % of list, 45 % with
high-cost consumables ("无耗材手术4折有耗材手术4.5折").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.journey.validation import MAX_MINOR_UNITS
from domain.money.catalog import PriceItemKind
from domain.money.money import MAX_AMOUNT, Money, MoneyError, total
from domain.money.partner_split import STAFF_PRICE_RATE, StaffTreatment

MAX_LINES = 50
MAX_QUANTITY = 100


@dataclass(frozen=True)
class PricedItem:
    """A price-list item version as a bill sees it."""

    item_id: str
    code: str
    kind: PriceItemKind
    name: str
    list_price: Money
    special_price: Money | None = None
    consumable_cost: Money | None = None
    # Seed 003 rule 9: a special-price minor procedure (what a partner's share depends on).
    minor_procedure: bool = False


@dataclass(frozen=True)
class LineRequest:
    item: PricedItem
    quantity: int
    # The special price, when the item has one and the bill is sold at it.
    at_special_price: bool = False


@dataclass(frozen=True)
class DraftLine:
    item: PricedItem
    quantity: int
    unit_price: Money
    at_special_price: bool

    @property
    def line_total(self) -> Money:
        return self.unit_price.times(self.quantity)


@dataclass(frozen=True)
class DraftBill:
    currency: str
    lines: list[DraftLine]
    discount: Money

    @property
    def subtotal(self) -> Money:
        return total([line.line_total for line in self.lines], self.currency)

    @property
    def total(self) -> Money:
        return self.subtotal - self.discount


def draft_bill(
    requests: list[LineRequest],
    discount: Money | None,
    currency: str,
    partner_staff: StaffTreatment = StaffTreatment.NONE,
) -> tuple[DraftBill | None, list[FieldProblem]]:
    problems: list[FieldProblem] = []
    if not 1 <= len(requests) <= MAX_LINES:
        count = Code.REQUIRED if not requests else Code.TOO_MANY
        problems.append(FieldProblem("lines", f"one to {MAX_LINES} lines", count))
    lines: list[DraftLine] = []
    for index, request in enumerate(requests):
        line = _line(f"lines[{index}]", request, currency, problems, partner_staff)
        if line is not None:
            lines.append(line)
    granted = discount is not None
    discount = discount or Money.zero(currency)
    if discount.currency != currency:
        problems.append(
            FieldProblem(
                "discount.amount.currency", f"the bill is in {currency}", Code.INCONSISTENT
            )
        )
    elif discount.amount < 0:
        problems.append(
            FieldProblem("discount.amount", "a discount cannot be negative", Code.OUT_OF_RANGE)
        )
    elif granted and discount.is_zero:
        # A discount of nothing would leave the bill a reason and a granter for no discount.
        problems.append(FieldProblem("discount.amount", "more than zero", Code.OUT_OF_RANGE))
    if problems:
        return None, problems
    bill = DraftBill(currency=currency, lines=lines, discount=discount)
    try:
        subtotal = bill.subtotal
    except MoneyError:  # each line within what an amount holds, together past it
        return None, [
            FieldProblem(
                "lines", f"the lines add up to more than {MAX_AMOUNT:,}", Code.OUT_OF_RANGE
            )
        ]
    if bill.discount > subtotal:
        problems.append(
            FieldProblem("discount.amount", "the discount exceeds the bill", Code.OUT_OF_RANGE)
        )
        return None, problems
    if bill.discount == subtotal:
        # A bill of nothing could never be paid (a payment is positive), and the journey would
        # wait at PAYMENT for good.
        field = "discount.amount" if bill.discount.amount > 0 else "lines"
        problems.append(
            FieldProblem(field, "the bill must leave something to pay", Code.OUT_OF_RANGE)
        )
        return None, problems
    if bill.total.minor > MAX_MINOR_UNITS:
        # The journey takes no payment past this (`domain.journey.validation`): a bill past it
        # could never be paid in full, only in deposits and top-ups within it.
        most = Money.from_minor(MAX_MINOR_UNITS, currency)
        message = f"the bill comes to more than one payment may be ({most.amount:,} {currency})"
        return None, [FieldProblem("lines", message, Code.OUT_OF_RANGE)]
    return bill, []


def carries_consumable(item: PricedItem) -> bool:
    """A high-cost consumable (implants, threads): sold as one, or costing the clinic one."""
    has_cost = item.consumable_cost is not None and not item.consumable_cost.is_zero
    return item.kind is PriceItemKind.CONSUMABLE or has_cost


def _line(
    field: str,
    request: LineRequest,
    currency: str,
    problems: list[FieldProblem],
    partner_staff: StaffTreatment,
) -> DraftLine | None:
    item = request.item
    if not 1 <= request.quantity <= MAX_QUANTITY:
        problems.append(
            FieldProblem(f"{field}.quantity", f"1 to {MAX_QUANTITY}", Code.OUT_OF_RANGE)
        )
        return None
    if item.list_price.currency != currency:
        problems.append(
            FieldProblem(f"{field}.priceItemId", "priced in another currency", Code.INCONSISTENT)
        )
        return None
    if partner_staff is not StaffTreatment.NONE:
        return _staff_line(field, request, problems, partner_staff)
    unit = item.list_price
    if request.at_special_price:
        if item.special_price is None:
            problems.append(
                FieldProblem(
                    f"{field}.atSpecialPrice", "the item has no special price", Code.INCONSISTENT
                )
            )
            return None
        unit = item.special_price
    return DraftLine(item, request.quantity, unit, request.at_special_price)


def discount_needs_supervisor(bill: DraftBill, threshold_percent: int) -> bool:
    """Above the clinic's threshold (a share of the subtotal) only a supervisor grants it."""
    if bill.discount.is_zero:
        return False
    return bill.discount.amount * 100 > bill.subtotal.amount * Decimal(threshold_percent)


def _staff_line(
    field: str, request: LineRequest, problems: list[FieldProblem], partner_staff: StaffTreatment
) -> DraftLine | None:
    """Rule 10: the line at the staff's share of its list price. A special price besides would
    price it twice; "without consumables" on a line that carries one would charge 40 % where
    the rule says 45 %."""
    item = request.item
    if request.at_special_price:
        problems.append(
            FieldProblem(
                f"{field}.atSpecialPrice",
                "a partner's staff pay their share of list",
                Code.INCONSISTENT,
            )
        )
        return None
    if partner_staff is StaffTreatment.WITHOUT_CONSUMABLES and carries_consumable(item):
        why = f"{field} carries a high-cost consumable: WITH_CONSUMABLES"
        problems.append(FieldProblem("partnerStaff", why, Code.INCONSISTENT))
        return None
    unit = item.list_price.share(STAFF_PRICE_RATE[partner_staff])
    return DraftLine(item, request.quantity, unit, at_special_price=False)
