"""Staff's own pick (`assignConsultant` with a consultant) reaches the desk when the desk has a
stake in it: it called the supervisor for this journey, or the client's owner is away. The desk
logs it and credits it by its rules (`domain.triage.arranged`); any other pick bypasses it."""

from __future__ import annotations

import uuid

import strawberry
from strawberry.types import Info

from domain.errors import DomainError
from domain.journey.stages import Stage
from domain.store.models import Journey as JourneyRow
from domain.store.triage_models import TriageBoard as BoardRow
from domain.store.triage_models import TriageEntry
from domain.triage.arranged import owner_away
from domain.triage.codec import desk_from_json
from domain.triage.commands import ArriveCommand
from domain.triage.desk import DeskState
from domain.triage.entries import EntryKind
from schema.context import Context
from schema.errors import from_domain
from schema.journeys.actions import JourneyOutcome
from schema.triage.arrival import AutoAssignInput, arrival_of
from schema.triage.desk import gateway_for


async def tell_desk_of_pick(
    info: Info[Context, None], row: JourneyRow, consultant_id: str
) -> JourneyOutcome | None:
    """None when the journey may go on to its assignment; else the desk's refusal."""
    actor, claims = info.context.actor, info.context.claims
    if actor is None or claims is None or row.stage != Stage.TRIAGE.value:
        return None  # the journey's own checks answer these
    board = await BoardRow.get_or_none(clinic_id=claims.clinic_id)
    if board is None:
        return None  # the clinic does not run its desk
    desk = desk_from_json(board.state)
    if consultant_id not in desk.seats or row.id in desk.assignments:
        return None  # not on the desk's roster, or the desk already placed this client
    arrival = await arrival_of(row, AutoAssignInput(journey_id=strawberry.ID(row.id)))
    if not await _alerted(desk, row.id) and not owner_away(desk, arrival):
        return None
    gateway = await gateway_for(info, claims.clinic_id)
    # A retry finds the desk's assignment and is answered with it: the desk decides once.
    command = ArriveCommand(actor, arrival, chosen_id=consultant_id)
    try:
        await gateway.arrive(claims.clinic_id, command, str(uuid.uuid4()))
    except DomainError as error:
        return from_domain(error, Stage(row.stage))
    return None


async def _alerted(desk: DeskState, journey_id: str) -> bool:
    """Whether the desk called the supervisor for the journey today: on the board, or, once the
    board dropped some of the day's alerts (`domain.triage.alerts`), in the day's log."""
    if any(alert.journey_id == journey_id for alert in desk.alerts):
        return True
    if not desk.alerts_dropped:
        return False
    return await TriageEntry.exists(
        clinic_id=desk.clinic_id,
        day=desk.day,
        journey_id=journey_id,
        kind=EntryKind.SUPERVISOR_ALERT.value,
    )
