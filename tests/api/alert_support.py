"""Journey events written straight to the read model, as the workflow's writer would, for tests
of the live pushes that read them (the feed is fed by hand: `tests.api.live.HandFed`)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from tortoise.transactions import in_transaction

from domain.journey.codec import facts_to_json
from domain.journey.facts import JourneyFacts
from domain.journey.stages import Stage
from domain.store.models import JourneyEvent
from tests.api.live import WAIT
from tests.support import facts_at

ALERTS = "subscription { myJourneyAlerts { action journey { id } } }"
ALERTS_AFTER = """
subscription Alerts($after: ID) { myJourneyAlerts(after: $after) { cursor action journey { id } } }
"""


def event_row(
    journey_id: str, seq: int, facts: JourneyFacts, at: datetime, action: str | None = None
) -> JourneyEvent:
    """The journey's event `seq` (unsaved), leaving it at `facts`."""
    return JourneyEvent(
        journey_id=journey_id,
        clinic_id=facts.clinic_id,
        seq=seq,
        action=action or ("mark_stuck" if facts.stuck_since else "sign_consent"),
        to_stage=facts.stage.value,
        actor_id="system",
        actor_role="SYSTEM",
        at=at,
        summary="a change",
        facts=facts_to_json(facts),
    )


def facts_of(stage: Stage, journey_id: str, clinic_id: str, **changes: Any) -> JourneyFacts:
    """A journey's facts at `stage`, with `changes`."""
    facts = dataclasses.replace(facts_at(stage), journey_id=journey_id, clinic_id=clinic_id)
    return dataclasses.replace(facts, **changes)


@contextlib.asynccontextmanager
async def nudge_held_open(
    journey_id: str, facts: JourneyFacts, at: datetime
) -> AsyncIterator[None]:
    """A nudge (the journey's event 1) written in a transaction held open for the block, so its
    id is drawn and not visible (PostgreSQL), and committed as the block ends."""
    written, commit = asyncio.Event(), asyncio.Event()

    async def hold() -> None:  # (in a task: its queries all go through the transaction)
        async with in_transaction() as held:
            await event_row(journey_id, 1, facts, at, "nudge").save(using_db=held)
            written.set()
            await commit.wait()

    holder = asyncio.create_task(hold())
    try:
        await asyncio.wait_for(written.wait(), timeout=WAIT)
        yield
    finally:
        commit.set()
        await asyncio.wait_for(holder, timeout=WAIT)
