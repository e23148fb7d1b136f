"""Which contraindications stand for a journey now: its final plan's catalogue items against
the client's record as it stands, less the reasons its expert overrode. Read by the start of
treatment (a refusal) and by `availableActions` (why treatment is blocked)."""

from __future__ import annotations

from datetime import datetime

from strawberry.types import Info

from domain.client_file.contraindications import Contraindication, contraindications, standing
from domain.journey.access import authorization_problem, transition_problem
from domain.journey.codec import facts_from_json
from domain.journey.facts import ActionRequest, Actor
from domain.journey.table import Action
from domain.store.contraindication_reads import (
    catalog_specs,
    client_record,
    final_plan_refs,
    overridden_keys,
)
from domain.store.models import Client as ClientRow
from domain.store.models import Journey as JourneyRow
from schema.audit.collector import note_access
from schema.catalog.types import ITEM_ID_TYPE
from schema.context import Context
from schema.ids import decode_id

# What the audit trail calls the check's read of the client file.
CONTRAINDICATIONS_READ = "client.contraindications.read"


async def found_reasons(info: Info[Context, None], row: JourneyRow) -> list[Contraindication]:
    """Every reason the record rules out an item of the final plan, overridden or not."""
    refs = await final_plan_refs(row.id)
    raw_ids = [raw for raw in (decode_id(ref, ITEM_ID_TYPE) for ref in refs) if raw]
    items = await catalog_specs(row.clinic_id, raw_ids)
    if not items:
        return []
    client = await ClientRow.get(id=row.client_id)
    note_access(client.id, CONTRAINDICATIONS_READ)
    zone = await info.context.loaders.zone.load(row.clinic_id)
    record = await client_record(client.id, client.birth_date, datetime.now(zone).date())
    return contraindications(record, items)


async def standing_reasons(info: Info[Context, None], row: JourneyRow) -> list[Contraindication]:
    found = await found_reasons(info, row)
    return standing(found, await overridden_keys(row.id)) if found else []


def may_start(row: JourneyRow, actor: Actor) -> bool:
    """Whether the journey would take `START_TREATMENT` from this actor now; when it would
    not, its own refusal (role, stage) is the better answer than the record's."""
    facts = facts_from_json(row.facts)
    request = ActionRequest(Action.START_TREATMENT, actor)
    problem = authorization_problem(facts, Action.START_TREATMENT, actor)
    return problem is None and transition_problem(facts, request) is None
