"""Journey changes for the stage-counter tests, the same in every process that builds them.

Run as ``python -m tests.store.stage_plan URL CLINIC ORDER`` it projects the whole plan into the
database at URL, in ORDER ("forward" or "backward"): a second writer on the same rows.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
import sys
import uuid
from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError, OperationalError, TransactionManagementError

from domain.journey.facts import JourneyChange, JourneyEvent, JourneyFacts
from domain.journey.stages import ACTIVE_STAGES, ArrivalChannel, Stage, VisitCategory
from domain.store.db import close_db, init_db
from domain.store.models import Client, Clinic
from domain.store.projection import apply_change
from tests.support import DESK

# What the projection's activity retries on: two writers creating one row, or deadlocked.
RETRIED = (IntegrityError, OperationalError, TransactionManagementError)
ATTEMPTS = 5
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
TERMINAL = (Stage.COMPLETED, Stage.CANCELLED, Stage.NOT_CONVERTED)


def client_id(clinic_id: str) -> str:
    return f"{clinic_id}-client"


async def clinic_with_client(prefix: str) -> tuple[str, str]:
    """A new clinic and its one client on file (a journey's row names both): their ids."""
    clinic_id = f"{prefix}-{uuid.uuid4().hex[:8]}"
    await Clinic.create(id=clinic_id, name=f"{prefix} clinic")
    client = await Client.create(
        id=client_id(clinic_id),
        clinic_id=clinic_id,
        full_name="Client",
        birth_date=START.date().replace(year=1990),
        phone="600000000",
        data_consent_at=START,
        registered_by=DESK.user_id,
    )
    return clinic_id, client.id


def opening_facts(journey_id: str, clinic_id: str, client: str) -> JourneyFacts:
    """A first visit's facts as it opens at reception, at START."""
    return JourneyFacts(
        journey_id=journey_id,
        clinic_id=clinic_id,
        client_id=client,
        visit_category=VisitCategory.FIRST_VISIT,
        channel=ArrivalChannel.WALK_IN,
        client_is_minor=False,
        started_at=START,
        follow_up_offsets=[],
        stage_entered_at=START,
    )


def journey_plan(
    clinic_id: str, journey: int, steps: int, rng: random.Random
) -> list[JourneyChange]:
    """One journey's changes: a start, then moves, stuck flags raised and cleared, and for some
    an end in a terminal stage. Every step is a minute or more after the one before."""
    facts = opening_facts(f"{clinic_id}-journey-{journey}", clinic_id, client_id(clinic_id))
    at, stage, stuck, changes = START, Stage.RECEPTION, False, []
    for seq in range(1, steps + 1):
        came: Stage | None = stage if seq > 1 else None
        roll = rng.random()
        if seq == steps and journey % 3 == 0:
            stage = rng.choice(TERMINAL)
        elif seq > 1 and roll < 0.3:
            stuck = not stuck
        elif seq > 1:
            stage = rng.choice(ACTIVE_STAGES)
        if came is not None and came != stage:
            stuck = False
            facts.stage_entered_at = at
        facts.stage, facts.event_seq = stage, seq
        facts.stuck_since = at if stuck else None
        facts.stuck_reason = "over its SLA" if stuck else None
        event = JourneyEvent(facts.journey_id, seq, "TEST_STEP", came, stage, DESK, at, "step")
        changes.append(JourneyChange(event, dataclasses.replace(facts)))
        at += timedelta(minutes=rng.randint(1, 90))
    return changes


def plan(clinic_id: str, journeys: int = 12, steps: int = 7, seed: int = 13) -> list[JourneyChange]:
    rng = random.Random(seed)
    return [c for n in range(journeys) for c in journey_plan(clinic_id, n, steps, rng)]


async def _project(url: str, clinic_id: str, order: str) -> None:
    await init_db(url)
    try:
        changes = plan(clinic_id)
        for change in reversed(changes) if order == "backward" else changes:
            for attempt in range(1, ATTEMPTS + 1):
                try:
                    await apply_change(change)
                    break
                except RETRIED:
                    if attempt == ATTEMPTS:
                        raise
    finally:
        await close_db()


if __name__ == "__main__":
    asyncio.run(_project(*sys.argv[1:4]))
