"""A journey's procedure type version and its checklist as recorded so far.

The version is the one the journey's approved plan named (its id travels in the journey's
facts); publishing a newer version changes nothing here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from domain.journey.codec import facts_from_json
from domain.procedures.checklist import counts_on, open_items
from domain.procedures.template import ProcedureContent
from domain.store.models import Journey as JourneyRow
from domain.store.procedure_reads import completions_of, versions_by_id
from domain.store.procedures import ChecklistCompletion
from domain.store.procedures import ProcedureTypeVersion as VersionRow
from schema.loaders import Loaders


@dataclass
class JourneyProcedure:
    version: VersionRow
    content: ProcedureContent
    # The latest completion of each item, by code.
    done: dict[str, ChecklistCompletion]

    def counted(self, zone: ZoneInfo | None) -> dict[str, ChecklistCompletion]:
        """The completions that count for a treatment today in `zone` (the clinic's calendar):
        the day's own checks only when made today (`domain.procedures.checklist.ON_THE_DAY`).
        None: every completion, as a treatment that has begun counted them."""
        if zone is None:
            return self.done
        today = datetime.now(zone).date()
        return {
            code: row
            for code, row in self.done.items()
            if counts_on(code, row.completed_at.astimezone(zone).date(), today)
        }

    def open_items(self, zone: ZoneInfo | None) -> list[str]:
        results = {code: row.result for code, row in self.counted(zone).items()}
        return open_items(self.content.checklist, results)


async def journey_procedure(
    row: JourneyRow, loaders: Loaders | None = None
) -> JourneyProcedure | None:
    """The journey's procedure type version and checklist; None when its plan named none.
    With the request's `loaders` (a list of journeys), a constant number of queries."""
    version_id = facts_from_json(row.facts).procedure_type_version_id
    if not version_id:
        return None
    if loaders is not None:
        version = await loaders.procedure_versions.load(version_id)
        rows = await loaders.checklist_completions.load(row.id)
    else:
        (version,) = await versions_by_id([version_id])
        (rows,) = await completions_of([row.id])
    if version is None or version.clinic_id != row.clinic_id:
        return None
    done = {completion.item_code: completion for completion in rows}  # the latest wins
    return JourneyProcedure(version, ProcedureContent.from_json(version.content), done)
