"""The contraindication check of many journeys at once: a page of journeys each showing whether
treatment may start (`availableActions`) costs the same few statements as one journey, where it
cost nine or more per journey (the plan, its corrections, the catalogue, the client, each part
of the client's record, the overrides)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from domain.client_file.contraindications import Contraindication, contraindications
from domain.store.contraindication_reads import (
    catalog_specs,
    client_records,
    final_plan_refs,
    overridden_keys,
)
from domain.store.models import Client as ClientRow
from schema.catalog.types import ITEM_ID_TYPE
from schema.ids import decode_id


@dataclass(frozen=True)
class CheckKey:
    journey_id: str
    clinic_id: str
    client_id: str
    today: date  # the clinic's: a client's age, a pregnancy statement's freshness


@dataclass(frozen=True)
class Findings:
    # Every reason the record rules out an item of the final plan, overridden or not.
    found: list[Contraindication] = field(default_factory=list)
    # The keys of the reasons the journey's expert overrode.
    overridden: frozenset[str] = frozenset()
    # Whether the client's record was read: only when the plan names catalogue items.
    read_client: bool = False


async def findings_of(keys: list[CheckKey]) -> list[Findings]:
    """Each journey's findings, in the order asked (a journey may be asked more than once)."""
    refs = await final_plan_refs([k.journey_id for k in keys])
    raw_ids = {
        k.journey_id: [r for r in (decode_id(ref, ITEM_ID_TYPE) for ref in refs[k.journey_id]) if r]
        for k in keys
    }
    by_clinic: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        by_clinic[k.clinic_id] += raw_ids[k.journey_id]
    specs = {clinic: await catalog_specs(clinic, ids) for clinic, ids in by_clinic.items() if ids}
    items = {
        k.journey_id: [
            specs[k.clinic_id][i] for i in raw_ids[k.journey_id] if i in specs.get(k.clinic_id, {})
        ]
        for k in keys
    }
    checked = [k for k in keys if items[k.journey_id]]
    if not checked:
        return [Findings() for _ in keys]
    clients = ClientRow.filter(id__in={k.client_id for k in checked})
    births = dict(await clients.values_list("id", "birth_date"))
    records = await client_records({k.client_id: (births[k.client_id], k.today) for k in checked})
    found = {
        k.journey_id: contraindications(records[k.client_id], items[k.journey_id]) for k in checked
    }
    overrides = await overridden_keys([j for j, reasons in found.items() if reasons])
    return [
        Findings(
            found.get(k.journey_id, []),
            frozenset(overrides.get(k.journey_id, set())),
            read_client=k.journey_id in found,
        )
        for k in keys
    ]
