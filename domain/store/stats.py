"""Counts for the supervisor's board, answered from indexed read-model columns."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from tortoise.functions import Count

from domain.journey.stages import ACTIVE_STAGES
from domain.store.models import Journey, JourneyEvent


@dataclass(frozen=True)
class StageCount:
    stage: str
    active: int
    stuck: int
    median_seconds_today: float | None


async def stage_counts(clinic_id: str, day_start: datetime) -> list[StageCount]:
    grouped = (
        await Journey.filter(clinic_id=clinic_id, active=True)
        .annotate(n=Count("id"))
        .group_by("stage", "stuck")
        .values_list("stage", "stuck", "n")
    )
    active: dict[str, int] = defaultdict(int)
    stuck: dict[str, int] = defaultdict(int)
    for stage, is_stuck, n in grouped:
        active[stage] += n
        if is_stuck:
            stuck[stage] += n
    medians = await _median_stays_ended_since(clinic_id, day_start)
    return [
        StageCount(s.value, active[s.value], stuck[s.value], medians.get(s.value))
        for s in ACTIVE_STAGES
    ]


async def _median_stays_ended_since(clinic_id: str, day_start: datetime) -> dict[str, float]:
    """Median time spent in each stage, over the stays that ended since `day_start`."""
    moved_today = Journey.filter(clinic_id=clinic_id, stage_entered_at__gte=day_start)
    journey_ids = [str(row.id) for row in await moved_today.only("id")]
    events = await JourneyEvent.filter(journey_id__in=journey_ids).order_by("journey_id", "seq")
    stays: dict[str, list[float]] = defaultdict(list)
    entered: dict[str, datetime] = {}
    for event in events:
        if event.from_stage is None or event.from_stage != event.to_stage:
            began = entered.get(event.journey_id)
            if began is not None and event.from_stage and event.at >= day_start:
                stays[event.from_stage].append((event.at - began).total_seconds())
            entered[event.journey_id] = event.at
    return {stage: statistics.median(values) for stage, values in stays.items()}
