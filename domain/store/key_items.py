"""A month of key-item consultations per consultant, from the desk log and the journeys."""

from __future__ import annotations

from collections import defaultdict

from domain.store.models import Journey
from domain.store.triage_models import TriageEntry
from domain.triage.entries import EntryKind
from domain.triage.ranking import KeyItemStanding, rank

# A deal: the client was treated (paid, or past payment on an agreed plan).
_DEAL_STAGES = frozenset({"HANDOVER", "FOLLOW_UP", "COMPLETED"})


async def key_item_standings(
    clinic_id: str, month: str, key_items: tuple[str, ...]
) -> list[KeyItemStanding]:
    """`month` is "YYYY-MM" in the clinic's calendar (the desk's days)."""
    entries = await TriageEntry.filter(
        clinic_id=clinic_id, kind=EntryKind.ASSIGNED.value, day__startswith=month
    )
    served: dict[str, str] = {}
    for entry in entries:
        if entry.consultant_id and entry.journey_id and entry.details.get("item") in key_items:
            served[entry.journey_id] = entry.consultant_id
    journeys = {str(j.id): j for j in await Journey.filter(id__in=list(served))}
    consultations: dict[str, int] = defaultdict(int)
    deals: dict[str, int] = defaultdict(int)
    paid: dict[str, int] = defaultdict(int)
    for journey_id, consultant_id in served.items():
        consultations[consultant_id] += 1
        journey = journeys.get(journey_id)
        if journey is not None and journey.stage in _DEAL_STAGES:
            deals[consultant_id] += 1
            paid[consultant_id] += int(journey.facts.get("paid_minor", 0))
    return rank([KeyItemStanding(c, consultations[c], deals[c], paid[c]) for c in consultations])
