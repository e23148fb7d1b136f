"""The one-active-journey-per-client guard, as a row the database keeps unique, and the same for a
client's recheck still to come in.

A claim passes on only when its journey is known to be over or only making its after-care calls
(for a recheck: over, or treated and in after-care): its read-model row says so, or Temporal
says its workflow does not exist or has closed (`server.settle` asks). After-care runs a year
(seed 002 §5); the client comes back within it for a recheck, a dressing or another item (seed
004: 复查, 再消费), and the calls go on beside the new journey. A claim whose journey has no row yet
is never taken on a guess: that journey may be starting now.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q, Subquery

from domain.journey.stages import Stage
from domain.store.models import ActiveJourneyClaim, ActiveRecheckClaim, Journey

Claim = type[ActiveJourneyClaim] | type[ActiveRecheckClaim]
CLAIMS: tuple[Claim, ...] = (ActiveJourneyClaim, ActiveRecheckClaim)
# A recheck's claim passes on once it has treated: a complication reported on its own
# follow-up call opens the next one.
_RECHECK_TREATED = (Stage.HANDOVER.value, Stage.FOLLOW_UP.value)
# A journey in these stages leaves the client free to start another at reception.
AFTER_CARE_ONLY = (Stage.FOLLOW_UP.value,)


async def claim_client(client_id: str, journey_id: str) -> str | None:
    """Claims the client for `journey_id`; when refused, returns the journey holding it."""
    over = Q(active=False) | Q(stage__in=AFTER_CARE_ONLY)
    return await _claim(ActiveJourneyClaim, client_id, journey_id, over)


async def claim_recheck(client_id: str, journey_id: str) -> str | None:
    """Claims the client's next recheck for `journey_id`; when refused, the recheck holding it."""
    over = Q(active=False) | Q(stage__in=_RECHECK_TREATED)
    return await _claim(ActiveRecheckClaim, client_id, journey_id, over)


async def take_over_recheck(
    client_id: str, held_by: str, claimed_at: datetime, journey_id: str
) -> str | None:
    """Takes the client's recheck claim from `held_by`, a recheck Temporal says never started
    or has closed, as it was when asked (`claimed_at`: a retry of its own request renews it);
    when refused (another took it, or it was renewed), the recheck holding it now."""
    taken = await ActiveRecheckClaim.filter(
        client_id=client_id, journey_id=held_by, claimed_at=claimed_at
    ).update(journey_id=journey_id, claimed_at=datetime.now(UTC))
    if taken:
        return None
    held = await ActiveRecheckClaim.get_or_none(client_id=client_id)
    return str(held.journey_id) if held else await claim_recheck(client_id, journey_id)


async def _claim(model: Claim, client_id: str, journey_id: str, over: Q) -> str | None:
    now = datetime.now(UTC)
    try:
        await model.create(client_id=client_id, journey_id=journey_id, claimed_at=now)
        return None
    except IntegrityError:
        held = await model.get(client_id=client_id)
    if held.journey_id == journey_id:
        # A retry of the request that holds it: renewed, so no one takes it as given up.
        renewed = await model.filter(client_id=client_id, journey_id=journey_id).update(
            claimed_at=now
        )
        if renewed:
            return str(journey_id)
        held = await model.get(client_id=client_id)
    if held.journey_id != journey_id and await Journey.filter(over, id=held.journey_id).exists():
        # Conditional on the old holder: of two claims taking over, only one wins.
        taken = await model.filter(client_id=client_id, journey_id=held.journey_id).update(
            journey_id=journey_id, claimed_at=now
        )
        if taken:
            return None
        held = await model.get(client_id=client_id)
    return str(held.journey_id)


async def claims_without_journey(
    client_ids: Collection[str] | None = None, model: Claim = ActiveJourneyClaim
) -> list[ActiveJourneyClaim | ActiveRecheckClaim]:
    """Claims whose journey has no read-model row: starting, or a start whose answer was lost."""
    query = model.exclude(journey_id__in=Subquery(Journey.all().values("id")))
    if client_ids is not None:
        query = query.filter(client_id__in=list(client_ids))
    return list(await query.order_by("claimed_at"))


async def release_claim_of_missing_journey(
    client_id: str, journey_id: str, model: Claim = ActiveJourneyClaim
) -> bool:
    """Gives the claim up: only once Temporal answered that the journey's workflow does not
    exist or has closed. Conditional on the holder, so a claim taken since then stays."""
    released = await model.filter(client_id=client_id, journey_id=journey_id).delete()
    return bool(released)
