"""What a bill is made of: the final plan's price lines, or explicit lines held to the plan.

Explicit lines name item versions in force today; when the final plan names price-list items,
they may leave some out or bill fewer (the client declines one), never other items or more:
that is a changed plan, and the plan is the expert's (seed 003: the expert has the final say).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.money.bills import LineRequest, PricedItem
from domain.money.catalog import PriceItemKind
from domain.money.money import Money as MoneyValue
from domain.store.billing import PriceListItem as ItemRow
from domain.store.billing_reads import items_in_force
from schema.ids import decode_id
from schema.money.plan_lines import BilledLine, beyond_the_plan, final_plan_lines

if TYPE_CHECKING:
    from schema.money.bills import BillLineInput


def priced(row: ItemRow) -> PricedItem:
    def money(minor: int | None) -> MoneyValue | None:
        return None if minor is None else MoneyValue.from_minor(minor, row.currency)

    list_price = money(row.list_price_minor)
    assert list_price is not None
    return PricedItem(
        item_id=row.id,
        code=row.code,
        kind=PriceItemKind(row.kind),
        name=row.name,
        list_price=list_price,
        special_price=money(row.special_price_minor),
        consumable_cost=money(row.consumable_cost_minor),
        minor_procedure=row.minor_procedure,
    )


async def explicit_lines(
    clinic_id: str,
    today: date,
    journey_id: str,
    lines: list[BillLineInput],
    problems: list[FieldProblem],
) -> list[LineRequest]:
    """The lines given, each an item version in force today, within the final plan."""
    in_force = {row.id: row for row in await items_in_force(clinic_id, today)}
    requests = []
    billed = []
    for index, line in enumerate(lines):
        raw_id = decode_id(line.price_item_id, "PriceListItem")
        row = in_force.get(raw_id or "")
        if row is None:
            problems.append(
                FieldProblem(
                    f"lines[{index}].priceItemId",
                    "not an item of today's price list",
                    Code.UNKNOWN_VALUE,
                )
            )
            continue
        requests.append(LineRequest(priced(row), line.quantity, line.at_special_price))
        billed.append(BilledLine(index, row.code, line.quantity))
    await beyond_the_plan(clinic_id, journey_id, billed, problems)
    return requests


async def planned_lines(
    clinic_id: str, today: date, journey_id: str, problems: list[FieldProblem]
) -> list[LineRequest]:
    planned = await final_plan_lines(clinic_id, journey_id, today, problems)
    return [LineRequest(priced(line.item), line.quantity) for line in planned]
