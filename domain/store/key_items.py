"""A month of key-item consultations per consultant, from the desk log and the journeys."""

from __future__ import annotations

from domain.report_folds import fold_off_the_loop
from domain.store.consultant_figures import paid_by_journey
from domain.store.triage_models import TriageEntry
from domain.triage.entries import EntryKind
from domain.triage.ranking import KeyItemStanding, standings


async def key_item_standings(
    clinic_id: str, month: str, key_items: tuple[str, ...]
) -> list[KeyItemStanding]:
    """`month` is "YYYY-MM" in the clinic's calendar (the desk's days)."""
    entries = TriageEntry.filter(
        clinic_id=clinic_id, kind=EntryKind.ASSIGNED.value, day__startswith=month
    )
    # Which journeys' money to read: picked here, on the loop, as the reads go. In the log's
    # order, so a journey reassigned in the month is the latest assignment's, whatever order
    # the database hands the rows back in.
    served: dict[str, str] = {}
    read = entries.order_by("seq").values_list("journey_id", "consultant_id", "details")
    for journey_id, consultant_id, details in await read:
        if consultant_id and journey_id and details.get("item") in key_items:
            served[journey_id] = consultant_id
    # A deal is a journey that has taken money (payments less refunds, to date).
    paid_to_date = await paid_by_journey(clinic_id, list(served))
    return await fold_off_the_loop(standings, served, paid_to_date)
