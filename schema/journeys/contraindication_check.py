"""Which contraindications stand for a journey now: its final plan's catalogue items against
the client's record as it stands, less the reasons its expert overrode. Read by the start of
treatment (a refusal) and by `availableActions` (why treatment is blocked)."""

from __future__ import annotations

from datetime import datetime

from strawberry.types import Info

from domain.client_file.contraindications import Contraindication, standing
from domain.journey.access import authorization_problem, transition_problem
from domain.journey.codec import facts_from_json
from domain.journey.facts import ActionRequest, Actor
from domain.journey.table import Action
from domain.store.models import Journey as JourneyRow
from schema.audit.collector import note_access
from schema.context import Context
from schema.journeys.contraindication_batch import CheckKey, Findings

# What the audit trail calls the check's read of the client file.
CONTRAINDICATIONS_READ = "client.contraindications.read"


async def _findings(info: Info[Context, None], row: JourneyRow) -> Findings:
    zone = await info.context.loaders.zone.load(row.clinic_id)
    key = CheckKey(row.id, row.clinic_id, row.client_id, datetime.now(zone).date())
    findings = await info.context.loaders.contraindications.load(key)
    if findings.read_client:
        note_access(row.client_id, CONTRAINDICATIONS_READ)
    return findings


async def found_reasons(info: Info[Context, None], row: JourneyRow) -> list[Contraindication]:
    """Every reason the record rules out an item of the final plan, overridden or not."""
    return (await _findings(info, row)).found


async def standing_reasons(info: Info[Context, None], row: JourneyRow) -> list[Contraindication]:
    findings = await _findings(info, row)
    return standing(findings.found, set(findings.overridden)) if findings.found else []


def may_start(row: JourneyRow, actor: Actor) -> bool:
    """Whether the journey would take `START_TREATMENT` from this actor now; when it would
    not, its own refusal (role, stage) is the better answer than the record's."""
    facts = facts_from_json(row.facts)
    request = ActionRequest(Action.START_TREATMENT, actor)
    problem = authorization_problem(facts, Action.START_TREATMENT, actor)
    return problem is None and transition_problem(facts, request) is None
