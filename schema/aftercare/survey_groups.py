"""Survey results per procedure type: grouped by the type's key, shown with its name.

Answers record the type key of the journey's procedure type version; answers recorded with the
version's id (before the key was recorded) are counted under their version's key all the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from domain.aftercare import survey as rules
from domain.store.models import Journey as JourneyRow
from domain.store.procedure_reads import latest_names, type_keys_of
from schema.aftercare.survey_types import SurveyGroup, averages_view
from schema.procedures.types import LocalizedText

# A journey that names no procedure type: its answers count under this key.
NO_PROCEDURE_TYPE = "UNSPECIFIED"


async def type_key_of(journey: JourneyRow) -> str | None:
    """What an answer records: the type key of the journey's version, if it has one."""
    version_id = journey.facts.get("procedure_type_version_id")
    if not version_id:
        return None
    return (await type_keys_of(journey.clinic_id, [version_id])).get(version_id)


async def by_procedure_type(clinic_id: str, rows: Sequence[Mapping[str, Any]]) -> list[SurveyGroup]:
    recorded = sorted({r["procedure_type"] for r in rows if r["procedure_type"]})
    keys = await type_keys_of(clinic_id, recorded)  # version ids among them, to their keys
    grouped = rules.grouped(
        (keys.get(r["procedure_type"], r["procedure_type"]) or NO_PROCEDURE_TYPE, r["scores"])
        for r in rows
    )
    names = await latest_names(clinic_id, [k for k in grouped if k != NO_PROCEDURE_TYPE])
    return [
        SurveyGroup(
            key=key,
            averages=averages_view(values),
            names=[
                LocalizedText(language=k, text=v) for k, v in sorted(names.get(key, {}).items())
            ],
        )
        for key, values in grouped.items()
    ]
