"""Batched reads of procedure type versions and checklist completions (for DataLoaders)."""

from __future__ import annotations

from collections import defaultdict

from domain.store.procedures import ChecklistCompletion, ProcedureTypeVersion


async def versions_by_id(ids: list[str]) -> list[ProcedureTypeVersion | None]:
    found = {v.id: v for v in await ProcedureTypeVersion.filter(id__in=ids)}
    return [found.get(i) for i in ids]


async def completions_of(journey_ids: list[str]) -> list[list[ChecklistCompletion]]:
    """Each journey's completions, oldest first (a later one of an item supersedes)."""
    rows = await ChecklistCompletion.filter(journey_id__in=journey_ids).order_by(
        "completed_at", "id"
    )
    by_journey: dict[str, list[ChecklistCompletion]] = defaultdict(list)
    for row in rows:
        by_journey[row.journey_id].append(row)
    return [by_journey[i] for i in journey_ids]
