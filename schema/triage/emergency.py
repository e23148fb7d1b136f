"""`markEmergency`: reception or triage staff mark a client waiting at the desk an emergency
(seed 004: rotation rules item 9, triage rules art. 8). An arrival is marked on `autoAssign`
itself (`AutoAssignInput.emergency`); the rules are `domain.triage.emergency`."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from domain.triage.commands import OverrideCommand, OverrideKind
from domain.triage.decision import EmergencyReason
from schema import idempotency
from schema.context import Context
from schema.triage.desk import TriageResult, desk_change
from schema.triage.mutations import DeskJourney, desk_journey


@strawberry.input(description="A client waiting at the desk who is now an emergency.")
class MarkEmergencyInput:
    journey_id: strawberry.ID = strawberry.field(
        description="The journey of a client the desk placed on its current day, waiting for "
        "her consultant (NotFound otherwise; TransitionNotAllowed once taken or marked before)."
    )
    reason: EmergencyReason = strawberry.field(
        description="Which emergency, as a code: no words about the client reach the desk."
    )
    idempotency_key: str | None = idempotency.key_field()


async def mark_emergency(
    info: Info[Context, None],
    input: Annotated[
        MarkEmergencyInput, strawberry.argument(description="The client and the emergency.")
    ],
) -> TriageResult:
    asked = await desk_journey(info, input)
    if not isinstance(asked, DeskJourney):
        return asked
    command = OverrideCommand(
        asked.actor, OverrideKind.EMERGENCY, journey_id=asked.journey_id, emergency=input.reason
    )
    return await desk_change(
        info,
        "mark_emergency",
        input,
        lambda gateway, clinic, key, _: gateway.override(clinic, command, key),
    )
