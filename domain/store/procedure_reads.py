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


async def type_keys_of(clinic_id: str, version_ids: list[str]) -> dict[str, str]:
    """The type key of each of the clinic's versions among `version_ids`."""
    rows = await ProcedureTypeVersion.filter(clinic_id=clinic_id, id__in=version_ids).values(
        "id", "type_key"
    )
    return {row["id"]: row["type_key"] for row in rows}


async def latest_names(clinic_id: str, type_keys: list[str]) -> dict[str, dict[str, str]]:
    """Each type's names for clients, from its newest version."""
    rows = await (
        ProcedureTypeVersion.filter(clinic_id=clinic_id, type_key__in=type_keys)
        .order_by("version")
        .values("type_key", "content")
    )
    return {row["type_key"]: dict(row["content"].get("names", {})) for row in rows}
