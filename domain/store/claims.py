"""The one-active-journey-per-client guard, as a row the database keeps unique.

A claim passes on only when its journey is known to be over: its read-model row says it ended,
or Temporal says its workflow does not exist or has closed (`server.settle` asks). A claim
whose journey has no row yet is never taken on a guess: that journey may be starting now.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Subquery

from domain.store.models import ActiveJourneyClaim, Journey


async def claim_client(client_id: str, journey_id: str) -> str | None:
    """Claims the client for `journey_id`; when refused, returns the journey holding it."""
    now = datetime.now(UTC)
    try:
        await ActiveJourneyClaim.create(client_id=client_id, journey_id=journey_id, claimed_at=now)
        return None
    except IntegrityError:
        held = await ActiveJourneyClaim.get(client_id=client_id)
    if held.journey_id != journey_id and await Journey.exists(id=held.journey_id, active=False):
        # Conditional on the old holder: of two starts taking over, only one wins.
        taken = await ActiveJourneyClaim.filter(
            client_id=client_id, journey_id=held.journey_id
        ).update(journey_id=journey_id, claimed_at=now)
        if taken:
            return None
        held = await ActiveJourneyClaim.get(client_id=client_id)
    return str(held.journey_id)


async def claims_without_journey(
    client_ids: Collection[str] | None = None,
) -> list[ActiveJourneyClaim]:
    """Claims whose journey has no read-model row: starting, or a start whose answer was lost."""
    query = ActiveJourneyClaim.exclude(journey_id__in=Subquery(Journey.all().values("id")))
    if client_ids is not None:
        query = query.filter(client_id__in=list(client_ids))
    return await query.order_by("claimed_at")


async def release_claim_of_missing_journey(client_id: str, journey_id: str) -> bool:
    """Gives the claim up: only once Temporal answered that the journey's workflow does not
    exist or has closed. Conditional on the holder, so a claim taken since then stays."""
    released = await ActiveJourneyClaim.filter(client_id=client_id, journey_id=journey_id).delete()
    return bool(released)
