"""Fills a read model with many journeys for the cockpit benchmark (ids only, no real people).

Besides the journey rows: a share of the journeys moved today (a start and a stage change in
the journey log, as the old board read them), one finished stay per journey (the board's
`stage_stay`, today's and older days'), open follow-up tasks, and the per-stage counters, built
from the rows by the same repair `glowpath reconcile` runs.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta

from domain.journey.stages import ACTIVE_STAGES, Stage, VisitCategory
from domain.store.aftercare import FollowUpTask
from domain.store.models import Client, Clinic, Journey, JourneyEvent, StageStay
from domain.store.stage_counts import check_counters

BATCH = 5_000
CLIENTS = 1_000
STUCK_SHARE = 0.03
MOVED_TODAY_SHARE = 0.03
TASK_EVERY = 5  # one follow-up task per this many journeys, a third of them overdue


def _log(journey: Journey) -> list[JourneyEvent]:
    """A journey's start at reception and its one change of stage (the old board read these for
    every journey whose stage changed today)."""
    common = {
        "journey_id": journey.id,
        "clinic_id": journey.clinic_id,
        "actor_id": "bench",
        "actor_role": "FRONT_DESK",
    }
    return [
        JourneyEvent(seq=1, action="START", from_stage=None, to_stage="RECEPTION",
                     at=journey.started_at, summary="start", **common),
        JourneyEvent(seq=2, action="MOVE", from_stage="RECEPTION", to_stage=journey.stage,
                     at=journey.stage_entered_at, summary="move", **common),
    ]  # fmt: skip


async def fill(clinic_id: str, journeys: int, seed: int = 7) -> int:
    """Inserts `journeys` journeys (3 % of them stuck); returns how many are stuck."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
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
        rows, events, stays, tasks = [], [], [], []
        for n in range(start, min(start + BATCH, journeys)):
            stage = rng.choice(ACTIVE_STAGES[1:])  # all moved on from reception
            stuck = rng.random() < STUCK_SHARE
            stuck_total += stuck
            entered = now - timedelta(minutes=rng.randint(1, 60 * 24 * 30))
            deadline = entered + timedelta(hours=rng.randint(1, 72))
            row = Journey(
                id=str(uuid.UUID(int=rng.getrandbits(128))),
                clinic_id=clinic_id,
                client_id=f"{clinic_id}-client-{n % CLIENTS}",
                stage=stage.value,
                visit_category=VisitCategory.FIRST_VISIT.value,
                active=stage is not Stage.COMPLETED,
                started_at=entered - timedelta(minutes=rng.randint(5, 120)),
                stage_entered_at=entered,
                last_event_seq=3,
                facts={},
                sla_deadline=deadline,
                stuck=stuck,
                stuck_since=deadline if stuck else None,
                stuck_reason=f"{stage.value} over its SLA" if stuck else None,
            )
            if rng.random() < MOVED_TODAY_SHARE:
                row.stage_entered_at = midnight + (now - midnight) * rng.random()
                row.started_at = row.stage_entered_at - timedelta(minutes=rng.randint(5, 120))
            if row.stage_entered_at >= midnight:
                events += _log(row)
            stays.append(
                StageStay(
                    clinic_id=clinic_id,
                    journey_id=row.id,
                    seq=2,
                    stage=Stage.RECEPTION.value,
                    ended_at=row.stage_entered_at,
                    seconds=(row.stage_entered_at - row.started_at).total_seconds(),
                )
            )
            if n % TASK_EVERY == 0:
                tasks.append(
                    FollowUpTask(
                        id=f"{row.id}-task",
                        clinic_id=clinic_id,
                        journey_id=row.id,
                        kind="FOLLOW_UP_CALL",
                        status="OPEN",
                        due_at=now + timedelta(days=rng.randint(-12, 24)),
                        assignee_role="FOLLOW_UP_STAFF",
                        updated_at=now,
                    )
                )
            rows.append(row)
        await Journey.bulk_create(rows, batch_size=BATCH)
        await JourneyEvent.bulk_create(events, batch_size=BATCH)
        await StageStay.bulk_create(stays, batch_size=BATCH)
        await FollowUpTask.bulk_create(tasks, batch_size=BATCH)
    await check_counters(clinic_id, repair=True)
    return stuck_total
