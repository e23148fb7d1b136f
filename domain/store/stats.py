"""Counts for the supervisor's board, read from the counters and stays the projection keeps.

One query, bounded by the board and the day, not by the clinic's history: one counter row per
stage (`journey_stage_count`), and the medians of the stays that ended today (`stage_stay`,
through an index that holds every column read). `store.stage_counts` keeps both in the
projection's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.journey.stages import ACTIVE_STAGES
from domain.store.stage_counts import board


@dataclass(frozen=True)
class StageCount:
    stage: str
    active: int
    stuck: int
    median_seconds_today: float | None


async def stage_counts(clinic_id: str, day_start: datetime) -> list[StageCount]:
    counts, medians = await board(clinic_id, day_start)
    return [
        StageCount(s.value, *counts.get(s.value, (0, 0)), medians.get(s.value))
        for s in ACTIVE_STAGES
    ]
