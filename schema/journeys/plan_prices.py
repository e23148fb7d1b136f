"""The price-list items a plan names, so the bill can be built from the expert's final plan.

The plan's `items` stay the expert's own words; `priceLines` name the clinic's price-list
items (a version in force today, checked here) and how many. The record keeps the ids as the
API took them; the journey's workflow never sees them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

import strawberry

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.money.bills import MAX_LINES, MAX_QUANTITY
from domain.store.billing_reads import items_in_force
from schema.ids import decode_id

PRICE_ITEM_ID_TYPE = "PriceListItem"


@strawberry.input(description="A price-list item the plan uses and how many.")
class PlanPriceLineInput:
    price_item_id: strawberry.ID = strawberry.field(
        description="A `PriceListItem` id from today's `priceList`."
    )
    quantity: int = strawberry.field(default=1, description=f"1 to {MAX_QUANTITY}.")


class PriceLine(Protocol):
    """A plan line as approved (`PlanPriceLineInput`) or as its expert corrected it."""

    @property
    def price_item_id(self) -> str: ...

    @property
    def quantity(self) -> int: ...


async def price_line_problems(
    clinic_id: str,
    today: date,
    prefix: str,
    lines: Sequence[PriceLine],
    problems: list[FieldProblem],
) -> int:
    """Every line names an item of the clinic's price list in force `today` (the clinic's day),
    once, 1 to 100 of it. Returns what the good lines come to at list price (minor units)."""
    if len(lines) > MAX_LINES:
        problems.append(FieldProblem(f"{prefix}.priceLines", f"at most {MAX_LINES}", Code.TOO_MANY))
        return 0
    if not lines:
        return 0
    in_force = {row.id: row for row in await items_in_force(clinic_id, today)}
    seen: set[str] = set()
    listed = 0
    for index, line in enumerate(lines):
        field = f"{prefix}.priceLines[{index}]"
        raw_id = decode_id(line.price_item_id, PRICE_ITEM_ID_TYPE)
        if raw_id is None or raw_id not in in_force:
            problems.append(
                FieldProblem(
                    f"{field}.priceItemId", "not on today's price list", Code.UNKNOWN_VALUE
                )
            )
        elif raw_id in seen:
            problems.append(
                FieldProblem(f"{field}.priceItemId", "named twice: raise quantity", Code.DUPLICATE)
            )
        else:
            seen.add(raw_id)
            if 1 <= line.quantity <= MAX_QUANTITY:
                listed += in_force[raw_id].list_price_minor * line.quantity
        if not 1 <= line.quantity <= MAX_QUANTITY:
            problems.append(
                FieldProblem(f"{field}.quantity", f"1 to {MAX_QUANTITY}", Code.OUT_OF_RANGE)
            )
    return listed


# A plan at no price whose price lines are priced would skip the payment stage while its bill
# says the client owes them: a slip of the price, or a free treatment that should name none.
FREE_WITH_PRICED_LINES = (
    "0 while the plan's priceLines are priced: give the plan's price; a free treatment names "
    "no priceLines (its items stay in items and catalogItemIds)"
)
