"""A refund takes back the credit its payment gave, from whom it gave it: a refund is credited
under the revenue split in force when the payment it gives back was taken, not the one in force
when it is given (the supervisor may have moved the client since)."""

from __future__ import annotations

from domain.journey.stages import VisitCategory
from domain.store.consultant_figures import consultant_months
from domain.store.triage_projection import apply_desk_changes
from domain.triage.commands import ArriveCommand
from domain.triage.decision import Arrival
from domain.triage.revenue import CreditRule
from domain.triage.service import arrive, override
from tests.store.money_rows import clinic, journey, payment_row, refund_row, utc
from tests.support import DESK
from tests.unit.triage_builders import desk, reassigning


async def test_a_refund_after_the_client_was_moved_is_taken_from_whom_its_payment_credited() -> (
    None
):
    clinic_id = await clinic()
    journey_id = await journey(clinic_id, utc(2))
    # Given the desk gave the first visit to A, who took 1000.00
    state = desk("A", "B")
    arrival = Arrival(journey_id, "client", VisitCategory.FIRST_VISIT, ("skin",))
    _, entries = arrive(state, ArriveCommand(DESK, arrival), utc(2))
    paid = payment_row(clinic_id, journey_id, minor=100000, receipt=1, at=utc(2, hour=11))
    await paid.save()
    # ... before the supervisor moved her to B (a reassignment crediting B in full)
    moved = reassigning(journey_id, "B", CreditRule.CLIENT_REQUEST)
    entries += override(state, moved, utc(3))
    await apply_desk_changes(clinic_id, entries, state)
    # When 200.00 of A's payment is given back after the move
    await refund_row(paid, minor=20000, at=utc(4))
    # Then the refund comes off A's credit, and B, who was credited none of it, loses nothing
    figures = {
        f.consultant_id: f.revenue_minor for f in await consultant_months(clinic_id, "2026-11")
    }
    assert figures == {"A": {"EUR": 80000}}
