"""A bill's lines from the journey's final plan (the expert's approval record, as the expert
corrected it), priced today; and explicit lines held to that plan.

The plan names item versions in force the day the expert approved it; a bill is made at the
prices of its own day, so each plan line is read as its item's code and priced with that code's
version in force now. A code no longer on the price list is reported, never guessed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.store.billing import PriceListItem
from domain.store.billing_reads import items_in_force
from domain.store.final_plan import final_plan
from schema.ids import decode_id
from schema.journeys.plan_prices import PRICE_ITEM_ID_TYPE

# The plan is the expert's decision (seed 003): the cashier bills it, the expert changes it.
ASK_THE_EXPERT = (
    "the expert must approve a changed plan (the expert who approved it corrects its "
    "price_lines with amendRecord)"
)


@dataclass(frozen=True)
class PlannedLine:
    """A plan line with today's version of its item."""

    item: PriceListItem
    quantity: int


@dataclass(frozen=True)
class BilledLine:
    """An explicit bill line: where it stands in `lines`, its item's code, how many."""

    index: int
    code: str
    quantity: int


def plan_price_lines(plan: dict[str, Any]) -> list[tuple[str | None, int]]:
    """(raw item id, quantity) for each line the approved plan names, in its order; the
    record keeps the ids as the API took them."""
    named = plan.get("price_lines")
    lines: list[tuple[str | None, int]] = []
    for line in named if isinstance(named, list) else []:
        if isinstance(line, dict):
            ref, quantity = line.get("price_item_id"), line.get("quantity", 1)
            raw = decode_id(ref, PRICE_ITEM_ID_TYPE) if isinstance(ref, str) else None
            whole = isinstance(quantity, int) and not isinstance(quantity, bool)
            lines.append((raw, quantity if whole else 0))
    return lines


async def _codes(clinic_id: str, wanted: list[tuple[str | None, int]]) -> dict[str, str]:
    """Each planned item version's code, by its id (any version: the plan names one)."""
    ids = [raw for raw, _ in wanted if raw]
    rows = await PriceListItem.filter(clinic_id=clinic_id, id__in=ids)
    return {row.id: row.code for row in rows}


async def final_plan_lines(
    clinic_id: str, journey_id: str, on: date, problems: list[FieldProblem]
) -> list[PlannedLine]:
    """The final plan's price lines at the versions in force `on`; a problem on `lines` when
    the plan names none, or names an item that is off the price list now."""
    wanted = plan_price_lines(await final_plan(journey_id))
    if not wanted:
        problems.append(
            FieldProblem(
                "lines", "the final plan names no price-list items: give the lines", Code.REQUIRED
            )
        )
        return []
    code_of = await _codes(clinic_id, wanted)
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
                    Code.REQUIRED,
                )
            )
            continue
        planned.append(PlannedLine(row, quantity))
    return planned


async def beyond_the_plan(
    clinic_id: str, journey_id: str, billed: list[BilledLine], problems: list[FieldProblem]
) -> None:
    """A problem on `lines` for each explicit line the final plan does not cover, when the plan
    names price-list items: an item it does not name, or more of one than it names (all lines
    of that item together). Fewer is the client's choice (an item declined); more or other is a
    changed plan, the expert's. A plan naming none leaves the lines free."""
    wanted = plan_price_lines(await final_plan(journey_id))
    if not wanted:
        return
    code_of = await _codes(clinic_id, wanted)
    planned: Counter[str] = Counter()
    for raw, quantity in wanted:
        if raw in code_of:
            planned[code_of[raw]] += quantity
    so_far: Counter[str] = Counter()
    for line in billed:
        so_far[line.code] += line.quantity
        where = f"lines[{line.index}] ({line.code})"
        if line.code not in planned:
            message = f"{where} is not in the expert's final plan: {ASK_THE_EXPERT}"
        elif so_far[line.code] > planned[line.code]:
            message = (
                f"{where} bills {so_far[line.code]} in all, the expert's final plan "
                f"{planned[line.code]}: {ASK_THE_EXPERT}"
            )
        else:
            continue
        problems.append(FieldProblem("lines", message, Code.INCONSISTENT))
