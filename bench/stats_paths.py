"""`journeyStats` as the database answers it, now and as it did before issue 13, with the plans.

Before: a GROUP BY over the clinic's active journeys, then the journeys whose stage changed today
and their whole logs, walked in Python for the stays that ended today. Now: the per-stage
counters and today's finished stays (`domain.store.stats`). Both are followed by what the
resolver reads besides (the clinic, overdue tasks, overdue installments).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from tortoise import connections
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from domain.journey.stages import ACTIVE_STAGES
from domain.store.aftercare import FollowUpTask
from domain.store.billing import InstallmentOverdue
from domain.store.billing_reads import MAX_ITEMS, overdue_installments
from domain.store.models import Clinic, Journey, JourneyEvent
from domain.store.stage_counts import BOARD_SQL
from domain.store.stats import StageCount, stage_counts
from domain.store.task_projection import overdue_task_count

PLAN_WIDTH = 150


def _grouped(clinic_id: str) -> Any:
    return (
        Journey.filter(clinic_id=clinic_id, active=True)
        .annotate(n=Count("id"))
        .group_by("stage", "stuck")
        .values_list("stage", "stuck", "n")
    )


def _moved_today(clinic_id: str, day_start: datetime) -> QuerySet[Journey]:
    return Journey.filter(clinic_id=clinic_id, stage_entered_at__gte=day_start).only("id")


async def stage_counts_before(clinic_id: str, day_start: datetime) -> list[StageCount]:
    """The board's counts as `domain.store.stats` computed them before the counters."""
    active: dict[str, int] = defaultdict(int)
    stuck: dict[str, int] = defaultdict(int)
    for stage, is_stuck, n in await _grouped(clinic_id):
        active[stage] += n
        stuck[stage] += n if is_stuck else 0
    journey_ids = [str(row.id) for row in await _moved_today(clinic_id, day_start)]
    events = await JourneyEvent.filter(journey_id__in=journey_ids).order_by("journey_id", "seq")
    stays: dict[str, list[float]] = defaultdict(list)
    entered: dict[str, datetime] = {}
    for event in events:
        if event.from_stage is None or event.from_stage != event.to_stage:
            began = entered.get(event.journey_id)
            if began is not None and event.from_stage and event.at >= day_start:
                stays[event.from_stage].append((event.at - began).total_seconds())
            entered[event.journey_id] = event.at
    medians = {stage: statistics.median(values) for stage, values in stays.items()}
    return [
        StageCount(s.value, active[s.value], stuck[s.value], medians.get(s.value))
        for s in ACTIVE_STAGES
    ]


async def journey_stats(clinic_id: str, day_start: datetime, *, before: bool) -> int:
    """Every read of the `journeyStats` resolver; the sum, so nothing is optimised away."""
    clinic = await Clinic.get(id=clinic_id)
    counts = (stage_counts_before if before else stage_counts)(str(clinic.id), day_start)
    stages = await counts
    return (
        sum(s.active for s in stages)
        + await overdue_task_count(clinic_id)
        + await overdue_installments(clinic_id)
    )


def _queries(clinic_id: str, day_start: datetime, moved: list[str]) -> list[tuple[str, Any]]:
    return [
        ("before: counts, GROUP BY over the journeys", _grouped(clinic_id)),
        ("before: journeys moved today", _moved_today(clinic_id, day_start)),
        (
            "before: their logs",
            JourneyEvent.filter(journey_id__in=moved).order_by("journey_id", "seq"),
        ),
        (
            "now: counters and median stays ended today, one query",
            BOARD_SQL.format(
                clinic=f"'{clinic_id}'", since=f"'{day_start.astimezone(UTC).isoformat(' ')}'"
            ),
        ),
        (
            "both: overdue tasks",
            FollowUpTask.filter(clinic_id=clinic_id, status="OPEN", due_at__lte=day_start).count(),
        ),
        (
            "both: overdue installments",
            InstallmentOverdue.filter(clinic_id=clinic_id).limit(MAX_ITEMS),
        ),
    ]


async def query_plans(clinic_id: str, day_start: datetime) -> str:
    """EXPLAIN QUERY PLAN (SQLite) or EXPLAIN (PostgreSQL) of each query the two paths run."""
    db = connections.get("default")
    postgres = db.capabilities.dialect == "postgres"
    moved = [str(row.id) for row in await _moved_today(clinic_id, day_start)]
    lines = []
    for name, query in _queries(clinic_id, day_start, moved):
        sql = query if isinstance(query, str) else query.sql(params_inline=True)
        _, rows = await db.execute_query(("EXPLAIN " if postgres else "EXPLAIN QUERY PLAN ") + sql)
        lines.append(f"  {name}:")
        # Cut long lines: PostgreSQL's plan repeats the IN list of today's journeys.
        lines += [f"    {(row[0] if postgres else row['detail'])[:PLAN_WIDTH]}" for row in rows]
    return "\n".join(lines)
