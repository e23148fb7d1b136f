"""What the contraindication check reads: the final plan's catalogue items, the client's
record as it stands, and the overrides the journey has recorded.

Each read takes many journeys (or clients) at once, in a constant number of statements: a page
of journeys shows each one's check (`availableActions`). The plan is the expert's approval
record (the one a journey event attached) as its expert corrected it (`store.final_plan`); the
items are their latest catalogue versions; the record leaves out entries that were corrected
(their correction counts instead) or marked entered in error.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from tortoise.expressions import Subquery

from domain.catalog.items import CatalogItemSpec
from domain.client_file.contraindications import ClientRecord, NamedEntry, PregnancyStatement
from domain.client_file.kinds import EntryKind
from domain.store.catalog import latest_versions
from domain.store.client_file import ClientEntry
from domain.store.client_file_reads import entries_of, later_rows_of
from domain.store.final_plan import final_plans
from domain.store.models import JourneyEvent, JourneyRecord

OVERRIDE_RECORD = "contraindication_override"
IDS_PER_QUERY = 1000


def plan_item_refs(plan: dict[str, Any]) -> list[str]:
    """The catalogue item ids the approved plan names, as the API took them, each once."""
    named = plan.get("catalog_item_ids")
    refs: list[str] = []
    for ref in named if isinstance(named, list) else []:
        if isinstance(ref, str) and ref not in refs:
            refs.append(ref)
    return refs


async def final_plan_refs(journey_ids: Collection[str]) -> dict[str, list[str]]:
    """The catalogue item ids each journey's final plan names."""
    return {j: plan_item_refs(plan) for j, plan in (await final_plans(journey_ids)).items()}


async def catalog_specs(clinic_id: str, item_ids: list[str]) -> dict[str, CatalogItemSpec]:
    """The latest version of each item, by id; unknown ids are left out."""
    if not item_ids:
        return {}
    latest = await latest_versions(clinic_id, list(dict.fromkeys(item_ids)))
    return {item_id: row.spec() for item_id, row in latest.items()}


def _in_force(entries: list[ClientEntry], later: dict[str, tuple[Any, Any]]) -> list[ClientEntry]:
    """Entries neither corrected nor marked entered in error."""
    return [e for e in entries if not any(later[e.id])]


def _record(entries: dict[str, list[ClientEntry]], birth_date: date, today: date) -> ClientRecord:
    allergies = entries[EntryKind.ALLERGY.value]
    medications = entries[EntryKind.MEDICATION.value]
    statements = entries[EntryKind.PREGNANCY_STATUS.value]
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
        medications=[
            NamedEntry(e.id, e.body["name"], _day(e.body.get("stopped_on"))) for e in medications
        ],
    )


_RECORD_KINDS = (EntryKind.ALLERGY, EntryKind.MEDICATION, EntryKind.PREGNANCY_STATUS)


async def client_records(people: Mapping[str, tuple[date, date]]) -> dict[str, ClientRecord]:
    """Each client's record as it stands, by client id, from (birth date, the clinic's current day):
    three statements for up to a thousand entries in all."""
    keys = [(client_id, kind.value) for client_id in people for kind in _RECORD_KINDS]
    found = dict(zip(keys, await entries_of(keys), strict=True)) if keys else {}
    entry_ids = [e.id for entries in found.values() for e in entries]
    later: dict[str, tuple[Any, Any]] = {}
    # In chunks: PostgreSQL takes at most 32,767 parameters in one statement.
    for start in range(0, len(entry_ids), IDS_PER_QUERY):
        chunk = entry_ids[start : start + IDS_PER_QUERY]
        later.update(zip(chunk, await later_rows_of(chunk), strict=True))
    records = {}
    for client_id, (birth_date, today) in people.items():
        parts = {k.value: _in_force(found[(client_id, k.value)], later) for k in _RECORD_KINDS}
        records[client_id] = _record(parts, birth_date, today)
    return records


async def overridden_keys(journey_ids: Collection[str]) -> dict[str, set[str]]:
    """Keys of the reasons each journey's expert overrode: records its events attached."""
    ids = list(dict.fromkeys(journey_ids))
    keys: dict[str, set[str]] = {journey_id: set() for journey_id in ids}
    if not ids:
        return keys
    attached = JourneyEvent.filter(journey_id__in=ids, record_id__not_isnull=True)
    records = await JourneyRecord.filter(
        journey_id__in=ids,
        kind=OVERRIDE_RECORD,
        id__in=Subquery(attached.values("record_id")),
    )
    for record in records:
        keys[record.journey_id].add(str(record.body["reason_key"]))
    return keys


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
