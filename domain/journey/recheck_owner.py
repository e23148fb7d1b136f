"""Who a linked recheck's triage pick is: the doctor or nurse who examines, not a new owner.

A recheck opened from a treated journey (a complication reported on a call, a warranty claim)
stays with the consultant who owns the client: the pick at triage is recorded as the journey's
expert. A recheck the front desk started on its own has no owner yet, and the pick owns it, as
before. Decided on what the journey carried when it was opened, so replayed journeys (whose
assignments carried no expert) take their old course.
"""

from __future__ import annotations

from domain.journey.facts import ActionDetails
from domain.journey.stages import VisitCategory


def assignment_details(
    category: VisitCategory, linked_journey_id: str | None, owner_id: str | None, picked_id: str
) -> ActionDetails:
    if category is VisitCategory.RECHECK and linked_journey_id and owner_id:
        return ActionDetails(consultant_id=owner_id, expert_id=picked_id)
    return ActionDetails(consultant_id=picked_id)
