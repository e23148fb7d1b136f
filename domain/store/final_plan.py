"""The expert's final plan as it stands: the approval record's `final_plan`, with the
corrections its expert amended it with.

The plan is the expert's decision (seed 003: the expert has the final say), so only an
amendment by the record's author, the expert who approved it, changes it; `amendRecord` refuses
anyone else's correction of the plan, and one written before that rule is not read either.
Corrections apply oldest first, field by field: a later one wins.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from typing import Any

from tortoise.expressions import Subquery

from domain.store.models import JourneyEvent, JourneyRecord

PLAN_RECORD = "expert_review"
# The key the approval record keeps its plan under, and a correction of the plan names.
PLAN_KEY = "final_plan"


def plan_as_corrected(body: Any, corrections: list[Any]) -> dict[str, Any]:
    """The plan `body` holds, with each correction's `final_plan` fields laid over it in turn."""
    original = body.get(PLAN_KEY) if isinstance(body, dict) else None
    plan = dict(original) if isinstance(original, dict) else {}
    for correction in corrections:
        changed = correction.get(PLAN_KEY) if isinstance(correction, dict) else None
        if isinstance(changed, dict):
            plan.update(changed)
    return plan


async def final_plan(journey_id: str) -> dict[str, Any]:
    """The journey's approved plan as its expert corrected it; empty before an approval."""
    return (await final_plans([journey_id]))[journey_id]


async def final_plans(journey_ids: Collection[str]) -> dict[str, dict[str, Any]]:
    """`final_plan` of each journey, in two statements however many journeys are asked (a page
    of journeys each showing whether treatment may start)."""
    ids = list(dict.fromkeys(journey_ids))
    plans: dict[str, dict[str, Any]] = {journey_id: {} for journey_id in ids}
    if not ids:
        return plans
    # Only the record an event points at (never a draft); a journey has one approval.
    attached = JourneyEvent.filter(journey_id__in=ids, record_id__not_isnull=True)
    found = await JourneyRecord.filter(
        journey_id__in=ids, kind=PLAN_RECORD, id__in=Subquery(attached.values("record_id"))
    ).order_by("created_at", "id")
    approvals: dict[str, JourneyRecord] = {}
    for record in found:
        approvals.setdefault(record.journey_id, record)
    if not approvals:
        return plans
    authors = {str(record.id): record.author_id for record in approvals.values()}
    corrections: dict[str, list[Any]] = defaultdict(list)
    amendments = JourneyRecord.filter(amends_id__in=list(authors)).order_by("created_at", "id")
    for amends_id, author_id, body in await amendments.values_list(
        "amends_id", "author_id", "body"
    ):
        if author_id == authors[str(amends_id)]:  # only the approving expert's own
            corrections[str(amends_id)].append(
                body.get("correction") if isinstance(body, dict) else None
            )
    for journey_id, record in approvals.items():
        plans[journey_id] = plan_as_corrected(record.body, corrections[str(record.id)])
    return plans
