"""What the contraindication check reads: the final plan's catalogue items, the client's
record as it stands, and the overrides the journey has recorded.

The plan is the expert's approval record (the one a journey event attached) as its expert
corrected it (`store.final_plan`); the items are their latest catalogue versions; the record
leaves out entries that were corrected (their correction counts instead) or marked entered in
error.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tortoise.expressions import Subquery

from domain.catalog.items import CatalogItemSpec
from domain.client_file.contraindications import ClientRecord, NamedEntry, PregnancyStatement
from domain.client_file.kinds import EntryKind
from domain.store.catalog import latest_versions
from domain.store.client_file import ClientEntry
from domain.store.client_file_reads import entries_of, later_rows_of
from domain.store.final_plan import final_plan
from domain.store.models import JourneyEvent, JourneyRecord

OVERRIDE_RECORD = "contraindication_override"


def plan_item_refs(plan: dict[str, Any]) -> list[str]:
    """The catalogue item ids the approved plan names, as the API took them, each once."""
    named = plan.get("catalog_item_ids")
    refs: list[str] = []
    for ref in named if isinstance(named, list) else []:
        if isinstance(ref, str) and ref not in refs:
            refs.append(ref)
    return refs


async def final_plan_refs(journey_id: str) -> list[str]:
    return plan_item_refs(await final_plan(journey_id))


async def catalog_specs(clinic_id: str, item_ids: list[str]) -> list[CatalogItemSpec]:
    """The latest version of each item, in the order given; unknown ids are left out."""
    if not item_ids:
        return []
    latest = await latest_versions(clinic_id, item_ids)
    return [latest[i].spec() for i in item_ids if i in latest]


async def _in_force(client_id: str, kind: EntryKind) -> list[ClientEntry]:
    (entries,) = await entries_of([(client_id, kind.value)])
    later = await later_rows_of([e.id for e in entries])
    return [
        e for e, (amended_by, mark) in zip(entries, later, strict=True) if not (amended_by or mark)
    ]


async def client_record(client_id: str, birth_date: date, today: date) -> ClientRecord:
    allergies = await _in_force(client_id, EntryKind.ALLERGY)
    medications = await _in_force(client_id, EntryKind.MEDICATION)
    statements = await _in_force(client_id, EntryKind.PREGNANCY_STATUS)
    pregnancy = None
    if statements:  # the latest stated date decides, as `Client.pregnancyStatus` shows it
        latest = max(statements, key=lambda e: (e.body["stated_on"], e.recorded_at, e.id))
        pregnancy = PregnancyStatement(
            pregnant=bool(latest.body["pregnant"]),
            lactating=bool(latest.body["lactating"]),
            stated_on=date.fromisoformat(latest.body["stated_on"]),
        )
    return ClientRecord(
        birth_date=birth_date,
        today=today,
        pregnancy=pregnancy,
        allergies=[NamedEntry(e.id, e.body["substance"]) for e in allergies],
        medications=[NamedEntry(e.id, e.body["name"]) for e in medications],
    )


async def overridden_keys(journey_id: str) -> set[str]:
    """Keys of the reasons the journey's expert overrode: records its events attached."""
    attached = JourneyEvent.filter(journey_id=journey_id, record_id__not_isnull=True)
    records = await JourneyRecord.filter(
        journey_id=journey_id,
        kind=OVERRIDE_RECORD,
        id__in=Subquery(attached.values("record_id")),
    )
    return {str(record.body["reason_key"]) for record in records}
