"""The partner revenue split, seed 003 "市场部返款原则" (rules 7 to 10), over plain deal lines.

Every amount is a `Decimal` in the deal's currency; a line's partner share is rounded once, to
the currency's minor unit, half up (`round_share`). What the rules say, in order of precedence:

- Anesthesia, lab tests, hospital stay and IV are outside the split (rule 7: "除麻醉、化验、住院、
  输液外"): the partner gets nothing from them.
- The partner's own staff or relatives treated as a show case ("店家及店家员工或亲属以打版形式到院")
  pay 40 % of list without consumables, 45 % with (rule 10: "无耗材手术4折有耗材手术4.5折"). That
  is a discount, not a deal to share: the partner is owed nothing on it.
- A special-price minor procedure ("特价微整类项目") pays the partner 10 % of the special price
  (rule 9), unless it was sold at list price or at no less than 80 % of list ("不低于正价八折"),
  which is a normal deal.
- A normal deal is split 50 % : 50 % (rule 7) of the price sold less the cost of high-cost
  consumables, such as threads and breast implants (rule 8: "减去耗材成本").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from domain.money.catalog import PriceItemKind


class StaffTreatment(str, Enum):
    """Whether the client is the partner's own staff or relative, and what the treatment used."""

    NONE = "NONE"
    WITHOUT_CONSUMABLES = "WITHOUT_CONSUMABLES"
    WITH_CONSUMABLES = "WITH_CONSUMABLES"


class SplitRule(str, Enum):
    """Which rule of seed 003 decided a line's share."""

    EXCLUDED_ITEM = "EXCLUDED_ITEM"
    PARTNER_STAFF_PRICE = "PARTNER_STAFF_PRICE"
    SPECIAL_PRICE_MINOR = "SPECIAL_PRICE_MINOR"
    HALF_AND_HALF = "HALF_AND_HALF"


# Rule 7: items the split leaves out.
EXCLUDED_KINDS = frozenset(
    {
        PriceItemKind.ANESTHESIA,
        PriceItemKind.LAB_TEST,
        PriceItemKind.HOSPITAL_STAY,
        PriceItemKind.IV,
    }
)
# The partner's share of each rule's base (rules 7 to 10).
PARTNER_RATE: dict[SplitRule, Decimal] = {
    SplitRule.EXCLUDED_ITEM: Decimal("0"),
    SplitRule.PARTNER_STAFF_PRICE: Decimal("0"),
    SplitRule.SPECIAL_PRICE_MINOR: Decimal("0.10"),
    SplitRule.HALF_AND_HALF: Decimal("0.50"),
}
# Rule 9: a special price at or above this share of list is a normal deal.
SPECIAL_PRICE_FLOOR = Decimal("0.80")
# Rule 10: what the partner's own staff pay, as a share of list.
STAFF_PRICE_RATE: dict[StaffTreatment, Decimal] = {
    StaffTreatment.WITHOUT_CONSUMABLES: Decimal("0.40"),
    StaffTreatment.WITH_CONSUMABLES: Decimal("0.45"),
}
CENT = Decimal("0.01")


@dataclass(frozen=True)
class DealLine:
    """One sold line of a referred client's deal."""

    kind: PriceItemKind
    list_price: Decimal
    price_sold: Decimal
    # The clinic's cost of the high-cost consumables this line uses (implants, threads).
    consumable_cost: Decimal = Decimal("0")
    special_price_minor: bool = False
    staff_treatment: StaffTreatment = StaffTreatment.NONE


@dataclass(frozen=True)
class LineSplit:
    line: DealLine
    rule: SplitRule
    base: Decimal  # what the rule's rate applies to
    partner_share: Decimal
    # Rule 10 only: the price the partner's staff pay (40 % or 45 % of list).
    staff_price: Decimal | None = None

    @property
    def clinic_share(self) -> Decimal:
        return self.line.price_sold - self.partner_share


@dataclass(frozen=True)
class DealSplit:
    lines: tuple[LineSplit, ...]

    @property
    def price_sold(self) -> Decimal:
        return sum((s.line.price_sold for s in self.lines), Decimal("0"))

    @property
    def partner_share(self) -> Decimal:
        return sum((s.partner_share for s in self.lines), Decimal("0"))


def round_share(amount: Decimal, minor_unit: Decimal = CENT) -> Decimal:
    """The one rounding of the split: to the currency's minor unit, half up."""
    return amount.quantize(minor_unit, rounding=ROUND_HALF_UP)


def line_problems(line: DealLine) -> list[str]:
    """What makes a line impossible to split (amounts are never negative)."""
    problems = []
    for name in ("list_price", "price_sold", "consumable_cost"):
        value: Decimal = getattr(line, name)
        if not value.is_finite() or value < 0:
            problems.append(f"{name} must be a finite amount of at least 0")
    return problems


def rule_for(line: DealLine) -> SplitRule:
    """The rule that decides the line, in the precedence the module doc gives."""
    if line.kind in EXCLUDED_KINDS:
        return SplitRule.EXCLUDED_ITEM
    if line.staff_treatment is not StaffTreatment.NONE:
        return SplitRule.PARTNER_STAFF_PRICE
    if line.special_price_minor and line.price_sold < SPECIAL_PRICE_FLOOR * line.list_price:
        return SplitRule.SPECIAL_PRICE_MINOR
    return SplitRule.HALF_AND_HALF


def staff_price(list_price: Decimal, treatment: StaffTreatment) -> Decimal:
    """Rule 10: what the partner's staff pay for an item of this list price."""
    return round_share(list_price * STAFF_PRICE_RATE[treatment])


def split_line(line: DealLine, minor_unit: Decimal = CENT) -> LineSplit:
    problems = line_problems(line)
    if problems:
        raise ValueError("; ".join(problems))
    rule = rule_for(line)
    nothing = round_share(Decimal("0"), minor_unit)
    if rule is SplitRule.EXCLUDED_ITEM:
        return LineSplit(line, rule, nothing, nothing)
    if rule is SplitRule.PARTNER_STAFF_PRICE:
        price = staff_price(line.list_price, line.staff_treatment)
        return LineSplit(line, rule, nothing, nothing, staff_price=price)
    if rule is SplitRule.SPECIAL_PRICE_MINOR:
        base = line.price_sold
    else:
        # Rule 8: the consumables' cost comes off first; a line never owes the partner < 0.
        base = max(line.price_sold - line.consumable_cost, Decimal("0"))
    return LineSplit(line, rule, base, round_share(base * PARTNER_RATE[rule], minor_unit))


def split_deal(lines: Iterable[DealLine], minor_unit: Decimal = CENT) -> DealSplit:
    return DealSplit(tuple(split_line(line, minor_unit) for line in lines))
