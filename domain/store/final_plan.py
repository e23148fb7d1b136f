"""The expert's final plan as it stands: the approval record's `final_plan`, with the
corrections its expert amended it with.

The plan is the expert's decision (seed 003: the expert has the final say), so only an
amendment by the record's author, the expert who approved it, changes it; `amendRecord` refuses
anyone else's correction of the plan, and one written before that rule is not read either.
Corrections apply oldest first, field by field: a later one wins.
"""

from __future__ import annotations

from typing import Any

from domain.store.drafts import attached_record
from domain.store.models import JourneyRecord

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
    record = await attached_record(journey_id, PLAN_RECORD)
    if record is None:
        return {}
    amendments = JourneyRecord.filter(amends_id=record.id, author_id=record.author_id)
    bodies = await amendments.order_by("created_at", "id").values_list("body", flat=True)
    corrections = [body.get("correction") if isinstance(body, dict) else None for body in bodies]
    return plan_as_corrected(record.body, corrections)
