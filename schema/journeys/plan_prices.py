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
) -> None:
    """Every line names an item of the clinic's price list in force `today` (the clinic's day),
    once, 1 to 100 of it."""
    if len(lines) > MAX_LINES:
        problems.append(FieldProblem(f"{prefix}.priceLines", f"at most {MAX_LINES}"))
        return
    if not lines:
        return
    in_force = {row.id for row in await items_in_force(clinic_id, today)}
    seen: set[str] = set()
    for index, line in enumerate(lines):
        field = f"{prefix}.priceLines[{index}]"
        raw_id = decode_id(line.price_item_id, PRICE_ITEM_ID_TYPE)
        if raw_id is None or raw_id not in in_force:
            problems.append(FieldProblem(f"{field}.priceItemId", "not on today's price list"))
        elif raw_id in seen:
            problems.append(FieldProblem(f"{field}.priceItemId", "named twice: raise quantity"))
        else:
            seen.add(raw_id)
        if not 1 <= line.quantity <= MAX_QUANTITY:
            problems.append(FieldProblem(f"{field}.quantity", f"1 to {MAX_QUANTITY}"))
