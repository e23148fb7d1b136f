"""Survey results per procedure type: grouped by the type's key, shown with its name.

Answers record the type key of the journey's procedure type version; answers recorded with the
version's id (before the key was recorded) are counted under their version's key all the same
(`domain.aftercare.survey.month_results` groups them).
"""

from __future__ import annotations

from domain.aftercare import survey as rules
from domain.aftercare.survey import NO_PROCEDURE_TYPE
from domain.store.models import Journey as JourneyRow
from domain.store.procedure_reads import latest_names, type_keys_of
from schema.aftercare.survey_types import SurveyGroup, averages_view
from schema.procedures.types import LocalizedText


async def type_key_of(journey: JourneyRow) -> str | None:
    """What an answer records: the type key of the journey's version, if it has one."""
    version_id = journey.facts.get("procedure_type_version_id")
    if not version_id:
        return None
    return (await type_keys_of(journey.clinic_id, [version_id])).get(version_id)


async def procedure_type_groups(
    clinic_id: str, grouped: dict[str, rules.Averages]
) -> list[SurveyGroup]:
    """The averages per procedure type key, each shown with its type's latest names."""
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
