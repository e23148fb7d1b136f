"""The one-active-journey-per-client guard, as a row the database keeps unique."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError

from domain.store.models import ActiveJourneyClaim, Journey

# A claim whose journey never appeared (the start crashed half-way) stops blocking after this.
ABANDONED_AFTER = timedelta(minutes=5)


async def claim_client(client_id: str, journey_id: str) -> str | None:
    """Claims the client for `journey_id`; when refused, returns the journey holding it."""
    now = datetime.now(UTC)
    try:
        await ActiveJourneyClaim.create(client_id=client_id, journey_id=journey_id, claimed_at=now)
        return None
    except IntegrityError:
        held = await ActiveJourneyClaim.get(client_id=client_id)
    if held.journey_id != journey_id and await _released(held, now):
        # Conditional on the old holder: of two starts taking over, only one wins.
        taken = await ActiveJourneyClaim.filter(
            client_id=client_id, journey_id=held.journey_id
        ).update(journey_id=journey_id, claimed_at=now)
        if taken:
            return None
        held = await ActiveJourneyClaim.get(client_id=client_id)
    return str(held.journey_id)


async def _released(held: ActiveJourneyClaim, now: datetime) -> bool:
    row = await Journey.get_or_none(id=held.journey_id)
    if row is None:
        return held.claimed_at < now - ABANDONED_AFTER
    return not row.active


async def release_claim(client_id: str, journey_id: str) -> None:
    """Gives the claim up after a start that failed (the journey never began)."""
    await ActiveJourneyClaim.filter(client_id=client_id, journey_id=journey_id).delete()
