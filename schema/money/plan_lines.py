"""A bill's lines from the journey's final plan (the expert's approval record), priced today.

The plan names item versions in force the day the expert approved it; a bill is made at the
prices of its own day, so each plan line is read as its item's code and priced with that code's
version in force now. A code no longer on the price list is reported, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.errors import FieldProblem
from domain.store.billing import PriceListItem
from domain.store.billing_reads import items_in_force
from domain.store.contraindication_reads import PLAN_RECORD
from domain.store.drafts import attached_record
from schema.ids import decode_id
from schema.journeys.plan_prices import PRICE_ITEM_ID_TYPE


@dataclass(frozen=True)
class PlannedLine:
    """A plan line with today's version of its item."""

    item: PriceListItem
    quantity: int


def plan_price_lines(plan_body: dict[str, Any] | None) -> list[tuple[str | None, int]]:
    """(raw item id, quantity) for each line the approved plan names, in its order; the
    record keeps the ids as the API took them."""
    final = (plan_body or {}).get("final_plan") or {}
    lines: list[tuple[str | None, int]] = []
    for line in final.get("price_lines") or []:
        if isinstance(line, dict):
            ref = line.get("price_item_id")
            raw = decode_id(ref, PRICE_ITEM_ID_TYPE) if isinstance(ref, str) else None
            lines.append((raw, int(line.get("quantity") or 0)))
    return lines


async def final_plan_lines(
    clinic_id: str, journey_id: str, on: date, problems: list[FieldProblem]
) -> list[PlannedLine]:
    """The final plan's price lines at the versions in force `on`; a problem on `lines` when
    the plan names none, or names an item that is off the price list now."""
    record = await attached_record(journey_id, PLAN_RECORD)
    wanted = plan_price_lines(record.body if record else None)
    if not wanted:
        problems.append(
            FieldProblem("lines", "the final plan names no price-list items: give the lines")
        )
        return []
    ids = [raw for raw, _ in wanted if raw]
    rows = await PriceListItem.filter(clinic_id=clinic_id, id__in=ids)
    code_of = {row.id: row.code for row in rows}
    today = {row.code: row for row in await items_in_force(clinic_id, on)}
    planned = []
    for position, (raw, quantity) in enumerate(wanted):
        row = today.get(code_of.get(raw or "", ""))
        if row is None:
            problems.append(
                FieldProblem(
                    "lines",
                    f"the final plan's price line {position + 1} is off today's price list: "
                    "give the lines",
                )
            )
            continue
        planned.append(PlannedLine(row, quantity))
    return planned
