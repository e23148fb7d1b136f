"""A correction of the expert's approved plan (`amendRecord` of the approval record).

The plan is the expert's decision (seed 003: the expert has the final say): only the expert who
approved it, the record's author, corrects its `final_plan`; a supervisor still corrects the
record's other fields. The bill and the contraindication check read the plan as corrected, so a
correction is checked as the approval checked it: `price_lines` on today's price list, each
item once, 1 to 100 of it; `catalog_item_ids` of the clinic's catalogue. The price, currency,
anaesthesia and procedure type were taken into the journey at the approval and stay as they
were: a correction of them would change nothing the journey does, so it is refused; so are
priced lines on a plan approved at no price, as the approval refuses them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from strawberry.types import Info

from domain.errors import FieldProblem
from domain.errors import FieldProblemCode as Code
from domain.store.catalog import latest_versions
from domain.store.final_plan import PLAN_KEY, PLAN_RECORD
from domain.store.models import Journey, JourneyRecord
from schema.catalog.types import ITEM_ID_TYPE
from schema.clients.file_access import clinic_today
from schema.context import Context
from schema.errors import NotAuthorized, ValidationFailed, not_authorized
from schema.ids import decode_id
from schema.journeys.consultation import MAX_PLAN_ITEMS
from schema.journeys.plan_prices import price_line_problems
from schema.money.common import invalid

PINNED = ("price", "currency", "requires_anesthesia", "procedure_type")
WORDS = ("title", "items", "effect", "cycle", "risks", "recovery")
FIELD = f"correction.{PLAN_KEY}"


@dataclass(frozen=True)
class _Line:
    price_item_id: str
    quantity: int


def _names_the_plan(key: str) -> bool:
    """`final_plan`, or a spelling of it (`finalPlan`) nothing would read."""
    return key.replace("_", "").lower() == PLAN_KEY.replace("_", "")


def _shape_problems(plan: Any, problems: list[FieldProblem]) -> list[_Line]:
    if not isinstance(plan, dict) or not plan:
        problems.append(
            FieldProblem(FIELD, "an object with the plan's corrected fields", Code.BAD_FORMAT)
        )
        return []
    for key in plan:
        if key in PINNED:
            problems.append(
                FieldProblem(
                    f"{FIELD}.{key}", "taken at the approval: stays as it was", Code.NOT_ALLOWED_NOW
                )
            )
        elif key not in (*WORDS, "price_lines", "catalog_item_ids"):
            problems.append(
                FieldProblem(f"{FIELD}.{key}", "not a field of the plan", Code.UNKNOWN_VALUE)
            )
    named = plan.get("price_lines", [])
    if not isinstance(named, list):
        problems.append(FieldProblem(f"{FIELD}.price_lines", "a list of lines", Code.BAD_FORMAT))
        return []
    lines: list[_Line] = []
    for index, line in enumerate(named):
        ref = line.get("price_item_id") if isinstance(line, dict) else None
        quantity = line.get("quantity", 1) if isinstance(line, dict) else None
        if not isinstance(ref, str) or not isinstance(quantity, int) or isinstance(quantity, bool):
            where = f"{FIELD}.price_lines[{index}]"
            problems.append(
                FieldProblem(where, "an object {price_item_id, quantity}", Code.BAD_FORMAT)
            )
        else:
            lines.append(_Line(ref, quantity))
    return lines


async def _catalog_problems(clinic_id: str, refs: Any, problems: list[FieldProblem]) -> None:
    if not isinstance(refs, list) or len(refs) > MAX_PLAN_ITEMS:
        code = Code.TOO_MANY if isinstance(refs, list) else Code.BAD_FORMAT
        where = f"{FIELD}.catalog_item_ids"
        problems.append(FieldProblem(where, f"at most {MAX_PLAN_ITEMS} ids", code))
        return
    raw = [decode_id(ref, ITEM_ID_TYPE) if isinstance(ref, str) else None for ref in refs]
    known = await latest_versions(clinic_id, [r for r in raw if r]) if refs else {}
    for index, raw_id in enumerate(raw):
        if raw_id not in known:
            where = f"{FIELD}.catalog_item_ids[{index}]"
            problems.append(
                FieldProblem(where, "not an item of your catalogue", Code.UNKNOWN_VALUE)
            )


async def plan_correction_refusal(
    info: Info[Context, None], original: JourneyRecord, correction: Any
) -> ValidationFailed | NotAuthorized | None:
    """Why a correction of the approval record's plan is refused, or None."""
    claims = info.context.claims
    named = [k for k in correction if _names_the_plan(k)] if isinstance(correction, dict) else []
    if original.kind != PLAN_RECORD or not named or claims is None:
        return None
    if claims.account_id != original.author_id:
        return not_authorized(
            "the approved plan is the expert's decision: only the expert who approved it "
            "corrects its final_plan"
        )
    if named != [PLAN_KEY]:
        return invalid(
            [FieldProblem("correction", f"the plan's key is {PLAN_KEY}", Code.UNKNOWN_VALUE)]
        )
    problems: list[FieldProblem] = []
    plan = correction[PLAN_KEY]
    lines = _shape_problems(plan, problems)
    if lines and not problems:
        today = await clinic_today(info, claims.clinic_id)
        found: list[FieldProblem] = []
        listed = await price_line_problems(claims.clinic_id, today, FIELD, lines, found)
        problems += [_snake(problem) for problem in found]
        if listed > 0 and await _approved_free(original.journey_id):
            problems.append(
                FieldProblem(f"{FIELD}.price_lines", PRICED_LINES_ON_A_FREE_PLAN, Code.INCONSISTENT)
            )
    if "catalog_item_ids" in plan and not problems:
        await _catalog_problems(claims.clinic_id, plan["catalog_item_ids"], problems)
    return invalid(problems) if problems else None


PRICED_LINES_ON_A_FREE_PLAN = (
    "priced lines on a plan approved at no price (its price stays as it was): a free "
    "treatment names no priced lines"
)


async def _approved_free(journey_id: str) -> bool:
    """Whether the journey took its plan at no price (`completeExpertReview`)."""
    journey = await Journey.get_or_none(id=journey_id)
    facts = journey.facts if journey is not None else None
    return isinstance(facts, dict) and facts.get("plan_total_minor") == 0


def _snake(problem: FieldProblem) -> FieldProblem:
    """The price-list check names the API's fields; a correction names the record's."""
    field = problem.field.replace(".priceLines", ".price_lines")
    return replace(problem, field=field.replace(".priceItemId", ".price_item_id"))
