"""Counts for the supervisor's board, read from the counters and stays the projection keeps.

Both reads are bounded by the board, not by the clinic's history: one counter row per stage
(`journey_stage_count`), and the stays that ended today (`stage_stay`, through an index that
holds every column read). `store.stage_counts` keeps both in the projection's transaction.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from domain.journey.stages import ACTIVE_STAGES
from domain.store.models import JourneyStageCount
from domain.store.stage_counts import stays_since


@dataclass(frozen=True)
class StageCount:
    stage: str
    active: int
    stuck: int
    median_seconds_today: float | None


async def stage_counts(clinic_id: str, day_start: datetime) -> list[StageCount]:
    rows = await JourneyStageCount.filter(clinic_id=clinic_id).values_list(
        "stage", "active", "stuck"
    )
    counts = {stage: (active, stuck) for stage, active, stuck in rows}
    medians = await median_stays_since(clinic_id, day_start)
    return [
        StageCount(s.value, *counts.get(s.value, (0, 0)), medians.get(s.value))
        for s in ACTIVE_STAGES
    ]


async def median_stays_since(clinic_id: str, day_start: datetime) -> dict[str, float]:
    """Median time spent in each stage, over the stays that ended since `day_start`."""
    stays: dict[str, list[float]] = defaultdict(list)
    for stage, seconds in await stays_since(clinic_id, day_start):
        stays[stage].append(seconds)
    return {stage: statistics.median(values) for stage, values in stays.items()}
