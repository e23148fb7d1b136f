"""A recheck journey opened from another journey: a complication reported on a follow-up call, or a
warranty claim. Same client, the same owning consultant, a booking (the client is asked in); no
charge, as every recheck (it goes from triage straight to treatment).

It runs beside the journey it comes from, which may still be making its follow-up calls: the
one-active-journey claim stays with that journey, and a reception start for the client is
refused while the recheck is on its way (once treated, it too only makes its calls). Nor does
any other journey of the client stand in its way: one only making its follow-up calls (a
complication reported on a recheck's own call, while the journey it came from still calls too),
or one reception opened while the treated journey makes its calls (the client back for another
item): the client is asked in for the recheck all the same.
Only a recheck the client already has coming serves instead. The id is derived from what opened
it, so every retry of one request converges on one journey.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.ages import is_minor
from domain.errors import DomainError
from domain.journey.facts import Actor, JourneyStart
from domain.journey.followups import DEFAULT_FOLLOW_UP_OFFSETS
from domain.journey.stages import ArrivalChannel, Stage, VisitCategory
from domain.store import records
from domain.store.claims import (
    claim_recheck,
    release_claim_of_missing_journey,
    take_over_recheck,
)
from domain.store.models import ActiveRecheckClaim, Clinic
from domain.store.models import Client as ClientRow
from domain.store.models import Journey as JourneyRow
from schema.journeys.reception import clinic_sla_overrides
from workflows.client import JourneyGateway

_RECHECK_IDS = uuid.UUID("b7e0c1d2-6f1e-4a5b-8c3d-2e9f0a1b4c55")


def recheck_journey_id(opened_by: str) -> str:
    """`opened_by`: what opens it, e.g. "<journey>:fu-2:complication" or a claim's id."""
    return str(uuid.uuid5(_RECHECK_IDS, opened_by))


# A recheck in these stages has treated: it serves no new claim or complication.
_TREATED = (Stage.HANDOVER.value, Stage.FOLLOW_UP.value)


# Longer than any request lives (30 s): a claim this old whose recheck Temporal does not know
# was made by a request that died before starting it.
_START_DIED_AFTER = timedelta(seconds=60)


async def _given_up(gateway: JourneyGateway, client_id: str, held_by: str) -> datetime | None:
    """When the claim of a recheck that never started was made (no row, no running workflow,
    claimed long enough ago that its start cannot still be on its way); None while it serves.
    `JourneyUnavailable` when Temporal cannot say whether it runs: counted as serving, the
    complication's task or the warranty claim would name a recheck that may never start, and
    counted as given up, the client might get two. The caller answers `Unavailable` with
    nothing of its own written (the claim stays the other's), and a retry asks again."""
    if await JourneyRow.exists(id=held_by):
        return None
    claim = await ActiveRecheckClaim.get_or_none(client_id=client_id, journey_id=held_by)
    if claim is None or datetime.now(UTC) - claim.claimed_at < _START_DIED_AFTER:
        return None
    running = await gateway.running(held_by)
    return None if running else claim.claimed_at


async def _recheck_coming(parent: JourneyRow, journey_id: str) -> JourneyRow | None:
    """A recheck of the client, besides the parent and the one opening, still to treat: it
    serves whatever would open another (one the client booked at reception too)."""
    coming = JourneyRow.filter(
        client_id=parent.client_id, active=True, visit_category=VisitCategory.RECHECK.value
    )
    coming = coming.exclude(id__in=[parent.id, journey_id]).exclude(stage__in=_TREATED)
    return await coming.first()


async def open_linked_recheck(
    gateway: JourneyGateway,
    parent: JourneyRow,
    journey_id: str,
    actor: Actor,
    follow_up_offsets: tuple[int, ...] | None,
    why: str,
) -> str:
    """Opens (or finds) the recheck, and answers the id of the one that serves: this one, or a
    recheck the client already has coming (its row may still be being written).
    `JourneyUnavailable` when Temporal cannot say whether an old claim's recheck runs, or does
    not answer this one's start: the caller writes no link to any recheck."""
    if await JourneyRow.exists(id=journey_id):
        return journey_id
    coming = await _recheck_coming(parent, journey_id)
    if coming is not None:
        return str(coming.id)  # the client is already coming in for a recheck: it serves
    # Of two requests opening a recheck at once (two warranty claims), one claims the client;
    # the other is served by its recheck, unless that one never started (its request died).
    held_by = await claim_recheck(parent.client_id, journey_id)
    if held_by is not None and held_by != journey_id:
        given_up = await _given_up(gateway, parent.client_id, held_by)
        if given_up is None:
            return held_by
        held_by = await take_over_recheck(parent.client_id, held_by, given_up, journey_id)
        if held_by is not None and held_by != journey_id:
            return held_by
    client = await ClientRow.get(id=parent.client_id)
    zone = ZoneInfo((await Clinic.get(id=parent.clinic_id)).timezone)  # its calendar's age
    body = {"reason": why, "linked_journey_id": parent.id, "channel": "PHONE_BOOKING"}
    record_id = await records.draft_record(
        journey_id, "reception", body, actor.user_id, await records.opening_record_id(journey_id)
    )
    start = JourneyStart(
        journey_id=journey_id,
        clinic_id=parent.clinic_id,
        client_id=parent.client_id,
        visit_category=VisitCategory.RECHECK,
        channel=ArrivalChannel.PHONE_BOOKING,
        client_is_minor=is_minor(client.birth_date, datetime.now(zone).date()),
        started_by=actor,
        checked_in=False,
        follow_up_offsets=list(follow_up_offsets or DEFAULT_FOLLOW_UP_OFFSETS),
        record_id=record_id,
        sla_overrides=await clinic_sla_overrides(parent.clinic_id),
        linked_journey_id=parent.id,
        consultant_id=parent.consultant_id,
    )
    try:
        await gateway.start(start)
    except DomainError:
        # Temporal answered that this recheck's workflow has closed: the claim may go.
        await release_claim_of_missing_journey(parent.client_id, journey_id, ActiveRecheckClaim)
        raise
    return journey_id
