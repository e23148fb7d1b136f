"""Fills a read model with many journeys for the cockpit benchmark (ids only, no real people)."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta

from domain.journey.stages import ACTIVE_STAGES, Stage, VisitCategory
from domain.store.models import Client, Clinic, Journey

BATCH = 5_000
CLIENTS = 1_000
STUCK_SHARE = 0.03


async def fill(clinic_id: str, journeys: int, seed: int = 7) -> int:
    """Inserts `journeys` journeys (3 % of them stuck); returns how many are stuck."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    await Clinic.get_or_create(id=clinic_id, defaults={"name": "Benchmark clinic"})
    clients = [
        Client(
            id=f"{clinic_id}-client-{n}",
            clinic_id=clinic_id,
            full_name=f"Client {n}",
            birth_date=date(1990, 1, 1),
            phone="600000000",
            data_consent_at=now,
            registered_by="bench",
        )
        for n in range(CLIENTS)
    ]
    await Client.bulk_create(clients, batch_size=BATCH)
    stuck_total = 0
    for start in range(0, journeys, BATCH):
        rows = []
        for n in range(start, min(start + BATCH, journeys)):
            stage = rng.choice(ACTIVE_STAGES)
            stuck = rng.random() < STUCK_SHARE
            stuck_total += stuck
            entered = now - timedelta(minutes=rng.randint(1, 60 * 24 * 30))
            deadline = entered + timedelta(hours=rng.randint(1, 72))
            rows.append(
                Journey(
                    id=str(uuid.UUID(int=rng.getrandbits(128))),
                    clinic_id=clinic_id,
                    client_id=f"{clinic_id}-client-{n % CLIENTS}",
                    stage=stage.value,
                    visit_category=VisitCategory.FIRST_VISIT.value,
                    active=stage is not Stage.COMPLETED,
                    started_at=entered,
                    stage_entered_at=entered,
                    last_event_seq=3,
                    facts={},
                    sla_deadline=deadline,
                    stuck=stuck,
                    stuck_since=deadline if stuck else None,
                    stuck_reason=f"{stage.value} over its SLA" if stuck else None,
                )
            )
        await Journey.bulk_create(rows, batch_size=BATCH)
    return stuck_total
