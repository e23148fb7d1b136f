"""A client the desk's day ended on: what `acceptClient` answers, and how `autoAssign` mends a
journey that never heard of the release.

The new day's desk no longer holds the assignment (it would answer a bare NotFound): the log says
what became of it. A journey the record's activity could not reach within its budget still names
the consultant at CONSULTATION, and staff told to place the client anew would find `autoAssign`
refusing a journey not at triage, with only a supervisor's reassignment left. So `autoAssign`
sends the desk's release itself, under the release's own update id (the journey takes it once,
whoever sent it first), and then places the client as any other at triage.
"""

from __future__ import annotations

from strawberry.types import Info

from domain.errors import DomainError, TransitionNotAllowed
from domain.journey.access import available_actions
from domain.journey.codec import facts_from_json
from domain.journey.facts import TRIAGE_DESK_ACTOR, ActionDetails, ActionRequest, Actor
from domain.journey.stages import Stage
from domain.journey.table import Action
from domain.store.day_end_releases import Release, day_end_release, missed
from domain.store.journey_sql import journey_row
from domain.store.models import Journey as JourneyRow
from schema.context import Context
from schema.errors import ErrorType, from_domain
from workflows.desk_records import hand_over_update_id


async def _missed_release(row: JourneyRow) -> Release | None:
    """The day's-end release the journey never took, if it would still take it."""
    release = await day_end_release(row.clinic_id, str(row.id))
    if release is None or not await missed(release, facts_from_json(row.facts)):
        return None
    return release


async def released_at_day_end(clinic_id: str, journey_id: str, actor: Actor) -> ErrorType | None:
    """The refusal of an acceptance whose client the desk's day released, or None; it says
    where the journey stands and what staff can do."""
    release = await day_end_release(clinic_id, journey_id)
    if release is None:
        return None
    row = await JourneyRow.get(id=journey_id)
    facts = facts_from_json(row.facts)
    told = f"released at the end of {release.day}: {release.consultant_id} had not taken the client"
    at_triage = row.stage == Stage.TRIAGE.value
    missed_it = not at_triage and await missed(release, facts)
    if at_triage:
        why = f"{told}, who waits at triage again unassigned; place the client anew (autoAssign)"
    elif missed_it:
        why = (
            f"{told}, though the journey still names them; autoAssign sends the client back to "
            "triage and places them anew"
        )
    else:
        why = f"{told}; the journey has gone on since ({row.stage})"
        return from_domain(TransitionNotAllowed(why), Stage(row.stage))
    # The way on is the assignment, offered to a caller who may make it (the desk, a
    # supervisor), not to the consultant accepting: the journey's gate judges it, as the
    # journey's `availableActions` does.
    offered = available_actions(facts, actor, missed_release=missed_it)
    way_on: list[Action] = [
        a.action for a in offered if a.action is Action.ASSIGN_CONSULTANT and a.allowed
    ]
    return from_domain(TransitionNotAllowed(why), Stage(row.stage), way_on)


async def back_to_triage(info: Info[Context, None], row: JourneyRow) -> JourneyRow | ErrorType:
    """The journey, sent back to triage first when it missed its day's-end release (else as it
    is); the journey's refusal, when it would not go back after all. Temporal not answering
    raises `JourneyUnavailable` (answered `Unavailable`): a retry sends the same update again."""
    release = await _missed_release(row)
    if release is None:
        return row
    request = ActionRequest(
        Action.RETURN_TO_TRIAGE,
        TRIAGE_DESK_ACTOR,
        ActionDetails(consultant_id=release.consultant_id),
    )
    update_id = hand_over_update_id(release.clinic_id, release.day, release.seq)
    try:
        await info.context.gateway.act(row.id, request, update_id)
    except DomainError as error:
        # Taken by the consultant, or handed on, since the read model was read.
        why = f"the journey is not at triage ({row.stage}): {error.message}"
        refusal = TransitionNotAllowed(why)
        return from_domain(refusal, Stage(row.stage))
    return await journey_row(row.id) or row
