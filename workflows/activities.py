"""Activities: the journey's only I/O, the read-model writer. Never imported by workflow code."""

from __future__ import annotations

from temporalio import activity

from domain.journey.facts import JourneyChange
from domain.store.projection import apply_change


@activity.defn(name="record_journey_change")
async def record_journey_change(change: JourneyChange) -> None:
    written = await apply_change(change)
    if not written:
        activity.logger.info(
            "event %s of %s was already recorded", change.event.seq, change.event.journey_id
        )
