"""A stand-in named for a consultant who shares a client's revenue leaves the split as it stood,
down to the money: the desk's entries, written to the read model as its writer writes them,
credit each payment by the split in force when it was taken, the stand-in getting none of it."""

from __future__ import annotations

from datetime import datetime

from domain.journey.stages import VisitCategory
from domain.store.consultant_figures import consultant_months
from domain.store.triage_models import RevenueCredit
from domain.store.triage_projection import apply_desk_changes
from domain.triage.commands import ArriveCommand
from domain.triage.decision import Arrival
from domain.triage.desk import DeskState
from domain.triage.entries import DeskEntry
from domain.triage.revenue import CreditRule
from domain.triage.service import arrive, override
from tests.store.money_rows import clinic, journey, payment, utc
from tests.support import DESK
from tests.unit.triage_builders import desk, reassigning


def _reassign(
    state: DeskState, journey_id: str, to: str, rule: CreditRule, at: datetime
) -> list[DeskEntry]:
    return override(state, reassigning(journey_id, to, rule), at)


async def test_a_payment_after_a_stand_in_is_shared_as_the_split_stood() -> None:
    clinic_id = await clinic()
    journey_id = await journey(clinic_id, utc(2))
    # Given the desk gave the first visit to A, who took 100.00 before the supervisor moved her
    # to B as a wrong assignment not A's fault (50/50), then named C to stand in for B
    state = desk("A", "B", "C")
    arrival = Arrival(journey_id, "client", VisitCategory.FIRST_VISIT, ("skin",))
    _, entries = arrive(state, ArriveCommand(DESK, arrival), utc(2))
    await payment(journey_id, utc(2, hour=11), "100.00")
    entries += _reassign(state, journey_id, "B", CreditRule.WRONG_ASSIGNMENT_SHARED, utc(3))
    entries += _reassign(state, journey_id, "C", CreditRule.OWNER_STAND_IN, utc(4))
    await apply_desk_changes(clinic_id, entries, state)
    # ... and 1000.00 was taken while C stood in
    await payment(journey_id, utc(5), "1000.00")

    # Then the stand-in's entry credits A and B half each, under its own rule
    credits = await RevenueCredit.filter(journey_id=journey_id, entry_seq=entries[-1].seq).order_by(
        "id"
    )
    assert [(c.consultant_id, c.percent, c.rule) for c in credits] == [
        ("A", 50, "OWNER_STAND_IN"),
        ("B", 50, "OWNER_STAND_IN"),
    ]
    # And the month credits A 100.00 + 500.00, B 500.00, C nothing
    figures = {
        f.consultant_id: f.revenue_minor for f in await consultant_months(clinic_id, "2026-11")
    }
    assert figures == {"A": {"EUR": 60000}, "B": {"EUR": 50000}}
